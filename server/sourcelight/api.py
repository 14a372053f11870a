"""The ``/v1`` blueprint: ``POST /v1/clean`` and ``GET /v1/health``.

Routes stay thin: each check of the request is a small named function that raises a
:class:`~sourcelight.errors.SourcelightError`, which the app turns into a JSON error.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request

from . import NAME, __version__
from .context import body_too_large_message, get_settings, get_worker_pool
from .errors import BadRequest, TooLarge, UnsupportedMediaType
from .settings import Settings

log = logging.getLogger(__name__)

bp = Blueprint("api", __name__, url_prefix="/v1")

ALLOWED_URL_SCHEMES = ("http", "https")


@bp.get("/health")
def health() -> dict:
    """Name and version, for the extension to check that the service is up."""
    return {"name": NAME, "version": __version__}


@bp.post("/clean")
def clean_page() -> Response:
    """Clean one page: ``{"url", "html"}`` in, ``Result.to_dict()`` out."""
    settings = get_settings(current_app)
    require_json_content_type(request.mimetype)
    payload = parse_json_body(read_body(request.max_content_length))
    html, url = read_clean_request(payload, settings)

    started = time.perf_counter()
    # In a worker process, JSON encoding and the answer's size limit included: a time limit
    # (504), bounded concurrency (503), bounded answers (422), the same typed errors.
    answer = get_worker_pool(current_app).clean_to_json(html, url)
    log.info(
        "clean: html_chars=%d words=%d article_chars=%d out=%d %.1fms",
        len(html),
        answer.words,
        answer.text_chars,
        len(answer.body),
        (time.perf_counter() - started) * 1000,
    )
    return Response(answer.body, mimetype="application/json")


def require_json_content_type(mimetype: str) -> None:
    """Refuse anything but ``application/json`` (a form post or plain text is a wrong client)."""
    if mimetype != "application/json":
        shown = (mimetype or "none")[:100]
        raise UnsupportedMediaType(
            f"The request's Content-Type is {shown}; send the page as JSON with "
            "'Content-Type: application/json'."
        )


def read_body(max_bytes: int | None) -> bytes:
    """The raw request body; a declared Content-Length over the limit is refused by Werkzeug."""
    body = request.get_data(cache=False)
    # A body without Content-Length (chunked) is cut off silently at the limit by Werkzeug's
    # stream, so one that fills the limit is treated as over it rather than parsed truncated.
    if request.content_length is None and max_bytes is not None and len(body) >= max_bytes:
        raise TooLarge(body_too_large_message(max_bytes))
    return body


def parse_json_body(body: bytes) -> Any:
    """Decode the body as JSON, turning every way that can fail into a 400."""
    try:
        return json.loads(body)
    except RecursionError:
        # Python's json recurses once per nesting level; thousands of '[' exhaust the stack.
        raise BadRequest(
            "The JSON body is nested too deeply. Send a flat object: "
            '{"url": "...", "html": "..."}.'
        ) from None
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError are both ValueErrors
        raise BadRequest(
            f"The body is not valid JSON ({error}). Send an object such as "
            '{"url": "...", "html": "..."}.'
        ) from None


def read_clean_request(payload: Any, settings: Settings) -> tuple[str, str | None]:
    """Check the decoded body and return ``(html, url)``; unknown fields are ignored."""
    if not isinstance(payload, dict):
        raise BadRequest(
            f"The JSON body must be an object, not {json_type_name(payload)}. Send "
            '{"url": "...", "html": "..."}.'
        )
    if "html" not in payload:
        raise BadRequest('The field "html" is missing: send the page\'s HTML as a string.')
    html = check_html(payload["html"], settings)
    url = check_url(payload.get("url"), settings)
    return html, url


def check_html(html: Any, settings: Settings) -> str:
    """``html`` must be a non-empty string within ``settings.max_html_chars``."""
    if not isinstance(html, str):
        raise BadRequest(
            f'The field "html" must be a string, not {json_type_name(html)}: send the '
            "page's HTML as text."
        )
    if not html:
        raise BadRequest('The field "html" is empty: send the page\'s HTML.')
    if len(html) > settings.max_html_chars:
        raise TooLarge(
            f"The page has {len(html)} characters of HTML, over the limit of "
            f"{settings.max_html_chars}. Save a smaller page, or raise max_html_chars in "
            "the settings."
        )
    return replace_lone_surrogates(html)


def replace_lone_surrogates(text: str) -> str:
    """Replace unpaired UTF-16 surrogates (legal in JSON's ``\\ud800`` escapes) with U+FFFD.

    A browser's DOM can hold them, and any later UTF-8 encoding of the text would fail on them.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def check_url(url: Any, settings: Settings) -> str | None:
    """``url`` is optional; when given it must be an absolute http(s) URL of bounded length."""
    if url is None:
        return None
    if not isinstance(url, str):
        raise BadRequest(
            f'The field "url" must be a string, not {json_type_name(url)}: send the page\'s '
            "address, or leave the field out."
        )
    if len(url) > settings.max_url_chars:
        raise BadRequest(
            f'The field "url" has {len(url)} characters, over the limit of '
            f"{settings.max_url_chars}. Send the page's address without its long query, or "
            "leave the field out."
        )
    if not is_http_url(url):
        raise BadRequest(
            'The field "url" must be an absolute http:// or https:// address such as '
            '"https://example.com/news/story"; leave it out if the page has none.'
        )
    return url


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host and no whitespace or control characters."""
    # isprintable() is False for control characters, line breaks, tabs and lone surrogates.
    if " " in url or not url.isprintable():
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme.lower() in ALLOWED_URL_SCHEMES and bool(host)


def json_type_name(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages ("an array", "null", …)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
