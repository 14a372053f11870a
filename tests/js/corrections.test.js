"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const C = require("../../extension/corrections.js");
const A = require("../../extension/anchor.js");
const P = require("../../extension/present.js");
const S = require("../../extension/save.js");
const { seedResult } = require("./seed.js");
const { withCandidates } = require("./fixtures.js");

test("confidence is said in words, from one table", () => {
  assert.equal(P.confidenceWord(0.95), "very likely");
  assert.equal(P.confidenceWord(0.85), "very likely");
  assert.equal(P.confidenceWord(0.84), "likely");
  assert.equal(P.confidenceWord(0.7), "likely");
  assert.equal(P.confidenceWord(0.69), "possible");
  assert.equal(P.confidenceWord(0.5), "possible");
  assert.equal(P.confidenceWord(0.49), "doubtful");
  assert.equal(P.confidenceWord(0), "doubtful");
  assert.equal(P.confidenceWord(1.5), "very likely");
  assert.equal(P.confidenceWord(null), "");
  assert.equal(P.confidenceWord(NaN), "");
});

test("a span of article.text is found again in differently spaced text", () => {
  const text = "He said it.\n\nShe said it too, said Ann.\n\n1. She said it.";
  const dom = "He said it.She said it too, said Ann.She said it.";
  const span = [text.indexOf("She said it too"), text.indexOf("She said it too") + "She said it".length];
  const [s, e] = A.carrySpan(text, span, dom);
  assert.equal(dom.slice(s, e), "She said it");
  assert.equal(s, dom.indexOf("She said it")); // the nearest of two occurrences
  const last = text.lastIndexOf("She said it");
  const [s2] = A.carrySpan(text, [last, last + 11], dom);
  assert.equal(s2, dom.lastIndexOf("She said it"));
  assert.equal(A.carrySpan(text, [3, 3], dom), null);
  assert.equal(A.carrySpan(text, [0, 9999], dom), null);
  assert.equal(A.carrySpan("abc xyz", [4, 7], "abc"), null);
});

