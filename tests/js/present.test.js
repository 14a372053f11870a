"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const P = require("../../extension/present.js");
const { seedResult, seedExpected } = require("./seed.js");

test("summary line of the seed page names sources, anonymous mentions and categories", () => {
  const result = seedResult();
  const line = P.summaryLine(result.summary, result.sources);
  const expected = seedExpected();
  const count = (cat) => expected.entities.filter((e) => e.category === cat).length;
  assert.equal(
    line,
    `${expected.entities.length} sources · 3 anonymous mentions · ${count("person")} people · ` +
      `${count("organization")} organizations · ${count("media")} media`
  );
});

test("summary line counts the sources itself when the service gives no summary", () => {
  const sources = [
    { id: "e1", category: "anonymous", mentions: ["a1", "a2"] },
    { id: "e2", category: "document", mentions: ["a3"] },
    { id: "e3", category: "media", mentions: ["a4"] },
    { id: "e4", category: "media", mentions: ["a5"] },
    { id: "e5", category: "made-up", mentions: ["a6"] },
  ];
  assert.equal(P.summaryLine(undefined, sources), "5 sources · 2 anonymous mentions · 2 media · 1 document · 1 unknown");
  assert.equal(P.summaryLine({ sources: 1, by_category: { person: 1 }, anonymous_mentions: 0 }, []), "1 source · 1 person");
  assert.equal(P.summaryLine({ sources: 0 }, []), "No attributed sources found");
  assert.equal(P.summaryLine(null, null), "No attributed sources found");
});

test("file stems come from the title, in any script, cut at a word", () => {
  assert.equal(
    P.fileStem("Trump Asked Takaichi to Avoid Further Escalation in China Dispute, Sources Say"),
    "trump-asked-takaichi-to-avoid-further-escalation-in-china-dispute-sources-say"
  );
  assert.equal(P.fileStem("高市首相、トランプ氏と電話会談"), "高市首相-トランプ氏と電話会談");
  assert.equal(P.fileStem("Ärger über „Straßen“: 5 Fragen"), "ärger-über-straßen-5-fragen");
  assert.equal(P.fileStem('../../etc/passwd <script>:"*?'), "etc-passwd-script");
  assert.equal(P.fileStem("Don’t panic"), "dont-panic");
  const long = P.fileStem("word ".repeat(40));
  assert.ok(long.length <= 80 && !long.endsWith("-") && long.startsWith("word-word"));
  assert.equal(P.fileStem("", "https://example.com/news/2025/big-story.html"), "big-story");
  assert.equal(P.fileStem("...", "not a url"), "article");
  assert.equal(P.fileStem(null, undefined), "article");
});

test("attribution details carry name, category, cue and the anonymity reason", () => {
  const result = seedResult();
  const details = P.attributionDetails(result);
  assert.equal(details.size, result.attributions.length);
  const first = result.attributions[0];
  const d = details.get(first.id);
  const entity = result.sources.find((s) => s.id === first.entity);
  assert.equal(d.name, entity.name);
  assert.equal(d.category, entity.category);
  assert.equal(d.cue, result.article.text.slice(first.cue[0], first.cue[1]));
  assert.equal(d.reason, entity.category === "anonymous" ? entity.anonymity_reason : "");
  for (const detail of details.values()) {
    if (detail.category !== "anonymous") assert.equal(detail.reason, "");
    assert.ok(detail.end > 0 && detail.end <= result.article.text.length);
  }
});

test("spans outside the text or malformed read as empty", () => {
  assert.equal(P.spanText("abcdef", [1, 3]), "bc");
  assert.equal(P.spanText("abcdef", [3, 1]), "");
  assert.equal(P.spanText("abcdef", [-1, 2]), "");
  assert.equal(P.spanText("abcdef", ["1", 2]), "");
  assert.equal(P.spanText("abcdef", null), "");
});

test("metadata parts: dateline and wire together, language by name, empty fields left out", () => {
  const parts = P.metadataParts(seedResult().article, "en");
  const byKey = Object.fromEntries(parts.map((p) => [p.key, p.text]));
  assert.equal(byKey.dateline, "TOKYO · Reuters");
  assert.equal(byKey.lang, "English");
  assert.equal(byKey.site, "The Japan News");
  assert.match(byKey.published, /2025/);
  assert.ok(!("byline" in byKey));
  assert.deepEqual(P.metadataParts({}, "en"), []);
  assert.equal(P.formatPublished("not a date"), "not a date");
  assert.equal(P.formatPublished("2025-11-27", "en-GB"), "27 November 2025");
});

test("escapeHtml escapes every character that matters in text and attributes", () => {
  assert.equal(P.escapeHtml(`<a href="x" onclick='y'>&</a>`), "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  assert.equal(P.escapeHtml(null), "");
});
