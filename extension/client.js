/* Sourcelight: the extension's settings and its only way to talk to the local service.
 * Used by the background (cleaning a page) and the options page (testing the connection).
 * Every failure becomes a `failure` object {kind, title, message, command?, action?} that the
 * overlay and the options page show as it is: nothing fails silently.
 */
(function (root) {
  "use strict";

  const DEFAULT_PORT = 8765;
  const DEFAULT_ADDRESS = `http://127.0.0.1:${DEFAULT_PORT}`;
  // The host permissions in manifest.json: the service is only ever reached on this machine.
  const ALLOWED_HOSTS = Object.freeze(["127.0.0.1", "localhost"]);
  // Same as the service's default max_html_chars: a larger page is refused before sending.
  const MAX_PAGE_CHARS = 15 * 1024 * 1024;
  const MAX_URL_CHARS = 8192;
  const MIN_TIMEOUT_SECONDS = 1;
  const MAX_TIMEOUT_SECONDS = 300;

  const DEFAULT_SETTINGS = Object.freeze({
    address: DEFAULT_ADDRESS,
    token: "",
    theme: "auto", // auto | light | dark
    categories: Object.freeze({
      person: true, anonymous: true, organization: true, media: true, document: true, unknown: true,
    }),
    timeoutSeconds: 20,
  });
  const THEMES = Object.freeze(["auto", "light", "dark"]);

  /**
   * Check a service address typed by the reader: http on 127.0.0.1 or localhost, with a port.
   * Returns {ok: true, address: "http://127.0.0.1:8765"} or {ok: false, error: "…"}.
   */
  function normaliseAddress(text) {
    let value = typeof text === "string" ? text.trim() : "";
    if (!value) return { ok: false, error: "Enter the service address, e.g. " + DEFAULT_ADDRESS + "." };
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) value = "http://" + value;
    let parsed;
    try {
      parsed = new URL(value);
    } catch (error) {
      return { ok: false, error: `“${text}” is not an address. Use e.g. ${DEFAULT_ADDRESS}.` };
    }
    if (parsed.protocol !== "http:") {
      return { ok: false, error: "The service speaks plain http on this machine: use http://, e.g. " + DEFAULT_ADDRESS + "." };
    }
    if (!ALLOWED_HOSTS.includes(parsed.hostname)) {
      return {
        ok: false,
        error: `Sourcelight only talks to a service on this computer (127.0.0.1 or localhost), not ${parsed.hostname}.`,
      };
    }
    if (parsed.username || parsed.password || (parsed.pathname !== "/" && parsed.pathname !== "") || parsed.search || parsed.hash) {
      return { ok: false, error: "Give only the address and port, e.g. " + DEFAULT_ADDRESS + "." };
    }
    return { ok: true, address: parsed.origin };
  }

  /** Settings as stored, with defaults filled in and bad values replaced by defaults. */
  function withDefaults(stored) {
    const s = stored && typeof stored === "object" ? stored : {};
    const address = normaliseAddress(s.address || DEFAULT_ADDRESS);
    const categories = Object.assign({}, DEFAULT_SETTINGS.categories);
    if (s.categories && typeof s.categories === "object") {
      for (const key of Object.keys(categories)) {
        if (typeof s.categories[key] === "boolean") categories[key] = s.categories[key];
      }
    }
    const timeout = Number(s.timeoutSeconds);
    return {
      address: address.ok ? address.address : DEFAULT_ADDRESS,
      addressError: address.ok ? "" : address.error,
      token: typeof s.token === "string" ? s.token.trim() : "",
      theme: THEMES.includes(s.theme) ? s.theme : DEFAULT_SETTINGS.theme,
      categories,
      timeoutSeconds:
        Number.isFinite(timeout) && timeout >= MIN_TIMEOUT_SECONDS && timeout <= MAX_TIMEOUT_SECONDS
          ? timeout
          : DEFAULT_SETTINGS.timeoutSeconds,
    };
  }

  /** Read the settings from an extension storage area (chrome.storage.local). */
  async function loadSettings(storageArea) {
    const stored = await storageArea.get(Object.keys(DEFAULT_SETTINGS));
    return withDefaults(stored);
  }

  /** The command that starts the service at `address` (the port matters, the host does not). */
  function serveCommands(address) {
    let port = DEFAULT_PORT;
    try {
      port = Number(new URL(address).port || 80);
    } catch (error) {
      /* keep the default */
    }
    return port === DEFAULT_PORT
      ? ["make serve", "sourcelight serve"]
      : [`sourcelight serve --port ${port}`];
  }

  // ------------------------------------------------------------------ failures
  function failure(kind, title, message, extra) {
    return Object.assign({ kind, title, message }, extra || {});
  }

  function notRunning(settings) {
    const commands = serveCommands(settings.address);
    return failure(
      "not_running",
      "The Sourcelight service is not running",
      `Nothing answers at ${settings.address}. Start the service in a terminal` +
        (commands[0] === "make serve" ? " (in the Sourcelight folder):" : ":"),
      { commands }
    );
  }

  function notPaired(message) {
    return failure(
      "not_paired",
      "Sourcelight is not paired with the service",
      message ||
        "The extension has no pairing token yet. Run `sourcelight token` in a terminal and paste the token it prints in the options.",
      { action: "options", commands: ["sourcelight token"] }
    );
  }

  function timedOut(settings) {
    return failure(
      "timeout",
      "The service did not answer in time",
      `No answer from ${settings.address} within ${settings.timeoutSeconds} s. The page may be very large or the service busy: try again, or raise the time limit in the options.`,
      { action: "options" }
    );
  }

  function tooLarge(message) {
    return failure(
      "too_large",
      "This page is too large for Sourcelight",
      message || `The page has more than ${MAX_PAGE_CHARS} characters of HTML, the service's limit.`
    );
  }

  /** The failure for an HTTP error answer of the service (status + its JSON body, if any). */
  function failureFromResponse(status, body, settings) {
    const code = body && typeof body.error === "string" ? body.error : "";
    const said = body && typeof body.message === "string" ? body.message : "";
    const extra = { status, code };
    if (status === 401 || status === 403) {
      return Object.assign(
        notPaired(
          said ||
            "The service refused this extension's token. Run `sourcelight token` (from a " +
              "checkout: `make token`) and paste the token it prints in the options."
        ),
        extra
      );
    }
    if (status === 413 || code === "too_large" || code === "too_complex") {
      return Object.assign(tooLarge(said || undefined), extra);
    }
    if (status === 422 && (code === "no_article" || code === "not_html")) {
      return failure(
        "not_article",
        "No article on this page",
        said || "Sourcelight found no article text on this page.",
        extra
      );
    }
    if (status === 504 || code === "timeout") {
      return Object.assign(timedOut(settings), { message: said || timedOut(settings).message }, extra);
    }
    return failure(
      "service_error",
      "The service could not clean this page",
      (said || `The service answered with HTTP ${status}.`) + (code ? ` (${code}, HTTP ${status})` : ""),
      extra
    );
  }

  /** The failure for a fetch that threw: aborted by our timer, or nobody listening. */
  function failureFromException(error, settings) {
    if (error && (error.name === "AbortError" || error.name === "TimeoutError")) return timedOut(settings);
    return notRunning(settings);
  }

  // ------------------------------------------------------------------ requests
  /**
   * fetch() with a time limit; resolves to {response, body} where body is the parsed JSON or
   * null. Throws what fetch throws (TypeError when nothing listens, AbortError on time-out).
   */
  async function requestJson(url, init, timeoutMs, fetchImpl) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await (fetchImpl || fetch)(url, Object.assign({}, init, {
        signal: controller.signal,
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
      }));
      const text = await response.text();
      let body = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch (error) {
        body = null;
      }
      return { response, body };
    } finally {
      clearTimeout(timer);
    }
  }

  /** The page's address as the service accepts it (http/https only, bounded), else undefined. */
  function pageUrlForService(href) {
    return typeof href === "string" && /^https?:\/\//i.test(href) && href.length <= MAX_URL_CHARS ? href : undefined;
  }

  /** Why the service cannot be called with these settings (a failure), or null. */
  function cannotCall(settings) {
    if (settings.addressError) {
      return failure("bad_address", "The service address is wrong", settings.addressError, { action: "options" });
    }
    return settings.token ? null : notPaired();
  }

  /**
   * One request to the service with the pairing token: {ok: true, body} or {ok: false,
   * failure} for a network failure, a time-out or an error status; never rejects.
   */
  async function callService(settings, path, init, fetchImpl) {
    let answer;
    try {
      answer = await requestJson(
        settings.address + path,
        { ...init, headers: { ...(init.headers || {}), Authorization: "Bearer " + settings.token } },
        settings.timeoutSeconds * 1000,
        fetchImpl
      );
    } catch (error) {
      return { ok: false, failure: failureFromException(error, settings) };
    }
    const { response, body } = answer;
    if (!response.ok) return { ok: false, failure: failureFromResponse(response.status, body, settings) };
    return { ok: true, body };
  }

  /**
   * POST the page to /v1/clean. Resolves to {ok: true, result} or {ok: false, failure}; never
   * rejects.
   */
  async function cleanPage(settings, page, fetchImpl) {
    const refused = cannotCall(settings);
    if (refused) return { ok: false, failure: refused };
    if (typeof page.html !== "string" || page.html.length > MAX_PAGE_CHARS) {
      return { ok: false, failure: tooLarge(`The page has ${page.html.length} characters of HTML, over the limit of ${MAX_PAGE_CHARS}.`) };
    }
    const call = await callService(settings, "/v1/clean", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ url: pageUrlForService(page.url), html: page.html }),
    }, fetchImpl);
    if (!call.ok) return call;
    const problem = checkResult(call.body);
    if (problem) {
      return { ok: false, failure: failure("service_error", "The service's answer makes no sense", problem) };
    }
    return { ok: true, result: call.body };
  }

  /**
   * Keep a saved copy in the service's library: POST /v1/library with the page (cleaned again
   * there, in one transaction with the copy and the corrections). Resolves to {ok: true, id}
   * or {ok: false, failure}; never rejects.
   */
  async function saveToLibrary(settings, page, fetchImpl) {
    const refused = cannotCall(settings);
    if (refused) return { ok: false, failure: refused };
    const call = await callService(settings, "/v1/library", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        url: pageUrlForService(page.url), html: page.html, copy: page.copy,
        corrections: page.corrections || undefined,
      }),
    }, fetchImpl);
    if (!call.ok) return call;
    if (!call.body || !Number.isInteger(call.body.id)) {
      return { ok: false, failure: failure("service_error", "The service's answer makes no sense", "The library did not say which entry it saved.") };
    }
    return { ok: true, id: call.body.id };
  }

  /**
   * Where else was this named source quoted: GET /v1/library/quoted. Resolves to
   * {ok: true, entries} (earliest first) or {ok: false, failure}; never rejects.
   */
  async function libraryQuoted(settings, name, excludeUrl, fetchImpl) {
    if (settings.addressError || !settings.token) return { ok: false, failure: notPaired() };
    const params = new URLSearchParams({ name: String(name).slice(0, 500) });
    const exclude = pageUrlForService(excludeUrl);
    if (exclude) params.set("exclude_url", exclude);
    const call = await callService(settings, "/v1/library/quoted?" + params, { method: "GET" }, fetchImpl);
    if (!call.ok) return call;
    return { ok: true, entries: call.body && Array.isArray(call.body.entries) ? call.body.entries : [] };
  }

  /** "" when `body` has the shape of a /v1/clean answer, else what is wrong with it. */
  function checkResult(body) {
    if (!body || typeof body !== "object") return "The answer is not a JSON object.";
    const article = body.article;
    if (!article || typeof article !== "object") return "The answer has no article.";
    if (typeof article.html !== "string" || typeof article.text !== "string") {
      return "The article has no HTML or text.";
    }
    for (const key of ["sources", "attributions", "links"]) {
      if (body[key] !== undefined && !Array.isArray(body[key])) return `"${key}" is not a list.`;
    }
    return "";
  }

  /**
   * For the options page: is the service up, and does it accept our token?
   * Resolves to {ok, title, message, version?, failure?}.
   */
  async function testConnection(settings, fetchImpl) {
    const timeoutMs = Math.min(settings.timeoutSeconds, 10) * 1000;
    let health;
    try {
      health = await requestJson(settings.address + "/v1/health", { method: "GET" }, timeoutMs, fetchImpl);
    } catch (error) {
      return { ok: false, failure: failureFromException(error, settings) };
    }
    if (!health.response.ok || !health.body || typeof health.body.name !== "string") {
      return {
        ok: false,
        failure: failure(
          "service_error",
          "Something else answers at this address",
          `${settings.address}/v1/health answered HTTP ${health.response.status}, not the Sourcelight service.`
        ),
      };
    }
    const version = `${health.body.name} ${health.body.version || ""}`.trim();
    if (!settings.token) return { ok: false, version, failure: notPaired() };
    // A tiny page exercises the token check exactly as a real request does.
    const probe = await cleanPage(
      settings,
      { url: undefined, html: "<!DOCTYPE html><title>Sourcelight</title><p>Connection test.</p>" },
      fetchImpl
    );
    if (!probe.ok && ["not_paired", "not_running", "timeout", "bad_address"].includes(probe.failure.kind)) {
      return { ok: false, version, failure: probe.failure };
    }
    return { ok: true, version, title: "Connected and paired", message: `${version} at ${settings.address} accepts this extension's token.` };
  }

  const api = Object.freeze({
    DEFAULT_ADDRESS, DEFAULT_PORT, DEFAULT_SETTINGS, MAX_PAGE_CHARS, THEMES,
    normaliseAddress, withDefaults, loadSettings, serveCommands, failureFromResponse,
    failureFromException, cleanPage, saveToLibrary, libraryQuoted, testConnection, checkResult, pageUrlForService, notPaired,
    notRunning, tooLarge, timedOut,
  });
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.SLClient = api;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
