/* Sourcelight background (Chromium: service worker; Firefox: event page).
 *
 * - The toolbar button and the keyboard shortcut (_execute_action) inject the content script
 *   into the active tab on demand (activeTab + scripting): nothing runs on pages otherwise.
 * - The content script hands over the page (CLEAN_PAGE); the background sends it to the local
 *   service with the pairing token and keeps the answer for that overlay session.
 * - The overlay (an extension page in an iframe) connects with a port, gets the session's
 *   state and asks to save or close. The token never leaves this file's context: the content
 *   script and the overlay never see it.
 */
"use strict";

if (typeof importScripts === "function" && typeof SLMessages === "undefined") {
  // Chromium's service worker; Firefox loads the same files from manifest background.scripts.
  importScripts("messages.js", "present.js", "client.js", "corrections.js", "export.js", "save.js", "images.js");
}

const ext = globalThis.browser || globalThis.chrome;
const { MSG } = SLMessages;

// The pairing token lives in storage.local; content scripts run in the page's process and must
// not be able to read it (they never need storage). Chromium keeps this access level; Firefox
// has it for storage.session only, and there the token stays readable by a content script.
if (typeof ext.storage.local.setAccessLevel === "function") {
  ext.storage.local.setAccessLevel({ accessLevel: "TRUSTED_CONTEXTS" }).catch((error) =>
    console.warn("Sourcelight: storage could not be closed to content scripts", error));
}

const CONTENT_FILES = ["extension/messages.js", "extension/content.js"];
const OVERLAY_PORT = "sourcelight-overlay";
const SESSION_PATTERN = /^[0-9a-f-]{36}$/;
// Sessions not closed by their page (tab closed mid-way, navigation) are dropped after this.
const SESSION_MAX_AGE_MS = 30 * 60 * 1000;

/**
 * One overlay session per click: {id, tabId, state: "working"|"done", outcome, ports, page}.
 * `outcome` is {ok: true, result} or {ok: false, failure}.
 */
const sessions = new Map();

// ------------------------------------------------------------------ the button
ext.action.onClicked.addListener((tab) => {
  openOn(tab).catch((error) => console.error("Sourcelight: could not open on this tab", error));
});

/** Inject the content script into `tab` (it opens or closes the overlay itself). */
async function openOn(tab) {
  if (!tab || typeof tab.id !== "number") return;
  try {
    await ext.scripting.executeScript({ target: { tabId: tab.id }, files: CONTENT_FILES });
    await ext.action.setBadgeText({ tabId: tab.id, text: "" });
  } catch (error) {
    // Browser pages (chrome://, the web store, about:) cannot be scripted by any extension.
    await ext.action.setBadgeText({ tabId: tab.id, text: "!" });
    await ext.action.setTitle({
      tabId: tab.id,
      title: `Sourcelight cannot read this page (${error && error.message ? error.message : error}). It works on ordinary web pages.`,
    });
  }
}

// ------------------------------------------------------------------ content script
ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== ext.runtime.id) return false;
  let reply;
  try {
    reply = SLMessages.dispatch(message, CONTENT_HANDLERS, sender);
  } catch (error) {
    sendResponse({ ok: false, error: String(error && error.message ? error.message : error) });
    return false;
  }
  sendResponse(reply);
  return false;
});

const CONTENT_HANDLERS = {
  [MSG.CLEAN_PAGE](message, sender) {
    if (!sender.tab || typeof sender.tab.id !== "number" || !SESSION_PATTERN.test(message.session)) {
      throw new Error("CLEAN_PAGE must come from the content script of a tab");
    }
    const session = sessionFor(message.session, sender.tab.id);
    if (session.started) return { ok: true };
    session.started = true;
    session.page = { url: String(message.url), title: String(message.title || "") };
    cleanInto(session, String(message.html));
    return { ok: true };
  },
  [MSG.SESSION_ENDED](message, sender) {
    const session = sessions.get(message.session);
    if (session && sender.tab && session.tabId === sender.tab.id) dropSession(session);
    return { ok: true };
  },
};

