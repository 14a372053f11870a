"""Versioned migrations: a new library gets every migration, an old one the missing ones
(its entries kept), a newer one is refused, and the store's limits hold."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from helpers import story_page
from sourcelight.library import schema
from sourcelight.library.entries import build_entry, source_key
from sourcelight.library.errors import LibraryUnavailable
from sourcelight.library.store import DATABASE_NAME, Library
from sourcelight.settings import Settings

ANSWER = {
    "article": {"title": "Bus network", "url": "https://city.example/bus", "site_name": "City",
                "published": "2026-01-05T10:00:00Z", "lang": "en", "byline": None,
                "html": "<p>“Yes,” said the mayor.</p>", "text": "“Yes,” said the mayor."},
    "sources": [{"id": "e1", "name": "the mayor", "category": "person", "mentions": ["a1"]}],
    "attributions": [{"id": "a1", "entity": "e1", "type": "direct", "confidence": 0.9,
                      "source": [12, 21], "cue": [7, 11], "content": [0, 5]}],
    "candidates": [{"id": "c1", "entity": "e1", "type": "indirect", "confidence": 0.3,
                    "source": [12, 21], "cue": [7, 11], "content": [0, 5]}],
    "links": [], "summary": {}, "notes": [],
}


def test_new_library_is_at_the_latest_version(tmp_path: Path) -> None:
    library = Library(Settings(library_dir=str(tmp_path)))
    assert library.count() == 0
    conn = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_older_library_gets_the_missing_migrations(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(library_dir=str(tmp_path))
    library = Library(settings)
    entry_id = library.save(build_entry(ANSWER, "<html>page</html>", settings))
    library.close()
    # A later Sourcelight with one more migration opens the same library.
    extra = ("CREATE TABLE tags (entry_id INTEGER REFERENCES entries(id), tag TEXT)",)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + (extra,))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    upgraded = Library(settings)
    assert upgraded.entry(entry_id)["title"] == "Bus network"
    assert upgraded.read("SELECT count(*) FROM tags")[0][0] == 0
    assert upgraded.read("PRAGMA user_version")[0][0] == len(schema.MIGRATIONS)
    upgraded.close()


def test_a_failed_migration_leaves_the_version_before(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    Library(Settings(library_dir=str(tmp_path))).close()
    broken = ("CREATE TABLE half (x)", "THIS IS NOT SQL")
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + (broken,))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with pytest.raises(LibraryUnavailable):
        Library(Settings(library_dir=str(tmp_path))).count()
    conn = sqlite3.connect(tmp_path / DATABASE_NAME)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS) - 1
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'half'").fetchall()


def test_a_newer_library_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / DATABASE_NAME)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryUnavailable, match="upgrade Sourcelight"):
        Library(Settings(library_dir=str(tmp_path))).count()


def test_entry_keeps_marked_quotes_only_and_digests(tmp_path: Path) -> None:
    settings = Settings(library_dir=str(tmp_path))
    entry = build_entry(ANSWER, story_page(), settings, copy="<p>copy</p>")
    assert [(q.source_name, q.content, q.cue) for q in entry.quotes] == [
        ("the mayor", "“Yes,", "said")]  # the candidate c1 is not a quotation of record
    assert entry.row["day"] == "2026-01-05"
    assert source_key("The  Associated Press’s") == "associated press"
    library = Library(settings)
    saved = library.entry(library.save(entry))
    assert saved["candidates"][0]["id"] == "c1"  # stored as /v1/clean returned it
    assert saved["article"]["text"] == ANSWER["article"]["text"]
    library.close()
