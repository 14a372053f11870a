"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const S = require("../../extension/save.js");
const { seedResult, seedExpected } = require("./seed.js");

const SAVED_AT = "2026-01-02T03:04:05.000Z";

test("the HTML copy has the article, sources and links, and no script at all", () => {
  const result = seedResult();
  const html = S.buildHtml(result, SAVED_AT);
  assert.doesNotMatch(html, /<script|javascript:|\son[a-z]+\s*=/i);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
  assert.ok(html.includes(result.article.html));
  for (const source of result.sources) assert.ok(html.includes(`mark[data-entity="${source.id}"]`));
  assert.equal((html.match(/<li><span class="badge cat-/g) || []).length, result.sources.length + result.links.length);
  assert.ok(html.includes("requested anonymity due to the sensitivity of the matter"));
  assert.ok(html.includes(`<a href="https://wsj.example/world/asia/trump-takaichi-call" rel="noopener noreferrer">Wall Street Journal</a>`));
  assert.ok(html.includes(SAVED_AT));
});

test("hostile metadata is escaped in the HTML copy; bad ids and URLs are left out", () => {
  const result = seedResult();
  result.article.title = `</title><script>alert(1)</script>`;
  result.article.byline = `"><img src=x onerror=alert(1)>`;
  result.article.url = "javascript:alert(1)";
  result.sources.push({ id: 'e9"] { } body { display:none } [x="', name: "<b>x</b>", category: "person", mentions: [] });
  result.links.push({ href: "javascript:alert(1)", text: "bad", kind: "other" });
  const html = S.buildHtml(result, SAVED_AT);
  assert.doesNotMatch(html, /<script|javascript:|<img src=x/i);
  assert.ok(html.includes("&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
  assert.ok(!html.includes("body { display:none }"));
  assert.ok(html.includes("&lt;b&gt;x&lt;/b&gt;"));
});

test("the Markdown copy: front matter, title, the whole text, one footnote per attribution", () => {
  const result = seedResult();
  const expected = seedExpected();
  const md = S.buildMarkdown(result, SAVED_AT);
  const [, front, body] = md.split("---\n");
  assert.match(front, new RegExp(`^title: ${JSON.stringify(expected.metadata.title).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"));
  assert.match(front, /^url: "https:\/\/japannews\.example\/news\/politics\/20251127-trump-takaichi\/"$/m);
  assert.match(front, /^published: "2025-11-27T10:51:00\+09:00"$/m);
  assert.match(front, /^site: "The Japan News"$/m);
  assert.match(front, /^lang: "en"$/m);
  assert.match(front, /^dateline: "TOKYO"$/m);
  assert.match(front, /^wire_service: "Reuters"$/m);
  assert.equal((front.match(/^ {2}- name: /gm) || []).length, result.sources.length);
  assert.ok(!/^byline:/m.test(front), "an empty byline is left out");
  assert.ok(body.trimStart().startsWith(`# ${expected.metadata.title}`));
  const definitions = [...body.matchAll(/^\[\^(\d+)\]: (.*)$/gm)];
  assert.equal(definitions.length, result.attributions.length);
  const labels = definitions.map((d) => Number(d[1]));
  assert.deepEqual(labels, labels.map((_, i) => i + 1));
  // With footnote marks and escapes taken out, the text is the article's, paragraph for paragraph.
  const text = body
    .split("\n\n## Cited links")[0]
    .trimStart()
    .replace(/^# .*\n\n/, "")
    .replace(/\[\^\d+\]/g, "")
    .replace(/\\(.)/g, "$1")
    .trim();
  assert.equal(text, result.article.text.trim());
});

test("each footnote mark sits right after the attribution it explains", () => {
  const result = seedResult();
  const md = S.buildMarkdown(result, SAVED_AT);
  const first = result.attributions.find((a) => a.entity === result.sources[0].id);
  const end = Math.max(first.source[1], first.cue[1], first.content[1]);
  const before = result.article.text.slice(end - 20, end);
  const at = md.indexOf(before);
  assert.ok(at > 0);
  assert.match(md.slice(at + before.length, at + before.length + 6), /^\[\^\d+\]/);
});

test("Markdown escapes text that would become markup", () => {
  const result = {
    article: { title: "# Not *bold*", text: "1. not a list\n\n> not a quote with [link](x) and <b>tag</b>", html: "" },
    sources: [], attributions: [], links: [], summary: {},
  };
  const md = S.buildMarkdown(result, SAVED_AT);
  assert.ok(md.includes("# \\# Not \\*bold\\*"));
  assert.ok(md.includes("1\\. not a list"));
  assert.ok(md.includes("\\> not a quote with \\[link\\](x) and \\<b\\>tag\\</b\\>"));
  assert.match(md, /^sources: \[\]$/m);
});

test("both files are named from the title", () => {
  const files = S.cleanCopyFiles(seedResult(), SAVED_AT);
  const stem = "trump-asked-takaichi-to-avoid-further-escalation-in-china-dispute-sources-say";
  assert.deepEqual(files.map((f) => [f.filename, f.mime]), [[`${stem}.html`, "text/html"], [`${stem}.md`, "text/markdown"]]);
});

test("downloadUrl gives a data: URL that decodes to the UTF-8 content where there is no createObjectURL", () => {
  const saved = URL.createObjectURL;
  URL.createObjectURL = undefined;
  try {
    const { url } = S.downloadUrl("Straße – 東京 “quoted”", "text/markdown");
    assert.ok(url.startsWith("data:text/markdown;charset=utf-8;base64,"));
    assert.equal(Buffer.from(url.split(",")[1], "base64").toString("utf8"), "Straße – 東京 “quoted”");
  } finally {
    URL.createObjectURL = saved;
  }
});

// Windows (and Chrome's download checks on every platform) refuse these base names whatever
// follows the first dot; a name must not end in a dot or a space either.
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

test("saved file names are never a Windows device name, nor end in a dot or space", () => {
  const titles = ["CON", "aux", "Nul.", " prn ", "COM1", "lpt9", "LPT¹", "com0...", "AUX: the report", "Con"];
  for (const title of titles) {
    const result = seedResult();
    result.article.title = title;
    for (const file of S.cleanCopyFiles(result, SAVED_AT)) {
      const base = file.filename.split(".")[0];
      assert.doesNotMatch(base, WINDOWS_DEVICE, `${JSON.stringify(title)} gave ${file.filename}`);
      assert.doesNotMatch(file.filename, /[. ]$/);
      assert.ok(base.length > 0);
    }
  }
  // A title that only starts with a device name keeps its own name.
  const result = seedResult();
  result.article.title = "AUX: the report";
  assert.equal(S.cleanCopyFiles(result, SAVED_AT)[0].filename, "aux-the-report.html");
});

test("front matter holds no character YAML refuses raw (C0, DEL, C1, U+FFFE/FFFF, lone surrogates)", () => {
  const result = seedResult();
  const hostile = "A\u0080B\u0085C\u009fD\u007fE\u0000F\u0007\ufffeG\uffff\ud800H\"I\\J\nK: - # L";
  result.article.title = hostile;
  result.article.byline = "x\u0081";
  result.sources[0].name = "Name\u009b[1m";
  const md = S.buildMarkdown(result, SAVED_AT);
  const front = md.split("---\n")[1];
  assert.doesNotMatch(front, /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/);
  // Lone surrogates never appear raw either (a YAML file must be valid UTF-8).
  assert.ok(front.isWellFormed());
  // YAML's double-quoted escapes are JSON's: each value reads back as it was.
  const value = (key) => JSON.parse(front.match(new RegExp(`^\\s*(?:- )?${key}: (".*")$`, "m"))[1]);
  assert.equal(value("title"), hostile);
  assert.equal(value("byline"), "x\u0081");
  assert.equal(value("name"), "Name\u009b[1m");
});
