"""Test data for the batch tests, made on the fly: WCXB corpus pages read in place, and WARC
and JSONL files built in a temporary folder (WARCs with warcio's own writer)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sourcelight import cli

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
WCXB_HTML = SHARED / "corpus" / "wcxb-dev" / "html"


def wcxb_pages(count: int) -> list[Path]:
    """The first ``count`` WCXB pages (``NNNN.html.gz``), read in place; skip without them."""
    pages = sorted(WCXB_HTML.glob("*.html.gz"))[:count]
    if len(pages) < count:
        pytest.skip(f"needs {count} pages in {WCXB_HTML}")
    return pages


def page_bytes(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def run_batch_cli(capsys, *argv: str) -> tuple[int, str]:
    """``sourcelight batch …`` in this process; its exit code and stderr."""
    code = cli.main(["batch", "--no-progress", *argv])
    return code, capsys.readouterr().err


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def by_id(records: list[dict]) -> dict[str, dict]:
    ids = [record["id"] for record in records]
    assert len(ids) == len(set(ids)), "a page was written twice"
    return {record["id"]: record for record in records}


def write_warc(path: Path, records: list[dict], compress: bool) -> list[str]:
    """A WARC at ``path`` with one record per dict (``type``, ``url``, ``status``,
    ``content_type``, ``body``, optional ``encoding`` for a gzip Content-Encoding); the
    WARC-Record-IDs of the response records, in order."""
    ids = []
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for spec in records:
            body = spec["body"]
            headers = [("Content-Type", spec.get("content_type", "text/html; charset=utf-8"))]
            if spec.get("encoding") == "gzip":
                body = gzip.compress(body)
                headers.append(("Content-Encoding", "gzip"))
            headers.append(("Content-Length", str(len(body))))
            kind = spec.get("type", "response")
            http = None
            if kind in ("response", "request"):
                first = (f"{spec.get('status', 200)} OK" if kind == "response"
                         else f"GET {spec['url']} HTTP/1.1")
                http = StatusAndHeaders(first, headers, protocol="HTTP/1.1"
                                        if kind == "response" else "")
            record = writer.create_warc_record(spec["url"], kind, payload=io.BytesIO(body),
                                               http_headers=http)
            writer.write_record(record)
            if kind == "response":
                ids.append(record.rec_headers.get_header("WARC-Record-ID"))
    return ids


def assert_same_records(ours: dict[str, dict], theirs: dict[str, dict]) -> None:
    """The same pages with the same records; on a difference, say which page and field."""
    assert sorted(ours) == sorted(theirs)
    for key, record in ours.items():
        if record != theirs[key]:
            fields = [name for name in set(record) | set(theirs[key])
                      if record.get(name) != theirs[key].get(name)]
            detail = {name: (record.get(name), theirs[key].get(name)) for name in fields}
            raise AssertionError(f"{record['origin']} differs in {fields}: {detail}"[:3000])
