"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const C = require("../../extension/client.js");

/** A fetch that records its calls and answers `status` with `body`. */
function fakeFetch(status, body, calls) {
  return async (url, init) => {
    calls.push({ url, init });
    return { ok: status >= 200 && status < 300, status, text: async () => JSON.stringify(body) };
  };
}

const paired = C.withDefaults({ token: "t0ken" });

test("saveToLibrary posts the page, the copy and the corrections with the token", async () => {
  const calls = [];
  const answer = await C.saveToLibrary(paired, { url: "https://news.example/a", html: "<p>x</p>", copy: "<html></html>", corrections: { n: 1 } },
    fakeFetch(201, { id: 7 }, calls));
  assert.deepEqual(answer, { ok: true, id: 7 });
  assert.equal(calls[0].url, "http://127.0.0.1:8765/v1/library");
  assert.equal(calls[0].init.method, "POST");
  assert.equal(calls[0].init.headers.Authorization, "Bearer t0ken");
  assert.deepEqual(JSON.parse(calls[0].init.body), { url: "https://news.example/a", html: "<p>x</p>", copy: "<html></html>", corrections: { n: 1 } });
});

test("saveToLibrary turns the library's errors into failures the overlay can show", async () => {
  const full = await C.saveToLibrary(paired, { url: "", html: "<p>x</p>" },
    fakeFetch(507, { error: "library_full", message: "The library is full." }, []));
  assert.equal(full.ok, false);
  assert.match(full.failure.message, /full/);
  const unpaired = await C.saveToLibrary(C.withDefaults({}), { html: "x" }, fakeFetch(201, { id: 1 }, []));
  assert.equal(unpaired.failure.kind, "not_paired");
  const nonsense = await C.saveToLibrary(paired, { html: "x" }, fakeFetch(201, { id: "seven" }, []));
  assert.equal(nonsense.ok, false);
});

test("libraryQuoted asks for the name, leaving out the article being read", async () => {
  const calls = [];
  const entries = [{ id: 1, day: "2025-11-27", quotes: [] }];
  const answer = await C.libraryQuoted(paired, "Sanae Takaichi", "https://news.example/a?x=1", fakeFetch(200, { entries }, calls));
  assert.deepEqual(answer, { ok: true, entries });
  const url = new URL(calls[0].url);
  assert.equal(url.pathname, "/v1/library/quoted");
  assert.equal(url.searchParams.get("name"), "Sanae Takaichi");
  assert.equal(url.searchParams.get("exclude_url"), "https://news.example/a?x=1");
  const refused = await C.libraryQuoted(paired, "X", "", fakeFetch(503, { error: "library_unavailable", message: "cannot be used" }, []));
  assert.equal(refused.ok, false);
});

test("the Markdown copy's footnotes carry the quoted words, the source, its category and the cue", () => {
  const S = require("../../extension/save.js");
  const { seedResult } = require("./seed.js");
  const result = seedResult();
  const md = S.buildMarkdown(result, "2026-01-02T03:04:05.000Z");
  const text = result.article.text;
  const footnotes = md.split("\n").filter((line) => /^\[\^\d+\]: /.test(line));
  assert.equal(footnotes.length, result.attributions.length);
  const byEntity = new Map(result.sources.map((s) => [s.id, s]));
  for (const a of result.attributions) {
    const words = text.slice(a.content[0], a.content[1]).replace(/\s+/g, " ").trim();
    const first = words.split(" ").slice(0, 3).join(" ");
    const line = footnotes.find((f) => f.includes(first.replace(/[\\`*_[\]<>|]/g, (c) => "\\" + c)));
    assert.ok(line, `no footnote quotes “${first}…”`);
    assert.ok(line.includes(byEntity.get(a.entity).name.replace(/[\\`*_[\]<>|]/g, (c) => "\\" + c)), line);
    assert.match(line, /cue “/);
  }
});
