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
        last_is_word = phrase is None
    if not terms:
        return None
    if last_is_word and text and not text[-1].isspace():
        terms[-1] += "*"  # the word being typed
    return " AND ".join(terms)


def where_clause(query: SearchQuery) -> tuple[str, list]:
    """SQL conditions on ``entries e`` and their parameters for a query's words and filters."""
    conditions, params = [], []
    match = fts_query(query.q)
    if match:
        conditions.append("e.id IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
        params.append(match)
    if query.source or query.category:
        quote_conditions = ["q.entry_id = e.id"]
        if query.source:
            quote_conditions.append("q.source_key = ?")
            params.append(source_key(query.source))
        if query.category:
            quote_conditions.append("q.category = ?")
            params.append(query.category)
        conditions.append(f"EXISTS (SELECT 1 FROM quotes q WHERE {' AND '.join(quote_conditions)})")
    if query.site:
        conditions.append("e.site = ? COLLATE NOCASE")
        params.append(query.site)
    if query.date_from:
        conditions.append("e.day >= ?")
        params.append(query.date_from)
    if query.date_to:
        conditions.append("e.day <= ?")
        params.append(query.date_to)
    return (" WHERE " + " AND ".join(conditions)) if conditions else "", params


def search(library: Library, query: SearchQuery) -> dict:
    """A page of entries (newest first), the total that match, and a snippet per entry."""
    where, params = where_clause(query)
    total = library.read(f"SELECT count(*) FROM entries e{where}", params)[0][0]
    offset = (query.page - 1) * query.per_page
    rows = library.read(
        f"SELECT {SUMMARY_COLUMNS} FROM entries e{where} ORDER BY e.day DESC, e.id DESC "
        "LIMIT ? OFFSET ?", [*params, query.per_page, offset])
    entries = [dict(row) for row in rows]
    add_sources(library, entries)
    match = fts_query(query.q)
    for entry in entries:
        entry["snippet"] = snippet(library, entry["id"], match) if match else None
    return {"entries": entries, "total": total, "page": query.page, "per_page": query.per_page}


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


def snippet(library: Library, entry_id: int, match: str) -> list[list]:
    """Article words around the matches as ``[[text, is_match], …]`` (safe to show as text)."""
    rows = library.read(
        f"SELECT snippet(entries_fts, 4, '{HIT_START}', '{HIT_END}', '…', {SNIPPET_WORDS}) "
        "FROM entries_fts WHERE entries_fts MATCH ? AND rowid = ?", (match, entry_id))
    text = rows[0][0] if rows else ""
    segments = []
    for part in re.split(f"({HIT_START}.*?{HIT_END})", text or ""):
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
