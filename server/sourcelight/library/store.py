"""The library on disk: one SQLite database in WAL mode, one transaction per save or delete.

Why these settings: WAL lets searches read while a save writes; ``synchronous=FULL`` makes a
save that was answered survive a power cut, not only a killed process; each save writes the
entry, its quotations and its full-text index row in one ``BEGIN IMMEDIATE`` transaction, so
a process killed at any moment leaves either the whole entry or nothing (tests/
test_library_crash.py kills a saving process 50 times). Connections are per thread (waitress
serves requests on several threads; an sqlite3 connection belongs to one).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..settings import Settings
from . import errors, schema
from .entries import NewEntry

DATABASE_NAME = "library.sqlite3"
# Columns of the full-text index, in the order of the entries_fts table.
FTS_COLUMNS = ("title", "byline", "site", "source_names", "article_text")
# The large columns, kept in entry_content (see schema.py); the rest of a row is in entries.
CONTENT_COLUMNS = ("article_html", "article_text", "annotations", "corrections", "copy_html")
# An entry with its content, for reading one (or a few) at a time.
ENTRY_SELECT = ("SELECT e.*, " + ", ".join(f"c.{name}" for name in CONTENT_COLUMNS) +
                " FROM entries e JOIN entry_content c ON c.id = e.id")


def library_dir(settings: Settings) -> Path:
    """Where the library lives: ``Settings.library_dir``, else ``$SOURCELIGHT_DATA_DIR``,
    else ``$XDG_DATA_HOME/sourcelight``, else ``~/.local/share/sourcelight``."""
    if settings.library_dir:
        return Path(settings.library_dir)
    if os.environ.get(errors.DATA_DIR_ENV):
        return Path(os.environ[errors.DATA_DIR_ENV])
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"),
                                                           ".local", "share")
    return Path(base) / "sourcelight"


class Library:
    """The library of one install. Cheap to build: nothing is opened until first use."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.directory = library_dir(settings)
        self.path = self.directory / DATABASE_NAME
        self._local = threading.local()
        self._migrated = False
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []

    # -- connections
    def connection(self) -> sqlite3.Connection:
        """This thread's connection, opened (and the schema migrated) on first use."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    def _open(self) -> sqlite3.Connection:
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            # isolation_level=None: we say BEGIN and COMMIT ourselves, nothing is implicit.
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False,
                                   timeout=self.settings.library_busy_timeout)
        except (OSError, sqlite3.Error) as error:
            raise errors.unavailable(str(self.directory), error) from None
        try:
            self._configure(conn)
            with self._lock:
                if not self._migrated:
                    schema.migrate(conn)
                    self._migrated = True
                self._connections.append(conn)
        except schema.NewerSchema as error:
            conn.close()
            raise errors.LibraryUnavailable(f"{error} ({self.path})") from None
        except sqlite3.Error as error:
            conn.close()
            raise errors.from_sqlite(str(self.directory), error) from None
        return conn

    def _configure(self, conn: sqlite3.Connection) -> None:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = max(1, self.settings.library_max_bytes // page_size)
        conn.execute(f"PRAGMA max_page_count = {pages:d}")

    def close(self) -> None:
        """Close every connection this library opened (at shutdown, in tests)."""
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- writing
    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT``: rolled back on any exception, and a SQLite
        failure (full disk, read-only directory …) turned into a library error."""
        conn = self.connection()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as error:
            raise errors.from_sqlite(str(self.directory), error) from None

    def save(self, entry: NewEntry) -> int:
        """Write ``entry`` with its quotations and index row in one transaction; its id."""
        row = entry.row
        meta = [name for name in row if name not in CONTENT_COLUMNS]
        with self._transaction() as conn:
            entry_id = conn.execute(
                f"INSERT INTO entries ({', '.join(meta)}) "
                f"VALUES ({', '.join(':' + name for name in meta)})", row).lastrowid
            conn.execute(
                f"INSERT INTO entry_content (id, {', '.join(CONTENT_COLUMNS)}) "
                f"VALUES (:id, {', '.join(':' + name for name in CONTENT_COLUMNS)})",
                {**row, "id": entry_id})
            conn.execute(
                f"INSERT INTO entries_fts (rowid, {', '.join(FTS_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' * len(FTS_COLUMNS))})",
                (entry_id, *(row[name] for name in FTS_COLUMNS)))
            conn.executemany(
                "INSERT INTO quotes (entry_id, attribution, source_key, source_name, "
                "category, type, cue, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(entry_id, q.attribution, q.source_key, q.source_name, q.category, q.type,
                  q.cue, q.content) for q in entry.quotes])
        return entry_id

    def delete(self, entry_id: int) -> None:
        """Remove an entry, its quotations and its index row (EntryNotFound if none)."""
        with self._transaction() as conn:
            row = conn.execute(f"SELECT {', '.join(FTS_COLUMNS)} FROM entries_text "
                               "WHERE id = ?", (entry_id,)).fetchone()
            if row is None:
                raise not_found(entry_id)
            # An external-content index is told the old values it must forget.
            conn.execute(
                f"INSERT INTO entries_fts (entries_fts, rowid, {', '.join(FTS_COLUMNS)}) "
                f"VALUES ('delete', ?, {', '.join('?' * len(FTS_COLUMNS))})",
                (entry_id, *row))
            # entry_content and quotes go with it (ON DELETE CASCADE).
            conn.execute("DELETE FROM entries WHERE id = ?", (entry_id,))

    # -- reading
    def read(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        """Rows of a query, with SQLite failures turned into library errors."""
        try:
            return self.connection().execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise errors.from_sqlite(str(self.directory), error) from None

    def entry(self, entry_id: int) -> dict:
        """Everything saved for one entry except the copy itself (see :meth:`copy`)."""
        rows = self.read(f"{ENTRY_SELECT} WHERE e.id = ?", (entry_id,))
        if not rows:
            raise not_found(entry_id)
        return entry_dict(rows[0])

    def copy(self, entry_id: int) -> str | None:
        """The saved standalone HTML of an entry (None when none was sent)."""
        rows = self.read("SELECT copy_html FROM entry_content WHERE id = ?", (entry_id,))
        if not rows:
            raise not_found(entry_id)
        return rows[0]["copy_html"]

    def entries(self, batch: int = 100) -> Iterator[dict]:
        """Every entry, oldest id first, read ``batch`` rows at a time (bounded memory)."""
        last = 0
        while True:
            rows = self.read(f"{ENTRY_SELECT} WHERE e.id > ? ORDER BY e.id LIMIT ?",
                             (last, batch))
            if not rows:
                return
            for row in rows:
                yield entry_dict(row, with_copy=True)
            last = rows[-1]["id"]

    def count(self) -> int:
        """How many entries the library holds."""
        return self.read("SELECT count(*) FROM entries")[0][0]

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and the index's own (empty: all well)."""
        problems = [row[0] for row in self.read("PRAGMA integrity_check") if row[0] != "ok"]
        try:
            self.connection().execute(
                "INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')")
        except sqlite3.Error as error:
            problems.append(f"full-text index: {error}")
        return problems


def not_found(entry_id: int) -> errors.EntryNotFound:
    """The 404 for an id the library does not hold."""
    return errors.EntryNotFound(
        f"The library has no entry {entry_id}; it may have been deleted. Search the library "
        "(GET /v1/library) for the entries it holds.")


def entry_dict(row: sqlite3.Row, with_copy: bool = False) -> dict:
    """An ``entries`` row as the API's entry object."""
    annotations = json.loads(row["annotations"])
    article = dict(annotations.pop("article", {}))
    article["html"] = row["article_html"]
    article["text"] = row["article_text"]
    entry = {
        "id": row["id"], "url": row["url"], "title": row["title"], "site": row["site"],
        "byline": row["byline"], "published": row["published"], "lang": row["lang"],
        "saved_at": row["saved_at"], "day": row["day"],
        "article": article, **annotations,
        "corrections": json.loads(row["corrections"]) if row["corrections"] else None,
        "has_copy": row["copy_html"] is not None,
        "copy_sha256": row["copy_sha256"], "page_sha256": row["page_sha256"],
        "size_bytes": row["size_bytes"],
    }
    if with_copy:
        entry["copy_html"] = row["copy_html"]
    return entry
