"""The article stage's fallback (issue 11): when readability's pick holds under a third of the
page's running text — a site banner, a teaser box beside the article — the block holding most
of the page's prose is taken, even where that block looks like a stream of cards. A story
readability found stays, however big the teaser grid beside it."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html
import pytest
from helpers import STORY

from sourcelight.extract.article import MISSED_PROSE_SHARE, _missed_the_prose
from sourcelight.pipeline import extract_article

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def wcxb(page_id: str):
    """(extraction result, ground-truth main content) of a WCXB-dev page of the open half."""
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}")
    html = gzip.decompress((CORPUS / "wcxb-dev" / "html" / f"{page_id}.html.gz").read_bytes())
    record = json.loads((CORPUS / "wcxb-dev" / "ground-truth" / f"{page_id}.json").read_text())
    return extract_article(html, record.get("url")), record["ground_truth"]["main_content"]


def page_of(paragraphs: int, kept: int) -> tuple[lxml.html.HtmlElement, lxml.html.HtmlElement]:
    """A page body with ``paragraphs`` paragraphs of running text, and an article holding
    ``kept`` of them."""
    texts = [STORY[i % len(STORY)] for i in range(paragraphs)]
    doc = lxml.html.document_fromstring(
        "<html><body>" + "".join(f"<p>{t}</p>" for t in texts) + "</body></html>")
    article = lxml.html.fragment_fromstring(
        "<div>" + "".join(f"<p>{t}</p>" for t in texts[:kept]) + "</div>")
    return doc, article


def test_a_pick_with_under_the_share_of_the_prose_missed_it():
    doc, article = page_of(10, 2)
    assert 2 / 10 < MISSED_PROSE_SHARE
    assert _missed_the_prose(doc, article)


@pytest.mark.parametrize("paragraphs, kept", [
    (10, 4),  # a fair share of the page's prose
    (10, 10),
    (40, 4),  # under the share, but a story's worth of running text
])
def test_a_pick_with_a_share_or_a_story_s_worth_did_not(paragraphs, kept):
    doc, article = page_of(paragraphs, kept)
    assert not _missed_the_prose(doc, article)


@pytest.mark.parametrize("page_id, sentence", [
    # A government site's "Official websites use .gov" banner was taken for the article.
    ("0341", "This view of Yosemite Valley from just east of Yosemite Village"),
    # A case study in <article> sections; readability took the "more stories" box.
    ("4715", "Klatch offers such a rich variety of coffees"),
])
def test_a_box_beside_the_article_gives_way_to_the_prose(page_id, sentence):
    result, truth = wcxb(page_id)
    assert "article:prose-container" in result.notes
    assert sentence in truth and sentence in result.article.text
    # Most of the ground truth's paragraphs are now in the text (none were before).
    paragraphs = [line for line in truth.split("\n") if len(line) > 80]
    found = sum(" ".join(line.split()) in " ".join(result.article.text.split())
                for line in paragraphs)
    assert found >= 0.8 * len(paragraphs)


BLURB = ("A look back at the week in the district, from the new market hall to the flooded "
         "underpass on Station Road, in pictures and numbers, story {i}.")


def test_a_story_beside_a_bigger_teaser_grid_stays():
    teasers = "".join(
        f'<div class="card"><h3><a href="/news/{i}">Other story {i}</a></h3>'
        f"<p>{BLURB.format(i=i)}</p></div>" for i in range(16))
    page = ("<html><head><title>Council expands the bus network</title></head><body><main>"
            "<article><h1>Council expands the bus network</h1>"
            + "".join(f"<p>{t}</p>" for t in STORY)
            + f"</article><section class=\"more\">{teasers}</section></main></body></html>")
    result = extract_article(page, "https://news.example/city/bus")
    # The story is under a third of the page's running text, but a story's worth of it:
    # readability's pick stands (the fallback would take the grid, the prose block).
    assert "article:prose-container" not in result.notes
    assert all(paragraph in result.article.text for paragraph in STORY)
