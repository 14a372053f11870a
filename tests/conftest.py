"""Shared fixtures: the app built by the real factory, its test client, and the shared corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sourcelight.app import create_app
from sourcelight.settings import Settings

# shared/ sits beside the project's root (…/main/tests/conftest.py → …/shared).
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def app() -> Flask:
    """The Flask app with default settings, in testing mode."""
    return create_app(Settings(), {"TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for :func:`app`."""
    return app.test_client()


@pytest.fixture
def corpus() -> Path:
    """``../shared/corpus``, read in place (never copied into the project)."""
    path = SHARED / "corpus"
    if not path.is_dir():
        pytest.fail(f"shared corpus not found at {path}; the project expects ../shared beside it")
    return path


@pytest.fixture
def seed_page(corpus: Path) -> Path:
    """The hand-annotated seed page."""
    return corpus / "seed" / "trump-takaichi.html"


@pytest.fixture
def seed_expected(corpus: Path) -> dict:
    """What the seed page must yield (``trump-takaichi.expected.json``)."""
    return json.loads((corpus / "seed" / "trump-takaichi.expected.json").read_text("utf-8"))
