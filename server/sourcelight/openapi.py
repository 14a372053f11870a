"""``GET /v1/openapi.json``: the API's description (openapi.json beside this module, data),
with the running version filled in. tests/test_openapi.py checks the app against it."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from flask import Blueprint

from . import __version__

bp = Blueprint("openapi", __name__, url_prefix="/v1")


@cache
def load_openapi() -> dict:
    """The OpenAPI 3.1 document, read once."""
    document = json.loads(files(__package__).joinpath("openapi.json").read_text("utf-8"))
    document["info"]["version"] = __version__
    return document


@bp.get("/openapi.json")
def openapi() -> dict:
    """Every endpoint with its parameters, answers and errors."""
    return load_openapi()
