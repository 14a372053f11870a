/* Sourcelight overlay: an extension page shown in an iframe over the article's tab.
 * It gets its session's state from the background through a port, and renders the clean
 * article, its highlights, the sources panel and the cited links — or the failure, whatever it
 * is. The article markup is the service's sanitised HTML, parsed inert and copied element by
 * element through an allowlist (defence in depth: the extension page's CSP forbids inline
 * script anyway). Everything else is built with textContent.
 */
(() => {
  "use strict";

  const ext = globalThis.browser || globalThis.chrome;
  const { MSG } = SLMessages;
  const present = SLPresent;
  const session = location.hash.slice(1);
  const $ = (id) => document.getElementById(id);

  const ID_VALUE = /^[A-Za-z0-9_-]{1,40}$/;
  // Extra seconds past the service time-out before the overlay gives up on the background.
  const WATCHDOG_GRACE_SECONDS = 5;

  let settings = SLClient.withDefaults({});
  let port = null;
  let finished = false;
  let watchdog = 0;
  let escapeDown = false;
  let details = new Map(); // attribution id -> what the reader is told about it
  let original = null; // the service's result
  let view = null; // the result with the reader's corrections applied
  let pageUrl = ""; // corrections are kept per page URL
  let store = {}; // every page's corrections (extension storage, key "corrections")
  let corrections = SLCorrections.empty();
  const history = []; // earlier corrections of this page, for Undo
  let showUncertain = false;
  let editor = null;
  let reading = null;
  const firstMarks = new Map(); // attribution id -> its focusable (first) mark
  const mentionCursor = new Map(); // entity id -> index of the mention shown last

  // ------------------------------------------------------------------ start
  start();

  async function start() {
    wireControls();
    try {
      // Only what the overlay needs: the token stays with the background and the options.
      const stored = await ext.storage.local.get(["theme", "categories", "timeoutSeconds", "corrections", "reading"]);
      settings = SLClient.withDefaults(stored);
      store = stored.corrections && typeof stored.corrections === "object" ? stored.corrections : {};
      reading.apply(stored.reading);
    } catch (error) {
      /* defaults */
    }
    applyTheme(settings.theme);
    if (!/^[0-9a-f-]{36}$/.test(session)) {
      showFailure({ kind: "service_error", title: "Sourcelight cannot start here", message: "This panel was opened without a page to read. Click the Sourcelight button on an article." });
      return;
    }
    connect();
    watchdog = setTimeout(() => {
      if (!finished) showFailure(SLClient.timedOut(settings));
    }, (settings.timeoutSeconds + WATCHDOG_GRACE_SECONDS) * 1000);
  }

  function connect() {
    port = ext.runtime.connect({ name: "sourcelight-overlay" });
    port.onMessage.addListener((message) => {
      SLMessages.dispatch(message, { [MSG.OVERLAY_STATE]: onState, [MSG.SAVE_RESULT]: onSaved,
        [MSG.LIBRARY_QUOTED_RESULT]: SLTrail.receive });
    });
    port.onDisconnect.addListener(() => {
      port = null;
      if (!finished) {
        showFailure({
          kind: "service_error",
          title: "Sourcelight stopped",
          message: "The extension's background stopped before the article arrived. Close this and click the Sourcelight button again.",
        });
      }
    });
    port.postMessage(SLMessages.make(MSG.OVERLAY_HELLO, { session }));
  }

  function send(message) {
    if (!port) connect();
    port.postMessage(message);
  }

  function onState(message) {
    if (message.state === "working") return;
    finished = true;
    clearTimeout(watchdog);
    if (message.state === "done") renderResult(message.result);
    else showFailure(message.failure || { kind: "service_error", title: "Sourcelight failed", message: "No reason was given." });
  }

  function applyTheme(theme) {
    if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
    else delete document.documentElement.dataset.theme;
  }

  // ------------------------------------------------------------------ controls
  function wireControls() {
    editor = SLEditor.create({ $, getView: () => view, getText: () => original.article.text, commit });
    editor.useCorrections(() => corrections);
    reading = SLReading.create({
      $, storage: ext.storage.local, editor,
      toggleUncertain: () => $("sl-uncertain").click(),
      closeOverlay: close,
    });
    $("sl-uncertain").addEventListener("click", () => {
      showUncertain = !showUncertain;
      renderView();
    });
    $("sl-copy-sources").addEventListener("click", copySources);
    $("sl-export-csv").addEventListener("click", () => exportSources("csv"));
    $("sl-export-json").addEventListener("click", () => exportSources("json"));
    $("sl-undo").addEventListener("click", () => {
      if (history.length) commit(history.pop(), true);
    });
    $("sl-clear-corrections").addEventListener("click", () => commit(SLCorrections.empty()));
    $("sl-export-corrections").addEventListener("click", exportCorrections);
    $("sl-close").addEventListener("click", close);
    $("sl-failure-close").addEventListener("click", close);
    $("sl-save").addEventListener("click", save);
    $("sl-open-options").addEventListener("click", () => ext.runtime.openOptionsPage());
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("keyup", onKeyUp);
    const body = $("sl-body");
    body.addEventListener("mouseover", (event) => {
      const mark = markOf(event.target);
      if (mark) showTip(mark);
    });
    body.addEventListener("mouseout", (event) => {
      const to = markOf(event.relatedTarget);
      if (!to && document.activeElement && !markOf(document.activeElement)) hideTip();
    });
    body.addEventListener("focusin", (event) => {
      const mark = markOf(event.target);
      if (mark) showTip(mark);
    });
    body.addEventListener("focusout", () => hideTip());
    body.addEventListener("click", (event) => {
      const mark = markOf(event.target);
      const selection = document.getSelection();
      // A link inside a mark stays a link; the mark's own words open the correction box.
      if (mark && !event.target.closest("a[href]") && (!selection || selection.isCollapsed)) editor.openMark(mark);
    });
    body.addEventListener("keydown", (event) => {
      const mark = markOf(event.target);
      if (mark && (event.key === "e" || event.key === "E") && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        event.stopPropagation();
        editor.openMark(mark);
      } else if (mark && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        focusSourceOf(mark);
      }
    });
    window.addEventListener("resize", hideTip);
  }

  function onKeyDown(event) {
    if (event.key === "Escape") {
      event.preventDefault();
      // A box open (correction, reading controls, help) closes first; the overlay next time.
      escapeDown = !reading.closePopovers();
    } else if (event.key === "Tab") {
      trapFocus(event);
    } else {
      reading.onKey(event);
    }
  }

  // Esc closes on key *up*: removing the frame while its key-up is still on the way leaves
  // that event with nowhere to go (automation tools then wait for it forever).
  function onKeyUp(event) {
    if (event.key === "Escape" && escapeDown) {
      escapeDown = false;
      event.preventDefault();
      close();
    }
  }

  /** Keep Tab inside the overlay: past the last control it wraps to the first, and back. */
  function trapFocus(event) {
    const focusable = [...document.querySelectorAll("button:not([disabled]), a[href], [tabindex='0']")].filter(
      (el) => !el.closest("[hidden]") && el.getClientRects().length > 0
    );
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && (document.activeElement === first || !focusable.includes(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  function close() {
    send(SLMessages.make(MSG.CLOSE_OVERLAY, {}));
  }

  function save() {
    $("sl-save").disabled = true;
    showSaveStatus("Saving the clean copy…");
    // Asked now, in the click: may the copy embed images from the sites they come from?
    SLImages.requestPermission(ext, view && view.article && view.article.html)
      .then(() => send(SLMessages.make(MSG.SAVE_COPY, correctionFields())));
  }

  /** What the background needs to save or export the page as the reader corrected it. */
  function correctionFields() {
    if (!SLCorrections.count(corrections)) return {};
    return { corrections, articleHtml: SLMarkup.savedHtml($("sl-body")) };
  }

  function exportSources(format) {
    showSaveStatus(`Exporting the sources as ${format.toUpperCase()}…`);
    send(SLMessages.make(MSG.EXPORT_SOURCES, { format, ...correctionFields() }));
  }

  function copySources() {
    const text = SLExport.toText(view);
    const copied = () => showSaveStatus(`Copied ${present.plural(view.sources.filter((s) => s.mentions.length).length, "source", "sources")} to the clipboard.`);
    navigator.clipboard.writeText(text).then(copied, () => {
      // The page may forbid its frames the clipboard API; the older copy command still works
      // from the reader's click in most browsers.
      if (copyWithCommand(text)) copied();
      else showSaveStatus("The browser did not allow copying: use Export CSV or Export JSON instead.", true);
    });
  }

  function copyWithCommand(text) {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.cssText = "position: fixed; top: 0; left: -9999px;";
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (error) {
      ok = false;
    }
    area.remove();
    $("sl-copy-sources").focus();
    return ok;
  }

  function exportCorrections() {
    const json = SLCorrections.exportJson(pageUrl, corrections, view);
    const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `${present.fileStem(original.article.title, pageUrl)}-corrections.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    showSaveStatus(`Corrections exported: ${a.download}`);
  }

  function onSaved(message) {
    $("sl-save").disabled = false;
    if (message.ok) {
      // A save also goes to the service's library (library.html); say if that failed.
      const library = message.what === "export" || message.libraryId === undefined ? ""
        : message.libraryId ? " and to your library." : ` Not kept in your library: ${message.libraryMessage}`;
      showSaveStatus(`${message.what === "export" ? "Exported" : "Saved"} to your downloads: ${message.files.join(" and ")}${library}`,
        Boolean(library && !message.libraryId));
    } else {
      showSaveStatus(message.message || "The clean copy could not be saved.", true);
    }
  }

  function showSaveStatus(text, isError) {
    const status = $("sl-save-status");
    status.hidden = false;
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  // ------------------------------------------------------------------ failure
  function showFailure(failure) {
    finished = true;
    clearTimeout(watchdog);
    $("sl-working").hidden = true;
    $("sl-main").hidden = true;
    $("sl-failure").hidden = false;
    $("sl-failure-title").textContent = failure.title || "Sourcelight failed";
    $("sl-failure-message").textContent = failure.message || "";
    const found = $("sl-failure-found");
    found.hidden = !failure.found;
    found.textContent = failure.found || "";
    const commands = $("sl-failure-commands");
    commands.replaceChildren();
    for (const command of failure.commands || []) {
      const code = document.createElement("code");
      code.textContent = command;
      const copy = document.createElement("button");
      copy.type = "button";
      copy.textContent = "Copy";
      copy.setAttribute("aria-label", `Copy the command ${command}`);
      copy.addEventListener("click", () => {
        navigator.clipboard.writeText(command).then(
          () => (copy.textContent = "Copied"),
          () => (copy.textContent = "Select and copy")
        );
      });
      const row = document.createElement("div");
      row.className = "command";
      row.append(code, copy);
      commands.append(row);
    }
    $("sl-open-options").hidden = failure.action !== "options";
    document.body.dataset.state = "failed";
    document.body.dataset.failure = failure.kind || "error";
    markRendered();
    ($("sl-open-options").hidden ? $("sl-failure-close") : $("sl-open-options")).focus();
  }

  // ------------------------------------------------------------------ result
  function renderResult(result) {
    const article = result.article;
    original = result;
    pageUrl = typeof article.url === "string" ? article.url : "";
    corrections = SLCorrections.forPage(store, pageUrl);
    view = SLCorrections.apply(original, corrections);

    document.title = `Sourcelight — ${article.title || "article"}`;
    $("sl-site").textContent = article.site_name || hostOf(article.url);
    $("sl-title").textContent = article.title || "Untitled article";
    renderMeta(article);
    if (article.lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(article.lang)) $("sl-article").lang = article.lang;
    renderView();
    renderLinks(Array.isArray(result.links) ? result.links : []);
    renderLegend();
    const notes = Array.isArray(result.notes) ? result.notes.filter((n) => typeof n === "string") : [];
    $("sl-notes").hidden = notes.length === 0;
    $("sl-notes").textContent = notes.length ? `Sourcelight relaxed a rule on this page: ${notes.join(", ")}.` : "";

    $("sl-working").hidden = true;
    $("sl-failure").hidden = true;
    $("sl-main").hidden = false;
    $("sl-save").disabled = false;
    document.body.dataset.state = "done";
    markRendered();
    $("sl-title").focus();
  }

  /** The article, its marks, the sources and the summary, from `view` (corrections applied). */
  function renderView() {
    const started = performance.now();
    details = present.attributionDetails(view, { candidates: true });
    const body = $("sl-body");
    body.replaceChildren();
    SLMarkup.importMarkup(original.article.html, body);
    SLMarkup.correctMarks(body, view, original.article.text || "");
    decorateMarks(body);
    const summary = present.summaryLine(view.summary, view.sources);
    $("sl-panel-summary").textContent = summary;
    $("sl-summary").textContent = summary;
    const candidates = Array.isArray(view.candidates) ? view.candidates.length : 0;
    const toggle = $("sl-uncertain");
    toggle.textContent = `${showUncertain ? "Hide" : "Show"} uncertain (${candidates})`;
    toggle.setAttribute("aria-pressed", String(showUncertain));
    toggle.disabled = candidates === 0;
    $("sl-uncertain-note").hidden = !showUncertain;
    document.body.classList.toggle("show-uncertain", showUncertain);
    renderSources(view.sources);
    renderCorrections();
    // For the benchmark: how long the overlay itself took to build the view.
    document.documentElement.dataset.renderMs = (performance.now() - started).toFixed(1);
  }

  /** Record the reader's new corrections for this page, keep them, and show the result. */
  function commit(next, isUndo) {
    if (!isUndo) history.push(corrections);
    if (history.length > 100) history.shift();
    corrections = SLCorrections.normalize(next);
    view = SLCorrections.apply(original, corrections);
    store = SLCorrections.withPage(store, pageUrl, corrections, Date.now());
    ext.storage.local.set({ corrections: store }).catch(() => showSaveStatus("Your corrections could not be kept in the browser's storage.", true));
    renderView();
  }

  function renderCorrections() {
    const n = SLCorrections.count(corrections);
    $("sl-corrections").hidden = n === 0 && history.length === 0;
    $("sl-corrections-count").textContent = n ? `${present.plural(n, "correction", "corrections")} on this page, kept in this browser only.` : "No corrections on this page.";
    const list = $("sl-corrections-list");
    list.replaceChildren(...SLCorrections.describe(view).map((line) => {
      const item = document.createElement("li");
      item.textContent = line;
      return item;
    }));
    $("sl-undo").disabled = history.length === 0;
    $("sl-clear-corrections").disabled = n === 0;
    $("sl-export-corrections").disabled = n === 0;
  }

  /** For the benchmark: when the reader could first see the result (epoch ms). */
  function markRendered() {
    requestAnimationFrame(() => {
      document.documentElement.dataset.renderedAt = String(Date.now());
    });
  }

  function hostOf(url) {
    try {
      return new URL(url).hostname;
    } catch (error) {
      return "";
    }
  }

  function renderMeta(article) {
    const meta = $("sl-meta");
    meta.replaceChildren();
    for (const part of present.metadataParts(article)) {
      if (part.key === "site") continue; // shown above the title
      const dt = document.createElement("dt");
      dt.textContent = part.label;
      const dd = document.createElement("dd");
      dd.className = `meta-${part.key}`;
      if (part.key === "published" && article.published) {
        const time = document.createElement("time");
        time.dateTime = article.published;
        time.textContent = part.text;
        dd.append(time);
      } else {
        dd.textContent = part.text;
      }
      meta.append(dt, dd);
    }
  }

  function markOf(node) {
    return node && node.nodeType === Node.ELEMENT_NODE ? node.closest("mark[data-attr]:not(.off)") : null;
  }

  /** Category data on every mark; one tab stop per attribution (its first mark). */
  function decorateMarks(body) {
    firstMarks.clear();
    for (const mark of body.querySelectorAll("mark[data-attr]")) {
      const id = mark.dataset.attr;
      const d = details.get(id);
      const key = d ? d.category : "unknown";
      mark.dataset.category = key;
      const candidate = mark.classList.contains("sl-candidate");
      if (!settings.categories[key] || (candidate && !showUncertain)) {
        mark.classList.add("off");
        continue;
      }
      // The lead mark carries the letter badge: the source's first mark, or the first mark of
      // an attribution without a source mark (one the reader added).
      const sourceMarked = body.querySelector(`mark.sl-source[data-attr="${id}"]`);
      if (!body.querySelector(`mark.lead[data-attr="${id}"]`) && (mark.classList.contains("sl-source") || !sourceMarked)) {
        mark.classList.add("lead");
        mark.dataset.letter = present.category(key).letter;
      }
      if (!firstMarks.has(id)) {
        firstMarks.set(id, mark);
        mark.tabIndex = 0;
        mark.setAttribute("aria-describedby", "sl-tip");
        const what = d ? `${candidate ? "Uncertain: " : ""}${d.categoryLabel} source: ${d.name}. ` : "";
        mark.setAttribute("aria-label", `${what}${mark.textContent}`);
      }
    }
  }

  function showTip(mark) {
    SLTip.show(mark, details.get(mark.dataset.attr));
  }

  function hideTip() {
    SLTip.hide();
  }

  function textSpan(text, cls) {
    return SLTip.span(text, cls);
  }

  function categoryBadge(key) {
    return SLTip.badge(key);
  }

  // ------------------------------------------------------------------ sources panel
  function renderSources(sources) {
    const list = $("sl-sources");
    list.replaceChildren();
    mentionCursor.clear();
    for (const source of sources) {
      if (!source || !ID_VALUE.test(String(source.id))) continue;
      const key = present.categoryKey(source.category);
      const mentions = Array.isArray(source.mentions) ? source.mentions : [];
      const uncertain = Array.isArray(source.candidate_mentions) ? source.candidate_mentions : [];
      // A source only uncertain marks speak for is shown only when they are.
      if (!mentions.length && !(showUncertain && uncertain.length)) continue;
      const item = document.createElement("li");
      item.className = `source cat-${key}`;
      if (!settings.categories[key]) item.classList.add("off");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "source-button";
      button.dataset.entity = source.id;
      const name = textSpan(source.name || "Unknown source", "source-name");
      const extra = textSpan("", "source-extra");
      // How sure the service is of this source's marks, in words ("very likely, likely").
      const words = [...new Set(mentions.map((id) => details.get(id)).filter(Boolean).map((d) => d.sureness).filter(Boolean))];
      const count = textSpan(present.plural(mentions.length, "mention", "mentions") +
        (words.length ? ` (${words.join(", ")})` : "") +
        (showUncertain && uncertain.length ? ` · ${uncertain.length} uncertain` : ""), "source-count");
      extra.append(count);
      if (source.corrected) extra.append(textSpan("corrected", "source-flag source-corrected"));
      if (source.state_media) extra.append(textSpan("state media", "source-flag"));
      button.append(categoryBadge(key), name);
      if (source.role) button.append(textSpan(source.role, "source-role"));
      button.append(extra);
      button.setAttribute("aria-label", `${source.name}, ${present.category(key).label}, ${count.textContent}. Show the next mention.`);
      button.addEventListener("click", () => jumpToNextMention(source, button));
      const edit = document.createElement("button");
      edit.type = "button";
      edit.className = "source-edit";
      edit.dataset.entity = source.id;
      edit.textContent = "Correct";
      edit.setAttribute("aria-label", `Correct ${source.name}: rename, category, merge or split`);
      edit.addEventListener("click", () => editor.openCard(source.id, edit));
      item.append(button, edit);
      // Where else was this source quoted, in the reader's library (trail.js).
      SLTrail.attach(item, source, key, (requestId, name) =>
        send(SLMessages.make(MSG.LIBRARY_QUOTED, { requestId, name })));
      if (key === "anonymous" && source.anonymity_reason) {
        const reason = textSpan(`Why anonymous: ${source.anonymity_reason}`, "source-reason");
        item.append(reason);
      }
      list.append(item);
    }
  }

  /** Show the entity's next mention in the article (focus stays on the button, so Enter repeats). */
  function jumpToNextMention(source, button) {
    const all = [...(source.mentions || []), ...(showUncertain ? source.candidate_mentions || [] : [])];
    const mentions = all.filter((id) => firstMarks.has(id))
      .sort((x, y) => (firstMarks.get(x).compareDocumentPosition(firstMarks.get(y)) & 4 ? -1 : 1));
    const jump = $("sl-jump");
    if (!mentions.length) {
      jump.textContent = settings.categories[present.categoryKey(source.category)]
        ? `No highlighted mention of ${source.name} in the article.`
        : `${present.category(source.category).label} highlights are switched off in the options.`;
      return;
    }
    const index = ((mentionCursor.has(source.id) ? mentionCursor.get(source.id) : -1) + 1) % mentions.length;
    mentionCursor.set(source.id, index);
    const id = mentions[index];
    const mark = firstMarks.get(id);
    for (const old of document.querySelectorAll("mark.current")) old.classList.remove("current");
    for (const piece of document.querySelectorAll(`mark[data-attr="${id}"]`)) piece.classList.add("current");
    mark.scrollIntoView({ block: "center", behavior: "instant" });
    showTip(mark);
    jump.textContent = `${source.name}: mention ${index + 1} of ${mentions.length}`;
    button.setAttribute("aria-current", "true");
  }

  /** Enter on a highlight moves focus to its source in the panel. */
  function focusSourceOf(mark) {
    const d = details.get(mark.dataset.attr);
    if (!d) return;
    const button = document.querySelector(`.source-button[data-entity="${d.entity}"]`);
    if (button) button.focus();
  }

  function renderLinks(links) {
    const list = $("sl-links");
    list.replaceChildren();
    let shown = 0;
    for (const link of links) {
      if (!link || typeof link.href !== "string" || !/^https?:\/\//i.test(link.href)) continue;
      const item = document.createElement("li");
      const kind = textSpan(present.LINK_KINDS[link.kind] || String(link.kind || "link"), `link-kind kind-${String(link.kind).replace(/[^a-z-]/g, "")}`);
      const a = document.createElement("a");
      a.href = link.href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = link.text || link.href;
      const host = textSpan(hostOf(link.href), "link-host");
      item.append(kind, a, host);
      list.append(item);
      shown += 1;
    }
    $("sl-links-section").hidden = shown === 0;
  }

  function renderLegend() {
    const list = $("sl-legend");
    list.replaceChildren();
    for (const key of present.CATEGORY_ORDER) {
      const item = document.createElement("li");
      const sample = document.createElement("mark");
      sample.className = "sl-source lead sample";
      sample.dataset.category = key;
      sample.dataset.letter = present.CATEGORIES[key].letter;
      sample.textContent = present.CATEGORIES[key].label;
      item.append(sample);
      if (!settings.categories[key]) item.append(textSpan(" (hidden)", "legend-off"));
      list.append(item);
    }
  }
})();
