/* Sourcelight: between the service's text offsets and the rendered article.
 *
 * Spans in the service's answer are [start, end) offsets into `article.text`, which the
 * service builds from the same HTML the overlay renders, but with its own whitespace (blank
 * lines between paragraphs, list numbers). Marked attributions come as <mark> elements in
 * `article.html`; candidates and the reader's own attributions do not, so the overlay places
 * them itself. Both texts hold the same non-space characters in the same order (near enough:
 * list numbers aside), so a span is carried over by its non-space characters: the same
 * characters, at the occurrence nearest the same relative position. The reverse (a reader's
 * selection in the article -> offsets into `article.text`) is the same walk the other way.
 *
 * The string functions are pure (Node's test runner loads them); `textNodes` and `wrapRange`
 * work on a DOM.
 */
(function (root) {
  "use strict";

  const SPACE = /\s/;
  // A span longer than this is not looked for (a whole article is never one attribution).
  const MAX_SPAN_CHARS = 20000;
  // Occurrences looked at when a span's characters repeat (e.g. "he said").
  const MAX_OCCURRENCES = 500;

  /** The non-space characters of `text` and, for each, its offset in `text`. */
  function squeeze(text) {
    let chars = "";
    const at = [];
    for (let i = 0; i < text.length; i += 1) {
      const ch = text[i];
      if (!SPACE.test(ch)) {
        chars += ch;
        at.push(i);
      }
    }
    return { chars, at };
  }

  /** How many non-space characters of `text` come before `offset`. */
  function squeezedOffset(squeezed, offset) {
    let lo = 0;
    let hi = squeezed.at.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (squeezed.at[mid] < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Carry the span [start, end) of `fromText` over to `toText`: the offsets in `toText` of the
   * same non-space characters, at the occurrence nearest the same relative place; null when
   * the characters are not there (or the span is empty or bad).
   * `from` and `to` may be given pre-squeezed ({chars, at}) to save work over many spans.
   */
  function carrySpan(fromText, span, toText, from, to) {
    if (!Array.isArray(span) || span.length !== 2) return null;
    const [start, end] = span;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) return null;
    if (end > fromText.length || end - start > MAX_SPAN_CHARS) return null;
    const a = from || squeeze(fromText);
    const b = to || squeeze(toText);
    const s = squeezedOffset(a, start);
    const e = squeezedOffset(a, end);
    const needle = a.chars.slice(s, e);
    if (!needle) return null;
    const expected = a.chars.length ? (s / a.chars.length) * b.chars.length : 0;
    let best = -1;
    let seen = 0;
    for (let k = b.chars.indexOf(needle); k !== -1 && seen < MAX_OCCURRENCES; k = b.chars.indexOf(needle, k + 1)) {
      if (best === -1 || Math.abs(k - expected) < Math.abs(best - expected)) best = k;
      seen += 1;
    }
    if (best === -1) return null;
    return [b.at[best], b.at[best + needle.length - 1] + 1];
  }

  // ------------------------------------------------------------------ DOM
  /** The text nodes under `rootNode` with their start offsets in the joined text. */
  function textNodes(rootNode) {
    const doc = rootNode.ownerDocument;
    const walker = doc.createTreeWalker(rootNode, 4 /* NodeFilter.SHOW_TEXT */);
    const nodes = [];
    let text = "";
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push({ node, start: text.length });
      text += node.data;
    }
    return { nodes, text };
  }

  /**
   * Wrap the joined-text range [start, end) under `rootNode` in elements made by `make()`,
   * one per text node it crosses (marks never cross element boundaries). Returns them.
   */
  function wrapRange(rootNode, range, make) {
    const { nodes } = textNodes(rootNode);
    const [start, end] = range;
    const made = [];
    for (const { node, start: at } of nodes) {
      const length = node.data.length; // before any split shortens the node
      const from = Math.max(start, at);
      const to = Math.min(end, at + length);
      if (to <= from || !node.data.slice(from - at, to - at).trim()) continue;
      let piece = node;
      if (from > at) piece = piece.splitText(from - at);
      if (to < at + length) piece.splitText(to - from);
      const wrapper = make();
      piece.parentNode.insertBefore(wrapper, piece);
      wrapper.append(piece);
      made.push(wrapper);
    }
    return made;
  }

  /** The joined-text offsets of a DOM Range inside `rootNode`, or null when it is outside. */
  function rangeOffsets(rootNode, domRange) {
    const { nodes } = textNodes(rootNode);
    const offsetOf = (container, offset) => {
      if (container.nodeType === 3) {
        const found = nodes.find((n) => n.node === container);
        return found ? found.start + offset : null;
      }
      // An element boundary: the first text node at or after it.
      const child = container.childNodes[offset];
      const doc = rootNode.ownerDocument;
      for (const n of nodes) {
        if (!child) {
          if (container.contains(n.node)) continue;
          if (n.node.compareDocumentPosition(container) & 2 /* PRECEDING */) return n.start;
        } else if (child === n.node || child.contains(n.node) ||
                   (child.compareDocumentPosition(n.node) & 4 /* FOLLOWING */)) {
          return n.start;
        }
      }
      return doc && nodes.length ? nodes[nodes.length - 1].start + nodes[nodes.length - 1].node.data.length : null;
    };
    if (!rootNode.contains(domRange.startContainer) || !rootNode.contains(domRange.endContainer)) return null;
    const start = offsetOf(domRange.startContainer, domRange.startOffset);
    const end = offsetOf(domRange.endContainer, domRange.endOffset);
    return start === null || end === null || end <= start ? null : [start, end];
  }

  const api = Object.freeze({ squeeze, carrySpan, textNodes, wrapRange, rangeOffsets, MAX_SPAN_CHARS });
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.SLAnchor = api;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
