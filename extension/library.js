/* Sourcelight library page: search the articles saved in the local service's library as you
 * type, filter them (source, category, site, dates), open a saved copy (sandboxed: no script,
 * no same-origin), delete, export (JSONL, CSV).
 *
 * Like the options page, this is an extension page no web page can reach, so it reads the
 * token from the extension's storage and talks to the service itself. Everything from the
 * service is put on the page as text (textContent), never as markup; a saved copy is only
 * ever shown inside a sandboxed iframe.
 */
(() => {
  "use strict";

  const ext = globalThis.browser || globalThis.chrome;
  const $ = (id) => document.getElementById(id);
  const TYPING_DELAY_MS = 150;
  const PER_PAGE = 20;
  const EXPORT_PAGE = 200;
  // A runaway export (a service answering in a loop) stops here.
  const MAX_EXPORT_PAGES = 10000;
  const CSV_COLUMNS = ["entry", "url", "title", "site", "published", "saved_at", "attribution",
    "source_name", "category", "type", "cue", "content"];

  let settings = SLClient.withDefaults({});
  let page = 1;
  let generation = 0; // answers to an older search are dropped
  let typingTimer = 0;

  start();

  async function start() {
    try {
      settings = await SLClient.loadSettings(ext.storage.local);
    } catch (error) {
      /* defaults: the failure below says what to do */
    }
    for (const id of ["q", "source", "category", "site", "from", "to"]) {
      $(id).addEventListener("input", () => {
        clearTimeout(typingTimer);
        typingTimer = setTimeout(() => search(1), id === "q" ? TYPING_DELAY_MS : 0);
      });
    }
    $("filters").addEventListener("submit", (event) => {
      event.preventDefault();
      search(1);
    });
    $("more").addEventListener("click", () => search(page + 1));
    $("export-jsonl").addEventListener("click", () => exportLibrary("jsonl"));
    $("export-csv").addEventListener("click", () => exportLibrary("csv"));
    $("viewer-close").addEventListener("click", closeViewer);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !$("viewer").hidden) closeViewer();
    });
    const params = new URLSearchParams(location.search);
    await loadFacets(params.get("source") || "");
    await search(1);
  }

  // ------------------------------------------------------------------ service
  /** GET/DELETE a library path; resolves to the JSON body, rejects with a `failure`. */
  async function call(method, path, asText) {
    if (settings.addressError) throw { kind: "bad_address", title: "The service address is wrong", message: settings.addressError };
    if (!settings.token) throw SLClient.notPaired();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), settings.timeoutSeconds * 1000);
    let response;
    let text;
    try {
      response = await fetch(settings.address + path, {
        method, signal: controller.signal, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer",
        headers: { Authorization: "Bearer " + settings.token },
      });
      text = await response.text();
    } catch (error) {
      throw SLClient.failureFromException(error, settings);
    } finally {
      clearTimeout(timer);
    }
    if (response.ok && asText) return text;
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (error) {
      body = null;
    }
    if (!response.ok) throw SLClient.failureFromResponse(response.status, body, settings);
    return body;
  }

  function showFailure(failure) {
    const box = $("failure");
    box.replaceChildren();
    if (!failure) {
      box.hidden = true;
      return;
    }
    const title = document.createElement("strong");
    title.textContent = failure.title || "Something went wrong";
    const message = document.createElement("span");
    message.textContent = failure.message || String(failure);
    box.append(title, message);
    if (failure.command) {
      const code = document.createElement("code");
      code.textContent = " " + failure.command;
      box.append(code);
    }
    box.hidden = false;
  }

  // ------------------------------------------------------------------ filters
  async function loadFacets(selectedSource) {
    let facets;
    try {
      facets = await call("GET", "/v1/library/facets");
    } catch (failure) {
      showFailure(failure);
      return;
    }
    fill($("source"), facets.sources, selectedSource);
    fill($("category"), facets.categories, "");
    fill($("site"), facets.sites, "");
  }

  function fill(select, items, selected) {
    const keep = select.value || selected;
    select.replaceChildren(option("", "any"));
    for (const item of Array.isArray(items) ? items : []) {
      if (typeof item.name !== "string") continue;
      select.append(option(item.name, `${item.name} (${item.entries})`));
    }
    if (keep && ![...select.options].some((o) => o.value === keep)) select.append(option(keep, keep));
    select.value = keep;
  }

  function option(value, label) {
    const element = document.createElement("option");
    element.value = value;
    element.textContent = label;
    return element;
  }

  function queryString(pageNumber) {
    const params = new URLSearchParams();
    for (const id of ["q", "source", "category", "site", "from", "to"]) {
      const value = $(id).value;
      if (value) params.set(id, value);
    }
    params.set("page", String(pageNumber));
    params.set("per_page", String(PER_PAGE));
    return params.toString();
  }

  // ------------------------------------------------------------------ results
  async function search(pageNumber) {
    const mine = ++generation;
    let found;
    try {
      found = await call("GET", "/v1/library?" + queryString(pageNumber));
    } catch (failure) {
      if (mine === generation) showFailure(failure);
      return;
    }
    if (mine !== generation) return; // the reader typed on
    showFailure(null);
    page = pageNumber;
    if (pageNumber === 1) $("results").replaceChildren();
    for (const entry of found.entries) $("results").append(renderEntry(entry));
    const shown = $("results").children.length;
    $("count").textContent = found.total === 0
      ? "Nothing saved matches."
      : `${found.total} saved ${found.total === 1 ? "article" : "articles"}${shown < found.total ? `, ${shown} shown` : ""}`;
    $("more").hidden = shown >= found.total;
  }

  function renderEntry(entry) {
    const item = document.createElement("li");
    item.className = "entry";
    item.dataset.id = String(entry.id);
    const title = document.createElement("h3");
    title.textContent = entry.title || entry.url || "(untitled)";
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = [entry.site, entry.published ? `published ${entry.day}` : null,
      `saved ${String(entry.saved_at).slice(0, 10)}`].filter(Boolean).join(" · ");
    item.append(title, meta);
    if (Array.isArray(entry.snippet) && entry.snippet.length) {
      const snippet = document.createElement("p");
      snippet.className = "snippet";
      for (const [text, hit] of entry.snippet) {
        const part = document.createElement(hit ? "mark" : "span");
        part.textContent = text;
        snippet.append(part);
      }
      item.append(snippet);
    }
    if (entry.sources.length) {
      const list = document.createElement("ul");
      list.className = "sources";
      for (const source of entry.sources.slice(0, 12)) {
        const chip = document.createElement("li");
        chip.textContent = `${source.name} · ${source.category}`;
        list.append(chip);
      }
      item.append(list);
    }
    const actions = document.createElement("div");
    actions.className = "actions";
    actions.append(button("Open saved copy", () => openCopy(entry)), button("Delete", () => remove(entry, item)));
    if (typeof entry.url === "string" && /^https?:\/\//i.test(entry.url)) {
      const link = document.createElement("a");
      link.href = entry.url;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      link.textContent = "Original page";
      actions.append(link);
    }
    item.append(actions);
    return item;
  }

  function button(label, onClick) {
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = label;
    element.addEventListener("click", onClick);
    return element;
  }

  async function openCopy(entry) {
    let copy;
    try {
      copy = await call("GET", `/v1/library/${entry.id}/copy`, true);
    } catch (failure) {
      showFailure(failure);
      return;
    }
    $("viewer-title").textContent = entry.title || entry.url || "Saved copy";
    $("viewer-frame").srcdoc = copy;
    $("viewer").hidden = false;
    $("viewer-close").focus();
  }

  function closeViewer() {
    $("viewer").hidden = true;
    $("viewer-frame").srcdoc = "";
  }

  async function remove(entry, item) {
    if (!confirm(`Delete “${entry.title || entry.url || entry.id}” from the library? This cannot be undone.`)) return;
    try {
      await call("DELETE", `/v1/library/${entry.id}`);
    } catch (failure) {
      showFailure(failure);
      return;
    }
    item.remove();
    await loadFacets("");
    await search(1);
  }

  // ------------------------------------------------------------------ export
  async function exportLibrary(format) {
    const entries = [];
    let after = 0;
    try {
      for (let pages = 0; pages < MAX_EXPORT_PAGES && after !== null; pages++) {
        const chunk = await call("GET", `/v1/library/export?after=${after}&limit=${EXPORT_PAGE}`);
        entries.push(...chunk.entries);
        after = chunk.next;
      }
    } catch (failure) {
      showFailure(failure);
      return;
    }
    const stamp = new Date().toISOString().slice(0, 10);
    const content = format === "csv" ? toCsv(entries) : entries.map((e) => JSON.stringify(e)).join("\n") + "\n";
    const blob = new Blob([content], { type: format === "csv" ? "text/csv" : "application/x-ndjson" });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = `sourcelight-library-${stamp}.${format}`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    $("count").textContent = `Exported ${entries.length} ${entries.length === 1 ? "article" : "articles"} as ${format.toUpperCase()}.`;
  }

  /** One row per marked quotation, as `sourcelight library export --format csv` writes. */
  function toCsv(entries) {
    const rows = [CSV_COLUMNS];
    for (const entry of entries) {
      const text = entry.article && typeof entry.article.text === "string" ? entry.article.text : "";
      const sources = new Map((entry.sources || []).map((s) => [s.id, s]));
      const head = [entry.id, entry.url, entry.title, entry.site, entry.published, entry.saved_at];
      const quotes = entry.attributions || [];
      if (!quotes.length) rows.push(head.concat(Array(6).fill("")));
      for (const a of quotes) {
        const source = sources.get(a.entity) || {};
        rows.push(head.concat([a.id, source.name, source.category, a.type,
          SLPresent.spanText(text, a.cue), SLPresent.spanText(text, a.content)]));
      }
    }
    return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
  }

  function csvCell(value) {
    let text = value === null || value === undefined ? "" : String(value).split(/\r?\n/).join(" ");
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; // shown by a spreadsheet, never run
    return /[",]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  }
})();
