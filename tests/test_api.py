"""The HTTP API through Flask's test client, with the real pipeline behind it."""

from __future__ import annotations

import io
import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings as hypothesis_settings, strategies as st

import sourcelight
from sourcelight.pipeline import clean
from sourcelight.settings import Settings

ARTICLE_KEYS = {
    "title", "byline", "published", "site_name", "url", "lang", "dateline", "wire_service",
    "word_count", "reading_minutes", "html", "text",
}
JSON = "application/json"


def post_json(client, payload, **kwargs):
    """POST ``payload`` (serialised here) to /v1/clean as JSON."""
    return client.post("/v1/clean", data=json.dumps(payload), content_type=JSON, **kwargs)


def assert_error(response, status: int, code: str, *words: str) -> dict:
    """The response is a JSON error with this status and code, whose message names ``words``."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert response.mimetype == JSON
    body = response.get_json()
    assert set(body) == {"error", "message"}
    assert body["error"] == code
    assert isinstance(body["message"], str) and len(body["message"]) > 20
    for word in words:
        assert word.lower() in body["message"].lower()
    assert "Traceback" not in body["message"]
    assert_safety_headers(response)
    return body


def assert_safety_headers(response) -> None:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"


@pytest.fixture
def seed_html(seed_page) -> str:
    """The seed page as the extension sends it: text, as a DOM serialises."""
    return seed_page.read_bytes().decode("utf-8")


def test_health_names_the_service_and_its_version(client):
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.get_json() == {"name": "sourcelight", "version": sourcelight.__version__}
    assert_safety_headers(response)


def test_clean_seed_page_returns_the_pipelines_result(client, seed_html, seed_expected):
    url = seed_expected["url"]
    response = post_json(client, {"url": url, "html": seed_html})

    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == JSON
    assert_safety_headers(response)
    body = response.get_json()
    assert set(body["article"]) == ARTICLE_KEYS
    # The API adds nothing and loses nothing: it is the pipeline's own answer.
    assert body == clean(seed_html, url).to_dict()
    assert body["article"]["title"] == seed_expected["metadata"]["title"]


def test_clean_without_url_still_works(client, seed_html):
    response = post_json(client, {"html": seed_html})
    assert response.status_code == 200
    assert set(response.get_json()["article"]) == ARTICLE_KEYS


def test_clean_accepts_charset_parameter_and_ignores_unknown_fields(client, seed_html):
    body = json.dumps({"html": seed_html, "future_field": [1, 2]})
    response = client.post("/v1/clean", data=body.encode("utf-8"),
                           content_type="application/json; charset=utf-8")
    assert response.status_code == 200


def test_lone_surrogate_in_html_is_not_a_server_error(client, seed_html):
    # JSON can carry "\ud800"; a browser DOM can too. It must not crash the UTF-8 encoders.
    html = seed_html.replace("Takaichi sparked", "Takaichi \ud800sparked", 1)
    assert "\\ud800" in json.dumps({"html": html})
    response = post_json(client, {"html": html})
    assert response.status_code == 200
    assert "\ufffd" in response.get_json()["article"]["text"]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        pytest.param('{"html": "<p>', ["not valid JSON"], id="truncated-json"),
        pytest.param("<html></html>", ["not valid JSON"], id="html-not-json"),
        pytest.param("", ["not valid JSON"], id="empty-body"),
        pytest.param(b'{"html": "\xff\xfe<p>"}', ["not valid JSON"], id="invalid-utf8"),
        pytest.param("null", ["object", "null"], id="null"),
        pytest.param("42", ["object", "number"], id="number"),
        pytest.param('["<p>hi</p>"]', ["object", "array"], id="array"),
        pytest.param('"<p>hi</p>"', ["object", "string"], id="string"),
        pytest.param("{}", ['"html"', "missing"], id="empty-object"),
        pytest.param('{"url": "https://example.com/a"}', ['"html"', "missing"], id="no-html"),
        pytest.param('{"html": null}', ['"html"', "string", "null"], id="html-null"),
        pytest.param('{"html": 7}', ['"html"', "string", "number"], id="html-number"),
        pytest.param('{"html": ["<p>"]}', ['"html"', "string", "array"], id="html-array"),
        pytest.param('{"html": ""}', ['"html"', "empty"], id="html-empty"),
        pytest.param('{"html": "<p>x</p>", "url": 5}', ['"url"', "string"], id="url-number"),
        pytest.param('{"html": "<p>x</p>", "url": "ftp://example.com/a"}', ["http"],
                     id="url-ftp"),
        pytest.param('{"html": "<p>x</p>", "url": "javascript:alert(1)"}', ["http"],
                     id="url-javascript"),
        pytest.param('{"html": "<p>x</p>", "url": "/news/story"}', ["absolute"],
                     id="url-relative"),
        pytest.param('{"html": "<p>x</p>", "url": "https://exa mple.com/"}', ["http"],
                     id="url-space"),
        pytest.param('{"html": "<p>x</p>", "url": "http://[::1/"}', ["http"],
                     id="url-broken-ipv6"),
    ],
)
def test_bad_requests_are_400_with_a_useful_message(client, body, words):
    response = client.post("/v1/clean", data=body, content_type=JSON)
    assert_error(response, 400, "bad_request", *words)


def test_url_over_the_limit_is_400(client):
    url = "https://example.com/?q=" + "a" * Settings().max_url_chars
    response = post_json(client, {"html": "<p>x</p>", "url": url})
    assert_error(response, 400, "bad_request", '"url"', str(Settings().max_url_chars))


@pytest.mark.parametrize("depth", [100_000, 1_000_000])
@pytest.mark.parametrize("shape", ["[{}]", '{"html": {}}'])
def test_deeply_nested_json_is_400(client, depth, shape):
    # Python's json recurses per level and raises RecursionError on such input.
    opener, closer = ("[" * depth, "]" * depth)
    body = shape.replace("{}", opener + closer)
    response = client.post("/v1/clean", data=body, content_type=JSON)
    assert_error(response, 400, "bad_request", "nested")


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "text/html; charset=utf-8",
        "application/jsonp",
        None,
    ],
)
def test_body_that_is_not_declared_json_is_415(client, content_type):
    # The body itself is valid JSON: only the declared type is wrong.
    body = json.dumps({"html": "<p>x</p>"})
    headers = {"Content-Type": content_type} if content_type else {}
    response = client.post("/v1/clean", data=body, headers=headers)
    assert_error(response, 415, "unsupported_media_type", "application/json")


def test_body_over_the_limit_is_413_before_parsing(make_app):
    app = make_app(max_body_bytes=1000)
    payload = json.dumps({"html": "<p>" + "x" * 2000 + "</p>"})
    response = app.test_client().post("/v1/clean", data=payload, content_type=JSON)
    assert_error(response, 413, "too_large", "1000")


def test_streamed_body_over_the_limit_is_413(make_app):
    # No Content-Length (chunked upload): the limit must still hold while reading.
    app = make_app(max_body_bytes=1000)
    payload = json.dumps({"html": "<p>" + "x" * 5000 + "</p>"}).encode()
    response = app.test_client().post(
        "/v1/clean",
        input_stream=io.BytesIO(payload),
        headers={"Content-Type": JSON, "Transfer-Encoding": "chunked"},
        # What waitress sets once it has de-chunked the body itself.
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert_error(response, 413, "too_large")


def test_html_over_the_character_limit_is_413(make_app):
    app = make_app(max_html_chars=100)
    response = post_json(app.test_client(), {"html": "<p>" + "x" * 200 + "</p>"})
    assert_error(response, 413, "too_large", "100")


def test_html_at_the_character_limit_is_not_413(make_app):
    app = make_app(max_html_chars=100)
    html = "<p>" + "x" * 93 + "</p>"
    assert len(html) == 100
    response = post_json(app.test_client(), {"html": html})
    assert response.status_code != 413


PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n"
    b"xref\n0 4\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n9\n%%EOF\n"
)


@pytest.mark.parametrize(
    "html",
    [
        pytest.param(json.dumps({"title": "A story", "body": "Words " * 50, "tags": [1, 2]}),
                     id="json-document"),
        pytest.param("This is a plain text note with no markup at all. " * 10, id="plain-text"),
        pytest.param(PDF.decode("latin-1"), id="pdf-bytes"),
    ],
)
def test_input_that_is_not_html_is_422(client, html):
    response = post_json(client, {"url": "https://example.com/doc", "html": html})
    assert_error(response, 422, "not_html")


def test_html_without_an_article_is_422(client):
    html = ("<!DOCTYPE html><html><head><title>Log in</title></head><body>"
            "<form><input name=user><button>Log in</button></form></body></html>")
    response = post_json(client, {"url": "https://example.com/login", "html": html})
    assert_error(response, 422, "no_article")


def test_unknown_path_is_404_json(client):
    response = client.get("/v1/nothing-here")
    assert_error(response, 404, "not_found", "/v1/clean")


@pytest.mark.parametrize(("method", "path", "allowed"),
                         [("get", "/v1/clean", "POST"), ("post", "/v1/health", "GET")])
def test_wrong_method_is_405_json_with_allow(client, method, path, allowed):
    response = getattr(client, method)(path)
    assert_error(response, 405, "method_not_allowed", allowed)
    assert allowed in response.headers["Allow"]


def test_unexpected_exception_is_500_json_without_traceback(make_app, caplog):
    app = make_app()

    # A route of this test only: the factory's handlers must catch what any route raises.
    @app.get("/boom")
    def boom():
        raise RuntimeError("secret detail that must stay in the log")

    with caplog.at_level(logging.ERROR):
        response = app.test_client().get("/boom")
    body = assert_error(response, 500, "internal_error")
    assert "secret" not in response.get_data(as_text=True)
    assert "RuntimeError" not in body["message"]
    assert "secret detail" in caplog.text  # logged with its traceback for the operator


def test_logs_record_sizes_not_content(client, seed_html, seed_expected, caplog):
    url = seed_expected["url"]
    with caplog.at_level(logging.DEBUG, logger="sourcelight"):
        response = post_json(client, {"url": url, "html": seed_html})
    assert response.status_code == 200
    logged = caplog.text
    assert str(len(seed_html)) in logged  # the page's size is there…
    assert seed_expected["metadata"]["title"] not in logged  # …its words and address are not
    assert seed_expected["must_keep"][0] not in logged
    assert url not in logged


# --- robustness: no input is a server error -------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
html_like = st.lists(
    st.sampled_from(["<p>", "</p>", "<div class=article>", "</div>", "<script>", "<!--",
                     "<html lang=xx>", "<meta charset=utf-16>", "&amp;", "&#0;", "<br>",
                     "Words of a sentence that goes on. ", "\x00", "\ud800", "<title>T"])
    | st.text(max_size=20),
    max_size=30,
).map("".join)


@hypothesis_settings(max_examples=150, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=json_values | st.fixed_dictionaries(
    {"html": html_like | json_values}, optional={"url": st.text(max_size=30) | json_values}))
def test_no_json_payload_is_a_server_error(client, payload):
    response = post_json(client, payload)
    assert response.status_code in (200, 400, 413, 422), response.get_data(as_text=True)[:300]
    if response.status_code != 200:
        assert set(response.get_json()) == {"error", "message"}
