"""The Flask application factory: builds the app, registers the API and maps every error to JSON.

Routes live in :mod:`sourcelight.api`; this module owns what is true of every response
(headers, JSON errors, request logging) so that no route can forget it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from flask import Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import HTTPException

from . import api, openapi
# Re-exported: callers (cli, tests) reach the settings and the pool through the app module.
from .context import (POOL_EXTENSION, SETTINGS_KEY, body_too_large_message,  # noqa: F401
                      get_settings, get_worker_pool)
from .errors import SourcelightError
from .guards import register_guards
from .library.api import register_library
from .pairing import TokenFile
from .settings import Settings
from .workers import WorkerPool

log = logging.getLogger(__name__)

# Stable error codes for the HTTP errors Flask/Werkzeug raise themselves (routing, size limit).
HTTP_ERROR_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}

INTERNAL_ERROR_MESSAGE = (
    "Sourcelight failed on this page because of a bug on our side. Nothing was changed; "
    "the service log has the details — please report it with the page's URL."
)


def create_app(settings: Settings | None = None, test_config: dict | None = None) -> Flask:
    """Build the Sourcelight Flask app.

    ``settings`` holds every limit (defaults when omitted); ``test_config`` is applied to
    ``app.config`` last, as in Flask's tutorial, so tests can set ``TESTING`` and the like.
    """
    settings = settings or Settings()
    # Every request is checked against this token (see guards.py); the token file is watched,
    # so `sourcelight token --new` revokes the old token in the running service.
    token = settings.token or watch_pairing_token(settings)
    app = Flask(__name__)
    app.config.from_mapping(
        {
            SETTINGS_KEY: settings,
            # Werkzeug refuses larger bodies with 413 before any route reads them.
            "MAX_CONTENT_LENGTH": settings.max_body_bytes,
        }
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    # Keep the article's fields in the order of the API contract rather than sorted.
    app.json.sort_keys = False

    app.register_blueprint(api.bp)
    # The library of saved articles (library/): opened on first use, so a data directory that
    # cannot be written fails only the library's routes.
    register_library(app, settings)
    app.register_blueprint(openapi.bp)  # GET /v1/openapi.json
    # Pages are cleaned in worker processes (time limit, bounded concurrency); the pool's
    # workers start on the first page, and stop at close_worker_pool() or at exit.
    app.extensions[POOL_EXTENSION] = WorkerPool(settings)
    register_error_handlers(app)
    register_response_hooks(app)
    register_guards(app, settings, token)
    return app


def watch_pairing_token(settings: Settings) -> Callable[[], str | None]:
    """The install's pairing token as its file holds it at each request; repairs are logged,
    the token never is."""
    token_file = TokenFile(settings.config_dir)
    for notice in token_file.notices:
        log.warning("%s", notice)
    return token_file.current


def close_worker_pool(app: Flask) -> None:
    """Stop the app's worker processes (the server's shutdown, a test's teardown)."""
    get_worker_pool(app).close()


def register_error_handlers(app: Flask) -> None:
    """Turn every error into ``{"error": code, "message": text}`` with the right status."""
    app.register_error_handler(SourcelightError, sourcelight_error_response)
    app.register_error_handler(HTTPException, http_error_response)
    app.register_error_handler(Exception, internal_error_response)


def sourcelight_error_response(error: SourcelightError) -> tuple[Response, int]:
    """An error we raised on purpose: its own code, status, message and headers
    (``Retry-After`` on 503)."""
    response = jsonify(error.to_dict())
    response.headers.update(error.headers())
    return response, error.status


def http_error_response(error: HTTPException) -> Response:
    """Werkzeug's errors (404, 405, 413, …) as JSON, keeping headers such as ``Allow``."""
    status = error.code or 500
    response = jsonify({"error": HTTP_ERROR_CODES.get(status, f"http_{status}"),
                        "message": http_error_message(error)})
    response.status_code = status
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def http_error_message(error: HTTPException) -> str:
    """A message that tells the caller what to do instead, for the errors callers meet."""
    if error.code == 404:
        return (f"There is no {request.path} here. The API has POST /v1/clean, "
                "GET /v1/health and /v1/library; GET /v1/openapi.json describes it.")
    if error.code == 405:
        allowed = ", ".join(sorted(getattr(error, "valid_methods", None) or []))
        return f"{request.method} is not allowed on {request.path}; use {allowed}."
    if error.code == 413:
        return body_too_large_message(current_app.config["MAX_CONTENT_LENGTH"])
    return error.description or "The request could not be handled."


def internal_error_response(error: Exception) -> tuple[Response, int]:
    """Anything unexpected: log the traceback, answer 500 without it."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    return jsonify({"error": "internal_error", "message": INTERNAL_ERROR_MESSAGE}), 500


def register_response_hooks(app: Flask) -> None:
    """Timing and safety headers on every response, errors included."""

    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def finish_response(response: Response) -> Response:
        # The API only ever returns JSON: no browser may guess another type or keep a copy
        # (a cleaned article can be private reading).
        response.headers["X-Content-Type-Options"] = "nosniff"
        # A web page's no-cors fetch (or <img>, <script>) of the service gets a network error,
        # as if nothing listened, instead of an opaque answer that tells it Sourcelight runs.
        # CORS requests (the extension's) are not subject to it.
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        response.headers["Cache-Control"] = "no-store"
        # Nothing the service sends may load or run anything, nor be framed.
        # A route that serves a saved copy sets its own (stricter-than-page, still scriptless)
        # policy; every other response gets the service's.
        response.headers.setdefault("Content-Security-Policy",
                                    get_settings(app).content_security_policy)
        log_request(response)
        return response


def log_request(response: Response) -> None:
    """One line per request: method, path, status, sizes and time — never content or URLs."""
    started = g.get("started")
    elapsed_ms = (time.perf_counter() - started) * 1000 if started is not None else -1.0
    log.info(
        "%s %s -> %d in=%s out=%s %.1fms",
        request.method,
        request.path,
        response.status_code,
        request.content_length,
        response.calculate_content_length(),
        elapsed_ms,
    )
