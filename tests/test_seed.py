"""Issue 2's "Done means" on the hand-annotated seed page, through ``clean()`` and through the API.

``trump-takaichi.expected.json`` says what the page must yield: every ``must_keep`` string in the
article text, no ``must_drop`` string anywhere in the article (text or HTML), and the metadata.
"""

from __future__ import annotations

import html as htmllib
from pathlib import Path

import pytest

from sourcelight.pipeline import clean

METADATA_FIELDS = ("title", "site_name", "lang", "published", "dateline", "wire_service")


def _via_clean(seed_page: Path, expected: dict) -> dict:
    return clean(seed_page.read_bytes(), expected["url"]).article.to_dict()


def _via_api(seed_page: Path, expected: dict, client) -> dict:
    # The extension sends the page as text, the way a DOM serialises it.
    response = client.post("/v1/clean", json={"url": expected["url"],
                                              "html": seed_page.read_text(encoding="utf-8")})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_json()["article"]


@pytest.fixture(params=["clean", "api"])
def seed_article(request, seed_page, seed_expected) -> dict:
    """The seed page's article, once from ``clean()`` and once from ``POST /v1/clean``."""
    if request.param == "clean":
        return _via_clean(seed_page, seed_expected)
    return _via_api(seed_page, seed_expected, request.getfixturevalue("client"))


def test_expectations_file_is_what_these_tests_assume(seed_expected):
    assert len(seed_expected["must_keep"]) >= 10
    assert len(seed_expected["must_drop"]) >= 10
    assert set(METADATA_FIELDS) <= set(seed_expected["metadata"])


def test_every_must_keep_string_is_in_the_article_text(seed_article, seed_expected):
    missing = [s for s in seed_expected["must_keep"] if s not in seed_article["text"]]
    assert missing == []


def test_no_must_drop_string_is_anywhere_in_the_article(seed_article, seed_expected):
    # The HTML is read both as markup and with its entities resolved ("&amp;", "&quot;").
    places = {
        "text": seed_article["text"],
        "html": seed_article["html"],
        "html (unescaped)": htmllib.unescape(seed_article["html"]),
    }
    leaked = [(where, s) for s in seed_expected["must_drop"]
              for where, content in places.items() if s in content]
    assert leaked == []


@pytest.mark.parametrize("field", METADATA_FIELDS)
def test_metadata_is_as_expected(seed_article, seed_expected, field):
    assert seed_article[field] == seed_expected["metadata"][field]


def test_clean_and_api_agree(seed_page, seed_expected, client):
    assert _via_clean(seed_page, seed_expected) == _via_api(seed_page, seed_expected, client)
