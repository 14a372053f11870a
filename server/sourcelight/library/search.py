"""Finding entries again: full-text search with filters, "where else was this source quoted",
and the values the filters offer.

A reader's words never reach FTS5's query syntax: each word becomes a quoted term (a phrase
in double quotes stays a phrase) and the last word typed matches as a prefix, so search works
as the reader types and ``NEAR(``, ``*`` or a stray quote cannot make a query fail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BadRequest
from ..settings import Settings
from .entries import UNNAMED_CATEGORIES, source_key
from .store import Library

_PHRASE_OR_WORD = re.compile(r'"([^"]*)"|([^\s"]+)')
_WORD = re.compile(r"\w+")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Marks around the matched words in a snippet (private-use characters no page contains in
# the index: the tokenizer drops them), turned into segments for the caller.
HIT_START, HIT_END = "\ue000", "\ue001"
SNIPPET_WORDS = 24
# The word being typed matches as a prefix from this many characters on (the index has
# prefix tables for 2-4 characters; one letter would match half the vocabulary).
MIN_PREFIX_CHARS = 2
SUMMARY_COLUMNS = "id, url, title, site, byline, published, lang, saved_at, day, size_bytes"


@dataclass(frozen=True)
class SearchQuery:
    """A checked search request: words, filters and the page wanted."""

    q: str = ""
    source: str | None = None
    category: str | None = None
    site: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    page: int = 1
    per_page: int = 20


def parse_query(args: dict, settings: Settings) -> SearchQuery:
    """A :class:`SearchQuery` from request arguments; BadRequest says what is wrong."""
    q = args.get("q") or ""
    if len(q) > settings.library_max_query_chars:
        raise BadRequest(f"The search has {len(q)} characters, over the limit of "
                         f"{settings.library_max_query_chars}; search for fewer words.")
    for name in ("source", "category", "site"):
        if len(args.get(name) or "") > settings.library_max_query_chars:
            raise BadRequest(f'The filter "{name}" is longer than '
                             f"{settings.library_max_query_chars} characters.")
    return SearchQuery(
        q=q, source=args.get("source") or None, category=args.get("category") or None,
        site=args.get("site") or None,
        date_from=check_day(args.get("from"), "from"), date_to=check_day(args.get("to"), "to"),
        page=check_int(args.get("page"), "page", 1, 1, 1_000_000),
        per_page=check_int(args.get("per_page"), "per_page", settings.library_page_size, 1,
                           settings.library_max_page_size))


def check_day(value: str | None, name: str) -> str | None:
    """A ``YYYY-MM-DD`` date filter, or None."""
    if not value:
        return None
    if not _DAY.fullmatch(value):
        raise BadRequest(f'"{name}" must be a date such as 2025-11-27 (YYYY-MM-DD).')
    return value


def check_int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    """A whole-number argument within ``[low, high]``, ``default`` when absent."""
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        raise BadRequest(f'"{name}" must be a whole number, not {value[:40]!r}.') from None
    if not low <= number <= high:
        raise BadRequest(f'"{name}" must be between {low} and {high}.')
    return number


def fts_query(text: str) -> str | None:
    """The FTS5 query for a reader's words (None when there are none)."""
    terms = []
    last_is_word = False
    for match in _PHRASE_OR_WORD.finditer(text):
        phrase, word = match.groups()
        tokens = _WORD.findall(phrase if phrase is not None else word)
        if not tokens:
            continue
        terms.append('"' + " ".join(tokens) + '"')
        last_is_word = phrase is None and len(tokens[-1]) >= MIN_PREFIX_CHARS
    if not terms:
        return None
    if last_is_word and text and not text[-1].isspace():
        terms[-1] += "*"  # the word being typed
    return " AND ".join(terms)


def filter_clause(query: SearchQuery) -> tuple[list[str], list]:
    """SQL conditions on ``entries e`` and their parameters for a query's filters."""
    conditions, params = [], []
    if query.source or query.category:
        # Through the quotes indexes: the entries that quote this source / category.
        quote_conditions = []
        if query.source:
            quote_conditions.append("source_key = ?")
            params.append(source_key(query.source))
        if query.category:
            quote_conditions.append("category = ?")
            params.append(query.category)
        conditions.append("e.id IN (SELECT entry_id FROM quotes WHERE "
                          f"{' AND '.join(quote_conditions)})")
    if query.site:
        conditions.append("e.site = ? COLLATE NOCASE")
        params.append(query.site)
    if query.date_from:
        conditions.append("e.day >= ?")
        params.append(query.date_from)
    if query.date_to:
        conditions.append("e.day <= ?")
        params.append(query.date_to)
    return conditions, params


def search(library: Library, query: SearchQuery) -> dict:
    """A page of entries (the most recently saved first), the total that match, and a
    snippet per entry when there are words."""
    match = fts_query(query.q)
    conditions, params = filter_clause(query)
    offset = (query.page - 1) * query.per_page
    if match and not conditions:
        # Words alone: the index answers in rowid (= save) order without reading entries.
        total = library.read("SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?",
                             (match,))[0][0]
        ids = [row[0] for row in library.read(
            "SELECT rowid FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rowid DESC "
            "LIMIT ? OFFSET ?", (match, query.per_page, offset))]
    else:
        if match:
            conditions.insert(0, "e.id IN (SELECT rowid FROM entries_fts "
                                 "WHERE entries_fts MATCH ?)")
            params.insert(0, match)
        where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
        total = library.read(f"SELECT count(*) FROM entries e{where}", params)[0][0]
        ids = [row[0] for row in library.read(
            f"SELECT e.id FROM entries e{where} ORDER BY e.id DESC LIMIT ? OFFSET ?",
            [*params, query.per_page, offset])]
    entries = summaries(library, ids)
    add_sources(library, entries)
    snippets = snippet_segments(library, ids, match) if match else {}
    for entry in entries:
        entry["snippet"] = snippets.get(entry["id"], []) if match else None
    return {"entries": entries, "total": total, "page": query.page, "per_page": query.per_page}


