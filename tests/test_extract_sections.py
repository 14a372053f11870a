"""Introductions in a block of their own (issue 11: "a product-review article lost its
introduction"): paragraphs of running text between the page's title and the first block
readability kept go back before it; what stands before the title, captions, quotations,
teaser blurbs and anything outside the article's nearest blocks stay out."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from helpers import STORY

from sourcelight.pipeline import extract_article

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

INTRO = ("Twelve new bus routes, a night service and a new depot: what the council decided, "
         "what it will cost and when the first buses run.")
BEFORE_TITLE = ("Our city newsroom covers the council, the schools and the transport authority "
                "every day of the week, with reporters in every district.")
CAPTION = ("A bus waits at the new depot in the eastern suburbs on Monday morning before the "
           "first trial run of the night service.")
TEASER = ("Why the tram line was cancelled, what the council promised instead and what the "
          "residents of the old harbour district think of it now.")


def page(intro_block: str) -> str:
    body = "".join(f"<p>{text}</p>" for text in STORY * 2)
    return ('<html><head><title>Council expands the bus network</title></head><body>'
            f'<div class="wrap"><div class="site-intro"><p>{BEFORE_TITLE}</p></div>'
            '<div class="grid"><div class="row"><div class="col">'
            f'<h1>Council expands the bus network</h1>{intro_block}</div></div>'
            f'<div class="row"><div class="col"><div class="text">{body}</div></div></div>'
            '</div></div></body></html>')


def text_of(markup: str) -> str:
    return extract_article(markup, "https://news.example/city/bus").article.text


def test_an_introduction_in_a_block_of_its_own_comes_back_before_the_story():
    text = text_of(page(f'<div class="standfirst"><div><p>{INTRO}</p></div></div>'))
    assert text.startswith(INTRO)
    assert text.index(INTRO) < text.index(STORY[0])


def test_what_stands_before_the_title_stays_out():
    text = text_of(page(f'<div class="standfirst"><div><p>{INTRO}</p></div></div>'))
    assert BEFORE_TITLE not in text


@pytest.mark.parametrize("block, words", [
    (f'<figure><img src="bus.jpg" alt=""><figcaption><p>{CAPTION}</p></figcaption></figure>',
     CAPTION),
    (f'<blockquote><p>{CAPTION}</p></blockquote>', CAPTION),
    (f'<div class="card"><h3><a href="/news/tram">The tram line</a></h3><p>{TEASER}</p></div>',
     TEASER),
])
def test_captions_quotations_and_teaser_blurbs_are_no_introduction(block, words):
    assert words not in text_of(page(block))


def test_a_real_introduction_comes_back():
    """WCXB-dev 0358 (open half): a list article whose two introductory paragraphs sit in a
    rich-text block of their own, before the one readability kept."""
    html = gzip.decompress((CORPUS / "wcxb-dev" / "html" / "0358.html.gz").read_bytes())
    record = json.loads((CORPUS / "wcxb-dev" / "ground-truth" / "0358.json").read_text())
    text = extract_article(html, record.get("url")).article.text
    truth = record["ground_truth"]["main_content"]
    for intro in ("Electrical construction companies play an important role",
                  "The total electrical construction market is projected"):
        assert intro in truth and intro in text
        assert text.index(intro) < len(text) // 10  # at the start, not appended
