"""The page-level bad-input matrix: pages the web can produce, through the real app and its
worker pool (paired client), each with the status and error code it must get.

No row may be a server error. A page that is answered (200) must keep its text: the words at
its deepest point, after its deep part, around control characters, are in the article, and
anything the service had to change is named in ``notes``. A page that is refused says why,
with the numbers and the limit where there is one.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Callable

import pytest

from helpers import STORY
from sourcelight.app import get_worker_pool
from sourcelight.extract.parse import PARSER_MAX_DEPTH, parse_page
from sourcelight.settings import Settings

JSON = "application/json"
URL = "https://news.example/2026/11/buses"
SETTINGS = Settings()
# Words that must come through wherever a page puts them.
DEEP_WORDS = "Deepest paragraph: the transport minister said the plan was fully funded."
AFTER_WORDS = "Closing paragraph: the first new buses will run in March."


def story_page(body_extra: str = "", head: str = "", title: str = "Council expands buses",
               before: str = "") -> str:
    """A small real news page: head with a title, an article of four paragraphs."""
    paragraphs = "".join(f"<p>{text}</p>" for text in STORY)
    return (f"{before}<!DOCTYPE html><html lang=\"en\"><head>{head}<title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}{body_extra}</article></body></html>")


def nested_page(depth: int) -> str:
    """An article whose middle paragraph sits ``depth`` <div>s deep, with text after it."""
    paragraphs = "".join(f"<p>{text}</p>" for text in STORY)
    return ("<!DOCTYPE html><html lang=\"en\"><head><title>Deep</title></head><body><article>"
            f"<h1>Deep</h1>{paragraphs}" + "<div>" * depth + f"<p>{DEEP_WORDS}</p>"
            + "</div>" * depth + f"<p>{AFTER_WORDS}</p></article></body></html>")


def nested_divs(count: int) -> str:
    """``count`` nested <div>s and nothing else around them but a title."""
    return ("<html><head><title>Divs</title></head><body>" + "<div>" * count + "x"
            + "</div>" * count + "</body></html>")


def many_elements(count: int) -> str:
    """A page of ``count`` small paragraphs (plus <html> and <body>)."""
    return "<html><body>" + "<p>x</p>" * (count - 2) + "</body></html>"


def huge_text_node(chars: int) -> str:
    """A page whose one paragraph is ``chars`` characters of words with no markup."""
    words = "word " * (chars // 5)
    return f"<html><head><title>Dump</title></head><body><p>{words}</p></body></html>"


def pdf_bytes() -> bytes:
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>"
            b"\n%%EOF\n")


@dataclass
class Row:
    """One page of the matrix and what the service must answer."""

    html: str | None  # None: ``body`` is sent as is
    status: int
    code: str | None = None  # the error code; None for 200
    words: tuple[str, ...] = ()  # in the error message, or in the article text for 200
    absent: tuple[str, ...] = ()  # never in the article (text or html) for 200
    notes: tuple[str, ...] = ()  # in the result's notes for 200
    body: bytes | None = None
    check: Callable[[dict], None] | None = field(default=None, repr=False)


def no_surrogates_or_controls(body: dict) -> None:
    text = body["article"]["text"] + body["article"]["html"] + (body["article"]["title"] or "")
    assert not any("\ud800" <= ch <= "\udfff" for ch in text)
    assert not any(ch in text for ch in "\x00\x01\x07\x0b\x1b\x7f")


def mojibake_free(body: dict) -> None:
    text = body["article"]["text"]
    for mark in ("Ã", "â€", "\ufffd"):
        assert mark not in text


ROWS: dict[str, Row] = {
    # ---- structure past the limits
    "nested-300": Row(nested_page(300), 200, words=(DEEP_WORDS, AFTER_WORDS, STORY[0]),
                      notes=(f"parse:flattened-below-depth-{SETTINGS.max_depth}",)),
    "nested-2000": Row(nested_page(2000), 200, words=(DEEP_WORDS, AFTER_WORDS),
                       notes=(f"parse:flattened-below-depth-{SETTINGS.max_depth}",)),
    "nested-10000": Row(nested_page(10_000), 422, "too_complex",
                        words=(f"{PARSER_MAX_DEPTH:,}", "levels")),
    "nested-divs-100k": Row(nested_divs(100_000), 422, "too_complex",
                            words=(f"{PARSER_MAX_DEPTH:,}", "levels")),
    "text-node-12mb": Row(huge_text_node(12 * 1024 * 1024), 422, "too_complex",
                          words=("12,582,910", f"{SETTINGS.max_text_node_chars:,}")),
    "elements-200k": Row(many_elements(200_000), 422, "too_complex",
                         words=("200,000", f"{SETTINGS.max_elements:,}")),
    # Megabytes that are not text: a data: image and inline JSON state are read past.
    "data-url-3mb": Row(story_page(
        '<img src="data:image/png;base64,' + "A" * 3_000_000 + f'"><p>{AFTER_WORDS}</p>'),
        200, words=(STORY[3], AFTER_WORDS), notes=("parse:dropped-huge-attributes",)),
    # Past 10 MB, an attribute would make the later stages' parsers cut the article there.
    "data-url-11mb": Row(story_page(
        '<img src="data:image/png;base64,' + "A" * 11_000_000 + f'"><p>{AFTER_WORDS}</p>'),
        200, words=(STORY[3], AFTER_WORDS), notes=("parse:dropped-huge-attributes",)),
    "inline-json-3mb": Row(story_page(
        "<script>window.__STATE__=" + json.dumps({"k": "v" * 3_000_000}) + "</script>"),
        200, words=(STORY[3],), absent=("__STATE__",)),
    # ---- output amplification (issue 10): the page's own <base href> repeated per link
    "links-against-900k-char-base-href": Row(story_page(
        "<a href=a>x</a> " * 5_000, head="<base href='https://example.com/" + "a" * 900_000
        + "/'>"), 200, words=(STORY[3],), absent=("aaaaaaaaaa",),
        notes=("render:base-url-too-long",)),
    "images-against-1500-char-base-href": Row(story_page(
        "<img src=a> " * 50_000, head="<base href='https://example.com/" + "b" * 1500 + "/'>"),
        422, "answer_too_large", words=("max_answer_ratio",)),
    "link-over-the-link-limit": Row(story_page(
        f"<a href='https://example.com/{'c' * SETTINGS.max_link_chars}'>long</a>"), 200,
        words=(STORY[3],), absent=("cccccccccc",), notes=("render:dropped-long-links",)),
    # ---- characters at the boundary
    "invalid-utf8-body": Row(None, 400, "bad_request", words=("not valid json", "utf-8"),
                             body=b'{"html": "<p>caf\xe9 \xff\xfe</p>"}'),
    # What a browser hands over for a page with invalid UTF-8: replacement characters.
    "invalid-utf8-as-the-browser-decoded-it": Row(
        story_page().replace("twelve new", "twelve \ufffd\ufffdnew"), 200,
        words=("twelve \ufffd\ufffdnew", STORY[3])),
    "lone-surrogate": Row(story_page().replace("twelve new", "twelve \ud800new"), 200,
                          words=("twelve \ufffdnew",), check=no_surrogates_or_controls),
    "lone-surrogates-everywhere": Row(
        story_page(title="Bus\udc00es").replace("<p>", "<p>\udbff", 2), 200,
        words=(STORY[1],), check=no_surrogates_or_controls),
    "nul": Row(story_page().replace("bus network", "bus\x00 network"), 200,
               words=("bus network",), check=no_surrogates_or_controls),
    "control-characters": Row(story_page().replace("Officials said", "Offi\x01cials\x07 "
                                                   "\x1bsaid\x0b\x7f"), 200,
                              words=("Officials said",), check=no_surrogates_or_controls),
    "bom": Row("\ufeff" + story_page(), 200, words=(STORY[0],)),
    "bom-then-xml-declaration": Row("\ufeff<?xml version=\"1.0\" encoding=\"utf-16\"?>\n"
                                    + story_page(), 200, words=(STORY[2],)),
    "conflicting-meta-charset": Row(story_page(
        head='<meta charset="shift_jis"><meta http-equiv="Content-Type" '
             'content="text/html; charset=windows-1252">',
        body_extra="<p>“We won’t pay,” the café owner in Zürich said — déjà vu.</p>"),
        200, words=("“We won’t pay,” the café owner in Zürich said — déjà vu.",),
        check=mojibake_free),
    "xml-declaration": Row('<?xml version="1.0" encoding="iso-8859-1"?>\n' + story_page(
        body_extra="<p>Café prices rose by 5 € in Zürich.</p>"), 200,
        words=("Café prices rose by 5 € in Zürich.",), check=mojibake_free),
    # ---- not a web page
    "json-text": Row(json.dumps({"title": "Buses", "body": " ".join(STORY)}), 422, "not_html",
                     words=("json",)),
    "base64-pdf": Row(base64.b64encode(pdf_bytes()).decode("ascii"), 422, "not_html",
                      words=("pdf",)),
    "pdf-bytes": Row(pdf_bytes().decode("latin-1"), 422, "not_html", words=("pdf",)),
    "plain-text": Row(" ".join(STORY) * 3, 422, "not_html", words=("plain text",)),
    "svg-document": Row('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
                        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg xmlns='
                        f'"http://www.w3.org/2000/svg"><text>{STORY[0]}</text></svg>',
                        422, "not_html", words=("svg",)),
    "frameset": Row('<html><head><title>Frames</title></head><frameset cols="50%,50%">'
                    '<frame src="/nav.html"><frame src="/story.html"></frameset></html>',
                    422, "no_article", words=("frameset",)),
    # ---- HTML without an article
    "no-text": Row('<html><head><title>Gallery</title></head><body><div><img src="/a.png">'
                   '<img src="/b.png"></div></body></html>', 422, "no_article",
                   words=("no article text",)),
    "only-hidden-text": Row(
        "<html><head><title>Hidden</title></head><body>"
        f"<div style='display:none'><p>{STORY[0]}</p></div><div hidden><p>{STORY[1]}</p></div>"
        f"<p aria-hidden='true'>{STORY[2]}</p></body></html>", 422, "no_article",
        words=("no article text",)),
    "only-json-ld": Row(
        '<html><head><title>Buses</title><script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                      "headline": "Buses", "articleBody": " ".join(STORY)})
        + "</script></head><body></body></html>", 422, "no_article",
        words=("scripts",)),
    "whitespace-only": Row(" \n\t\r\n ", 422, "not_html", words=("empty",)),
}


def post_page(client, row: Row):
    body = row.body if row.html is None else json.dumps({"url": URL, "html": row.html})
    return client.post("/v1/clean", data=body, content_type=JSON)


def test_the_matrix_has_the_rows_the_issue_names():
    assert len(ROWS) >= 15
    for name in ("nested-300", "nested-10000", "nested-divs-100k", "text-node-12mb",
                 "elements-200k", "invalid-utf8-body", "lone-surrogate", "nul", "bom",
                 "conflicting-meta-charset", "xml-declaration", "json-text", "base64-pdf",
                 "plain-text", "svg-document", "frameset", "no-text", "only-hidden-text",
                 "only-json-ld"):
        assert name in ROWS


@pytest.mark.parametrize("name", list(ROWS))
def test_page_gets_its_status_and_keeps_its_text(client, name):
    row = ROWS[name]
    response = post_page(client, row)

    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert response.status_code == row.status, response.get_data(as_text=True)[:300]
    assert response.mimetype == JSON
    body = response.get_json()
    if row.status != 200:
        assert set(body) == {"error", "message"}
        assert body["error"] == row.code
        assert "Traceback" not in body["message"] and len(body["message"]) > 20
        for word in row.words:
            assert word.lower() in body["message"].lower(), body["message"]
        return
    text = body["article"]["text"]
    for words in row.words:
        assert words in text, f"lost: {words!r}"
    for words in row.absent:
        assert words not in text and words not in body["article"]["html"]
    for note in row.notes:
        assert note in body["notes"]
    if row.check:
        row.check(body)


def test_text_is_only_flattened_when_a_note_says_so(client):
    # A page within the depth limit keeps its structure and has no flattening note.
    response = post_page(client, Row(nested_page(SETTINGS.max_depth - 10), 200))
    assert response.status_code == 200
    body = response.get_json()
    assert DEEP_WORDS in body["article"]["text"]
    assert not any(note.startswith("parse:flattened") for note in body["notes"])


def test_deep_page_keeps_its_paragraphs_apart(client):
    # Flattening leaves line breaks where blocks were: the deep paragraph is its own line.
    response = post_page(client, ROWS["nested-300"])
    text = response.get_json()["article"]["text"]
    assert DEEP_WORDS in [line.strip() for line in text.splitlines()], text[-600:]


@pytest.mark.parametrize("name", ["elements-200k", "nested-divs-100k", "text-node-12mb"])
def test_huge_page_is_answered_within_a_second(app, client, name):
    # The issue's bar: a 200k-element page answered (or refused clearly) within 1 s. The
    # workers are started first: their start-up is not the page's time.
    get_worker_pool(app).start(wait=True)
    body = json.dumps({"url": URL, "html": ROWS[name].html})
    started = time.perf_counter()
    response = client.post("/v1/clean", data=body, content_type=JSON)
    elapsed = time.perf_counter() - started
    assert response.status_code == 422
    assert response.get_json()["error"] == "too_complex"
    assert elapsed < 1.0, f"{name} took {elapsed:.2f}s"


def test_page_at_the_element_limit_is_read_and_one_over_is_refused(make_app):
    limit = 5_000
    client = make_app(max_elements=limit).test_client()
    at_limit = story_page("<p>x</p>" * (limit - sum(1 for _ in parse_page(story_page()).iter())))
    assert sum(1 for _ in parse_page(at_limit).iter()) == limit
    ok = client.post("/v1/clean", content_type=JSON, data=json.dumps({"html": at_limit}))
    assert ok.status_code == 200, ok.get_data(as_text=True)[:300]
    over = client.post("/v1/clean", content_type=JSON,
                       data=json.dumps({"html": many_elements(limit + 1)}))
    assert over.status_code == 422
    assert f"{limit + 1:,}" in over.get_json()["message"]


def test_text_node_at_the_limit_is_read(make_app):
    limit = 200_000
    client = make_app(max_text_node_chars=limit).test_client()
    at_limit = huge_text_node(limit)
    assert len(parse_page(at_limit).find(".//p").text) == limit
    response = client.post("/v1/clean", content_type=JSON, data=json.dumps({"html": at_limit}))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert len(response.get_json()["article"]["text"]) >= limit - 10
    over = client.post("/v1/clean", content_type=JSON,
                       data=json.dumps({"html": huge_text_node(limit + 1000)}))
    assert over.status_code == 422
    assert over.get_json()["error"] == "too_complex"
