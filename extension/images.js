/* Sourcelight: the saved copy's images, embedded so it reads the same offline and years later.
 *
 * The article HTML is the service's sanitised markup (nh3: attributes double-quoted and
 * escaped), so its <img> tags are found with a pattern, not a parser (the background service
 * worker has no DOM). An image is fetched only from a site the reader let the extension read
 * (optional host permission, asked for on the Save click, never held from install), within a
 * size budget; it becomes a data: URI. An image that cannot be had (no permission, an error,
 * too large, over the budget) becomes a placeholder with its alt text and its original link, so
 * the copy never loads anything from the network (its CSP allows data: images only).
 */
(function (root) {
  "use strict";

  const MAX_IMAGE_BYTES = 3 * 1024 * 1024;
  // Below the library's copy limit (Settings.library_max_copy_bytes, 12 MiB) with base64's 4/3.
  const MAX_TOTAL_BYTES = 8 * 1024 * 1024;
  const MAX_IMAGES = 80;
  const FETCH_TIMEOUT_MS = 10000;
  const IMAGE_TYPES = /^image\/(png|jpeg|gif|webp|avif|svg\+xml|bmp|x-icon)$/;
  const IMG_TAG = /<img\b[^>]*>/gi;

  function unescapeHtml(text) {
    return text.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (m, name) =>
      ({ amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", "#x27": "'" })[name]);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (ch) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
  }

  /** The value of attribute `name` in one tag, unescaped, or null. */
  function attribute(tag, name) {
    const match = tag.match(new RegExp(`\\s${name}="([^"]*)"`, "i"));
    return match ? unescapeHtml(match[1]) : null;
  }

  function isHttp(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url);
  }

  /** The distinct http(s) image addresses of `html`, in order. */
  function imageUrls(html) {
    const urls = [];
    for (const tag of String(html || "").match(IMG_TAG) || []) {
      const src = attribute(tag, "src");
      if (isHttp(src) && !urls.includes(src)) urls.push(src);
    }
    return urls.slice(0, MAX_IMAGES);
  }

  /** Host permission patterns for these addresses ("https://host/*"). */
  function originPatterns(urls) {
    const patterns = new Set();
    for (const url of urls) {
      try {
        const parsed = new URL(url);
        patterns.add(`${parsed.protocol}//${parsed.hostname}/*`);
      } catch (error) {
        /* not an address */
      }
    }
    return [...patterns];
  }

  /**
   * Ask for the sites the article's images come from (the Save click is the user gesture that
   * lets the browser ask). Resolves to true/false; never rejects.
   */
  function requestPermission(ext, html) {
    const origins = originPatterns(imageUrls(html));
    if (!origins.length || !ext || !ext.permissions || typeof ext.permissions.request !== "function") {
      return Promise.resolve(false);
    }
    try {
      return Promise.resolve(ext.permissions.request({ origins })).then(Boolean, () => false);
    } catch (error) {
      return Promise.resolve(false);
    }
  }

  /** bytes -> base64 without a DOM (the service worker has btoa but no FileReader). */
  function base64(bytes) {
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  /** One image as a data: URI, or null (an error, not an image, too large). */
  async function fetchAsDataUri(url, fetchImpl, budget) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    try {
      const response = await fetchImpl(url, { credentials: "omit", referrerPolicy: "no-referrer", signal: controller.signal });
      const type = (response.headers.get("content-type") || "").split(";")[0].trim().toLowerCase();
      const declared = Number(response.headers.get("content-length") || 0);
      if (!response.ok || !IMAGE_TYPES.test(type) || declared > Math.min(MAX_IMAGE_BYTES, budget)) return null;
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > Math.min(MAX_IMAGE_BYTES, budget)) return null;
      return { uri: `data:${type};base64,${base64(bytes)}`, size: bytes.length };
    } catch (error) {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /** What a missing image leaves: its alt text and a link to where it was. */
  function placeholder(src, alt) {
    const label = alt ? `Image: ${alt}` : "Image";
    return isHttp(src)
      ? `<a class="sl-image-missing" href="${escapeHtml(src)}" rel="noopener noreferrer">[${escapeHtml(label)}]</a>`
      : `<span class="sl-image-missing">[${escapeHtml(label)}]</span>`;
  }

  /**
   * `html` with its images embedded. `allowed(patterns)` says whether the extension may read
   * those sites (permissions.contains). Resolves to {html, embedded, missing}.
   */
  async function embed(html, { fetchImpl, allowed }) {
    const source = String(html || "");
    const urls = imageUrls(source);
    const uris = new Map();
    let budget = MAX_TOTAL_BYTES;
    for (const url of urls) {
      let permitted = false;
      try {
        permitted = await allowed(originPatterns([url]));
      } catch (error) {
        permitted = false;
      }
      if (!permitted || budget <= 0) continue;
      const image = await fetchAsDataUri(url, fetchImpl, budget);
      if (image) {
        uris.set(url, image.uri);
        budget -= image.size;
      }
    }
    let embedded = 0;
    let missing = 0;
    const out = source.replace(IMG_TAG, (tag) => {
      const src = attribute(tag, "src");
      if (src && src.startsWith("data:image/")) return tag;
      const uri = src && uris.get(src);
      if (!uri) {
        missing += 1;
        return placeholder(src, attribute(tag, "alt"));
      }
      embedded += 1;
      // srcset would point back at the network; the embedded src is the copy's image.
      return tag.replace(/\s(srcset|sizes)="[^"]*"/gi, "").replace(/\ssrc="[^"]*"/i, ` src="${uri}"`);
    });
    return { html: out, embedded, missing };
  }

  const api = Object.freeze({ MAX_IMAGE_BYTES, MAX_TOTAL_BYTES, imageUrls, originPatterns, requestPermission, embed, placeholder });
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.SLImages = api;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
