"""The ``/v1/library`` blueprint: save, search, open, copy, delete, and "where else quoted".

Behind the same guards as ``/v1/clean`` (token, Host, Origin: guards.py runs before every
route). A save cleans the page in the worker pool exactly as ``/v1/clean`` does (same limits,
same errors) and stores that answer; the library is opened on first use, so a library that
cannot be opened (read-only directory, full disk) fails these routes with a clear error and
never ``/v1/clean``.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from ..api import json_type_name, parse_json_body, read_body, read_clean_request, \
    require_json_content_type
from ..context import get_settings, get_worker_pool
from ..errors import BadRequest
from ..settings import Settings
from . import search as finder
from .entries import build_entry
from .store import Library

LIBRARY_EXTENSION = "sourcelight.library"
# The saved copy is a whole page another site wrote: it may show its text, inline styles and
# embedded (data:) images and fonts, and nothing else — no script, no network, no form, no
# framing; `sandbox` also gives it an opaque origin of its own.
COPY_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
            "media-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
            "sandbox")

bp = Blueprint("library", __name__, url_prefix="/v1/library")


def register_library(app: Flask, settings: Settings) -> Library:
    """Add the library routes to ``app``, with a :class:`Library` opened on first use."""
    library = Library(settings)
    app.extensions[LIBRARY_EXTENSION] = library
    app.register_blueprint(bp)
    return library


def get_library(app: Flask) -> Library:
    """The app's :class:`Library`."""
    return app.extensions[LIBRARY_EXTENSION]


@bp.post("")
def save_entry() -> tuple[Response, int]:
    """Clean the page, then store it with the extension's copy and corrections."""
    settings = get_settings(current_app)
    require_json_content_type(request.mimetype)
    payload = parse_json_body(read_body(request.max_content_length))
    html, url = read_clean_request(payload, settings)
    copy = optional_string(payload, "copy")
    corrections = payload.get("corrections")
    if corrections is not None and not isinstance(corrections, (dict, list)):
        raise BadRequest('The field "corrections" must be an object or an array, not '
                         f"{json_type_name(corrections)}; leave it out if there are none.")
    answer = json.loads(get_worker_pool(current_app).clean_to_json(html, url).body)
    entry = build_entry(answer, html, settings, copy=copy, corrections=corrections)
    entry_id = get_library(current_app).save(entry)
    row = entry.row
    return jsonify({"id": entry_id, "url": row["url"], "title": row["title"],
                    "saved_at": row["saved_at"], "quotes": len(entry.quotes),
                    "copy_sha256": row["copy_sha256"],
                    "page_sha256": row["page_sha256"]}), 201


def optional_string(payload: dict, name: str) -> str | None:
    """A field that, when present and not null, must be a string."""
    value: Any = payload.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f'The field "{name}" must be a string, not {json_type_name(value)}; '
                         "leave it out if there is none.")
    return value


@bp.get("")
def search_entries() -> dict:
    """Entries matching ``q`` and the filters, the most recently saved first, a page at a time."""
    query = finder.parse_query(request.args, get_settings(current_app))
    return finder.search(get_library(current_app), query)


@bp.get("/facets")
def list_facets() -> dict:
    """The sources, categories and sites the filters can offer."""
    return finder.facets(get_library(current_app))


@bp.get("/quoted")
def quoted() -> dict:
    """Where else was this source quoted: saved articles quoting ``name``, earliest first."""
    settings = get_settings(current_app)
    name = (request.args.get("name") or "").strip()
    if not name:
        raise BadRequest('Give the source\'s name: /v1/library/quoted?name=…')
    if len(name) > settings.library_max_query_chars:
        raise BadRequest(f"The name is longer than {settings.library_max_query_chars} "
                         "characters.")
    return finder.quoted_elsewhere(get_library(current_app), name, settings,
                                   exclude_url=request.args.get("exclude_url") or None)


@bp.get("/export")
def export_page() -> dict:
    """Full entries (without the copies) after id ``after``, for the extension's export."""
    settings = get_settings(current_app)
    after = finder.check_int(request.args.get("after"), "after", 0, 0, 2**62)
    limit = finder.check_int(request.args.get("limit"), "limit", settings.library_export_page,
                             1, settings.library_export_page)
    library = get_library(current_app)
    rows = library.read("SELECT id FROM entries WHERE id > ? ORDER BY id LIMIT ?",
                        (after, limit))
    entries = [library.entry(row["id"]) for row in rows]
    more = len(entries) == limit
    return {"entries": entries, "next": entries[-1]["id"] if more else None}


@bp.get("/<int:entry_id>")
def show_entry(entry_id: int) -> dict:
    """One entry: metadata, article, annotations, corrections and digests."""
    return get_library(current_app).entry(entry_id)


@bp.get("/<int:entry_id>/copy")
def show_copy(entry_id: int) -> Response:
    """The saved standalone HTML, served so that nothing in it can run or load."""
    copy = get_library(current_app).copy(entry_id)
    if copy is None:
        raise finder_not_saved(entry_id)
    response = Response(copy, mimetype="text/html")
    response.headers["Content-Security-Policy"] = COPY_CSP
    return response


def finder_not_saved(entry_id: int):
    """The 404 for an entry saved without a copy."""
    from .errors import EntryNotFound

    return EntryNotFound(f"Entry {entry_id} was saved without a standalone copy; its article "
                         f"is at GET /v1/library/{entry_id}.")


@bp.delete("/<int:entry_id>")
def delete_entry(entry_id: int) -> dict:
    """Remove an entry for good."""
    get_library(current_app).delete(entry_id)
    return {"deleted": entry_id}
