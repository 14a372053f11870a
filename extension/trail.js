/* Sourcelight overlay: "where else was this source quoted" on a source card — the articles in
 * the reader's library that quote the same named source, with their quotations and dates,
 * earliest first. Asked for on the reader's click (one request per source, answered by the
 * background from the service's library); built with textContent only.
 */
(function (root) {
  "use strict";

  // Who these are differs from one article to the next: no trail.
  const UNNAMED = new Set(["anonymous", "unknown"]);
  const MAX_QUOTES_SHOWN = 3;
  const pending = new Map(); // requestId -> {box, toggle}
  let nextId = 1;

  /** Add the "Where else quoted?" control to a source card `item`; `send(requestId, name)`. */
  function attach(item, source, categoryKey, send) {
    if (!source || typeof source.name !== "string" || !source.name || UNNAMED.has(categoryKey)) return;
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "source-trail-toggle";
    if (/^[A-Za-z0-9_-]{1,40}$/.test(String(source.id))) toggle.id = `sl-trail-${source.id}`;
    toggle.textContent = "Where else quoted?";
    toggle.setAttribute("aria-expanded", "false");
    const box = document.createElement("div");
    box.className = "source-trail";
    box.hidden = true;
    box.setAttribute("role", "status");
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      box.hidden = open;
      if (open || box.dataset.loaded) return;
      box.dataset.loaded = "1";
      box.textContent = "Looking in your library…";
      const requestId = String(nextId++);
      pending.set(requestId, { box, name: source.name });
      send(requestId, source.name);
    });
    item.append(toggle, box);
  }

  /** The background's answer (LIBRARY_QUOTED_RESULT). */
  function receive(message) {
    const waiting = pending.get(message.requestId);
    if (!waiting) return;
    pending.delete(message.requestId);
    const { box, name } = waiting;
    box.replaceChildren();
    if (!message.ok) {
      box.textContent = `Your library could not be searched. ${message.message || ""}`;
      box.classList.add("source-trail-failed");
      return;
    }
    const entries = Array.isArray(message.entries) ? message.entries : [];
    if (!entries.length) {
      box.textContent = `${name} is not quoted in any other article you saved.`;
      return;
    }
    const heading = document.createElement("p");
    heading.textContent = `Quoted in ${entries.length} other saved ${entries.length === 1 ? "article" : "articles"}, earliest first:`;
    const list = document.createElement("ol");
    for (const entry of entries) list.append(renderEntry(entry));
    box.append(heading, list);
  }

  function renderEntry(entry) {
    const item = document.createElement("li");
    const head = document.createElement("span");
    head.className = "source-trail-head";
    head.textContent = [entry.day, entry.site, entry.title || entry.url].filter(Boolean).join(" · ");
    item.append(head);
    const quotes = Array.isArray(entry.quotes) ? entry.quotes : [];
    for (const quote of quotes.slice(0, MAX_QUOTES_SHOWN)) {
      const line = document.createElement("q");
      line.textContent = String(quote.content || "").replace(/\s+/g, " ").trim();
      const block = document.createElement("span");
      block.className = "source-trail-quote";
      block.append(line, document.createTextNode(quote.cue ? ` (${quote.cue})` : ""));
      item.append(block);
    }
    if (quotes.length > MAX_QUOTES_SHOWN) {
      const more = document.createElement("span");
      more.className = "source-trail-more";
      more.textContent = `and ${quotes.length - MAX_QUOTES_SHOWN} more`;
      item.append(more);
    }
    return item;
  }

  const api = Object.freeze({ attach, receive });
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.SLTrail = api;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
