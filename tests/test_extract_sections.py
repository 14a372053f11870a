"""Introductions in a block of their own (issue 11: "a product-review article lost its
introduction"): paragraphs of running text between the page's title and the first block
readability kept go back before it; what stands before the title, captions, quotations,
teaser blurbs and anything outside the article's nearest blocks stay out. Short blocks
readability cut from between two it kept (a line of dialogue, "My top choices are:") go back;
product cards, calls to action, date lines, forms and furniture do not."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html
import pytest
from helpers import STORY

from sourcelight.extract.sections import is_short_block_between
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


def test_a_heading_over_the_introduction_comes_back_with_it():
    text = text_of(page(f'<div class="standfirst"><h2>What the council decided</h2>'
                        f'<div><p>{INTRO}</p></div></div>'))
    assert text.index("What the council decided") < text.index(INTRO) < text.index(STORY[0])


def test_a_heading_with_no_introduction_under_it_stays_out():
    text = text_of(page('<div class="standfirst"><h2>Share this story</h2></div>'))
    assert "Share this story" not in text


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


def block(markup: str):
    return lxml.html.fragment_fromstring(markup)


@pytest.mark.parametrize("markup", [
    "<div><p>“Do you want to come?”</p></div>",
    "<div>My top choices are:</div>",
    "<section><ul><li>Cost and subscriptions</li><li>Ease of use</li></ul></section>",
])
def test_a_short_line_of_the_article_between_kept_blocks_is_restorable(markup):
    assert is_short_block_between(block(markup))


@pytest.mark.parametrize("markup", [
    "<div><h4>Plum Wine</h4><p>$19.00</p></div>",  # a product card: a price
    "<div><p>Plum Wine</p><a href='/shop'>Shop Now</a></div>",  # a call to action
    "<div>By Sep 8, 2025</div>",  # a teaser's date line
    "<div><form><input name='q'></form>Search the site</div>",
    "<div class='share-tools'>Share this story</div>",  # furniture by name
    "<div><a href='/a'>Read the full story on the city's new tram plans</a></div>",  # a link
    "<div>" + "A sentence of the story that goes on. " * 8 + "</div>",  # a section: long
    "<p>A paragraph is not such a block.</p>",
])
def test_cards_calls_dates_forms_furniture_and_links_are_not(markup):
    assert not is_short_block_between(block(markup))


def test_lines_of_dialogue_in_blocks_of_their_own_come_back():
    """A serial's chapter (Mozilla's royal-road page, open half): readability cut the one-line
    <div>s between the paragraphs it kept."""
    html = (CORPUS / "readability-test-pages" / "royal-road" / "source.html").read_bytes()
    text = extract_article(html, "http://fakehost/test/page.html").article.text
    for line in ("“Do you want to come?”", "Haoyu snorted.", "Con: money."):
        assert line in text


# ---------------------------------------------------------------- lists between kept blocks
def test_a_numbered_list_readability_cut_from_the_story_comes_back():
    """Mozilla's medium-3 (open half): the essay's numbered points sit in a list readability
    cut from between paragraphs it kept."""
    html = (CORPUS / "readability-test-pages" / "medium-3" / "source.html").read_bytes()
    text = extract_article(html, "http://fakehost/test/page.html").article.text
    assert "1. With the release of Overcast 2.0" in text
    assert "3. Marco Arment occupies a fairly unique position" in text


@pytest.mark.parametrize("markup, restorable", [
    ("<div><ul><li>Cost and subscriptions</li><li>Ease of use</li></ul></div>", True),
    ("<div><ol><li>Preheat the oven.</li><li>Knead the <a href='/dough'>dough</a> for ten "
     "minutes, then let it rest.</li></ol></div>", True),
    # a list of links to other stories
    ("<div><ul><li><a href='/a'>The tram line</a></li><li><a href='/b'>The new depot</a>"
     "</li></ul></div>", False),
    ("<div><ul><li>Related stories</li><li>The tram line and the depot</li></ul></div>", False),
    ("<div class='share-tools'><ul><li>Email</li><li>Print</li></ul></div>", False),
    ("<nav><ul><li>News</li><li>Sport</li></ul></nav>", False),
    ("<div><ul><li><input type='checkbox'> Remember me</li></ul></div>", False),
])
def test_which_lists_between_kept_blocks_are_the_article_s(markup, restorable):
    from sourcelight.extract.sections import _reads_as_list
    root = lxml.html.fragment_fromstring(markup)
    assert _reads_as_list(next(root.iter("ul", "ol"))) is restorable


# ---------------------------------------------------------------- <div>s used as paragraphs
def test_text_written_in_divs_between_kept_blocks_comes_back():
    """WCXB-dev 4184 (open half): a maintenance checklist whose items are <div>s of text, in a
    block readability cut from between paragraphs it kept."""
    html = gzip.decompress((CORPUS / "wcxb-dev" / "html" / "4184.html.gz").read_bytes())
    record = json.loads((CORPUS / "wcxb-dev" / "ground-truth" / "4184.json").read_text())
    text = extract_article(html, record.get("url")).article.text
    for line in ("Time and engine operation change the pH of the coolant",
                 "Engine oil lubricates and cools internal engine parts"):
        assert line in record["ground_truth"]["main_content"] and line in text


@pytest.mark.parametrize("markup, is_paragraph", [
    (f"<div>{STORY[0]}</div>", True),
    (f"<div><span>{STORY[0]}</span> <a href='/x'>more</a></div>", True),
    (f"<div><p>{STORY[0]}</p></div>", False),  # holds a paragraph: the paragraph is the block
    (f"<div><ul><li>{STORY[0]}</li></ul></div>", False),
])
def test_which_divs_read_as_paragraphs(markup, is_paragraph):
    from sourcelight.extract.sections import _is_text_div
    assert _is_text_div(lxml.html.fragment_fromstring(markup)) is is_paragraph
