/* Sourcelight content script: injected on demand (toolbar button or shortcut) into the active
 * tab. Idempotent: injecting it again toggles the overlay instead of adding a second one.
 *
 * It reads the live page (the DOM after the page's scripts ran, and its address), hands it to
 * the background, and hosts the overlay: a closed shadow root holding a progress note and an
 * extension-origin iframe (extension/overlay.html) that renders the result. Page CSS cannot
 * reach into the shadow root or the iframe, and page scripts can read neither: the result goes
 * from the background to the iframe directly, never through this page.
 *
 * Nothing in the page is changed but the one host element, which Close/Esc removes.
 */
(() => {
  "use strict";

  if (globalThis.__sourcelightOverlay) {
    globalThis.__sourcelightOverlay.toggle();
    return;
  }

  const ext = globalThis.browser || globalThis.chrome;
  const { MSG } = SLMessages;
  // If the overlay page has not loaded after this long, say so instead of waiting forever.
  const FRAME_LOAD_LIMIT_MS = 10000;
  const REMOVE_DELAY_MS = 100;

  let current = null; // {session, host, frame, previousFocus, timer}

  globalThis.__sourcelightOverlay = Object.freeze({ toggle: () => (current ? close() : open()) });

  ext.runtime.onMessage.addListener((message) => {
    SLMessages.dispatch(message, {
      [MSG.REMOVE_OVERLAY](remove) {
        if (current && current.session === remove.session) close();
      },
    });
    return false;
  });

  /** The page as the reader sees it now: doctype + live DOM, and its address. */
  function readPage() {
    const doctype = document.doctype ? new XMLSerializer().serializeToString(document.doctype) + "\n" : "";
    return { html: doctype + document.documentElement.outerHTML, url: location.href, title: document.title };
  }

  function open() {
    const page = readPage(); // before the host is added, so the service never sees it
    const session = newSessionId();
    const { host, frame, note } = buildHost(session);
    current = { session, host, frame, note, previousFocus: document.activeElement, timer: 0 };
    document.documentElement.appendChild(host);
    raise();
    document.addEventListener("keydown", onKeyDown, true);
    // Whatever the page puts in the top layer later (a popover, a modal dialog, full screen)
    // would be drawn over the overlay: it is raised above it again.
    document.addEventListener("toggle", onTopLayerChange, true);
    document.addEventListener("fullscreenchange", onTopLayerChange, true);

    current.timer = setTimeout(() => {
      note.textContent = "The Sourcelight panel did not load. Press Esc to close it and click the Sourcelight button again.";
    }, FRAME_LOAD_LIMIT_MS);
    frame.addEventListener("load", () => {
      clearTimeout(current && current.timer);
      frame.focus();
    }, { once: true });

    ext.runtime
      .sendMessage(SLMessages.make(MSG.CLEAN_PAGE, { session, url: page.url, html: page.html, title: page.title }))
      .then((reply) => {
        if (reply && reply.ok === false) note.textContent = `Sourcelight could not start: ${reply.error}`;
      })
      .catch((error) => {
        note.textContent = `Sourcelight could not reach its background (${error.message}). Reload the page and try again.`;
      });
  }

  /** A random v4 UUID. crypto.randomUUID() exists only in secure contexts, and many news
   *  sites are still plain http; getRandomValues works everywhere. */
  function newSessionId() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** The host element: fixed over the whole viewport, with a closed shadow root. */
  function buildHost(session) {
    const host = document.createElement("div");
    host.setAttribute("data-sourcelight", "");
    // A manual popover: shown in the top layer (raise()), never light-dismissed by the page.
    host.setAttribute("popover", "manual");
    // Inline !important beats any page rule, so page CSS cannot hide or move the overlay.
    host.style.cssText =
      "all: initial !important; position: fixed !important; inset: 0 !important; z-index: 2147483647 !important;" +
      " display: block !important; width: 100vw !important; height: 100vh !important; margin: 0 !important;" +
      " border: 0 !important; padding: 0 !important; transform: none !important; opacity: 1 !important;" +
      " visibility: visible !important; pointer-events: auto !important; contain: strict !important;";
    const shadow = host.attachShadow({ mode: "closed" });

    // A constructed style sheet, not a <style> element: a page's CSP (style-src) governs
    // style elements, never style sheets built through the CSSOM.
    const css = `
      :host { all: initial; }
      .backdrop { position: absolute; inset: 0; background: rgba(20, 20, 24, 0.55); display: flex;
        align-items: center; justify-content: center; }
      .note { font: 16px/1.5 system-ui, sans-serif; color: #1d1d1f; background: #fdfcf9; padding: 1rem 1.5rem;
        border-radius: 8px; max-width: 32rem; box-shadow: 0 8px 30px rgba(0,0,0,.3); }
      iframe { position: absolute; inset: 0; width: 100%; height: 100%; border: 0; background: transparent;
        color-scheme: normal; }
    `;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      shadow.adoptedStyleSheets = [sheet];
    } catch (error) {
      // Firefox's content-script sandbox may refuse a sheet from its own global.
      const style = document.createElement("style");
      style.textContent = css;
      shadow.append(style);
    }
    const backdrop = document.createElement("div");
    backdrop.className = "backdrop";
    const note = document.createElement("div");
    note.className = "note";
    note.setAttribute("role", "status");
    note.textContent = "Sourcelight is reading this page…";
    backdrop.appendChild(note);

    const frame = document.createElement("iframe");
    frame.title = "Sourcelight: the article and its sources";
    frame.setAttribute("allowtransparency", "true");
    // A cross-origin frame may write to the clipboard only when its embedder allows it
    // ("Copy sources", the failure page's "Copy" buttons); reading it is never allowed.
    frame.setAttribute("allow", "clipboard-write");
    frame.src = ext.runtime.getURL("extension/overlay.html") + "#" + session;

    shadow.append(backdrop, frame);
    return { host, frame, note };
  }

  function onKeyDown(event) {
    // Focus can be on the page (e.g. before the panel loaded); Esc closes from there too.
    // Only the reader's own key: a page can dispatch a synthetic Escape (isTrusted false).
    if (event.isTrusted && event.key === "Escape" && current) {
      event.stopPropagation();
      event.preventDefault();
      close();
    }
  }

  /**
   * Put the host in the top layer, last: it is drawn over every element of the page whatever
   * its z-index, and over what the page put in the top layer before. Browsers without the
   * popover API keep the maximal z-index only.
   */
  function raise() {
    if (!current || typeof current.host.showPopover !== "function") return;
    const { host } = current;
    try {
      if (host.matches(":popover-open")) host.hidePopover();
      host.showPopover();
    } catch (error) {
      /* the host left the document (the page removed it): nothing to raise */
    }
  }

  /** A popover or dialog opened or closed, or full screen changed: raise the overlay again
   *  unless the change was its own opening. A page hiding the overlay's popover brings it back. */
  function onTopLayerChange(event) {
    if (!current) return;
    if (event.type === "toggle" && event.target === current.host && event.newState === "open") return;
    raise();
  }

  /** Remove the overlay and give focus back where it was: the page is as before. */
  function close() {
    if (!current) return;
    const { session, host, previousFocus, timer } = current;
    current = null;
    clearTimeout(timer);
    document.removeEventListener("keydown", onKeyDown, true);
    document.removeEventListener("toggle", onTopLayerChange, true);
    document.removeEventListener("fullscreenchange", onTopLayerChange, true);
    // Hidden at once, removed a moment later: a key event the panel is still handling (the
    // Esc that closed it) must find its frame alive, or the browser waits for it forever.
    host.style.setProperty("display", "none", "important");
    if (previousFocus && previousFocus !== document.body && previousFocus.isConnected && typeof previousFocus.focus === "function") {
      previousFocus.focus({ preventScroll: true });
    } else {
      window.focus();
    }
    setTimeout(() => host.remove(), REMOVE_DELAY_MS);
    ext.runtime.sendMessage(SLMessages.make(MSG.SESSION_ENDED, { session })).catch(() => {});
  }

  open();
})();
