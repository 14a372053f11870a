/* Sourcelight: the sources taken elsewhere — one row per attribution (source name, category,
 * cue, quoted content, type, confidence, corrected or not) as CSV or JSON, and a plain-text
 * list for the clipboard. Reads a (corrected) result; pure functions (Node loads this too).
 */
(function (root) {
  "use strict";

  const present =
    typeof module === "object" && module.exports ? require("./present.js") : root.SLPresent;

  const COLUMNS = Object.freeze(["source", "category", "role", "cue", "content", "type", "confidence",
    "sureness", "corrected"]);

  /** One row per marked attribution, in article order. */
  function rows(result) {
    const details = present.attributionDetails(result);
    const ordered = [...details.values()].sort((a, b) => a.end - b.end || a.id.localeCompare(b.id));
    return ordered.map((d) => ({
      id: d.id,
      source: d.name,
      category: d.category,
      role: d.role,
      cue: d.cue,
      content: d.content,
      type: d.type,
      confidence: d.confidence,
      sureness: d.sureness || (d.corrected ? "set by the reader" : ""),
      corrected: d.corrected || "",
    }));
  }

  /** A CSV cell: quoted when needed; a leading = + - @ is defused so a spreadsheet shows text
   *  instead of running a formula someone put in an article. */
  function cell(value) {
    let s = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(s) && typeof value !== "number") s = "'" + s;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  /** RFC 4180 CSV with a header row (CRLF line ends, as spreadsheets expect). */
  function toCsv(result) {
    const lines = [COLUMNS.join(",")];
    for (const row of rows(result)) lines.push(COLUMNS.map((key) => cell(row[key])).join(","));
    return lines.join("\r\n") + "\r\n";
  }

  /** JSON: the article's identity and the rows. */
  function toJson(result) {
    const article = (result && result.article) || {};
    return JSON.stringify({
      title: article.title || null,
      url: article.url || null,
      summary: present.summaryLine(result.summary, result.sources),
      corrections: (result.corrections && result.corrections.count) || 0,
      attributions: rows(result).map(({ id, ...row }) => ({ id, ...row })),
    }, null, 2) + "\n";
  }

  /** A readable list for the clipboard: one line per source, then what each said. */
  function toText(result) {
    const article = (result && result.article) || {};
    const details = present.attributionDetails(result);
    const lines = [`Sources in “${article.title || "the article"}”${article.url ? ` (${article.url})` : ""}`,
      present.summaryLine(result.summary, result.sources), ""];
    for (const source of result.sources || []) {
      if (!source.mentions || !source.mentions.length) continue;
      const cat = present.category(source.category).label.toLowerCase();
      lines.push(`${source.name} (${cat}${source.role ? `, ${source.role}` : ""})${source.corrected ? " [corrected]" : ""}`);
      for (const id of source.mentions) {
        const d = details.get(id);
        if (!d) continue;
        const said = d.content.length > 200 ? d.content.slice(0, 197).trimEnd() + "…" : d.content;
        lines.push(`  - ${d.cue ? d.cue + ": " : ""}“${said}”${d.sureness ? ` (${d.sureness})` : ""}${d.corrected ? " [corrected]" : ""}`);
      }
    }
    return lines.join("\n").trimEnd() + "\n";
  }

  /** The files an export writes: [{filename, mime, content}]. */
  function exportFiles(result, format) {
    const stem = present.fileStem(result.article && result.article.title, result.article && result.article.url);
    if (format === "csv") return [{ filename: `${stem}-sources.csv`, mime: "text/csv", content: toCsv(result) }];
    if (format === "json") return [{ filename: `${stem}-sources.json`, mime: "application/json", content: toJson(result) }];
    throw new Error(`unknown export format: ${String(format).slice(0, 20)}`);
  }

  const api = Object.freeze({ COLUMNS, rows, toCsv, toJson, toText, exportFiles, cell });
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    root.SLExport = api;
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
