"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const C = require("../../extension/client.js");

test("service addresses: loopback http only, normalised to an origin", () => {
  assert.deepEqual(C.normaliseAddress("127.0.0.1:8765"), { ok: true, address: "http://127.0.0.1:8765" });
  assert.deepEqual(C.normaliseAddress(" http://localhost:9000/ "), { ok: true, address: "http://localhost:9000" });
  for (const bad of ["", "https://127.0.0.1:8765", "http://example.com:8765", "http://10.0.0.2:8765",
    "http://127.0.0.1:8765/v1", "http://user:pw@127.0.0.1:1", "ftp://127.0.0.1", "http://[::1]:8765", "::::"]) {
    const answer = C.normaliseAddress(bad);
    assert.equal(answer.ok, false, bad);
    assert.ok(answer.error.length > 10, bad);
  }
});

test("settings: defaults fill gaps, bad values fall back", () => {
  const s = C.withDefaults({ address: "http://evil.example", theme: "neon", timeoutSeconds: 0, categories: { media: false, person: "no" }, token: "  abc  " });
  assert.equal(s.address, C.DEFAULT_ADDRESS);
  assert.match(s.addressError, /this computer/);
  assert.equal(s.theme, "auto");
  assert.equal(s.timeoutSeconds, 20);
  assert.equal(s.categories.media, false);
  assert.equal(s.categories.person, true);
  assert.equal(s.token, "abc");
});

test("the command to start the service depends on the port", () => {
  assert.deepEqual(C.serveCommands("http://127.0.0.1:8765"), ["make serve", "sourcelight serve"]);
  assert.deepEqual(C.serveCommands("http://localhost:9001"), ["sourcelight serve --port 9001"]);
});

test("HTTP errors become the states the overlay shows", () => {
  const settings = C.withDefaults({});
  const cases = [
    [403, { error: "forbidden", message: "Sourcelight answers only its paired extension." }, "not_paired"],
    [401, null, "not_paired"],
    [413, { error: "too_large", message: "The request body is larger than the limit." }, "too_large"],
    [422, { error: "too_complex", message: "Too many elements." }, "too_large"],
    [422, { error: "no_article", message: "No article text was found on this page." }, "not_article"],
    [422, { error: "not_html", message: "This is a PDF." }, "not_article"],
    [504, { error: "timeout", message: "The page took too long." }, "timeout"],
    [503, { error: "busy", message: "The service is busy; try again." }, "service_error"],
    [500, { error: "internal_error", message: "A bug." }, "service_error"],
    [400, null, "service_error"],
  ];
  for (const [status, body, kind] of cases) {
    const f = C.failureFromResponse(status, body, settings);
    assert.equal(f.kind, kind, `${status} ${JSON.stringify(body)}`);
    assert.ok(f.title && f.message, `${status}: title and message`);
    if (body && body.message && kind !== "not_paired") assert.ok(f.message.includes(body.message));
  }
  assert.equal(C.failureFromResponse(403, null, settings).action, "options");
  assert.match(C.failureFromResponse(503, { error: "busy", message: "Busy." }, settings).message, /busy, HTTP 503/);
});

test("a refused connection is 'not running', an abort is 'timeout'", () => {
  const settings = C.withDefaults({ address: "http://127.0.0.1:9999", timeoutSeconds: 3 });
  const down = C.failureFromException(new TypeError("Failed to fetch"), settings);
  assert.equal(down.kind, "not_running");
  assert.deepEqual(down.commands, ["sourcelight serve --port 9999"]);
  const abort = new Error("aborted");
  abort.name = "AbortError";
  const slow = C.failureFromException(abort, settings);
  assert.equal(slow.kind, "timeout");
  assert.match(slow.message, /within 3 s/);
});

test("cleanPage refuses locally, without a request, when unpaired or the page is too large", async () => {
  const noFetch = () => { throw new Error("no request may be sent"); };
  const unpaired = await C.cleanPage(C.withDefaults({}), { url: "https://x.example/", html: "<p>x</p>" }, noFetch);
  assert.equal(unpaired.failure.kind, "not_paired");
  const huge = await C.cleanPage(C.withDefaults({ token: "t".repeat(43) }), { url: "https://x.example/", html: "x".repeat(C.MAX_PAGE_CHARS + 1) }, noFetch);
  assert.equal(huge.failure.kind, "too_large");
});

test("cleanPage against nothing listening is 'not running'; a real abort is 'timeout'", async () => {
  const net = require("node:net");
  // A port that was free a moment ago: nothing listens there.
  const port = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  const settings = C.withDefaults({ address: `http://127.0.0.1:${port}`, token: "t".repeat(43), timeoutSeconds: 1 });
  const down = await C.cleanPage(settings, { url: "https://x.example/", html: "<p>x</p>" });
  assert.equal(down.failure.kind, "not_running");
  // A server that accepts and never answers.
  const held = [];
  const silent = net.createServer((socket) => held.push(socket)).listen(0, "127.0.0.1");
  await new Promise((resolve) => silent.once("listening", resolve));
  try {
    const slowSettings = C.withDefaults({ address: `http://127.0.0.1:${silent.address().port}`, token: "t".repeat(43), timeoutSeconds: 1 });
    const started = Date.now();
    const slow = await C.cleanPage(slowSettings, { url: "https://x.example/", html: "<p>x</p>" });
    assert.equal(slow.failure.kind, "timeout");
    assert.ok(Date.now() - started < 3000);
  } finally {
    for (const socket of held) socket.destroy();
    silent.close();
  }
});

test("only http(s) page addresses of bounded length are sent to the service", () => {
  assert.equal(C.pageUrlForService("https://example.com/a"), "https://example.com/a");
  assert.equal(C.pageUrlForService("file:///home/me/page.html"), undefined);
  assert.equal(C.pageUrlForService("https://example.com/" + "a".repeat(9000)), undefined);
});

test("checkResult refuses answers without an article", () => {
  assert.equal(C.checkResult({ article: { html: "", text: "" }, sources: [] }), "");
  assert.match(C.checkResult(null), /not a JSON object/);
  assert.match(C.checkResult({}), /no article/);
  assert.match(C.checkResult({ article: { html: 1, text: "" } }), /no HTML/);
  assert.match(C.checkResult({ article: { html: "", text: "" }, sources: {} }), /"sources" is not a list/);
});
