// Fixtures built from the real seed answer: the same result with some attributions turned into
// candidates (as the service's `candidates`: same shape, not marked in article.html).
"use strict";
const { seedResult } = require("./seed.js");

/** The seed result with the attributions `ids` moved to `candidates` and unmarked in the HTML. */
function withCandidates(ids) {
  const result = seedResult();
  const moving = new Set(ids);
  const kept = [];
  const candidates = result.candidates ? [...result.candidates] : [];
  for (const a of result.attributions) {
    if (moving.has(a.id)) candidates.push({ ...a, id: `c${candidates.length + 1}`, confidence: 0.5, evidence: ["cue:weak"] });
    else kept.push(a);
  }
  result.attributions = kept;
  result.candidates = candidates;
  for (const id of ids) {
    result.article.html = result.article.html.replace(new RegExp(`<mark class="[^"]*" data-attr="${id}"[^>]*>([\\s\\S]*?)</mark>`, "g"), "$1");
  }
  for (const source of result.sources) {
    source.candidate_mentions = source.mentions.filter((m) => moving.has(m)).map((m) => candidates.find((c) => c.entity === source.id).id);
    source.mentions = source.mentions.filter((m) => !moving.has(m));
  }
  return result;
}

module.exports = { withCandidates };
