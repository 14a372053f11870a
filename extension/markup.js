/* Sourcelight overlay: the article's markup in and out. In: the service's sanitised HTML,
 * parsed inert and copied element by element through the same allowlist as the service's nh3
 * cleaner (defence in depth: the extension page's CSP forbids inline script anyway). Marks:
 * the service's marks as the reader corrected them, and the marks the service did not put in
 * the HTML (candidates, the reader's additions), placed from their text offsets. Out: the
 * corrected article for the saved copy, with the overlay's own attributes taken off.
 */
(function (root) {
  "use strict";

  const A = root.SLAnchor;

  // The same allowlist as the service's nh3 cleaner (server/sourcelight/render.py).
  const ALLOWED_TAGS = new Set([
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
  ]);
  const ALLOWED_ATTRIBUTES = {
    "*": ["lang", "dir", "title"],
    a: ["href"], img: ["src", "alt", "width", "height"], td: ["colspan", "rowspan"],
    th: ["colspan", "rowspan", "scope"], ol: ["start", "reversed"], time: ["datetime"],
    q: ["cite"], blockquote: ["cite"], mark: ["data-attr", "data-entity"],
  };
  const URL_ATTRIBUTES = new Set(["href", "src", "cite"]);
  const MARK_CLASSES = new Set(["sl-source", "sl-cue", "sl-content"]);
  // Classes the overlay itself gives marks; kept when the corrected article is saved.
  const SAVED_MARK_CLASSES = new Set(["sl-source", "sl-cue", "sl-content", "sl-corrected"]);
  const ID_VALUE = /^[A-Za-z0-9_-]{1,40}$/;
  const SAFE_URL = /^(https?:|mailto:)/i;

  /** Copy sanitised markup into `target` through the allowlist, without ever running it. */
  function importMarkup(markup, target) {
    const parsed = new DOMParser().parseFromString(String(markup || ""), "text/html");
    copyChildren(parsed.body, target);
  }

  function copyChildren(from, to) {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.append(document.createTextNode(node.data));
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        const tag = node.localName;
        if (!ALLOWED_TAGS.has(tag)) {
          // Unknown wrappers keep their text; script, style and the like are not in the
          // service's output at all, and are dropped whole if they ever are.
          if (!["script", "style", "template", "noscript", "iframe", "object", "embed", "svg", "math"].includes(tag)) {
            copyChildren(node, to);
          }
          continue;
        }
        const copy = document.createElement(tag);
        copyAttributes(node, copy);
        copyChildren(node, copy);
        to.append(copy);
      }
    }
  }

  function copyAttributes(from, to) {
    const tag = from.localName;
    const allowed = new Set([...ALLOWED_ATTRIBUTES["*"], ...(ALLOWED_ATTRIBUTES[tag] || [])]);
    for (const { name, value } of from.attributes) {
      if (!allowed.has(name)) continue;
      if (URL_ATTRIBUTES.has(name) && !SAFE_URL.test(value.trim())) continue;
      if ((name === "data-attr" || name === "data-entity") && !ID_VALUE.test(value)) continue;
      to.setAttribute(name, value);
    }
    if (tag === "mark") {
      for (const cls of from.classList) if (MARK_CLASSES.has(cls)) to.classList.add(cls);
    }
    if (tag === "a" && to.hasAttribute("href")) {
      to.target = "_blank";
      to.rel = "noopener noreferrer";
    }
    if (tag === "img") {
      to.loading = "lazy";
      to.referrerPolicy = "no-referrer";
      to.addEventListener("error", () => to.classList.add("broken"), { once: true });
    }
  }

  /** The service's marks as corrected (hidden ones unwrapped, moved ones re-pointed), then
   *  the marks the service did not put in the HTML: the reader's additions and candidates. */
  function correctMarks(body, view, text) {
    const kept = new Map(view.attributions.map((a) => [a.id, a]));
    for (const mark of [...body.querySelectorAll("mark[data-attr]")]) {
      const a = kept.get(mark.dataset.attr);
      if (!a) {
        mark.replaceWith(...mark.childNodes);
        continue;
      }
      if (a.corrected) mark.classList.add("sl-corrected");
      if (typeof a.entity === "string") mark.dataset.entity = a.entity;
    }
    const { text: bodyText } = A.textNodes(body);
    const from = A.squeeze(text);
    const to = A.squeeze(bodyText);
    const place = (a, classes) => {
      for (const [part, cls] of [["source", "sl-source"], ["cue", "sl-cue"], ["content", "sl-content"]]) {
        const span = A.carrySpan(text, a[part], bodyText, from, to);
        if (!span) continue;
        A.wrapRange(body, span, () => {
          const mark = document.createElement("mark");
          mark.className = `${cls} ${classes}`;
          mark.dataset.attr = a.id;
          if (typeof a.entity === "string") mark.dataset.entity = a.entity;
          return mark;
        });
      }
    };
    // Offsets are of the text as the service sent it; wrapping keeps the joined text the
    // same, so every span is placed against the one squeezed text.
    for (const a of view.attributions) if (a.corrected === "added by the reader") place(a, "sl-corrected");
    for (const a of Array.isArray(view.candidates) ? view.candidates : []) {
      if (a && ID_VALUE.test(String(a.id))) place(a, "sl-candidate");
    }
  }

  /** The corrected article for the saved copy: the overlay's marks, its own attributes gone. */
  function savedHtml(body) {
    const copy = body.cloneNode(true);
    for (const mark of [...copy.querySelectorAll("mark.sl-candidate")]) mark.replaceWith(...mark.childNodes);
    for (const el of copy.querySelectorAll("*")) {
      const tag = el.localName;
      const allowed = new Set([...ALLOWED_ATTRIBUTES["*"], ...(ALLOWED_ATTRIBUTES[tag] || [])]);
      for (const { name } of [...el.attributes]) {
        if (name === "class" && tag === "mark") continue;
        if (!allowed.has(name)) el.removeAttribute(name);
      }
      if (tag === "mark") {
        for (const cls of [...el.classList]) if (!SAVED_MARK_CLASSES.has(cls)) el.classList.remove(cls);
      } else if (tag === "a" && el.hasAttribute("href")) {
        el.rel = "noopener noreferrer";
      }
    }
    return copy.innerHTML;
  }


  root.SLMarkup = Object.freeze({ importMarkup, correctMarks, savedHtml, ALLOWED_TAGS });
})(globalThis);