/** The session with this id, created if the overlay or the page got here first. */
function sessionFor(id, tabId) {
  let session = sessions.get(id);
  if (!session) {
    session = { id, tabId, state: "working", outcome: null, ports: new Set(), page: null, created: Date.now(), started: false };
    sessions.set(id, session);
    dropStaleSessions();
  }
  if (session.tabId !== tabId) throw new Error("session belongs to another tab");
  return session;
}

async function cleanInto(session, html) {
  // Kept for "Save clean copy", which also saves the page to the service's library.
  session.pageHtml = html;
  let outcome;
  try {
    const settings = await SLClient.loadSettings(ext.storage.local);
    outcome = await SLClient.cleanPage(settings, { url: session.page.url, html });
  } catch (error) {
    outcome = {
      ok: false,
      failure: { kind: "service_error", title: "Sourcelight failed", message: String(error && error.message ? error.message : error) },
    };
  }
  if (!outcome.ok && outcome.failure.kind === "not_article") {
    outcome.failure.found = describeFound(session.page, html);
  }
  session.state = "done";
  session.outcome = outcome;
  for (const port of session.ports) postState(port, session);
}

/** "What was found" on a page that has no article: its title and how much text it holds. */
function describeFound(page, html) {
  const text = html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim();
  const words = text ? text.split(" ").length : 0;
  return `The page “${page.title || page.url}” has about ${words} words of text outside its markup, but none of it reads as an article.`;
}

function dropSession(session) {
  sessions.delete(session.id);
  for (const port of session.ports) {
    try {
      port.disconnect();
    } catch (error) {
      /* already gone */
    }
  }
}

function dropStaleSessions() {
  const now = Date.now();
  for (const session of sessions.values()) {
    if (now - session.created > SESSION_MAX_AGE_MS) dropSession(session);
  }
}

ext.tabs.onRemoved.addListener((tabId) => {
  for (const session of [...sessions.values()]) if (session.tabId === tabId) dropSession(session);
});

// ------------------------------------------------------------------ overlay
ext.runtime.onConnect.addListener((port) => {
  if (port.name !== OVERLAY_PORT || !isOverlayPort(port)) {
    port.disconnect();
    return;
  }
  let session = null;
  port.onMessage.addListener((message) => {
    try {
      SLMessages.dispatch(message, {
        [MSG.OVERLAY_HELLO](hello) {
          if (session || !SESSION_PATTERN.test(hello.session)) throw new Error("bad OVERLAY_HELLO");
          session = sessionFor(hello.session, port.sender.tab.id);
          session.ports.add(port);
          postState(port, session);
        },
        [MSG.SAVE_COPY](request) {
          if (!session) throw new Error("SAVE_COPY before OVERLAY_HELLO");
          saveCopy(session, request).then(
            ({ files, library }) => port.postMessage(SLMessages.make(MSG.SAVE_RESULT, {
              ok: true, files,
              libraryId: library.ok ? library.id : null,
              libraryMessage: library.ok ? "" : `${library.failure.title}: ${library.failure.message}`,
            })),
            (error) => port.postMessage(SLMessages.make(MSG.SAVE_RESULT, { ok: false, message: saveErrorMessage(error) }))
          );
        },
        [MSG.EXPORT_SOURCES](request) {
          if (!session) throw new Error("EXPORT_SOURCES before OVERLAY_HELLO");
          exportSources(session, request).then(
            (files) => port.postMessage(SLMessages.make(MSG.SAVE_RESULT, { ok: true, files, what: "export" })),
            (error) => port.postMessage(SLMessages.make(MSG.SAVE_RESULT, { ok: false, what: "export", message: saveErrorMessage(error) }))
          );
        },
        [MSG.LIBRARY_QUOTED](request) {
          if (!session) throw new Error("LIBRARY_QUOTED before OVERLAY_HELLO");
          quotedElsewhere(session, request).then((answer) =>
            port.postMessage(SLMessages.make(MSG.LIBRARY_QUOTED_RESULT, { requestId: request.requestId, ...answer })));
        },
        [MSG.CLOSE_OVERLAY]() {
          if (!session) throw new Error("CLOSE_OVERLAY before OVERLAY_HELLO");
          ext.tabs
            .sendMessage(session.tabId, SLMessages.make(MSG.REMOVE_OVERLAY, { session: session.id }), { frameId: 0 })
            .catch(() => {});
          dropSession(session);
        },
      });
    } catch (error) {
      console.error("Sourcelight: bad message from the overlay", error);
      port.disconnect();
    }
  });
  port.onDisconnect.addListener(() => {
    if (session) session.ports.delete(port);
  });
});

