"""`sourcelight library list|search|show|export|delete` on a library the service filled."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import yaml
from markdown_it import MarkdownIt

from helpers import story_page


def library_cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``sourcelight library …`` with the library in ``data_dir``."""
    env = {**os.environ, "SOURCELIGHT_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "sourcelight.cli", "library", *args],
                          capture_output=True, text=True, env=env, timeout=60)


def test_cli_search_show_export_delete(make_app, tmp_path: Path, seed_page: Path) -> None:
    data = tmp_path / "data"
    client = make_app(library_dir=str(data)).test_client()
    seed_id = client.post("/v1/library", json={
        "html": seed_page.read_text("utf-8"), "copy": "<html><body><p>kept</p></body></html>",
    }).json["id"]
    bus_id = client.post("/v1/library", json={"url": "https://city.example/bus",
                                              "html": story_page()}).json["id"]

    listed = library_cli(data, "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {e["id"] for e in json.loads(listed.stdout)["entries"]} == {seed_id, bus_id}
    found = library_cli(data, "search", "takaichi")
    assert found.returncode == 0 and str(seed_id) in found.stdout.split()[0]
    assert "Trump Asked Takaichi" in found.stdout and "bus" not in found.stdout
    by_source = json.loads(library_cli(data, "search", "", "--source", "Sanae Takaichi",
                                       "--json").stdout)
    assert [e["id"] for e in by_source["entries"]] == [seed_id]
    shown = library_cli(data, "show", str(seed_id))
    assert "page_sha256:" in shown.stdout and "Sanae Takaichi" in shown.stdout
    assert json.loads(library_cli(data, "show", str(seed_id), "--json").stdout)["has_copy"]

    out = tmp_path / "out"
    assert library_cli(data, "export", "--format", "jsonl", str(out)).returncode == 0
    lines = (out / "sourcelight-library.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [seed_id, bus_id]
    assert json.loads(lines[0])["copy_html"] == "<html><body><p>kept</p></body></html>"
    assert library_cli(data, "export", "--format", "csv", str(out)).returncode == 0
    with open(out / "sourcelight-library.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert any(r["source_name"] == "Sanae Takaichi" and r["content"] for r in rows)
    markdown = library_cli(data, "export", "--format", "markdown", str(out / "md"), "--json")
    files = [Path(p) for p in json.loads(markdown.stdout)["files"]]
    note = next(p for p in files if p.suffix == ".md" and f"-{seed_id}." in p.name)
    assert (note.with_suffix(".html")).read_text("utf-8").startswith("<html>")
    text = note.read_text("utf-8")
    front = yaml.safe_load(text.split("---")[1])
    assert front["copy"] == note.with_suffix(".html").name
    assert {"name": "Sanae Takaichi", "category": "person"} in front["sources"]
    tokens = MarkdownIt("commonmark").parse(text)
    assert any(t.type == "heading_open" for t in tokens)
    assert "[^a2]: “" in text  # footnotes carry the quoted words

    assert library_cli(data, "delete", str(seed_id)).returncode == 0
    missing = library_cli(data, "show", str(seed_id))
    assert missing.returncode == 1 and "no entry" in missing.stderr
    assert library_cli(data, "search", "x", "--from", "soon").returncode == 2
