"""The library's SQLite schema as numbered migrations, applied in order, each in a transaction.

``PRAGMA user_version`` holds the number of the last migration applied. A new version of
Sourcelight that changes the schema appends a migration here (never edits an old one), so a
library made by any earlier version is brought forward on open; a library made by a *newer*
version is refused rather than written with an older idea of its tables.
"""

from __future__ import annotations

import sqlite3

# Each entry is one schema version: the statements that take the library from the version
# before it to this one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: entries (small rows: what lists and filters read), their content (the article, the
    # annotations, the copy: large, read one entry at a time), their marked quotations (the
    # source/category filters and "where else was this source quoted"), and the full-text
    # index. Keeping the large columns out of `entries` keeps its b-tree a few MB at 10,000
    # entries, so a search that touches every match reads little (bench/library.py).
    (
        """CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            url TEXT,
            title TEXT,
            site TEXT,
            byline TEXT,
            published TEXT,
            lang TEXT,
            saved_at TEXT NOT NULL,
            -- the day the date filters use: published, else saved (YYYY-MM-DD)
            day TEXT NOT NULL,
            copy_sha256 TEXT,
            page_sha256 TEXT NOT NULL,
            -- the source names, one per line, for the full-text index
            source_names TEXT NOT NULL,
            size_bytes INTEGER NOT NULL
        )""",
        """CREATE TABLE entry_content (
            id INTEGER PRIMARY KEY REFERENCES entries(id) ON DELETE CASCADE,
            article_html TEXT NOT NULL,
            article_text TEXT NOT NULL,
            -- the /v1/clean answer without article.html/text (sources, attributions, ...)
            annotations TEXT NOT NULL,
            corrections TEXT,
            copy_html TEXT
        )""",
        "CREATE INDEX entries_day ON entries(day)",
        "CREATE INDEX entries_site ON entries(site COLLATE NOCASE)",
        "CREATE INDEX entries_url ON entries(url)",
        """CREATE TABLE quotes (
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            attribution TEXT NOT NULL,
            source_key TEXT NOT NULL,
            source_name TEXT NOT NULL,
            category TEXT NOT NULL,
            type TEXT,
            cue TEXT,
            content TEXT
        )""",
        "CREATE INDEX quotes_source ON quotes(source_key, entry_id)",
        "CREATE INDEX quotes_category ON quotes(category, entry_id)",
        "CREATE INDEX quotes_entry ON quotes(entry_id)",
        # What the full-text index reads its text from (snippets, rebuilds).
        """CREATE VIEW entries_text AS
            SELECT e.id AS id, e.title AS title, e.byline AS byline, e.site AS site,
                   e.source_names AS source_names, c.article_text AS article_text
            FROM entries e JOIN entry_content c ON c.id = e.id""",
        # External content: the text lives once, in the tables; the index is kept in step by
        # the store in the same transaction as each save and delete. Prefix indexes of 2-4
        # characters make the word being typed (a prefix query) as fast as a whole word.
        """CREATE VIRTUAL TABLE entries_fts USING fts5(
            title, byline, site, source_names, article_text,
            content='entries_text', content_rowid='id', prefix='2 3 4',
            tokenize='unicode61 remove_diacritics 2'
        )""",
    ),
)

SCHEMA_VERSION = len(MIGRATIONS)


class NewerSchema(Exception):
    """The library was written by a newer Sourcelight (its schema version is unknown here)."""


def schema_version(conn: sqlite3.Connection) -> int:
    """The library's schema version (0 for a new, empty database)."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration the library has not had yet; return the version now.

    Each migration and its ``user_version`` bump commit together, so a migration killed half
    way leaves the library at the version before it, and the next open runs it again.
    """
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise NewerSchema(
            f"the library has schema version {version}, newer than this Sourcelight knows "
            f"({SCHEMA_VERSION}); upgrade Sourcelight to open it.")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        # BEGIN IMMEDIATE: two processes opening a new library at once migrate one at a time.
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= number:  # the other process did it while we waited
                conn.execute("COMMIT")
                continue
            for statement in MIGRATIONS[number - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(conn)
