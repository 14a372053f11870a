/* Sourcelight: every message that passes between the background, the content script, the
 * overlay and the options page, in one place. A message is a plain object {type, ...fields};
 * a type that is not listed here is a bug (or someone else talking), so it throws.
 *
 * Loaded as a classic script by the background (importScripts / background.scripts), the
 * content script (chrome.scripting), the overlay and options pages (<script>), and by Node's
 * test runner (module.exports).
 */
(function (root) {
  "use strict";

  // type -> the fields it must carry (each checked for presence; values are checked by the
  // receiver, which knows what it expects).
  const TYPES = Object.freeze({
    // content script -> background: the page to clean (once per overlay session).
    CLEAN_PAGE: ["session", "url", "html", "title"],
    // overlay -> background (port): "I am the overlay for this session, send me its state".
    OVERLAY_HELLO: ["session"],
    // background -> overlay (port): the session's state: working | done (result or failure).
    OVERLAY_STATE: ["state"],
    // overlay -> background (port): save the clean copy (HTML + Markdown) to Downloads;
    // optional `corrections` (the reader's) and `articleHtml` (the article as corrected).
    SAVE_COPY: [],
    // overlay -> background (port): download the sources as `format` "csv" | "json";
    // optional `corrections`.
    EXPORT_SOURCES: ["format"],
    // background -> overlay (port): what the save did.
    SAVE_RESULT: ["ok"],
    // overlay -> background (port): where else was this named source quoted (the library)?
    LIBRARY_QUOTED: ["requestId", "name"],
    // background -> overlay (port): the saved articles quoting it ({ok, entries} or
    // {ok: false, message}).
    LIBRARY_QUOTED_RESULT: ["requestId", "ok"],
    // overlay -> background (port): the reader closed the overlay.
    CLOSE_OVERLAY: [],
    // background -> content script: remove the overlay of this session.
    REMOVE_OVERLAY: ["session"],
    // content script -> background: the overlay of this session is gone.
    SESSION_ENDED: ["session"],
  });

  const MSG = Object.freeze(
    Object.fromEntries(Object.keys(TYPES).map((name) => [name, name]))
  );

  class UnknownMessageError extends Error {}

  /** A message of a known type with its fields; throws on an unknown type or a missing field. */
  function make(type, fields) {
    return check(Object.assign({ type }, fields || {}));
  }

  /** Return `message` if it is a known, well-formed message; throw otherwise. */
  function check(message) {
    if (message === null || typeof message !== "object" || Array.isArray(message)) {
      throw new UnknownMessageError("Sourcelight message is not an object");
    }
    const type = message.type;
    if (typeof type !== "string" || !Object.prototype.hasOwnProperty.call(TYPES, type)) {
      throw new UnknownMessageError(
        "Unknown Sourcelight message type: " + JSON.stringify(String(type)).slice(0, 80)
      );
    }
    for (const field of TYPES[type]) {
      if (!(field in message)) {
        throw new UnknownMessageError(`Sourcelight message ${type} lacks "${field}"`);
      }
    }
    return message;
  }

  /**
   * Call handlers[message.type](message, ...rest) after checking the message; a type the
   * receiver has no handler for throws too (it was sent to the wrong place).
   */
  function dispatch(message, handlers, ...rest) {
    check(message);
    const handler = handlers[message.type];
    if (typeof handler !== "function") {
      throw new UnknownMessageError(`Sourcelight message ${message.type} is not handled here`);
    }
    return handler(message, ...rest);
  }

  const api = Object.freeze({ MSG, TYPES, make, check, dispatch, UnknownMessageError });
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.SLMessages = api;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
