"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const M = require("../../extension/messages.js");

test("make builds a known message with its fields", () => {
  const m = M.make(M.MSG.CLEAN_PAGE, { session: "s", url: "u", html: "<p>", title: "t" });
  assert.deepEqual(m, { type: "CLEAN_PAGE", session: "s", url: "u", html: "<p>", title: "t" });
});

test("unknown types throw, wherever they come from", () => {
  assert.throws(() => M.make("STEAL_TOKEN", {}), /Unknown Sourcelight message type: "STEAL_TOKEN"/);
  assert.throws(() => M.check({ type: "toString" }), /Unknown/);
  assert.throws(() => M.check({ type: "__proto__" }), /Unknown/);
  assert.throws(() => M.check({}), /Unknown/);
  assert.throws(() => M.check(null), /not an object/);
  assert.throws(() => M.check("CLEAN_PAGE"), /not an object/);
  assert.throws(() => M.check([M.MSG.SAVE_COPY]), /not an object/);
});

test("a message missing a field throws", () => {
  assert.throws(() => M.make(M.MSG.CLEAN_PAGE, { session: "s", url: "u" }), /lacks "html"/);
  assert.throws(() => M.check({ type: "REMOVE_OVERLAY" }), /lacks "session"/);
});

test("dispatch calls the handler of the type, and throws for a type not handled here", () => {
  const seen = [];
  const handlers = { [M.MSG.SAVE_COPY]: (m, extra) => seen.push([m.type, extra]) };
  M.dispatch(M.make(M.MSG.SAVE_COPY), handlers, 7);
  assert.deepEqual(seen, [["SAVE_COPY", 7]]);
  assert.throws(() => M.dispatch(M.make(M.MSG.CLOSE_OVERLAY), handlers), /not handled here/);
  assert.throws(() => M.dispatch({ type: "NOPE" }, handlers), /Unknown/);
});

test("every type's name is its value, and the table is frozen", () => {
  for (const [name, value] of Object.entries(M.MSG)) assert.equal(name, value);
  assert.ok(Object.isFrozen(M.MSG) && Object.isFrozen(M.TYPES));
});

test("the overlay's export request names its format", () => {
  assert.deepEqual(M.make(M.MSG.EXPORT_SOURCES, { format: "csv" }), { type: "EXPORT_SOURCES", format: "csv" });
  assert.throws(() => M.make(M.MSG.EXPORT_SOURCES, {}), /lacks "format"/);
});