def summaries(library: Library, ids: list[int]) -> list[dict]:
    """The list fields of these entries, in the order of ``ids``."""
    if not ids:
        return []
    rows = library.read(f"SELECT {SUMMARY_COLUMNS} FROM entries WHERE id IN "
                        f"({', '.join('?' * len(ids))})", ids)
    by_id = {row["id"]: dict(row) for row in rows}
    return [by_id[entry_id] for entry_id in ids if entry_id in by_id]


def add_sources(library: Library, entries: list[dict]) -> None:
    """Each entry's sources (name, category, marked quotations), most quoted first."""
    by_id = {entry["id"]: entry for entry in entries}
    for entry in entries:
        entry["sources"] = []
    if not by_id:
        return
    marks = ", ".join("?" * len(by_id))
    rows = library.read(
        "SELECT entry_id, min(source_name) AS name, category, count(*) AS quotes FROM quotes "
        f"WHERE entry_id IN ({marks}) GROUP BY entry_id, source_key, category "
        "ORDER BY entry_id, quotes DESC, name", list(by_id))
    for row in rows:
        by_id[row["entry_id"]]["sources"].append(
            {"name": row["name"], "category": row["category"], "quotes": row["quotes"]})


def snippet_segments(library: Library, ids: list[int], match: str) -> dict[int, list[list]]:
    """Article words around the matches of each entry, as ``[[text, is_match], …]`` (safe to
    show as text), computed for this page's entries only."""
    if not ids:
        return {}
    rows = library.read(
        f"SELECT rowid, snippet(entries_fts, 4, '{HIT_START}', '{HIT_END}', '…', "
        f"{SNIPPET_WORDS}) FROM entries_fts WHERE entries_fts MATCH ? AND rowid IN "
        f"({', '.join('?' * len(ids))})", [match, *ids])
    return {row[0]: split_snippet(row[1] or "") for row in rows}


def split_snippet(text: str) -> list[list]:
    """``a \ue000b\ue001 c`` -> ``[["a ", False], ["b", True], [" c", False]]``."""
    segments = []
    for part in re.split(f"({HIT_START}.*?{HIT_END})", text):
        if part.startswith(HIT_START):
            segments.append([part[1:-1], True])
        elif part:
            segments.append([part, False])
    return segments


def quoted_elsewhere(library: Library, name: str, settings: Settings,
                     exclude_url: str | None = None) -> dict:
    """The saved articles that quote the named source ``name``, earliest first, with their
    quotations: a quotation's trail through what the reader has saved."""
    key = source_key(name)
    unnamed = sorted(UNNAMED_CATEGORIES)
    args: list = [key, *unnamed]
    exclude = ""
    if exclude_url:
        exclude = " AND (e.url IS NULL OR e.url != ?)"
        args.append(exclude_url)
    ids = library.read(
        "SELECT e.id FROM entries e WHERE e.id IN (SELECT entry_id FROM quotes "
        f"WHERE source_key = ? AND category NOT IN ({', '.join('?' * len(unnamed))}))" + exclude +
        " ORDER BY e.day, e.id LIMIT ?", [*args, settings.library_quoted_limit])
    entries = []
    for (entry_id,) in ids:
        row = library.read(f"SELECT {SUMMARY_COLUMNS} FROM entries WHERE id = ?",
                           (entry_id,))[0]
        quotes = library.read(
            "SELECT attribution, source_name, category, type, cue, content FROM quotes "
            "WHERE entry_id = ? AND source_key = ? ORDER BY rowid", (entry_id, key))
        entries.append({**dict(row), "quotes": [dict(quote) for quote in quotes]})
    return {"source": name, "entries": entries}


def facets(library: Library, limit: int = 200) -> dict:
    """What the filters can offer: named sources (most saved articles first), categories and
    sites, each with its number of entries."""
    sources = library.read(
        "SELECT min(source_name) AS name, count(DISTINCT entry_id) AS entries FROM quotes "
        f"WHERE category NOT IN ({', '.join('?' * len(UNNAMED_CATEGORIES))}) "
        "GROUP BY source_key ORDER BY entries DESC, name LIMIT ?",
        [*sorted(UNNAMED_CATEGORIES), limit])
    categories = library.read(
        "SELECT category AS name, count(DISTINCT entry_id) AS entries FROM quotes "
        "GROUP BY category ORDER BY entries DESC")
    sites = library.read(
        "SELECT site AS name, count(*) AS entries FROM entries WHERE site IS NOT NULL "
        "GROUP BY site COLLATE NOCASE ORDER BY entries DESC LIMIT ?", (limit,))
    return {"sources": [dict(r) for r in sources], "categories": [dict(r) for r in categories],
            "sites": [dict(r) for r in sites]}
