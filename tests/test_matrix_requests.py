"""The request-level bad-input matrix: every way a request can be wrong, and the answer it gets.

Each row is sent through the real app (guards, limits, JSON checks and the pipeline) and names
its expected status and error code; a row with no error code expects the cleaned article.
No row may answer 5xx. (Page-level rows — what is inside ``html`` — are in
test_matrix_pages.py.)
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from helpers import story_page

JSON = "application/json"
URL = "https://news.example/city/buses"
# The body limit of the app that the size rows use: small, so "at" and "one over" are cheap.
SMALL_LIMIT = 32 * 1024
MB = 1024 * 1024
WEB_ORIGIN = "https://evil.test"
EXTENSION_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


class Clients:
    """The clients a row may use, built on demand from the conftest factory."""

    def __init__(self, make_app: Callable[..., Flask]):
        self.make_app = make_app

    @cached_property
    def app(self) -> Flask:
        return self.make_app()

    @cached_property
    def paired(self) -> FlaskClient:
        """Sends the pairing token, like the extension."""
        return self.app.test_client()

    @cached_property
    def anonymous(self) -> FlaskClient:
        """Sends no token, like a web page."""
        return FlaskClient(self.app, self.app.response_class)

    @cached_property
    def small(self) -> FlaskClient:
        """Paired, with a body limit of :data:`SMALL_LIMIT` bytes."""
        return self.make_app(max_body_bytes=SMALL_LIMIT).test_client()


def page_json(**fields) -> str:
    """A valid request body: the sample story, with ``fields`` added or replaced."""
    return json.dumps({"url": URL, "html": story_page(), **fields})


def body_of_exactly(size: int) -> bytes:
    """A valid request of exactly ``size`` bytes (the page padded with spaces)."""
    bare = page_json().encode()
    padded = page_json(html=story_page() + " " * (size - len(bare))).encode()
    assert len(padded) == size
    return padded


def post(client: FlaskClient, body: str | bytes, content_type: str | None = JSON,
         headers: dict | None = None, path: str = "/v1/clean") -> TestResponse:
    headers = dict(headers or {})
    if content_type is not None:
        headers["Content-Type"] = content_type
    return client.post(path, data=body, headers=headers)


def post_chunked(client: FlaskClient, body: bytes) -> TestResponse:
    """A body without Content-Length, as waitress hands on a chunked upload."""
    return client.post("/v1/clean", input_stream=io.BytesIO(body),
                       headers={"Content-Type": JSON, "Transfer-Encoding": "chunked"},
                       environ_overrides={"wsgi.input_terminated": True})


def nested(depth: int) -> str:
    return '{"html": ' + "[" * depth + "]" * depth + "}"


@dataclass(frozen=True)
class Row:
    id: str
    send: Callable[[Clients], TestResponse]
    status: int
    error: str | None = None  # None: the cleaned article is expected


ROWS = [
    # --- size
    Row("body-50MB", lambda c: post(c.paired, b'{"html": "' + b"x" * (50 * MB) + b'"}'),
        413, "too_large"),
    Row("body-one-byte-over-limit", lambda c: post(c.small, body_of_exactly(SMALL_LIMIT + 1)),
        413, "too_large"),
    Row("body-exactly-at-limit", lambda c: post(c.small, body_of_exactly(SMALL_LIMIT)), 200),
    Row("chunked-no-length-over-limit",
        lambda c: post_chunked(c.small, body_of_exactly(SMALL_LIMIT + 5000)), 413, "too_large"),
    Row("chunked-no-length-under-limit",
        lambda c: post_chunked(c.small, body_of_exactly(SMALL_LIMIT - 5000)), 200),
    Row("html-over-character-limit",
        lambda c: post(c.paired, json.dumps({"html": "x" * (15 * MB + 1)})), 413, "too_large"),
    Row("title-10MB", lambda c: post(c.paired, page_json(html=story_page().replace(
        "<title>", "<title>" + "Big title " * MB, 1))), 422, "too_complex"),
    Row("title-500KB", lambda c: post(c.paired, page_json(html=story_page().replace(
        "<title>", "<title>" + "Big title " * 50_000, 1))), 200),
    # --- output amplification (issue 10): links resolved against a page-controlled address
    Row("links-20k-against-8k-char-url", lambda c: post(c.paired, page_json(
        url="https://news.example/" + "a" * 7970 + "/",
        html=story_page("<a href=a>x</a> " * 20_000))), 200),
    Row("links-20k-against-1k-char-url", lambda c: post(c.paired, page_json(
        url="https://news.example/" + "a" * 1000 + "/",
        html=story_page("<a href=a>x</a> " * 20_000))), 422, "answer_too_large"),
    Row("images-50k-against-long-base-href", lambda c: post(c.paired, page_json(
        html=story_page("<img src=a> " * 50_000).replace(
            "<head>", "<head><base href='https://news.example/" + "b" * 1500 + "/'>", 1))),
        422, "answer_too_large"),
    # --- content type: valid JSON under the wrong type never reaches the JSON parser
    Row("text-plain-carrying-json", lambda c: post(c.paired, page_json(), "text/plain"),
        415, "unsupported_media_type"),
    Row("form-urlencoded-carrying-json",
        lambda c: post(c.paired, page_json(), "application/x-www-form-urlencoded"),
        415, "unsupported_media_type"),
    Row("multipart-form", lambda c: post(c.paired, page_json(), "multipart/form-data; boundary=x"),
        415, "unsupported_media_type"),
    Row("no-content-type", lambda c: post(c.paired, page_json(), None),
        415, "unsupported_media_type"),
    # --- JSON shape
    Row("empty-body", lambda c: post(c.paired, b""), 400, "bad_request"),
    Row("empty-object", lambda c: post(c.paired, "{}"), 400, "bad_request"),
    Row("null", lambda c: post(c.paired, "null"), 400, "bad_request"),
    Row("number", lambda c: post(c.paired, "42"), 400, "bad_request"),
    Row("array", lambda c: post(c.paired, json.dumps([story_page()])), 400, "bad_request"),
    Row("string", lambda c: post(c.paired, json.dumps(story_page())), 400, "bad_request"),
    Row("boolean", lambda c: post(c.paired, "true"), 400, "bad_request"),
    Row("html-empty", lambda c: post(c.paired, page_json(html="")), 400, "bad_request"),
    Row("html-number", lambda c: post(c.paired, page_json(html=7)), 400, "bad_request"),
    Row("html-object", lambda c: post(c.paired, page_json(html={"p": "x"})), 400, "bad_request"),
    Row("html-array", lambda c: post(c.paired, page_json(html=[story_page()])),
        400, "bad_request"),
    Row("html-null", lambda c: post(c.paired, page_json(html=None)), 400, "bad_request"),
    Row("html-NaN", lambda c: post(c.paired, '{"html": NaN}'), 400, "bad_request"),
    Row("url-number", lambda c: post(c.paired, page_json(url=5)), 400, "bad_request"),
    Row("url-javascript", lambda c: post(c.paired, page_json(url="javascript:alert(1)")),
        400, "bad_request"),
    Row("url-file", lambda c: post(c.paired, page_json(url="file:///etc/passwd")),
        400, "bad_request"),
    Row("url-data", lambda c: post(c.paired, page_json(url="data:text/html,<script>x</script>")),
        400, "bad_request"),
    Row("url-10k-chars", lambda c: post(c.paired, page_json(url=URL + "?q=" + "a" * 10_000)),
        400, "bad_request"),
    Row("json-nested-100k-deep", lambda c: post(c.paired, nested(100_000)), 400, "bad_request"),
    Row("json-integer-5000-digits", lambda c: post(c.paired, '{"html": ' + "9" * 5000 + "}"),
        400, "bad_request"),
    Row("json-truncated", lambda c: post(c.paired, page_json()[:-10]), 400, "bad_request"),
    # --- encodings at the JSON layer
    Row("invalid-utf8-in-body",
        lambda c: post(c.paired, page_json().encode().replace(b"bus network", b"bus \xff\xfe", 1)),
        400, "bad_request"),
    Row("lone-surrogate-escape", lambda c: post(c.paired, page_json(
        html=story_page("half a pair \ud800 here"))), 200),
    Row("nul-escape-in-strings", lambda c: post(c.paired, page_json(
        html=story_page("a NUL \u0000 here"))), 200),
    Row("raw-nul-byte-in-json-string", lambda c: post(c.paired, page_json().encode().replace(
        b"bus network", b"bus \x00network", 1)), 400, "bad_request"),
    Row("bom-before-json", lambda c: post(c.paired, b"\xef\xbb\xbf" + page_json().encode()), 200),
    # --- Host (DNS rebinding)
    Row("host-evil.test", lambda c: post(c.paired, page_json(), headers={"Host": "evil.test"}),
        403, "forbidden"),
    Row("host-127.0.0.1.nip.io",
        lambda c: post(c.paired, page_json(), headers={"Host": "127.0.0.1.nip.io:8765"}),
        403, "forbidden"),
    Row("host-wrong-port", lambda c: post(c.paired, page_json(), headers={"Host": "localhost:1"}),
        403, "forbidden"),
    Row("host-empty", lambda c: post(c.paired, page_json(), headers={"Host": ""}),
        403, "forbidden"),
    Row("host-ipv6-loopback-our-port",
        lambda c: post(c.paired, page_json(), headers={"Host": "[::1]:8765"}), 200),
    # --- Origin and Sec-Fetch-Site
    Row("origin-web-page", lambda c: post(c.paired, page_json(), headers={"Origin": WEB_ORIGIN}),
        403, "forbidden"),
    Row("origin-null", lambda c: post(c.paired, page_json(), headers={"Origin": "null"}),
        403, "forbidden"),
    Row("origin-other-local-service",
        lambda c: post(c.paired, page_json(), headers={"Origin": "http://localhost:3000"}),
        403, "forbidden"),
    Row("sec-fetch-site-cross-site",
        lambda c: post(c.paired, page_json(), headers={"Sec-Fetch-Site": "cross-site"}),
        403, "forbidden"),
    Row("origin-extension", lambda c: post(c.paired, page_json(),
                                           headers={"Origin": EXTENSION_ORIGIN}), 200),
    # --- the token
    Row("token-missing", lambda c: post(c.anonymous, page_json()), 403, "forbidden"),
    Row("token-wrong", lambda c: post(c.anonymous, page_json(),
                                      headers={"Authorization": "Bearer not-the-token"}),
        403, "forbidden"),
    Row("token-in-query-string",
        lambda c: post(c.anonymous, page_json(),
                       path="/v1/clean?token=sourcelight-test-token-0123456789abcdefghij"),
        403, "forbidden"),
    Row("token-basic-scheme", lambda c: post(c.anonymous, page_json(), headers={
        "Authorization": "Basic c291cmNlbGlnaHQtdGVzdC10b2tlbg=="}), 403, "forbidden"),
    # --- order: the refusal comes before type, size and JSON checks
    Row("page-no-cors-text-plain-post", lambda c: post(c.anonymous, page_json(), "text/plain",
                                                       headers={"Origin": WEB_ORIGIN,
                                                                "Sec-Fetch-Mode": "no-cors"}),
        403, "forbidden"),
    Row("web-origin-50MB-body", lambda c: post(c.paired, b"x" * (50 * MB),
                                               headers={"Origin": WEB_ORIGIN}), 403, "forbidden"),
    Row("no-token-invalid-json", lambda c: post(c.anonymous, "{"), 403, "forbidden"),
    Row("no-token-unknown-path", lambda c: c.anonymous.get("/v1/admin"), 403, "forbidden"),
    # --- methods and paths
    Row("get-clean", lambda c: c.paired.get("/v1/clean"), 405, "method_not_allowed"),
    Row("put-clean", lambda c: c.paired.put("/v1/clean", data=page_json(), content_type=JSON),
        405, "method_not_allowed"),
    Row("delete-clean", lambda c: c.paired.delete("/v1/clean"), 405, "method_not_allowed"),
    Row("unknown-path", lambda c: c.paired.get("/v1/admin"), 404, "not_found"),
]


def all_strings_are_utf8(value) -> bool:
    """True if every string in a decoded JSON value can be written as UTF-8 (no lone
    surrogates, which would break the extension's TextEncoder and any saved copy)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(all_strings_are_utf8(k) and all_strings_are_utf8(v) for k, v in value.items())
    if isinstance(value, list):
        return all(all_strings_are_utf8(v) for v in value)
    return True


def test_the_matrix_has_enough_rows():
    assert len(ROWS) >= 30
    assert len({row.id for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_request_matrix(make_app, row: Row):
    response = row.send(Clients(make_app))
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    assert response.status_code == row.status, response.get_data(as_text=True)[:300]
    assert response.mimetype == JSON
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
    # No answer is large: every row sends at most a few MB, and amplification is bounded.
    assert len(response.get_data()) <= 4 * MB
    assert "Access-Control-Allow-Origin" not in response.headers or \
        response.headers["Access-Control-Allow-Origin"] == EXTENSION_ORIGIN
    body = response.get_json()
    if row.error is None:
        assert "error" not in body
        assert "bus network" in body["article"]["text"]
        assert "\x00" not in json.dumps(body, ensure_ascii=False)
        assert all_strings_are_utf8(body)
    else:
        assert set(body) == {"error", "message"}
        assert body["error"] == row.error
        message = body["message"]
        assert isinstance(message, str) and 20 < len(message) < 1000
        assert "Traceback" not in message
        # An error never hands back what the caller sent (no reflection of the page).
        assert "bus network" not in message and "Big title" not in message
