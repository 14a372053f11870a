/* Sourcelight: the reader's corrections to a page's sources, and the result they give.
 *
 * A page's corrections are a small record, kept in extension storage per page URL (never
 * sent anywhere): marks hidden, marks given another source, sources renamed, re-categorised
 * or merged, sources made up by the reader (a typed name, a split), and attributions the
 * service missed (a selection in the article, as offsets into `article.text`).
 * `apply(result, corrections)` gives the result as the reader corrected it — the overlay,
 * the saved copy and the export all read that — with each changed attribution saying how.
 * Pure functions: no DOM, no extension API (Node's test runner loads this file too).
 */
(function (root) {
  "use strict";

  const present =
    typeof module === "object" && module.exports ? require("./present.js") : root.SLPresent;

  const ID = /^[A-Za-z0-9_-]{1,40}$/;
  const MAX_NAME_CHARS = 200;
  const MAX_ADDED = 200; // the reader's own attributions on one page
  const MAX_PAGES = 300; // pages whose corrections are kept; the oldest go first
  const MAX_URL_CHARS = 2048;
  const STORAGE_KEY = "corrections";

  /** No corrections. */
  function empty() {
    return { version: 1, hidden: [], moved: {}, renamed: {}, category: {}, merged: {}, created: {}, added: [] };
  }

  function cleanName(name) {
    return typeof name === "string" ? name.replace(/\s+/g, " ").trim().slice(0, MAX_NAME_CHARS) : "";
  }

  function idMap(value, check) {
    const out = {};
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, v] of Object.entries(value)) {
        if (ID.test(key) && check(v)) out[key] = v;
      }
    }
    return out;
  }

  /** A stored record made safe to use: unknown fields dropped, ids and names checked. */
  function normalize(stored) {
    const c = empty();
    if (!stored || typeof stored !== "object") return c;
    c.hidden = Array.isArray(stored.hidden) ? [...new Set(stored.hidden.filter((id) => ID.test(id)))] : [];
    c.moved = idMap(stored.moved, (v) => typeof v === "string" && ID.test(v));
    c.renamed = idMap(stored.renamed, (v) => Boolean(cleanName(v)));
    for (const key of Object.keys(c.renamed)) c.renamed[key] = cleanName(c.renamed[key]);
    c.category = idMap(stored.category, (v) => Object.prototype.hasOwnProperty.call(present.CATEGORIES, v));
    c.merged = idMap(stored.merged, (v) => typeof v === "string" && ID.test(v));
    c.created = idMap(stored.created, (v) => v && typeof v === "object" && Boolean(cleanName(v.name)));
    for (const [key, v] of Object.entries(c.created)) {
      c.created[key] = { name: cleanName(v.name), category: present.categoryKey(v.category) };
    }
    c.added = (Array.isArray(stored.added) ? stored.added : [])
      .filter((a) => a && ID.test(a.id) && ID.test(a.entity) && validSpan(a.content))
      .slice(0, MAX_ADDED)
      .map((a) => ({ id: a.id, entity: a.entity, content: [a.content[0], a.content[1]] }));
    return c;
  }

  function validSpan(span) {
    return Array.isArray(span) && span.length === 2 && Number.isInteger(span[0]) &&
      Number.isInteger(span[1]) && span[0] >= 0 && span[1] > span[0];
  }

  function count(c) {
    return c.hidden.length + Object.keys(c.moved).length + Object.keys(c.renamed).length +
      Object.keys(c.category).length + Object.keys(c.merged).length + c.added.length;
  }

  function nextId(prefix, taken) {
    for (let n = 1; ; n += 1) if (!taken.has(`${prefix}${n}`)) return `${prefix}${n}`;
  }

  // ------------------------------------------------------------------ edits (each returns a new record)
  function hide(c, attributionId) {
    const next = normalize(c);
    if (ID.test(attributionId) && !next.hidden.includes(attributionId)) next.hidden.push(attributionId);
    return next;
  }

  /** A new source the reader named (for a mark, a split or a missed attribution); its id. */
  function createSource(c, name, category) {
    const taken = new Set(Object.keys(c.created));
    const id = nextId("r", taken);
    c.created[id] = { name: cleanName(name), category: present.categoryKey(category || "unknown") };
    return id;
  }

  /** Give attribution `id` another source: an entity id, or {name, category} for a new one. */
  function reassign(c, attributionId, target) {
    const next = normalize(c);
    if (!ID.test(attributionId)) return next;
    const entity = typeof target === "string" ? target : cleanName(target && target.name)
      ? createSource(next, target.name, target.category) : "";
    if (!ID.test(entity)) return next;
    const added = next.added.find((a) => a.id === attributionId);
    if (added) added.entity = entity;
    else next.moved[attributionId] = entity;
    return next;
  }

  function rename(c, entityId, name) {
    const next = normalize(c);
    if (!ID.test(entityId) || !cleanName(name)) return next;
    if (next.created[entityId]) next.created[entityId].name = cleanName(name);
    else next.renamed[entityId] = cleanName(name);
    return next;
  }

  function recategorize(c, entityId, category) {
    const next = normalize(c);
    if (!ID.test(entityId) || !Object.prototype.hasOwnProperty.call(present.CATEGORIES, category)) return next;
    if (next.created[entityId]) next.created[entityId].category = category;
    else next.category[entityId] = category;
    return next;
  }

  /** Merge entity `from` into `into`: its mentions become `into`'s, its card goes. */
  function merge(c, from, into) {
    const next = normalize(c);
    if (!ID.test(from) || !ID.test(into) || from === into || resolve(next, into) === from) return next;
    next.merged[from] = into;
    return next;
  }

  /** Split: the given mentions of a card go to a new source with this name. */
  function split(c, attributionIds, name, category) {
    let next = normalize(c);
    if (!cleanName(name) || !Array.isArray(attributionIds) || !attributionIds.length) return next;
    const entity = createSource(next, name, category);
    for (const id of attributionIds) next = reassign(next, id, entity);
    return next;
  }

  /** A missed attribution: `content` is a [start, end) span of article.text. */
  function addAttribution(c, content, target) {
    const next = normalize(c);
    if (!validSpan(content) || next.added.length >= MAX_ADDED) return next;
    const entity = typeof target === "string" ? target : cleanName(target && target.name)
      ? createSource(next, target.name, target.category) : "";
    if (!ID.test(entity)) return next;
    const id = nextId("u", new Set(next.added.map((a) => a.id)));
    next.added.push({ id, entity, content: [content[0], content[1]] });
    return next;
  }

  /** Where entity `id` ends up after merges (a merge chain is followed, a loop is cut). */
  function resolve(c, id) {
    const seen = new Set();
    let at = id;
    while (c.merged[at] && !seen.has(at)) {
      seen.add(at);
      at = c.merged[at];
    }
    return at;
  }

  // ------------------------------------------------------------------ the corrected result
  /**
   * The result as the reader corrected it. Attributions hidden by the reader are left out
   * (listed in `corrections.hidden` with what they were); each changed or added attribution
   * carries `corrected` ("source changed from X", "added by the reader"); sources carry
   * `corrected` when renamed or re-categorised; `summary` is counted again.
   */
  function apply(result, stored) {
    const c = normalize(stored);
    const r = result || {};
    const text = (r.article && r.article.text) || "";
    const original = new Map();
    for (const s of Array.isArray(r.sources) ? r.sources : []) if (s && ID.test(String(s.id))) original.set(s.id, s);
    const names = (id) => (original.get(id) || c.created[id] || {}).name || "no source";

    const entities = new Map();
    const entityOf = (rawId) => {
      const id = resolve(c, rawId);
      if (!entities.has(id)) {
        const base = original.get(id) || (c.created[id] ? { id, ...c.created[id], created: true } : null);
        if (!base) return null;
        const entity = { ...base, id, mentions: [], candidate_mentions: [] };
        const notes = [];
        if (c.renamed[id]) { entity.name = c.renamed[id]; notes.push(`renamed from “${base.name}”`); }
        if (c.category[id]) { entity.category = c.category[id]; notes.push(`category changed from ${present.categoryKey(base.category)}`); }
        if (base.created) notes.push("named by the reader");
        const absorbed = Object.keys(c.merged).filter((k) => k !== id && resolve(c, k) === id);
        if (absorbed.length) notes.push(`merged with ${absorbed.map((k) => `“${names(k)}”`).join(", ")}`);
        if (notes.length) entity.corrected = notes.join("; ");
        entities.set(id, entity);
      }
      return entities.get(id);
    };
    // Cards keep the service's order; the reader's new ones come after.
    for (const id of original.keys()) if (!c.merged[id]) entityOf(id);

    const hidden = new Set(c.hidden);
    const attributions = [];
    const removed = [];
    for (const a of Array.isArray(r.attributions) ? r.attributions : []) {
      if (!a || !ID.test(String(a.id))) continue;
      const d = { ...a };
      if (hidden.has(a.id)) {
        removed.push({ id: a.id, source: names(resolve(c, a.entity)), content: present.spanText(text, a.content) });
        continue;
      }
      if (c.moved[a.id] && c.moved[a.id] !== a.entity) {
        d.corrected = `source changed from “${names(a.entity)}”`;
        d.entity = c.moved[a.id];
      }
      const entity = typeof d.entity === "string" ? entityOf(d.entity) : null;
      if (entity) {
        d.entity = entity.id;
        entity.mentions.push(d.id);
      }
      attributions.push(d);
    }
    for (const a of c.added) {
      if (a.content[1] > text.length) continue;
      const entity = entityOf(a.entity);
      if (!entity) continue;
      attributions.push({ id: a.id, entity: entity.id, type: "reader", confidence: null, source: null,
                          cue: null, content: a.content, evidence: ["reader"], corrected: "added by the reader" });
      entity.mentions.push(a.id);
    }
    for (const a of Array.isArray(r.candidates) ? r.candidates : []) {
      if (a && typeof a.entity === "string" && !hidden.has(a.id)) {
        const entity = entityOf(a.entity);
        if (entity) entity.candidate_mentions.push(a.id);
      }
    }
    const byStart = (id) => {
      const a = attributions.find((x) => x.id === id);
      const spans = a ? [a.source, a.cue, a.content].filter(validSpan) : [];
      return spans.length ? Math.min(...spans.map((s) => s[0])) : 0;
    };
    const sources = [...entities.values()]
      .filter((e) => e.mentions.length || e.candidate_mentions.length)
      .map((e) => ({ ...e, mentions: [...e.mentions].sort((x, y) => byStart(x) - byStart(y)) }));
    const changed = count(c) > 0;
    const candidates = (Array.isArray(r.candidates) ? r.candidates : []).filter((a) => a && !hidden.has(a.id));
    return {
      ...r,
      sources,
      attributions,
      candidates,
      summary: changed ? summarize(sources, r.summary) : r.summary,
      corrections: { count: count(c), hidden: removed },
    };
  }

  /** The summary counted again from corrected sources (sources with a marked mention). */
  function summarize(sources, previous) {
    const counted = sources.filter((s) => s.mentions.length);
    const byCategory = {};
    for (const s of counted) {
      const key = present.categoryKey(s.category);
      byCategory[key] = (byCategory[key] || 0) + 1;
    }
    const anonymous = counted.filter((s) => s.category === "anonymous").reduce((n, s) => n + s.mentions.length, 0);
    return { ...(previous || {}), sources: counted.length, by_category: byCategory, anonymous_mentions: anonymous };
  }

  /** One plain sentence per correction, for the saved copy and the overlay's list. */
  function describe(corrected) {
    const lines = [];
    for (const h of (corrected.corrections && corrected.corrections.hidden) || []) {
      lines.push(`Mark removed: “${h.content.slice(0, 80)}${h.content.length > 80 ? "…" : ""}” (was ${h.source}).`);
    }
    const text = (corrected.article && corrected.article.text) || "";
    const entities = new Map((corrected.sources || []).map((s) => [s.id, s]));
    for (const a of corrected.attributions || []) {
      if (!a.corrected) continue;
      const said = present.spanText(text, a.content);
      const who = (entities.get(a.entity) || {}).name || "no source";
      lines.push(`“${said.slice(0, 80)}${said.length > 80 ? "…" : ""}”: ${who}, ${a.corrected}.`);
    }
    for (const s of corrected.sources || []) if (s.corrected) lines.push(`Source “${s.name}”: ${s.corrected}.`);
    return lines;
  }

  // ------------------------------------------------------------------ storage shape
  /** The page's corrections out of the stored map ({url: {updated, corrections}}). */
  function forPage(store, url) {
    const entry = store && typeof store === "object" && typeof url === "string" ? store[url] : null;
    return normalize(entry && entry.corrections);
  }

  /** The stored map with this page's corrections put in (removed when empty), bounded. */
  function withPage(store, url, corrections, now) {
    const next = {};
    for (const [key, entry] of Object.entries(store && typeof store === "object" ? store : {})) {
      if (key !== url && entry && typeof entry === "object" && Number.isFinite(entry.updated)) next[key] = entry;
    }
    if (typeof url === "string" && url.length <= MAX_URL_CHARS && count(normalize(corrections)) > 0) {
      next[url] = { updated: now, corrections: normalize(corrections) };
    }
    const keys = Object.keys(next).sort((a, b) => next[b].updated - next[a].updated);
    for (const old of keys.slice(MAX_PAGES)) delete next[old];
    return next;
  }

  /** The page's corrections as a JSON document the reader can keep. */
  function exportJson(url, corrections, corrected) {
    return JSON.stringify({ url, corrections: normalize(corrections), described: describe(corrected) }, null, 2) + "\n";
  }

  const api = Object.freeze({
    STORAGE_KEY, MAX_PAGES, MAX_ADDED, empty, normalize, count, hide, reassign, rename, recategorize, merge,
    split, addAttribution, resolve, apply, summarize, describe, forPage, withPage, exportJson,
  });
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.SLCorrections = api;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
