"""Shared fixtures: the app built by the real factory, its test client, and the shared corpus.

The app is paired with a known test token and a temporary config directory; no test reads or
writes the real ~/.config. ``client`` sends the token as the paired extension does;
``anonymous_client`` sends none.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sourcelight.app import close_worker_pool, create_app
from sourcelight.pairing import CONFIG_DIR_ENV
from sourcelight.settings import Settings

# shared/ sits beside the project's root (…/main/tests/conftest.py → …/shared).
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# The test token and the paired client live in helpers.py so that test modules can import them
# (two conftest.py files — here and in browser/ — make "from conftest import" ambiguous).
from helpers import TEST_TOKEN, AuthorizedClient  # noqa: E402,F401


@pytest.fixture(autouse=True, scope="session")
def private_config_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point SOURCELIGHT_CONFIG_DIR at a temporary directory for the whole run, so an app or a
    ``sourcelight`` process built without an explicit config dir never touches ~/.config.
    (Session-scoped and set by hand: a function-scoped autouse fixture would trip hypothesis.)"""
    path = tmp_path_factory.mktemp("config")
    previous = os.environ.get(CONFIG_DIR_ENV)
    os.environ[CONFIG_DIR_ENV] = str(path)
    # Nor the real library (~/.local/share/sourcelight): a test that saves without its own
    # library_dir writes here.
    os.environ.setdefault("SOURCELIGHT_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    # Nor the real cache (~/.cache/sourcelight: derived tables, see sourcelight.data_cache).
    os.environ.setdefault("SOURCELIGHT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    yield path
    if previous is None:
        os.environ.pop(CONFIG_DIR_ENV, None)
    else:
        os.environ[CONFIG_DIR_ENV] = previous


@pytest.fixture
def pairing_token() -> str:
    """The token the test apps are paired with."""
    return TEST_TOKEN


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build a test app with the test token, a temporary config dir and any settings changed:
    ``make_app(max_body_bytes=1000)``. Its ``test_client()`` sends the token."""

    built: list[Flask] = []

    def build(**overrides) -> Flask:
        settings = Settings(token=TEST_TOKEN, config_dir=str(tmp_path / "config"))
        app = create_app(settings.with_overrides(**overrides), {"TESTING": True})
        app.test_client_class = AuthorizedClient
        built.append(app)
        return app

    yield build
    # Each app's worker processes stop with the test that made them.
    for app in built:
        close_worker_pool(app)


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    """The Flask app with default settings (and the test token), in testing mode."""
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client for :func:`app` that sends the pairing token."""
    return app.test_client()


@pytest.fixture
def anonymous_client(app: Flask) -> FlaskClient:
    """A test client for :func:`app` that sends no token (a web page, or an unpaired caller)."""
    return FlaskClient(app, app.response_class)


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
