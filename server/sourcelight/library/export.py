"""Exporting the library to files: JSONL (everything, a backup), CSV (a row per quotation) or
Markdown (one note per entry, with its copy beside it), for Obsidian, Joplin or a spreadsheet.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from pathlib import Path

from ..render import html_to_markdown, yaml_string
from .store import Library

EXPORT_FORMATS = ("jsonl", "csv", "markdown")
CSV_COLUMNS = ("entry", "url", "title", "site", "published", "saved_at", "attribution",
               "source_name", "category", "type", "cue", "content")
# A cell starting with one of these is run as a formula by spreadsheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE_NAME = re.compile(r"[^\w-]+")


def export(library: Library, fmt: str, directory: Path) -> list[Path]:
    """Write the whole library to ``directory`` in ``fmt``; the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    if fmt == "jsonl":
        return [write_jsonl(library.entries(), directory / "sourcelight-library.jsonl")]
    if fmt == "csv":
        return [write_csv(library.entries(), directory / "sourcelight-library.csv")]
    if fmt == "markdown":
        return write_markdown(library.entries(), directory)
    raise ValueError(f"unknown export format {fmt!r}")


def write_jsonl(entries: Iterable[dict], path: Path) -> Path:
    """One JSON object per entry, copies included: all the library holds."""
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        for entry in entries:
            out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return path


def write_csv(entries: Iterable[dict], path: Path) -> Path:
    """One row per marked quotation (an entry without any gets one row with them empty)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        for entry in entries:
            for row in quotation_rows(entry):
                writer.writerow([safe_cell(value) for value in row])
    return path


def quotation_rows(entry: dict) -> list[tuple]:
    """The CSV rows of one entry."""
    head = (entry["id"], entry["url"], entry["title"], entry["site"], entry["published"],
            entry["saved_at"])
    quotes = entry_quotes(entry)
    if not quotes:
        return [head + (None,) * 6]
    return [head + (q["id"], q["source_name"], q["category"], q["type"], q["cue"],
                    q["content"]) for q in quotes]


def entry_quotes(entry: dict) -> list[dict]:
    """The marked attributions of an entry with their source's name and category and words."""
    text = entry["article"].get("text") or ""
    sources = {s.get("id"): s for s in entry.get("sources") or []}
    quotes = []
    for attribution in entry.get("attributions") or []:
        source = sources.get(attribution.get("entity"), {})
        quotes.append({
            "id": attribution.get("id"), "source_name": source.get("name"),
            "category": source.get("category"), "type": attribution.get("type"),
            "cue": span(text, attribution.get("cue")),
            "content": span(text, attribution.get("content"))})
    return quotes


def span(text: str, value) -> str | None:
    """``text[start:end]`` for a span, None for none."""
    if isinstance(value, list) and len(value) == 2:
        return text[value[0]:value[1]]
    return None


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: one line, never a formula."""
    if value is None:
        return ""
    text = " ".join(str(value).splitlines())
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_markdown(entries: Iterable[dict], directory: Path) -> list[Path]:
    """A Markdown note per entry (front matter, article, footnoted quotations) and its saved
    copy beside it as ``<name>.html``."""
    written = []
    for entry in entries:
        name = file_name(entry)
        note = directory / f"{name}.md"
        note.write_text(entry_markdown(entry, f"{name}.html" if entry["has_copy"] else None),
                        encoding="utf-8")
        written.append(note)
        if entry["has_copy"]:
            copy = directory / f"{name}.html"
            copy.write_text(entry["copy_html"], encoding="utf-8")
            written.append(copy)
    return written


def file_name(entry: dict) -> str:
    """``<day>-<title words>-<id>``: sorted by date in a folder, unique, safe on every system."""
    words = _UNSAFE_NAME.sub("-", (entry["title"] or "untitled").lower()).strip("-")[:60]
    return f"{entry['day']}-{words or 'untitled'}-{entry['id']}"


def entry_markdown(entry: dict, copy_name: str | None) -> str:
    """One entry as a Markdown note that Obsidian and Joplin open as it is."""
    quotes = entry_quotes(entry)
    front = {
        "title": entry["title"], "url": entry["url"], "site": entry["site"],
        "byline": entry["byline"], "published": entry["published"], "lang": entry["lang"],
        "saved": entry["saved_at"], "page_sha256": entry["page_sha256"],
        "copy_sha256": entry["copy_sha256"], "copy": copy_name,
    }
    lines = ["---"] + [f"{key}: {yaml_string(value)}" for key, value in front.items()
                       if value is not None]
    names = sorted({(q["source_name"], q["category"]) for q in quotes if q["source_name"]})
    if names:
        lines.append("sources:")
        lines += [f"  - name: {yaml_string(n)}\n    category: {yaml_string(c)}" for n, c in names]
    lines += ["---", ""]
    if entry["title"]:
        lines += [f"# {' '.join(entry['title'].split())}", ""]
    body = html_to_markdown(entry["article"].get("html") or "")
    lines.append(body.rstrip("\n"))
    if quotes:
        lines += ["", "## Quotations", ""]
        lines += [f"- {q['source_name'] or 'unknown'} ({q['category']})[^{q['id']}]"
                  for q in quotes]
        lines.append("")
        lines += [footnote(q) for q in quotes]
    return "\n".join(lines) + "\n"


def footnote(quote: dict) -> str:
    """``[^a1]: “words” — Source (category), cue “said”``."""
    content = " ".join((quote["content"] or "").split()).replace("]", "\\]")
    cue = " ".join((quote["cue"] or "").split())
    return (f"[^{quote['id']}]: “{content}” — {quote['source_name'] or 'unknown'} "
            f"({quote['category']}), cue “{cue}”")
