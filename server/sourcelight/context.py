"""What a built app keeps for its routes: its settings and its worker pool.

Below both :mod:`sourcelight.app` (which builds the app and puts them there) and
:mod:`sourcelight.api` (whose routes read them), so that layers only point down.
"""

from __future__ import annotations

from flask import Flask

from .settings import Settings
from .workers import WorkerPool

SETTINGS_KEY = "SOURCELIGHT_SETTINGS"
# app.extensions key of the worker pool that runs the pipeline (see workers.py).
POOL_EXTENSION = "sourcelight.workers"


def get_settings(app: Flask) -> Settings:
    """The :class:`Settings` the app was built with."""
    return app.config[SETTINGS_KEY]


def get_worker_pool(app: Flask) -> WorkerPool:
    """The app's :class:`~sourcelight.workers.WorkerPool`."""
    return app.extensions[POOL_EXTENSION]


def body_too_large_message(limit: int) -> str:
    """The 413 message for a request body over ``limit`` bytes."""
    return (f"The request body is larger than the limit of {limit} bytes. Send a smaller "
            "page, or raise max_body_bytes in the settings.")
