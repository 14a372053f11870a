"""Nothing lost: a process saving to the library is killed with SIGKILL at random moments,
50 times; after each kill the library passes SQLite's and the full-text index's integrity
checks, every acknowledged save is there whole, and no save is there in part."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from helpers import story_page
from sourcelight.library.store import DATABASE_NAME
from sourcelight.pipeline import clean
from sourcelight.settings import Settings

KILLS = 50
SAVER = Path(__file__).with_name("library_saver.py")
# Whole test under a minute on a shared 2-core machine; each round has its own bound.
ROUND_TIMEOUT = 10.0


def prepared_answers(seed_page: Path, path: Path) -> None:
    """The /v1/clean answers the saver stores, made once (a real page and a short story)."""
    items = []
    for html in (seed_page.read_text("utf-8"), story_page()):
        items.append({"html": html, "answer": clean(html, None, Settings()).to_dict()})
    path.write_text(json.dumps(items), encoding="utf-8")


def run_until_killed(data_dir: Path, answers: Path, rng: random.Random) -> tuple[list, bool]:
    """Start a saver, kill it at a random moment after its first acknowledged save; the saves
    it acknowledged and whether it was inside a save when it died."""
    process = subprocess.Popen([sys.executable, str(SAVER), str(data_dir), str(answers),
                                str(rng.randrange(1 << 30))],
                               stdout=subprocess.PIPE, text=True)
    acknowledged, lines = [], []
    deadline = time.monotonic() + ROUND_TIMEOUT
    try:
        line = process.stdout.readline()
        while line and not line.startswith("saved") and time.monotonic() < deadline:
            lines.append(line)
            line = process.stdout.readline()
        lines.append(line)
        time.sleep(rng.uniform(0.0, 0.12))
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=ROUND_TIMEOUT)
    # A line cut off by the kill is no acknowledgement: only lines the saver finished count.
    rest = process.stdout.read()
    lines += rest.split("\n")[:-1]
    torn = rest.rsplit("\n", 1)[-1]
    for line in lines:
        parts = line.split()
        if parts and parts[0] == "saved":
            acknowledged.append((int(parts[1]), parts[2], int(parts[3])))
    last = [line.split()[0] for line in lines + [torn] if line.strip()][-1]
    return acknowledged, last == "begin"


def check_library(path: Path, acknowledged: dict[int, tuple[str, int]]) -> int:
    """Assert the library is consistent and holds every acknowledged save whole."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')")
        rows = conn.execute(
            "SELECT e.id, c.copy_html, e.copy_sha256, "
            "(SELECT count(*) FROM quotes q WHERE q.entry_id = e.id) FROM entries e "
            "JOIN entry_content c ON c.id = e.id").fetchall()
        stored = {row[0]: row for row in rows}
        for entry_id, (digest, quotes) in acknowledged.items():
            assert entry_id in stored, f"acknowledged entry {entry_id} lost"
            _, copy, saved_digest, saved_quotes = stored[entry_id]
            assert saved_digest == digest == hashlib.sha256(copy.encode()).hexdigest()
            assert saved_quotes == quotes
        for _, copy, digest, _ in rows:  # saved but not yet acknowledged: whole too
            assert hashlib.sha256(copy.encode()).hexdigest() == digest
        for table in ("quotes", "entry_content"):  # nothing of a save that did not happen
            column = "entry_id" if table == "quotes" else "id"
            orphans = conn.execute(f"SELECT count(*) FROM {table} WHERE {column} NOT IN "
                                   "(SELECT id FROM entries)").fetchone()[0]
            assert orphans == 0, table
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == len(rows)
        return len(rows)
    finally:
        conn.close()


def test_kill_during_save_loses_nothing(tmp_path: Path, seed_page: Path) -> None:
    answers = tmp_path / "answers.json"
    prepared_answers(seed_page, answers)
    data_dir = tmp_path / "library"
    rng = random.Random(13)
    acknowledged: dict[int, tuple[str, int]] = {}
    mid_save = 0
    started = time.monotonic()
    for _ in range(KILLS):
        saves, in_save = run_until_killed(data_dir, answers, rng)
        mid_save += in_save
        acknowledged.update({entry_id: (digest, quotes) for entry_id, digest, quotes in saves})
        entries = check_library(data_dir / DATABASE_NAME, acknowledged)
        assert entries >= len(acknowledged)
    elapsed = time.monotonic() - started
    print(f"{KILLS} kills in {elapsed:.1f} s, {mid_save} inside a save, "
          f"{len(acknowledged)} acknowledged saves all intact")
    assert mid_save >= KILLS // 2  # the kills did land while saving, not only between saves
    assert elapsed < 60
