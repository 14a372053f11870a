"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const E = require("../../extension/export.js");
const C = require("../../extension/corrections.js");
const { seedResult } = require("./seed.js");

/** A small RFC 4180 reader, to read back what toCsv wrote. */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 1; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") { row.push(cell); cell = ""; }
    else if (ch === "\r" && text[i + 1] === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; i += 1; }
    else cell += ch;
  }
  return rows;
}

test("CSV: a header and one row per attribution, with the article's own words", () => {
  const result = seedResult();
  const rows = parseCsv(E.toCsv(result));
  assert.deepEqual(rows[0], [...E.COLUMNS]);
  assert.equal(rows.length - 1, result.attributions.length);
  const text = result.article.text;
  for (const a of result.attributions) {
    const content = text.slice(...a.content);
    const row = rows.find((r) => r[4] === content);
    assert.ok(row, `no row for ${a.id}`);
    const entity = result.sources.find((s) => s.id === a.entity);
    assert.equal(row[0], entity.name);
    assert.equal(row[1], entity.category);
    assert.equal(row[3], text.slice(...a.cue));
    assert.equal(row[5], a.type);
    assert.equal(Number(row[6]), a.confidence);
    assert.equal(row[8], "");
  }
});

test("CSV cells that a spreadsheet would run as formulas are defused", () => {
  assert.equal(E.cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
  assert.equal(E.cell("-2"), "'-2");
  assert.equal(E.cell(-2), "-2");
  assert.equal(E.cell("a,b"), '"a,b"');
});

test("JSON and text exports carry corrections", () => {
  const result = seedResult();
  const anon = result.sources.find((s) => s.category === "anonymous");
  const corrected = C.apply(result, C.reassign(C.empty(), anon.mentions[0], { name: "Jane Roe", category: "person" }));
  const json = JSON.parse(E.toJson(corrected));
  assert.equal(json.attributions.length, result.attributions.length);
  const row = json.attributions.find((r) => r.id === anon.mentions[0]);
  assert.equal(row.source, "Jane Roe");
  assert.equal(row.category, "person");
  assert.match(row.corrected, /source changed from “two Japanese government sources”/);
  assert.equal(json.corrections, 1);
  const text = E.toText(corrected);
  assert.match(text, /^Jane Roe \(person\)/m);
  assert.match(text, /\[corrected\]/);
  assert.deepEqual(E.exportFiles(corrected, "csv").map((f) => f.filename),
                   ["trump-asked-takaichi-to-avoid-further-escalation-in-china-dispute-sources-say-sources.csv"]);
  assert.throws(() => E.exportFiles(corrected, "xls"));
});
