"""What ``sourcelight batch`` writes, and how it writes it safely.

A page becomes one record: the API's response (``article``, ``sources``, ``attributions``,
``candidates``, ``links``, ``summary``, ``notes``) with the page's ``id``, ``origin`` and
``url`` in front, and every attribution and candidate carrying ``quoted`` — the words of its
source, cue and content, not only their offsets — and ``marked`` (true for attributions, which
the overlay marks, false for candidates). A page that failed is ``{"id", "origin", "url",
"error", "message"}``: nothing is dropped.

JSONL is one record per line; CSV is one row per attribution or candidate (a page without any
gets one row with empty attribution columns, a failed page one row with ``error``), so every
page is in either file and ``--resume`` can tell which are done.

Safety: each page's lines go out in one write and are flushed, so a killed run leaves whole
lines; ``--resume`` cuts off a torn last line before appending. CSV cells hold one line each
(line breaks become spaces) and a page's text that starts like a spreadsheet formula (``=``,
``+``, ``-``, ``@``) is prefixed with ``'`` so that opening the file never runs it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

FORMATS = ("jsonl", "csv")
CSV_COLUMNS = (
    "page", "origin", "url", "site", "published", "lang", "title", "attribution", "marked",
    "type", "confidence", "source_name", "category", "anonymous", "source", "cue", "content",
    "error", "message",
)
# Cells a spreadsheet would read as a formula (OWASP's list for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Records are written with "id" first, so a resumed run reads ids without parsing whole pages.
ID_PREFIX = re.compile(rb'^\{"id": ("(?:[^"\\]|\\.)*")')


class OutputError(Exception):
    """The output file cannot be used as asked (exists without --resume, not ours, damaged)."""


# ---------------------------------------------------------------------- records
def page_record(page, result: dict | None = None, error=None) -> dict:
    """The record for ``page``: its result in the API's shape with the quoted words, or its
    error (a :class:`~sourcelight.errors.SourcelightError`)."""
    record = {"id": page.id, "origin": page.origin, "url": page.url}
    if error is not None or result is None:
        record["error"] = getattr(error, "code", "internal_error")
        record["message"] = getattr(error, "message", str(error))
        return record
    text = result["article"]["text"]
    record.update(result)
    record["attributions"] = [quote(a, text, True) for a in result.get("attributions", [])]
    record["candidates"] = [quote(a, text, False) for a in result.get("candidates", [])]
    return record


def quote(attribution: dict, text: str, marked: bool) -> dict:
    """``attribution`` with ``quoted`` (its spans' words) and ``marked``."""
    quoted = {part: _span_text(text, attribution.get(part)) for part in ("source", "cue",
                                                                        "content")}
    return {**attribution, "quoted": quoted, "marked": marked}


def _span_text(text: str, span) -> str | None:
    if not span:
        return None
    start, end = span
    return text[start:end]


def csv_rows(record: dict, with_header_keys: bool = False) -> list[dict]:
    """The CSV rows of one record (see the module docstring)."""
    base = {"page": record["id"], "origin": origin_text(record["origin"]),
            "url": record.get("url") or ""}
    if "error" in record:
        return [{**base, "error": record["error"], "message": record["message"]}]
    article = record["article"]
    base.update(url=article.get("url") or base["url"], site=article.get("site_name"),
                published=article.get("published"), lang=article.get("lang"),
                title=article.get("title"))
    entities = {source["id"]: source for source in record.get("sources", [])}
    rows = []
    for attribution in record["attributions"] + record["candidates"]:
        entity = entities.get(attribution.get("entity")) or {}
        quoted = attribution["quoted"]
        rows.append({
            **base, "attribution": attribution.get("id"),
            "marked": "true" if attribution["marked"] else "false",
            "type": attribution.get("type"), "confidence": attribution.get("confidence"),
            "source_name": entity.get("name"), "category": entity.get("category"),
            "anonymous": ("true" if entity.get("category") == "anonymous" else "false")
            if entity else "",
            "source": quoted["source"], "cue": quoted["cue"], "content": quoted["content"],
        })
    return rows or [base]


def origin_text(origin: dict) -> str:
    """``path``, ``path#<WARC record id>`` or ``path:<line>`` for a CSV cell."""
    text = origin.get("path", "")
    if origin.get("record"):
        text += "#" + origin["record"]
    elif origin.get("line"):
        text += f":{origin['line']}"
    return text


def safe_cell(value) -> str:
    """A CSV cell on one line that a spreadsheet shows as text, never runs as a formula."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return str(value)
    value = " ".join(value.splitlines()) if ("\n" in value or "\r" in value) else value
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def encode_record(record: dict, fmt: str) -> bytes:
    """The bytes one record adds to a ``fmt`` output: one JSON line, or its CSV rows."""
    if fmt == "jsonl":
        return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8",
                                                                      "surrogatepass")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    for row in csv_rows(record):
        writer.writerow({key: safe_cell(row.get(key)) for key in CSV_COLUMNS})
    return buffer.getvalue().encode("utf-8", "replace")


def csv_header() -> bytes:
    return (",".join(CSV_COLUMNS) + "\n").encode()


# ---------------------------------------------------------------------- the file
class ResultWriter:
    """Writes records to ``path`` (``-`` for standard output), one flushed write per page.

    An existing file is refused unless ``resume`` (continue it: its pages are in
    :attr:`done`, a torn last line is cut off) or ``overwrite``.
    """

    def __init__(self, path: str, fmt: str, resume: bool = False, overwrite: bool = False):
        if fmt not in FORMATS:
            raise OutputError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)}).")
        self.path, self.fmt = path, fmt
        self.done: set[str] = set()
        self.written = 0
        self._stream = self._open(resume, overwrite)

    def _open(self, resume: bool, overwrite: bool) -> BinaryIO:
        if self.path == "-":
            if resume:
                raise OutputError("--resume needs an output file (--out FILE), not stdout.")
            return sys.stdout.buffer
        target = Path(self.path)
        if target.is_dir():
            raise OutputError(f"{self.path} is a folder; name a file to write, e.g. "
                              f"{target / ('results.' + self.fmt)}.")
        exists = target.exists() and target.stat().st_size > 0
        if exists and resume:
            self.done = read_done(target, self.fmt)
            stream = open(target, "ab")
        elif exists and not overwrite:
            raise OutputError(f"{self.path} exists. Add --resume to continue that run, or "
                              "--overwrite to start again.")
        else:
            try:
                stream = open(target, "wb")
            except OSError as error:
                raise OutputError(f"cannot write {self.path}: {error.strerror or error}.") \
                    from None
        if stream.tell() == 0 and self.fmt == "csv":
            stream.write(csv_header())
            stream.flush()
        return stream

    def write(self, record: dict) -> None:
        """Append one page's record(s) and flush them, in one write."""
        self.write_encoded(encode_record(record, self.fmt))

    def write_encoded(self, data: bytes) -> None:
        """Append one page's output as :func:`encode_record` made it, flushed in one write
        (so a killed run leaves whole lines)."""
        self._stream.write(data)
        self._stream.flush()
        self.written += 1

    def close(self) -> None:
        """Flush to disk (a finished run survives a power cut too) and close."""
        stream = self._stream
        if stream is sys.stdout.buffer:
            stream.flush()
            return
        if not stream.closed:
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()


def read_done(path: Path, fmt: str) -> set[str]:
    """The ids of the pages already in an output file; a torn last line is cut off first."""
    done: set[str] = set()
    good_end = 0
    with open(path, "r+b") as stream:
        lines = iter(stream)
        if fmt == "csv":
            header = next(lines, b"")
            if header != csv_header():
                raise OutputError(f"{path} is not a CSV written by `sourcelight batch`; "
                                  "name another --out file.")
            good_end = len(header)
        for line in lines:
            page = _line_id(line, fmt)
            if page is None:
                # Only a last line without its line break is a torn write of ours; anything
                # else means the file is someone else's or damaged: never cut it.
                if line.endswith(b"\n") or stream.read(1):
                    raise OutputError(f"{path} has a line at byte {good_end:,} that "
                                      "`sourcelight batch` did not write; name another "
                                      "--out file.")
                break
            done.add(page)
            good_end += len(line)
        stream.truncate(good_end)
    return done


def _line_id(line: bytes, fmt: str) -> str | None:
    """The page id of one whole output line, or None for a torn (or foreign) line."""
    if not line.endswith(b"\n"):
        return None
    if fmt == "csv":
        try:
            row = next(csv.reader([line.decode("utf-8")]))
        except (UnicodeDecodeError, csv.Error, StopIteration):
            return None
        return row[0] if len(row) == len(CSV_COLUMNS) else None
    match = ID_PREFIX.match(line)
    if match is None:
        return None
    try:
        return json.loads(match.group(1))
    except ValueError:
        return None


def lines_of(records: Iterable[dict], fmt: str) -> bytes:
    """Every record encoded, with the CSV header: a whole output in memory (tests, Dask)."""
    head = csv_header() if fmt == "csv" else b""
    return head + b"".join(encode_record(record, fmt) for record in records)
