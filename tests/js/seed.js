// The seed page's result, as the real service pipeline produces it (`sourcelight clean`), for
// the tests of the pure extension code. Computed once per test file.
"use strict";
const { execFileSync } = require("node:child_process");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const SEED = path.resolve(ROOT, "..", "shared", "corpus", "seed", "trump-takaichi.html");
const SEED_URL = "https://japannews.example/news/politics/20251127-trump-takaichi/";

let cached = null;

function seedResult() {
  if (!cached) {
    const bin = process.env.SOURCELIGHT_BIN || path.join(ROOT, ".venv", "bin", "sourcelight");
    const out = execFileSync(bin, ["clean", SEED, "--url", SEED_URL], { encoding: "utf8", maxBuffer: 1 << 26 });
    cached = JSON.parse(out);
  }
  return structuredClone(cached);
}

function seedExpected() {
  return require(path.resolve(ROOT, "..", "shared", "corpus", "seed", "trump-takaichi.expected.json"));
}

module.exports = { seedResult, seedExpected, ROOT };
