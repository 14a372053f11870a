"""A batch run killed halfway leaves valid output, and ``--resume`` finishes it: every page
exactly once, the same records as an uninterrupted run. Also ``sourcelight clean`` on gzip
and binary input. Real processes, real pages."""

from __future__ import annotations

import csv
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_pages import by_id, page_bytes, read_jsonl, wcxb_pages

# Seconds the killed run may take to write its first pages before the test gives up.
FIRST_PAGES_DEADLINE = 120
PAGES = 24


def sourcelight(*argv: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sourcelight.cli", *argv],
                          capture_output=True, timeout=300, **kwargs)


def start_and_kill_halfway(argv: list[str], out: Path, lines_before_kill: int) -> None:
    """Start ``sourcelight batch`` and SIGKILL it (no clean-up at all) once ``out`` holds
    ``lines_before_kill`` lines."""
    process = subprocess.Popen([sys.executable, "-m", "sourcelight.cli", *argv],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + FIRST_PAGES_DEADLINE
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if out.exists() and out.read_bytes().count(b"\n") >= lines_before_kill:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be interrupted"
    finally:
        # The whole group: the batch process, its fork server and its workers.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_resume_after_a_kill_writes_every_page_once(tmp_path, fmt):
    pages = wcxb_pages(PAGES)
    pattern = str(pages[0].parent / "00[0-2]?.html.gz")
    expected_paths = sorted(str(p) for p in pages[0].parent.glob("00[0-2]?.html.gz"))
    out = tmp_path / f"out.{fmt}"
    argv = ["batch", pattern, "--out", str(out), "--format", fmt, "-j", "1", "--no-progress"]

    start_and_kill_halfway(argv, out, lines_before_kill=6)
    # What a kill can leave at worst: a torn last line. It must be cut, not kept or fatal.
    with open(out, "ab") as stream:
        stream.write(b'{"id": "torn' if fmt == "jsonl" else b'torn,"half a row')
    written_before = out.read_bytes().count(b"\n")

    done = sourcelight(*argv, "--resume")

    assert done.returncode == 0, done.stderr.decode()
    err = done.stderr.decode()
    resumed = written_before - (1 if fmt == "csv" else 0)
    assert "were already in the output (--resume)" in err
    fresh = tmp_path / f"fresh.{fmt}"
    full = sourcelight("batch", pattern, "--out", str(fresh), "--format", fmt, "-j", "2",
                       "--no-progress")
    assert full.returncode == 0, full.stderr.decode()
    if fmt == "jsonl":
        records = by_id(read_jsonl(out))  # asserts no page twice
        assert sorted(r["origin"]["path"] for r in records.values()) == expected_paths
        assert records == by_id(read_jsonl(fresh))
    else:
        rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
        fresh_rows = list(csv.DictReader(fresh.read_text(encoding="utf-8").splitlines()))
        assert "torn" not in out.read_text(encoding="utf-8")
        key = lambda row: (row["page"], row["attribution"], row["marked"])  # noqa: E731
        assert sorted(rows, key=key) == sorted(fresh_rows, key=key)
        assert sorted({r["origin"] for r in rows}) == expected_paths
    assert resumed >= 5


def test_clean_reads_a_gzipped_page(tmp_path):
    page = wcxb_pages(1)[0]
    plain = tmp_path / "page.html"
    plain.write_bytes(page_bytes(page))
    from_gz = sourcelight("clean", str(page), "--format", "json")
    from_plain = sourcelight("clean", str(plain), "--format", "json")
    from_stdin = sourcelight("clean", "-", "--format", "json", input=page.read_bytes())
    assert from_gz.returncode == 0, from_gz.stderr.decode()
    assert json.loads(from_gz.stdout) == json.loads(from_plain.stdout) \
        == json.loads(from_stdin.stdout)
    assert json.loads(from_gz.stdout)["article"]["word_count"] > 100


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 16,  # binary
    gzip.compress(bytes(range(256)) * 16),  # gzipped binary
    gzip.compress(gzip.compress(b"<p>twice</p>")),  # gzip inside gzip: not a page
    b"\x1f\x8b\x08\x00" + bytes(40),  # a broken gzip stream
])
def test_clean_refuses_binary_input(tmp_path, data):
    source = tmp_path / "input.html"
    source.write_bytes(data)
    done = sourcelight("clean", str(source))
    assert done.returncode == 1
    assert done.stdout == b""
    message = done.stderr.decode()
    assert message.startswith("sourcelight: ") and message.count("\n") == 1
    assert "binary" in message or "gzip" in message


def test_sigterm_stops_the_run_with_whole_lines_and_exit_130(tmp_path):
    pages = wcxb_pages(PAGES)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "sourcelight.cli", "batch", str(pages[0].parent), "--out",
         str(out), "-j", "1", "--no-progress"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + FIRST_PAGES_DEADLINE
    while time.monotonic() < deadline and process.poll() is None:
        if out.exists() and out.read_bytes().count(b"\n") >= 2:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err.decode()
    message = err.decode()
    assert "interrupted: run the same command with --resume" in message
    assert "died" not in message  # the pages cut off are not reported as crashes
    records = read_jsonl(out)  # every line whole
    assert 2 <= len(records) < 831
    assert f"{len(records)} pages in" in message
