"""What one library entry holds, built from the /v1/clean answer before anything is written.

Building the whole row (digests, quotations, sizes) before the transaction keeps the
transaction short and means a save that is refused (too large) never touched the database.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..errors import TooLarge
from ..settings import Settings

# Sources whose name says nothing about who spoke: no trail through other articles.
UNNAMED_CATEGORIES = frozenset({"anonymous", "unknown"})
_SPACES = re.compile(r"\s+")
_LEADING_ARTICLE = re.compile(r"^(?:the|der|die|das|le|la|les|el|los|las)\s+", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass
class Quote:
    """One marked attribution, with its words, as the quotes table holds it."""

    attribution: str
    source_key: str
    source_name: str
    category: str
    type: str | None
    cue: str | None
    content: str | None


@dataclass
class NewEntry:
    """A row of ``entries`` and its quotations, ready to insert."""

    row: dict
    quotes: list[Quote] = field(default_factory=list)


def source_key(name: str) -> str:
    """The key that makes two spellings of one source the same: case, spacing, a leading
    article and a possessive do not count ('The Associated Press' = 'associated press')."""
    key = _SPACES.sub(" ", name).strip().casefold()
    key = _LEADING_ARTICLE.sub("", key)
    return _POSSESSIVE.sub("", key)


def sha256_hex(text: str) -> str:
    """SHA-256 of ``text`` as UTF-8 (the page or copy exactly as received), in hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def utc_now() -> str:
    """The time now, ISO 8601 in UTC to the second (the entry's saved-at time)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def build_entry(answer: dict, page_html: str, settings: Settings, copy: str | None = None,
                corrections: object = None, saved_at: str | None = None) -> NewEntry:
    """The entry for a page whose /v1/clean answer is ``answer``; TooLarge past the limits."""
    article = dict(answer.get("article") or {})
    html = article.pop("html", "") or ""
    text = article.pop("text", "") or ""
    annotations = {key: value for key, value in answer.items() if key != "article"}
    annotations["article"] = article  # metadata only: the text and HTML are columns
    corrections_json = check_corrections(corrections, settings)
    check_copy(copy, settings)
    quotes = marked_quotes(answer, text)
    saved_at = saved_at or utc_now()
    row = {
        "url": article.get("url"),
        "title": article.get("title"),
        "site": article.get("site_name"),
        "byline": article.get("byline"),
        "published": article.get("published"),
        "lang": article.get("lang"),
        "saved_at": saved_at,
        "day": entry_day(article.get("published"), saved_at),
        "article_html": html,
        "article_text": text,
        "annotations": json.dumps(annotations, ensure_ascii=False, separators=(",", ":")),
        "corrections": corrections_json,
        "copy_html": copy,
        "copy_sha256": sha256_hex(copy) if copy is not None else None,
        "page_sha256": sha256_hex(page_html),
        "source_names": "\n".join(sorted({q.source_name for q in quotes})),
    }
    row["size_bytes"] = sum(len(value.encode("utf-8", "surrogatepass"))
                            for value in row.values() if isinstance(value, str))
    if row["size_bytes"] > settings.library_max_entry_bytes:
        raise TooLarge(
            f"This entry would take {row['size_bytes']} bytes, over the library's limit of "
            f"{settings.library_max_entry_bytes} per entry. Save the copy without its largest "
            "images, or raise library_max_entry_bytes in the settings.")
    return NewEntry(row=row, quotes=quotes)


def check_copy(copy: str | None, settings: Settings) -> None:
    """The standalone copy, when sent, is a string within ``library_max_copy_bytes``."""
    if copy is None:
        return
    size = len(copy.encode("utf-8", "surrogatepass"))
    if size > settings.library_max_copy_bytes:
        raise TooLarge(
            f"The saved copy has {size} bytes, over the limit of "
            f"{settings.library_max_copy_bytes}. Save it with fewer or smaller images, or "
            "raise library_max_copy_bytes in the settings.")


def check_corrections(corrections: object, settings: Settings) -> str | None:
    """The reader's corrections as compact JSON, within ``library_max_corrections_bytes``."""
    if corrections is None:
        return None
    encoded = json.dumps(corrections, ensure_ascii=False, separators=(",", ":"))
    if len(encoded.encode("utf-8", "surrogatepass")) > settings.library_max_corrections_bytes:
        raise TooLarge(
            f"The corrections take more than {settings.library_max_corrections_bytes} bytes. "
            "Save without them, or raise library_max_corrections_bytes in the settings.")
    return encoded


def entry_day(published: str | None, saved_at: str) -> str:
    """``YYYY-MM-DD`` of the publication date when it reads as one, else of the save."""
    if isinstance(published, str) and re.match(r"\d{4}-\d{2}-\d{2}", published):
        return published[:10]
    return saved_at[:10]


def marked_quotes(answer: dict, text: str) -> list[Quote]:
    """The marked attributions (never the uncertain candidates) with their source's name,
    category and words."""
    entities = {source.get("id"): source for source in answer.get("sources") or []
                if isinstance(source, dict)}
    quotes = []
    for attribution in answer.get("attributions") or []:
        entity = entities.get(attribution.get("entity"))
        if not entity or not isinstance(entity.get("name"), str):
            continue
        quotes.append(Quote(
            attribution=str(attribution.get("id", "")),
            source_key=source_key(entity["name"]),
            source_name=entity["name"],
            category=str(entity.get("category") or "unknown"),
            type=attribution.get("type"),
            cue=span_text(text, attribution.get("cue")),
            content=span_text(text, attribution.get("content")),
        ))
    return quotes


def span_text(text: str, span: object) -> str | None:
    """``text[start:end]`` for a ``[start, end]`` span, None when there is none."""
    if (isinstance(span, (list, tuple)) and len(span) == 2
            and all(isinstance(i, int) for i in span) and 0 <= span[0] <= span[1] <= len(text)):
        return text[span[0]:span[1]]
    return None
