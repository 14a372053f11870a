/* Sourcelight: how a cleaning result is put into words, shared by the overlay (in the page's
 * tab) and the saved copy (built in the background): category names and cues, the sourcing
 * summary line, the article's metadata line, attribution details and file names.
 * Pure functions only: no DOM, no extension API, so Node's test runner loads it too.
 */
(function (root) {
  "use strict";

  // Category of a source entity (the service's `category`) -> how the reader sees it.
  // `letter` is the non-colour cue shown on each highlight; `line` the underline style.
  const CATEGORIES = Object.freeze({
    person: { label: "Person", plural: "people", one: "person", letter: "P", line: "solid" },
    anonymous: { label: "Anonymous", plural: "anonymous", one: "anonymous", letter: "A", line: "dashed" },
    organization: { label: "Organization", plural: "organizations", one: "organization", letter: "O", line: "double" },
    media: { label: "Media", plural: "media", one: "media", letter: "M", line: "dotted" },
    document: { label: "Document", plural: "documents", one: "document", letter: "D", line: "wavy" },
    unknown: { label: "Unknown", plural: "unknown", one: "unknown", letter: "?", line: "solid" },
  });
  const CATEGORY_ORDER = Object.freeze(Object.keys(CATEGORIES));

  const LINK_KINDS = Object.freeze({
    media: "media",
    primary: "primary source",
    social: "social media",
    "same-site": "same site",
    other: "other",
  });

  // How sure the service is, in words: the one place that turns a confidence into words.
  // Thresholds from the highest down; the first one a confidence reaches gives its word.
  // "uncertain" itself is not a word here: the overlay's "Show uncertain" names the marks the
  // service left out (candidates), and a marked attribution must never read the same way.
  const CONFIDENCE_WORDS = Object.freeze([
    Object.freeze([0.85, "very likely"]),
    Object.freeze([0.7, "likely"]),
    Object.freeze([0.5, "possible"]),
    Object.freeze([0, "doubtful"]),
  ]);

  /** "very likely" / "likely" / "possible" / "doubtful" for a confidence in [0, 1]; "" for none. */
  function confidenceWord(confidence) {
    if (typeof confidence !== "number" || !Number.isFinite(confidence)) return "";
    for (const [threshold, word] of CONFIDENCE_WORDS) if (confidence >= threshold) return word;
    return CONFIDENCE_WORDS[CONFIDENCE_WORDS.length - 1][1];
  }

  /** The category entry for a service category; anything unknown reads as "unknown". */
  function category(name) {
    return Object.prototype.hasOwnProperty.call(CATEGORIES, name) ? CATEGORIES[name] : CATEGORIES.unknown;
  }

  /** The category key to use for a service category (unknown names become "unknown"). */
  function categoryKey(name) {
    return Object.prototype.hasOwnProperty.call(CATEGORIES, name) ? name : "unknown";
  }

  function plural(count, one, many) {
    return `${count} ${count === 1 ? one : many}`;
  }

  /**
   * The sourcing summary on top of the sources panel, e.g.
   * "9 sources · 3 anonymous mentions · 2 people · 3 organizations · 3 media".
   * Counts come from the service's `summary`, falling back to counting `sources`.
   */
  function summaryLine(summary, sources) {
    const list = Array.isArray(sources) ? sources : [];
    const s = summary && typeof summary === "object" ? summary : {};
    const total = Number.isInteger(s.sources) ? s.sources : list.length;
    if (total === 0) return "No attributed sources found";
    const byCategory = {};
    if (s.by_category && typeof s.by_category === "object") {
      for (const [name, count] of Object.entries(s.by_category)) {
        if (Number.isInteger(count)) byCategory[categoryKey(name)] = (byCategory[categoryKey(name)] || 0) + count;
      }
    } else {
      for (const source of list) {
        const key = categoryKey(source && source.category);
        byCategory[key] = (byCategory[key] || 0) + 1;
      }
    }
    let anonymousMentions = s.anonymous_mentions;
    if (!Number.isInteger(anonymousMentions)) {
      anonymousMentions = list
        .filter((source) => source && source.category === "anonymous")
        .reduce((n, source) => n + (Array.isArray(source.mentions) ? source.mentions.length : 0), 0);
    }
    const parts = [plural(total, "source", "sources")];
    if (anonymousMentions > 0) parts.push(plural(anonymousMentions, "anonymous mention", "anonymous mentions"));
    for (const key of CATEGORY_ORDER) {
      if (key === "anonymous" || !byCategory[key]) continue;
      parts.push(plural(byCategory[key], CATEGORIES[key].one, CATEGORIES[key].plural));
    }
    return parts.join(" · ");
  }

  /** "27 November 2025, 10:51" style date for an ISO 8601 string; the string itself if unparsable. */
  function formatPublished(iso, locale) {
    if (typeof iso !== "string" || !iso) return "";
    const when = new Date(iso);
    if (Number.isNaN(when.getTime())) return iso;
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(iso);
    const options = dateOnly
      ? { dateStyle: "long", timeZone: "UTC" }
      : { dateStyle: "long", timeStyle: "short" };
    try {
      return new Intl.DateTimeFormat(locale || undefined, options).format(when);
    } catch (error) {
      return iso;
    }
  }

  /** Display name of a language tag ("en" -> "English"); the tag itself when unknown. */
  function languageName(tag, locale) {
    if (typeof tag !== "string" || !tag) return "";
    try {
      const names = new Intl.DisplayNames([locale || "en"], { type: "language" });
      return names.of(tag) || tag;
    } catch (error) {
      return tag;
    }
  }

  /**
   * The article's metadata as labelled parts, in reading order; empty fields are left out.
   * [{key, label, text}] — the overlay and the saved copy lay them out their own way.
   */
  function metadataParts(article, locale) {
    const a = article || {};
    const parts = [];
    const push = (key, label, text) => {
      if (typeof text === "string" && text.trim()) parts.push({ key, label, text: text.trim() });
    };
    push("byline", "By", a.byline);
    push("site", "Site", a.site_name);
    push("published", "Published", formatPublished(a.published, locale));
    const place = [a.dateline, a.wire_service].filter((x) => typeof x === "string" && x).join(" · ");
    push("dateline", "Dateline", place);
    push("lang", "Language", languageName(a.lang, locale));
    if (Number.isInteger(a.reading_minutes) && a.reading_minutes > 0) {
      push("reading", "Reading time", `${a.reading_minutes} min read`);
    }
    return parts;
  }

  /** The text of a [start, end) span of `text`, or "" for a missing or bad span. */
  function spanText(text, span) {
    if (typeof text !== "string" || !Array.isArray(span) || span.length !== 2) return "";
    const [start, end] = span;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) return "";
    return text.slice(start, end);
  }

  /**
   * Per attribution id, what a reader is shown about it: the entity's name and category, the
   * words of the mention, the cue, the content, the anonymity reason.
   */
  function attributionDetails(result, options) {
    const text = (result && result.article && result.article.text) || "";
    const entities = new Map();
    for (const source of (result && result.sources) || []) {
      if (source && typeof source.id === "string") entities.set(source.id, source);
    }
    const details = new Map();
    const marked = ((result && result.attributions) || []).map((a) => [a, false]);
    // Candidates (below the service's threshold) only when asked: the saved copy and the
    // summary count marked attributions alone.
    const uncertain = options && options.candidates && Array.isArray(result && result.candidates)
      ? result.candidates.map((a) => [a, true]) : [];
    for (const [attribution, candidate] of [...marked, ...uncertain]) {
      if (!attribution || typeof attribution.id !== "string") continue;
      const entity = entities.get(attribution.entity) || {};
      const key = categoryKey(entity.category);
      details.set(attribution.id, {
        id: attribution.id,
        entity: typeof attribution.entity === "string" ? attribution.entity : "",
        name: entity.name || spanText(text, attribution.source) || "Unknown source",
        category: key,
        categoryLabel: CATEGORIES[key].label,
        mention: spanText(text, attribution.source),
        cue: spanText(text, attribution.cue),
        content: spanText(text, attribution.content),
        type: attribution.type || "",
        reason: key === "anonymous" ? entity.anonymity_reason || "" : "",
        stateMedia: entity.state_media === true,
        role: typeof entity.role === "string" ? entity.role : "",
        candidate,
        corrected: typeof attribution.corrected === "string" ? attribution.corrected : "",
        confidence: typeof attribution.confidence === "number" ? attribution.confidence : null,
        sureness: confidenceWord(attribution.confidence),
        evidence: Array.isArray(attribution.evidence) ? attribution.evidence.filter((e) => typeof e === "string") : [],
        end: Math.max(
          ...[attribution.source, attribution.cue, attribution.content]
            .filter((span) => Array.isArray(span) && Number.isInteger(span[1]))
            .map((span) => span[1]),
          0
        ),
      });
    }
    return details;
  }

  /** One line describing an attribution, for tooltips and footnotes. */
  function describeAttribution(d) {
    const parts = [`${d.name} (${d.categoryLabel.toLowerCase()}${d.stateMedia ? ", state media" : ""})`];
    if (d.cue) parts.push(`cue: “${d.cue}”`);
    if (d.reason) parts.push(`anonymity: ${d.reason}`);
    return parts.join(" — ");
  }

  // Characters no file system likes in a name, plus controls.
  const BAD_FILE_CHARS = /[<>:"/\\|?*\u0000-\u001f\u007f]+/g;
  const MAX_STEM_CHARS = 80;
  // Device names Windows reserves in any case (COM and LPT with a digit 0-9; ¹²³ fold to digits
  // under NFKC before this is checked).
  const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/;

  /**
   * A file name stem from the article's title ("Trump asks …" -> "trump-asks-…"); letters of
   * every script are kept, punctuation and spaces become single dashes; the URL's last path
   * part, then "article", when the title gives nothing.
   */
  function fileStem(title, url) {
    const fromTitle = slug(title);
    if (fromTitle) return fromTitle;
    if (typeof url === "string") {
      try {
        const parts = new URL(url).pathname.split("/").filter(Boolean);
        const fromUrl = slug(decodeURIComponent(parts[parts.length - 1] || "").replace(/\.[a-z0-9]+$/i, ""));
        if (fromUrl) return fromUrl;
      } catch (error) {
        /* not a URL: fall through */
      }
    }
    return "article";
  }

  function slug(text) {
    if (typeof text !== "string") return "";
    let s = text
      .normalize("NFKC")
      .toLowerCase()
      .replace(BAD_FILE_CHARS, " ")
      .replace(/['’‘`"“”]/g, "")
      .replace(/[^\p{L}\p{N}]+/gu, "-")
      .replace(/^-+|-+$/g, "");
    if (s.length > MAX_STEM_CHARS) {
      s = s.slice(0, MAX_STEM_CHARS);
      const cut = s.lastIndexOf("-");
      if (cut > MAX_STEM_CHARS / 2) s = s.slice(0, cut);
      s = s.replace(/-+$/g, "");
    }
    // A name made only of dots is a path, not a file.
    if (/^\.*$/.test(s)) return "";
    // Windows reserves device names whatever the extension ("con.html" opens the console), and
    // Chrome refuses to download to them: such a stem gets a suffix.
    return WINDOWS_RESERVED.test(s) ? `${s}-article` : s;
  }

  function escapeHtml(value) {
    return String(value == null ? "" : value)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  const api = Object.freeze({
    CATEGORIES, CATEGORY_ORDER, LINK_KINDS, CONFIDENCE_WORDS, confidenceWord, category, categoryKey, plural, summaryLine,
    formatPublished, languageName, metadataParts, spanText, attributionDetails,
    describeAttribution, fileStem, escapeHtml,
  });
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.SLPresent = api;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
