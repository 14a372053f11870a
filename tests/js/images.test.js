"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const I = require("../../extension/images.js");

const PNG = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);

function imageFetch(table, calls) {
  return async (url) => {
    calls.push(url);
    const entry = table[url];
    if (!entry) throw new TypeError("network error");
    return {
      ok: entry.status === undefined || entry.status === 200, status: entry.status || 200,
      headers: { get: (name) => ({ "content-type": entry.type, "content-length": String(entry.bytes.length) })[name.toLowerCase()] },
      arrayBuffer: async () => entry.bytes.buffer,
    };
  };
}

test("images from allowed sites are embedded; the rest become placeholders with alt and link", async () => {
  const html = '<p>a</p><img src="https://img.example/a.png" alt="A map" srcset="https://img.example/a2.png 2x">' +
    '<img src="https://other.example/b.png" alt="B &amp; C"><img src="https://img.example/missing.png" alt="gone">' +
    '<img src="https://img.example/page.html" alt="not an image">';
  const calls = [];
  const fetchImpl = imageFetch({
    "https://img.example/a.png": { type: "image/png", bytes: PNG },
    "https://img.example/page.html": { type: "text/html", bytes: PNG },
  }, calls);
  const allowed = async (origins) => origins.every((o) => o === "https://img.example/*");
  const out = await I.embed(html, { fetchImpl, allowed });
  assert.equal(out.embedded, 1);
  assert.equal(out.missing, 3);
  assert.match(out.html, /<img src="data:image\/png;base64,iVBORw0KGgo[^"]*" alt="A map">/);
  assert.doesNotMatch(out.html, /srcset|src="https:/);
  assert.ok(out.html.includes('<a class="sl-image-missing" href="https://other.example/b.png" rel="noopener noreferrer">[Image: B &amp; C]</a>'));
  assert.ok(!calls.includes("https://other.example/b.png"), "a site not allowed is never fetched");
});

test("the budget and the size limit hold; permission patterns are per site", async () => {
  assert.deepEqual(I.originPatterns(["https://a.example/x.png?y", "http://a.example/z", "https://a.example/q"]),
    ["https://a.example/*", "http://a.example/*"]);
  const big = new Uint8Array(I.MAX_IMAGE_BYTES + 1);
  const out = await I.embed('<img src="https://a.example/big.png">', {
    fetchImpl: imageFetch({ "https://a.example/big.png": { type: "image/png", bytes: big } }, []),
    allowed: async () => true,
  });
  assert.equal(out.embedded, 0);
  assert.match(out.html, /sl-image-missing/);
  assert.equal(await I.requestPermission({}, '<img src="https://a.example/x.png">'), false);
  const asked = [];
  const granted = await I.requestPermission({ permissions: { request: async (p) => { asked.push(p); return true; } } },
    '<img src="https://a.example/x.png"><img src="https://b.example/y.png">');
  assert.equal(granted, true);
  assert.deepEqual(asked, [{ origins: ["https://a.example/*", "https://b.example/*"] }]);
});