/** Only our own overlay page, inside a tab, may connect. Its address has the extension's
 *  static id (Chromium, whatever per-session address it was loaded from: use_dynamic_url) or
 *  the one getURL gives (Firefox's per-install UUID). */
function isOverlayPort(port) {
  const sender = port.sender || {};
  if (sender.id !== ext.runtime.id || !sender.tab || typeof sender.tab.id !== "number") return false;
  let url;
  try {
    url = new URL(String(sender.url));
  } catch (error) {
    return false;
  }
  const own = new URL(ext.runtime.getURL("extension/overlay.html"));
  return url.protocol === own.protocol && url.pathname === own.pathname &&
    (url.host === own.host || url.host === ext.runtime.id);
}

function postState(port, session) {
  const state =
    session.state === "working"
      ? { state: "working" }
      : session.outcome.ok
        ? { state: "done", result: session.outcome.result }
        : { state: "failed", failure: session.outcome.failure };
  try {
    port.postMessage(SLMessages.make(MSG.OVERLAY_STATE, state));
  } catch (error) {
    session.ports.delete(port);
  }
}

// ------------------------------------------------------------------ save
// The article as the overlay shows it after the reader's corrections (marks moved, hidden or
// added): built there, through the overlay's allowlist, from the service's sanitised HTML.
const MAX_ARTICLE_HTML_CHARS = 16 * 1024 * 1024;

/** The session's result with the reader's corrections (from the overlay's request) applied. */
function correctedResult(session, request) {
  if (session.state !== "done" || !session.outcome.ok) throw new Error("There is no clean article to save yet.");
  const result = SLCorrections.apply(session.outcome.result, request && request.corrections);
  const html = request && request.articleHtml;
  if (typeof html === "string" && html.length <= MAX_ARTICLE_HTML_CHARS && result.corrections.count > 0) {
    result.article = { ...result.article, html };
  }
  return result;
}

async function saveCopy(session, request) {
  const result = correctedResult(session, request);
  // Images embedded from the sites the reader allowed (asked on the Save click), placeholders
  // for the rest: the copy loads nothing from the network (images.js).
  const images = await SLImages.embed(result.article.html, {
    fetchImpl: fetch, allowed: (origins) => ext.permissions.contains({ origins }),
  });
  const files = SLSave.cleanCopyFiles({ ...result, article: { ...result.article, html: images.html } },
    new Date().toISOString());
  const saved = await downloadFiles(files);
  // Every save also goes to the library; the downloads stand even if the library cannot.
  const library = await SLClient.saveToLibrary(await SLClient.loadSettings(ext.storage.local), {
    url: session.page.url, html: session.pageHtml, copy: files[0].content,
    corrections: request && request.corrections,
  });
  return { files: saved, library };
}

/** The library's trail of a named source, leaving out the article being read. */
async function quotedElsewhere(session, request) {
  const result = session.outcome && session.outcome.ok ? session.outcome.result : null;
  const articleUrl = result && result.article ? result.article.url : session.page.url;
  const answer = await SLClient.libraryQuoted(await SLClient.loadSettings(ext.storage.local), request.name, articleUrl);
  return answer.ok ? { ok: true, entries: answer.entries } : { ok: false, message: `${answer.failure.title}: ${answer.failure.message}` };
}

async function exportSources(session, request) {
  return downloadFiles(SLExport.exportFiles(correctedResult(session, request), request.format));
}

async function downloadFiles(files) {
  const saved = [];
  for (const file of files) {
    const { url, release } = SLSave.downloadUrl(file.content, file.mime);
    try {
      await ext.downloads.download({ url, filename: file.filename, conflictAction: "uniquify", saveAs: false });
      saved.push(file.filename);
    } finally {
      release();
    }
  }
  return saved;
}

function saveErrorMessage(error) {
  return `The clean copy could not be saved: ${error && error.message ? error.message : error}. Check the browser's download settings and try again.`;
}
