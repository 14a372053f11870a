/* Sourcelight: the clean copy a reader saves — a self-contained HTML file (article, metadata,
 * highlights and sources as static HTML + CSS, no script at all) and Markdown with front matter
 * and the attributions as footnotes. Pure string building: it runs in the background service
 * worker, which has no DOM, and in Node's test runner.
 */
(function (root) {
  "use strict";

  const present =
    typeof module === "object" && module.exports ? require("./present.js") : root.SLPresent;
  const corrections =
    typeof module === "object" && module.exports ? require("./corrections.js") : root.SLCorrections;
  const { CATEGORIES, escapeHtml } = present;

  // Colours per category, light theme (the saved copy is for reading and printing).
  const COLOURS = Object.freeze({
    person: "#cfe3ff", anonymous: "#ffd9b3", organization: "#d3f0d0",
    media: "#ead7ff", document: "#c9f0ee", unknown: "#e4e4e4",
  });
  const ID_PATTERN = /^[A-Za-z0-9_-]{1,40}$/;

  // The saved page loads nothing at all: its images are embedded (images.js), no script, no
  // frame, no form target.
  const SAVED_CSP =
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

  const SAVED_CSS = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fdfcf9; --muted: #5f5f66; --rule: #d8d5cc; }
@media (prefers-color-scheme: dark) { :root { --fg: #ecebe7; --bg: #1c1c1e; --muted: #a8a8ae; --rule: #3a3a3e; } }
body { margin: 0; background: var(--bg); color: var(--fg); font: 18px/1.6 Georgia, "Iowan Old Style", "Noto Serif", serif; }
.page { max-width: 44rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
header.meta { font: 14px/1.5 system-ui, sans-serif; color: var(--muted); border-bottom: 1px solid var(--rule); padding-bottom: 1rem; }
header.meta h1 { font: 700 2rem/1.2 Georgia, serif; color: var(--fg); margin: 0 0 .5rem; }
header.meta dl { display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: 0; }
header.meta dt { position: absolute; left: -9999px; }
header.meta dd { margin: 0; }
.summary { font: 600 15px/1.4 system-ui, sans-serif; margin: 1rem 0 0; }
article img { max-width: 100%; height: auto; }
.sl-image-missing { display: inline-block; font: 14px/1.4 system-ui, sans-serif; color: var(--muted); border: 1px dashed var(--rule); padding: .5rem; }
article figure { margin: 1.5rem 0; } figcaption { font-size: 14px; color: var(--muted); }
mark { background: none; color: inherit; }
@media (prefers-color-scheme: dark) { mark[class] { color: #111; } }
mark.sl-source { font-weight: 600; text-decoration: underline 2px; text-underline-offset: 3px; }
mark.sl-cue { font-style: italic; text-decoration: underline 1px; }
aside.sources, section.links { font: 15px/1.5 system-ui, sans-serif; border-top: 1px solid var(--rule); margin-top: 2rem; }
aside.sources li, section.links li { margin: .5rem 0; }
.badge { display: inline-block; font: 700 11px/1.6 system-ui, sans-serif; text-transform: uppercase; letter-spacing: .04em; padding: 0 .4em; border-radius: 3px; color: #111; margin-right: .4em; }
.reason, .mentions { color: var(--muted); }
mark.sl-corrected { outline: 2px dashed #8a5a00; outline-offset: 1px; }
section.corrections { font: 15px/1.5 system-ui, sans-serif; border-top: 1px solid var(--rule); margin-top: 2rem; }
footer { font: 13px/1.5 system-ui, sans-serif; color: var(--muted); margin-top: 2rem; }
@media print { body { background: #fff; color: #000; } }
`;

  /** CSS giving each entity's marks its category colour and line style. */
  function entityCss(sources) {
    const rules = [];
    for (const source of sources || []) {
      if (!source || !ID_PATTERN.test(String(source.id))) continue;
      const key = present.categoryKey(source.category);
      const colour = COLOURS[key];
      const line = CATEGORIES[key].line;
      rules.push(
        `mark[data-entity="${source.id}"] { background: ${colour}; text-decoration-style: ${line}; }`,
        `mark.sl-content[data-entity="${source.id}"] { background: ${colour}80; }`
      );
    }
    for (const [key, colour] of Object.entries(COLOURS)) {
      rules.push(`.badge.cat-${key} { background: ${colour}; }`);
    }
    return rules.join("\n");
  }

  /** Mentions of an entity as "“said” — …content…" lines, in article order. */
  function mentionLines(source, details) {
    return (source.mentions || [])
      .map((id) => details.get(id))
      .filter(Boolean)
      .map((d) => {
        const said = d.content.length > 160 ? d.content.slice(0, 157).trimEnd() + "…" : d.content;
        return `${d.mention || d.name}${d.cue ? " " + d.cue : ""}${said ? ": “" + said + "”" : ""}`;
      });
  }

  /**
   * The standalone HTML copy. `article.html` is the service's sanitised markup (nh3 allowlist,
   * no script, no event handlers); everything else is escaped here, and the page's CSP forbids
   * script anyway. `savedAt` is an ISO string (passed in so the output is reproducible).
   */
  function buildHtml(result, savedAt) {
    const article = result.article || {};
    const sources = Array.isArray(result.sources) ? result.sources : [];
    const links = Array.isArray(result.links) ? result.links : [];
    const details = present.attributionDetails(result);
    const title = article.title || "Untitled article";
    const meta = present.metadataParts(article, "en")
      .map((p) => `<dt>${escapeHtml(p.label)}</dt><dd class="${escapeHtml(p.key)}">${escapeHtml(p.text)}</dd>`)
      .join("");
    const sourceItems = sources
      .map((source) => {
        const key = present.categoryKey(source.category);
        const count = (source.mentions || []).length;
        const lines = mentionLines(source, details)
          .map((line) => `<li>${escapeHtml(line)}</li>`)
          .join("");
        return (
          `<li><span class="badge cat-${key}">${escapeHtml(CATEGORIES[key].label)}</span>` +
          `<strong>${escapeHtml(source.name || "Unknown source")}</strong>` +
          (source.state_media ? ` <span class="mentions">(state media)</span>` : "") +
          ` <span class="mentions">· ${escapeHtml(present.plural(count, "mention", "mentions"))}</span>` +
          (key === "anonymous" && source.anonymity_reason
            ? `<div class="reason">Anonymity: ${escapeHtml(source.anonymity_reason)}</div>`
            : "") +
          (lines ? `<ul class="mention-list">${lines}</ul>` : "") +
          `</li>`
        );
      })
      .join("");
    const linkItems = links
      .filter((link) => link && /^https?:\/\//i.test(String(link.href)))
      .map(
        (link) =>
          `<li><span class="badge cat-unknown">${escapeHtml(present.LINK_KINDS[link.kind] || link.kind || "link")}</span>` +
          `<a href="${escapeHtml(link.href)}" rel="noopener noreferrer">${escapeHtml(link.text || link.href)}</a></li>`
      )
      .join("");
    const original = article.url && /^https?:\/\//i.test(article.url)
      ? `<a href="${escapeHtml(article.url)}" rel="noopener noreferrer">${escapeHtml(article.url)}</a>`
      : "unknown address";
    return `<!DOCTYPE html>
<html lang="${escapeHtml(article.lang || "und")}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${SAVED_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Sourcelight">
<title>${escapeHtml(title)}</title>
<style>${SAVED_CSS}
${entityCss(sources)}
</style>
</head>
<body>
<div class="page">
<header class="meta">
<h1>${escapeHtml(title)}</h1>
<dl>${meta}</dl>
<p class="summary">${escapeHtml(present.summaryLine(result.summary, sources))}</p>
</header>
<article lang="${escapeHtml(article.lang || "und")}">
${article.html || ""}
</article>
<aside class="sources">
<h2>Sources</h2>
<ul>${sourceItems || "<li>No attributed sources found.</li>"}</ul>
</aside>
${correctionsSection(result)}
${linkItems ? `<section class="links"><h2>Cited links</h2><ul>${linkItems}</ul></section>` : ""}
<footer>Saved with Sourcelight on ${escapeHtml(savedAt)} from ${original}.</footer>
</div>
</body>
</html>
`;
  }

  /** "Reader's corrections": what the reader changed, so the copy never passes them off as
   *  the service's findings. Empty when nothing was corrected. */
  function correctionsSection(result) {
    const lines = result.corrections && result.corrections.count ? corrections.describe(result) : [];
    if (!lines.length) return "";
    return `<section class="corrections"><h2>Reader's corrections</h2>` +
      `<p>Marks outlined with a dashed line were corrected by the reader.</p>` +
      `<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join("")}</ul></section>`;
  }

  // ------------------------------------------------------------------ Markdown
  // Characters YAML may not hold raw in a double-quoted scalar (C0 and C1 controls, DEL,
  // U+FFFE/U+FFFF, lone surrogates): JSON escapes only C0, and YAML reads \uXXXX as JSON does.
  // The same set as the service's render.yaml_string.
  const YAML_UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

  /** A YAML double-quoted scalar that every YAML parser accepts, whatever a title holds. */
  function yamlValue(value) {
    return JSON.stringify(value).replace(
      YAML_UNSAFE, (ch) => "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0"));
  }

  /** Escape text so Markdown reads it as text, not as emphasis, links, HTML or footnotes. */
  function escapeMarkdown(text) {
    return text.replace(/[\\`*_[\]<>|]/g, (ch) => "\\" + ch);
  }

  /** Escape what would start a block (heading, quote, list, rule) at the start of a line. */
  function escapeLineStart(line) {
    return line
      .replace(/^(\s*)([#>+-])/, "$1\\$2")
      .replace(/^(\s*\d+)([.)])/, "$1\\$2")
      .replace(/^(\s*)(=+\s*$)/, "$1\\$2");
  }

  /**
   * Markdown with YAML front matter (title, url, byline, published, site, lang, dateline,
   * wire service, sources) and each attribution as a footnote placed where it ends.
   */
  function buildMarkdown(result, savedAt) {
    const article = result.article || {};
    const text = typeof article.text === "string" ? article.text : "";
    const sources = Array.isArray(result.sources) ? result.sources : [];
    const details = present.attributionDetails(result);
    const ordered = [...details.values()].filter((d) => d.end > 0 && d.end <= text.length);
    ordered.sort((a, b) => a.end - b.end || a.id.localeCompare(b.id));

    const front = ["---"];
    const field = (key, value) => {
      if (value !== null && value !== undefined && value !== "") front.push(`${key}: ${yamlValue(value)}`);
    };
    field("title", article.title);
    field("url", article.url);
    field("byline", article.byline);
    field("published", article.published);
    field("site", article.site_name);
    field("lang", article.lang);
    field("dateline", article.dateline);
    field("wire_service", article.wire_service);
    field("saved", savedAt);
    field("summary", present.summaryLine(result.summary, sources));
    if (result.corrections && result.corrections.count) field("reader_corrections", result.corrections.count);
    if (sources.length) {
      front.push("sources:");
      for (const source of sources) {
        front.push(`  - name: ${yamlValue(source.name || "Unknown source")}`);
        front.push(`    category: ${yamlValue(present.categoryKey(source.category))}`);
        front.push(`    mentions: ${(source.mentions || []).length}`);
        if (source.corrected) front.push(`    corrected: ${yamlValue(source.corrected)}`);
        if (source.state_media) front.push("    state_media: true");
        if (source.category === "anonymous" && source.anonymity_reason) {
          front.push(`    anonymity_reason: ${yamlValue(source.anonymity_reason)}`);
        }
      }
    } else {
      front.push("sources: []");
    }
    front.push("---", "");

    // The body: the article text with a footnote mark after each attribution's last word.
    let body = "";
    let at = 0;
    const labels = new Map();
    for (const d of ordered) {
      labels.set(d.id, labels.size + 1);
      body += escapeMarkdown(text.slice(at, d.end)) + `[^${labels.get(d.id)}]`;
      at = d.end;
    }
    body += escapeMarkdown(text.slice(at));
    const paragraphs = body
      .split(/\n{2,}/)
      .map((p) => p.split("\n").map((line) => escapeLineStart(line.trim())).filter(Boolean).join("  \n"))
      .filter(Boolean);

    const lines = front;
    if (article.title) lines.push(`# ${escapeLineStart(escapeMarkdown(article.title))}`, "");
    lines.push(paragraphs.join("\n\n"), "");

    const links = (Array.isArray(result.links) ? result.links : []).filter((l) => l && /^https?:\/\//i.test(String(l.href)));
    if (links.length) {
      lines.push("## Cited links", "");
      for (const link of links) {
        const kind = present.LINK_KINDS[link.kind] || link.kind || "link";
        lines.push(`- [${escapeMarkdown(link.text || link.href)}](<${String(link.href).replace(/[<>\s]/g, encodeURIComponent)}>) (${kind})`);
      }
      lines.push("");
    }
    const changes = result.corrections && result.corrections.count ? corrections.describe(result) : [];
    if (changes.length) {
      lines.push("## Reader's corrections", "");
      for (const change of changes) lines.push(`- ${escapeMarkdown(change)}`);
      lines.push("");
    }
    for (const d of ordered) {
      // The quoted words first: a footnote that names only who and how is no record of what.
      const words = String(d.content || "").replace(/\s+/g, " ").trim();
      const parts = words ? [`“${escapeMarkdown(words)}”`] : [];
      parts.push(`**${escapeMarkdown(d.name)}** (${d.categoryLabel.toLowerCase()}${d.stateMedia ? ", state media" : ""})`);
      if (d.cue) parts.push(`cue “${escapeMarkdown(d.cue)}”`);
      if (d.type) parts.push(`${d.type} ${d.type === "direct" ? "quote" : "attribution"}`);
      if (d.reason) parts.push(`anonymity: ${escapeMarkdown(d.reason)}`);
      if (d.corrected) parts.push(`corrected by the reader: ${escapeMarkdown(d.corrected)}`);
      lines.push(`[^${labels.get(d.id)}]: ${parts.join(" — ")}`);
    }
    return lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
  }

  /** Both files of a clean copy: [{filename, mime, content}], names from the title. */
  function cleanCopyFiles(result, savedAt) {
    const article = (result && result.article) || {};
    const stem = present.fileStem(article.title, article.url);
    return [
      { filename: `${stem}.html`, mime: "text/html", content: buildHtml(result, savedAt) },
      { filename: `${stem}.md`, mime: "text/markdown", content: buildMarkdown(result, savedAt) },
    ];
  }

  /**
   * A URL chrome.downloads can fetch the file from: a blob: URL where the context has
   * URL.createObjectURL (Firefox's background page), else a data: URL (Chromium's service
   * worker has no createObjectURL). Returns {url, release()}.
   */
  function downloadUrl(content, mime) {
    if (typeof URL !== "undefined" && typeof URL.createObjectURL === "function" && typeof Blob !== "undefined") {
      const url = URL.createObjectURL(new Blob([content], { type: `${mime};charset=utf-8` }));
      return { url, release: () => setTimeout(() => URL.revokeObjectURL(url), 60000) };
    }
    const bytes = new TextEncoder().encode(content);
    let binary = "";
    const chunk = 0x8000;
    for (let i = 0; i < bytes.length; i += chunk) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk));
    }
    return { url: `data:${mime};charset=utf-8;base64,${btoa(binary)}`, release: () => {} };
  }

  const api = Object.freeze({ buildHtml, buildMarkdown, cleanCopyFiles, downloadUrl, escapeMarkdown, SAVED_CSP });
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.SLSave = api;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