test("every seed attribution's content is found in the rendered text", () => {
  const result = seedResult();
  const domText = result.article.html.replace(/<[^>]+>/g, "").replace(/&amp;/g, "&").replace(/&#39;|&quot;|&lt;|&gt;/g, "x");
  for (const a of result.attributions) {
    const span = A.carrySpan(result.article.text, a.content, domText);
    assert.ok(span, a.id);
    const want = result.article.text.slice(...a.content).replace(/\s+/g, "");
    assert.equal(domText.slice(...span).replace(/\s+/g, ""), want);
  }
});

test("hide, reassign, rename, recategorize, merge, split and add give the corrected result", () => {
  const result = seedResult();
  const [first, second] = result.sources.filter((s) => s.mentions.length >= 1);
  const anon = result.sources.find((s) => s.category === "anonymous");
  let c = C.empty();
  c = C.hide(c, anon.mentions[0]);
  c = C.rename(c, second.id, "Renamed Person");
  c = C.recategorize(c, second.id, "organization");
  let out = C.apply(result, c);
  assert.ok(!out.attributions.some((a) => a.id === anon.mentions[0]));
  assert.equal(out.corrections.hidden.length, 1);
  const renamed = out.sources.find((s) => s.id === second.id);
  assert.equal(renamed.name, "Renamed Person");
  assert.equal(renamed.category, "organization");
  assert.match(renamed.corrected, /renamed from/);
  assert.equal(out.summary.anonymous_mentions, result.summary.anonymous_mentions - 1);

  // Merge: the card goes, its mentions join the other card.
  const third = result.sources.find((s) => s.id !== first.id && s.id !== second.id && s.mentions.length);
  c = C.merge(c, third.id, second.id);
  out = C.apply(result, c);
  assert.ok(!out.sources.some((s) => s.id === third.id));
  assert.deepEqual(new Set(out.sources.find((s) => s.id === second.id).mentions), new Set([...second.mentions, ...third.mentions]));
  assert.equal(out.summary.sources, result.summary.sources - 1);
  assert.equal(C.merge(c, second.id, third.id).merged[second.id], undefined, "no merge loop");

  // Reassign to a typed name (a new card), and split one mention off a card.
  const moved = anon.mentions[1];
  c = C.reassign(c, moved, { name: "Ministry of Defence", category: "organization" });
  out = C.apply(result, c);
  const created = out.sources.find((s) => s.name === "Ministry of Defence");
  assert.deepEqual(created.mentions, [moved]);
  assert.match(out.attributions.find((a) => a.id === moved).corrected, /source changed from/);
  c = C.split(c, [anon.mentions[2]], "Another official", "anonymous");
  out = C.apply(result, c);
  assert.deepEqual(out.sources.find((s) => s.name === "Another official").mentions, [anon.mentions[2]]);
  assert.ok(!out.sources.some((s) => s.id === anon.id), "a card with every mention gone is gone");

  // A missed attribution, as offsets into article.text.
  const text = result.article.text;
  const at = text.indexOf("That drew a furious response");
  c = C.addAttribution(c, [at, at + 28], first.id);
  out = C.apply(result, c);
  const added = out.attributions.find((a) => a.corrected === "added by the reader");
  assert.equal(P.spanText(text, added.content), "That drew a furious response");
  assert.ok(out.sources.find((s) => s.id === first.id).mentions.includes(added.id));
  assert.equal(C.describe(out).length >= 5, true);
});

test("stored corrections are checked, bounded per page and by page count", () => {
  const bad = C.normalize({ hidden: ["a1", "<x>", "a1"], moved: { a2: "e1", "a b": "e2" }, renamed: { e1: "  x  " },
                            category: { e1: "alien" }, added: [{ id: "u1", entity: "e1", content: [5, 2] }], extra: 1 });
  assert.deepEqual(bad.hidden, ["a1"]);
  assert.deepEqual(bad.moved, { a2: "e1" });
  assert.deepEqual(bad.renamed, { e1: "x" });
  assert.deepEqual(bad.category, {});
  assert.deepEqual(bad.added, []);
  let store = {};
  for (let i = 0; i < C.MAX_PAGES + 5; i += 1) store = C.withPage(store, `https://x.example/${i}`, C.hide(C.empty(), "a1"), i);
  assert.equal(Object.keys(store).length, C.MAX_PAGES);
  assert.ok(!store["https://x.example/0"] && store[`https://x.example/${C.MAX_PAGES + 4}`]);
  assert.deepEqual(C.forPage(store, `https://x.example/${C.MAX_PAGES}`).hidden, ["a1"]);
  store = C.withPage(store, `https://x.example/${C.MAX_PAGES}`, C.empty(), 1e9);
  assert.equal(store[`https://x.example/${C.MAX_PAGES}`], undefined, "no corrections, no entry");
});

test("candidates are details only on request; entities of candidates only keep them apart", () => {
  const result = withCandidates(["a2"]);
  assert.ok(!P.attributionDetails(result).has("c1"));
  const d = P.attributionDetails(result, { candidates: true }).get("c1");
  assert.equal(d.candidate, true);
  assert.equal(d.sureness, "possible"); // the fixture's candidates are at 0.5
  const out = C.apply(result, C.empty());
  const holder = out.sources.find((s) => s.candidate_mentions.includes("c1"));
  assert.ok(holder);
});

test("the saved copy says which marks the reader corrected", () => {
  const result = seedResult();
  const anon = result.sources.find((s) => s.category === "anonymous");
  let c = C.hide(C.empty(), anon.mentions[0]);
  c = C.reassign(c, anon.mentions[1], { name: "A named official", category: "person" });
  const corrected = C.apply(result, c);
  const html = S.buildHtml(corrected, "2026-01-01T00:00:00Z");
  assert.match(html, /<h2>Reader's corrections<\/h2>/);
  assert.ok(html.includes("A named official"));
  assert.match(html, /Mark removed: /);
  const md = S.buildMarkdown(corrected, "2026-01-01T00:00:00Z");
  assert.match(md, /^reader_corrections: 2$/m);
  assert.match(md, /## Reader's corrections/);
  assert.match(md, /corrected by the reader: source changed from/);
  assert.equal((md.match(/^\[\^\d+\]: /gm) || []).length, result.attributions.length - 1);
  // Nothing corrected: no section at all.
  assert.doesNotMatch(S.buildHtml(C.apply(result, C.empty()), "x"), /Reader's corrections/);
});
