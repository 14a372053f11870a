"""The library through the API: save -> search -> open -> copy -> export -> delete, the
filters, "where else quoted", the limits, and a library that cannot be written."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from flask import Flask

from helpers import story_page

COPY = ("<!DOCTYPE html><html><head><style>p{color:#333}</style></head><body><p>Saved</p>"
        "<img alt='map' src='data:image/png;base64,iVBORw0KGgo='></body></html>")


@pytest.fixture
def library_app(make_app, tmp_path: Path) -> Flask:
    """An app whose library lives in a temporary directory."""
    return make_app(library_dir=str(tmp_path / "library"))


def save(client, html: str, url: str = "https://news.example/a", **extra):
    """POST one page to the library."""
    return client.post("/v1/library", json={"url": url, "html": html, **extra})


def test_save_search_open_copy_export_delete(library_app, seed_page: Path) -> None:
    client = library_app.test_client()
    html = seed_page.read_text("utf-8")
    saved = save(client, html, "https://japannews.example/story", copy=COPY,
                 corrections={"a1": {"source": "removed"}})
    assert saved.status_code == 201, saved.json
    entry_id = saved.json["id"]
    assert saved.json["page_sha256"] == hashlib.sha256(html.encode()).hexdigest()
    assert saved.json["copy_sha256"] == hashlib.sha256(COPY.encode()).hexdigest()
    assert saved.json["quotes"] > 0
    other = save(client, story_page(), "https://city.example/bus").json["id"]

    found = client.get("/v1/library?q=takaich").json  # a prefix, as typed
    assert [e["id"] for e in found["entries"]] == [entry_id] and found["total"] == 1
    hits = [text for text, hit in found["entries"][0]["snippet"] if hit]
    assert hits and all(text.lower().startswith("takaichi") for text in hits)
    assert {e["id"] for e in client.get("/v1/library").json["entries"]} == {entry_id, other}
    assert client.get("/v1/library?q=bus+network").json["entries"][0]["id"] == other

    by_source = client.get("/v1/library?source=the Wall Street Journal").json
    assert [e["id"] for e in by_source["entries"]] == [entry_id]
    assert client.get("/v1/library?category=media").json["total"] == 1
    assert client.get("/v1/library?site=The Japan News").json["total"] == 1
    assert client.get("/v1/library?from=2025-11-27&to=2025-11-27").json["total"] == 1
    assert client.get("/v1/library?to=2025-11-26").json["total"] == 0

    entry = client.get(f"/v1/library/{entry_id}").json
    assert entry["title"].startswith("Trump Asked Takaichi")
    assert entry["corrections"] == {"a1": {"source": "removed"}}
    assert entry["article"]["text"] and entry["attributions"] and entry["has_copy"]
    copy = client.get(f"/v1/library/{entry_id}/copy")
    assert copy.status_code == 200 and copy.mimetype == "text/html"
    assert copy.get_data(as_text=True) == COPY
    policy = copy.headers["Content-Security-Policy"]
    assert "sandbox" in policy and "script-src" not in policy and "default-src 'none'" in policy
    assert client.get(f"/v1/library/{other}/copy").status_code == 404

    exported = client.get("/v1/library/export?limit=1").json
    assert exported["entries"][0]["id"] == entry_id and exported["next"] == entry_id

    assert client.delete(f"/v1/library/{entry_id}").json == {"deleted": entry_id}
    assert client.get(f"/v1/library/{entry_id}").status_code == 404
    assert client.delete(f"/v1/library/{entry_id}").status_code == 404
    assert client.get("/v1/library?q=takaichi").json["total"] == 0


def test_where_else_quoted_earliest_first(library_app, seed_page: Path) -> None:
    client = library_app.test_client()
    html = seed_page.read_text("utf-8")
    later = html.replace("2025-11-27T10:51:00+09:00", "2025-12-03T09:00:00+09:00").replace(
        "20251127-trump-takaichi", "20251203-trump-takaichi")  # another article, a week on
    assert later != html
    second = save(client, later, "https://japannews.example/later").json["id"]
    first = save(client, html, "https://japannews.example/story").json["id"]
    trail = client.get("/v1/library/quoted?name=Sanae Takaichi").json
    assert [e["id"] for e in trail["entries"]] == [first, second]  # by date, not by save
    assert all(q["content"] and q["source_name"] for e in trail["entries"] for q in e["quotes"])
    without = client.get("/v1/library/quoted?name=Sanae Takaichi"
                         "&exclude_url=https://japannews.example/news/politics/"
                         "20251203-trump-takaichi/").json
    assert [e["id"] for e in without["entries"]] == [first]
    # An anonymous source has no trail: other articles' "sources" are other people.
    anonymous = client.get("/v1/library/quoted?name=two Japanese government sources").json
    assert anonymous["entries"] == []
    facets = client.get("/v1/library/facets").json
    assert {"name": "Sanae Takaichi", "entries": 2} in facets["sources"]
    assert client.get("/v1/library/quoted").status_code == 400


@pytest.mark.parametrize("query, fragment", [
    ("q=" + "a" * 600, "over the limit"), ("from=yesterday", "YYYY-MM-DD"),
    ("per_page=1000", "between"), ("page=x", "whole number"),
])
def test_bad_search_is_a_clear_400(library_app, query: str, fragment: str) -> None:
    answer = library_app.test_client().get(f"/v1/library?{query}")
    assert answer.status_code == 400 and fragment in answer.json["message"]


def test_search_syntax_never_fails(library_app) -> None:
    client = library_app.test_client()
    save(client, story_page())
    for q in ['"', 'NEAR(', '*', 'bus AND', '"bus network"', "-", "council OR"]:
        answer = client.get("/v1/library", query_string={"q": q})
        assert answer.status_code == 200, (q, answer.json)
    assert client.get("/v1/library", query_string={"q": '"bus network"'}).json["total"] == 1
    assert client.get("/v1/library", query_string={"q": '"network bus"'}).json["total"] == 0


def test_limits_and_bad_fields(make_app, tmp_path: Path) -> None:
    app = make_app(library_dir=str(tmp_path / "lib"), library_max_copy_bytes=1000,
                   library_max_corrections_bytes=100)
    client = app.test_client()
    too_big = save(client, story_page(), copy="x" * 1001)
    assert too_big.status_code == 413 and "library_max_copy_bytes" in too_big.json["message"]
    corrections = save(client, story_page(), corrections={"x": "y" * 200})
    assert corrections.status_code == 413
    assert save(client, story_page(), copy=5).status_code == 400
    assert save(client, story_page(), corrections="no").status_code == 400
    assert client.post("/v1/library", data="x", content_type="text/plain").status_code == 415
    assert client.get("/v1/library").json["total"] == 0  # nothing refused was stored


def test_library_full_is_507_and_earlier_entries_stay(make_app, tmp_path: Path) -> None:
    app = make_app(library_dir=str(tmp_path / "lib"), library_max_bytes=400 * 1024)
    client = app.test_client()
    first = save(client, story_page())
    assert first.status_code == 201
    full = save(client, story_page(), copy="<p>" + "filler text " * 40_000)
    assert full.status_code == 507 and full.json["error"] == "library_full"
    assert "delete" in full.json["message"]
    assert client.get("/v1/library").json["total"] == 1
    assert client.get(f"/v1/library/{first.json['id']}").status_code == 200


def test_unwritable_library_fails_only_the_library(make_app, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the library directory should be")
    app = make_app(library_dir=str(blocker / "sourcelight"))
    client = app.test_client()
    answer = save(client, story_page())
    assert answer.status_code == 503 and answer.json["error"] == "library_unavailable"
    assert "SOURCELIGHT_DATA_DIR" in answer.json["message"]
    assert client.post("/v1/clean", json={"html": story_page()}).status_code == 200


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_library_directory(make_app, tmp_path: Path) -> None:
    directory = tmp_path / "ro"
    directory.mkdir(mode=0o500)
    app = make_app(library_dir=str(directory))
    answer = save(app.test_client(), story_page())
    assert answer.status_code == 503 and "writable" in answer.json["message"]


def test_library_needs_the_token(library_app, anonymous_client) -> None:
    for method, path in [("get", "/v1/library"), ("get", "/v1/library/1"),
                         ("delete", "/v1/library/1"), ("get", "/v1/library/1/copy"),
                         ("get", "/v1/library/quoted?name=x")]:
        answer = getattr(anonymous_client, method)(path)
        assert answer.status_code == 403, path
    page = library_app.test_client().get("/v1/library",
                                          headers={"Origin": "https://evil.example"})
    assert page.status_code == 403
