"""Leaks and losses of issue 11 on real pages and on a news page built for the purpose:
promotions, inline cards, the story's own byline/date lines and bare credits leave the text;
captions and contributor lines stay (marked non-prose); headings and introductions that
readability left out come back; a page that closes </body></html> early is read whole."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import lxml.html
import pytest
from helpers import STORY, load_bench

from sourcelight.extract.promos import inline_cards, promo_and_meta_blocks
from sourcelight.pipeline import clean, extract_article

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
MOZILLA_URL = "http://fakehost/test/page.html"


def wcxb(page_id: str) -> tuple[str, str]:
    """(our article text, the ground truth's main content) of a WCXB-dev page."""
    if not CORPUS.is_dir():
        pytest.fail(f"shared corpus not found at {CORPUS}")
    html = gzip.decompress((CORPUS / "wcxb-dev" / "html" / f"{page_id}.html.gz").read_bytes())
    record = json.loads((CORPUS / "wcxb-dev" / "ground-truth" / f"{page_id}.json").read_text())
    return extract_article(html, record.get("url")).article.text, \
        record["ground_truth"]["main_content"]


def mozilla(folder: str) -> str:
    html = (CORPUS / "readability-test-pages" / folder / "source.html").read_bytes()
    return extract_article(html, MOZILLA_URL).article.text


# ---------------------------------------------------------------- a news page, built
LEAKS = {
    "teaser": "<p>SEE MORE: Council to vote on the new tram line next week</p>",
    "dont-miss": "<h3>DON'T MISS</h3>",
    "follow": "<p>Follow Newsbeat on Instagram, Facebook and Twitter.</p>",
    "listen": "<p>Listen to Newsbeat live at 12:45 and 17:45 weekdays - or listen back here.</p>",
    "playback": "<div>Media playback is unsupported on your device</div>",
    "credit": "<p>Getty Images</p>",
    "signup": "<p>Sign up for our daily newsletter to get the latest city news.</p>",
}
KEPT = {
    "follow-prose": "<p>Follow the money, the auditor told the council, and the routes will "
                    "look very different from the plan the mayor presented in March.</p>",
    "listen-prose": "<p>Listen to the people who ride the night buses, said one councillor, "
                    "and you will hear why the plan matters to so many families.</p>",
    "getty-prose": "<p>Getty Images said on Monday that it had photographed the new depot "
                   "for the city's annual report.</p>",
    "caption": "<figure><img src=\"bus.jpg\" alt=\"A bus\"><figcaption>A new bus at the depot. "
               "Jane Doe / Getty Images</figcaption></figure>",
    "contributed": "<p>___</p><p>Associated Press writer John Roe contributed to this "
                   "report.</p>",
}
CARD = ('<span class="person-card"><a href="/people/jane-doe">Jane Doe</a> '
        '<span>Mayor of the city</span> <a href="/news/jane-doe-budget">Doe defends the '
        'budget</a> <a href="/people/jane-doe">MORE</a></span>')


def news_page() -> str:
    """A wire story as a news site shows it, with its furniture."""
    lead = (f"<p>The city council voted on Tuesday, said mayor <a href=\"/people/jane-doe\">"
            f"Jane Doe</a>{CARD}, to expand the bus network with twelve new routes that "
            "will connect the eastern suburbs with the hospital district.</p>")
    body = [lead, *(f"<p>{text}</p>" for text in STORY[1:2]), LEAKS["teaser"], KEPT["caption"],
            f"<p>{STORY[2]}</p>", LEAKS["follow"], KEPT["follow-prose"], LEAKS["listen"],
            KEPT["listen-prose"], LEAKS["playback"], LEAKS["credit"], KEPT["getty-prose"],
            LEAKS["dont-miss"], f"<p>{STORY[3]}</p>", LEAKS["signup"], KEPT["contributed"]]
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>Council expands the bus network</title></head><body><main><article>"
            "<h1>Council expands the bus network</h1>"
            "<p>By Jane Smith and John Roe</p><p>The Associated Press</p>"
            "<p>Published 3:04 PM EST, Thu December 4, 2025</p>"
            f"{''.join(body)}</article></main></body></html>")


@pytest.fixture(scope="module")
def news() -> tuple[str, list]:
    result = clean(news_page(), "https://news.example/city/bus")
    return result.article.text, result.non_prose


@pytest.mark.parametrize("phrase", [
    "SEE MORE", "DON'T MISS", "Follow Newsbeat", "Listen to Newsbeat",
    "Media playback is unsupported", "Sign up for our daily newsletter",
    "By Jane Smith", "The Associated Press", "Published 3:04 PM",
    "Mayor of the city", "Doe defends the budget", "MORE",
])
def test_furniture_leaves_the_text(news, phrase):
    text, _ = news
    assert phrase not in text


def test_a_bare_credit_line_leaves_but_the_caption_s_credit_stays(news):
    text, spans = news
    assert "\n\nGetty Images\n\n" not in text
    start = text.index("A new bus at the depot. Jane Doe / Getty Images")
    assert any(s <= start < e and role == "caption" for s, e, role in spans)


@pytest.mark.parametrize("phrase", [
    "The city council voted on Tuesday, said mayor Jane Doe, to expand the bus network",
    "Follow the money, the auditor told the council",
    "Listen to the people who ride the night buses",
    "Getty Images said on Monday",
    "Associated Press writer John Roe contributed to this report.",
])
def test_prose_and_the_article_s_own_lines_stay(news, phrase):
    text, _ = news
    assert phrase in text


def test_the_contributor_line_stays_as_non_prose(news):
    text, spans = news
    start = text.index("Associated Press writer John Roe")
    assert any(s <= start < e and role == "contributor-line" for s, e, role in spans)


def test_a_link_named_popup_is_the_sentence_s_word_not_a_card():
    markup = ('<div><p><a class="popup" href="/turbotax">TurboTax</a> is one of the most '
              'popular tax preparation programs.</p>'
              '<p>Rankings<span class="tooltip">Rankings are a site\'s position in the results.'
              ' Learn more</span> matter less.</p></div>')
    root = lxml.html.fragment_fromstring(markup)
    assert [" ".join(c.text_content().split()) for c in inline_cards(root)] == \
        ["Rankings are a site's position in the results. Learn more"]


def test_bylines_in_the_middle_of_the_story_are_not_edge_lines():
    paragraphs = [f"<p>{text}</p>" for text in STORY * 3]
    markup = ("<div>" + "".join(paragraphs[:6]) + "<p>By Jane Doe</p>"
              + "".join(paragraphs[6:]) + "</div>")
    root = lxml.html.fragment_fromstring(markup)
    assert promo_and_meta_blocks(root) == []


# ---------------------------------------------------------------- real pages
def test_webmd_byline_block_leaves_and_the_story_stays():
    text = mozilla("webmd-2")
    for line in ("By Kelli Miller", "WebMD Health News", "Reviewed by Hansa D. Bhargava"):
        assert line not in text
    assert "Imagine being sick in the hospital" in text


def test_glossary_tooltips_inside_sentences_leave():
    text, truth = wcxb("0041")
    assert "AIO, Google’s AI-powered search result type, now has over 1 billion users." in text
    assert "Search ResultSearch results refer to" not in text


def test_a_page_that_closes_body_and_html_early_is_read_whole():
    text, truth = wcxb("0310")
    assert "When defined in the simplest way possible, HR is about people." in text
    assert load_bench("extraction").prf(text, truth)[2] > 0.9


def test_headings_in_blocks_of_their_own_come_back():
    text, truth = wcxb("0093")
    for heading in ("How Much Does It Cost to Run a Laptop or Desktop Computer?",
                    "1. Lower Screen Brightness", "2. Enable Power-Saving Modes"):
        assert heading in truth and heading in text


def test_an_introduction_readability_left_out_comes_back():
    text, truth = wcxb("4835")
    intro = "We wanted to know what toothbrush was the best."
    assert intro in truth and intro in text


def test_an_inline_element_inside_a_sentence_is_not_a_line_of_its_own():
    markup = ("<div><p>The report was written <span>by Jane Doe</span> and checked by the "
              "paper's editors before it went to print on Monday.</p>"
              + "".join(f"<p>{text}</p>" for text in STORY) + "</div>")
    root = lxml.html.fragment_fromstring(markup)
    assert promo_and_meta_blocks(root) == []


# ---------------------------------------------------------------- credits under figures
def _figure(caption: str, image: str = "kettle") -> str:
    return (f'<figure><img src="/{image}.jpg" alt="A {image}"><figcaption>{caption}'
            f'</figcaption></figure>')


def _story_with_figures(*figures: str) -> str:
    paragraphs = [f"<p>{text}</p>" for text in STORY]
    body = "".join(p + (figures[i] if i < len(figures) else "") for i, p in enumerate(paragraphs))
    return (f"<html><head><title>Kettles tested</title></head><body><article>"
            f"<h1>Kettles tested</h1>{body}</article></body></html>")


def test_labelled_and_repeated_figure_credits_leave_but_captions_stay():
    # A review's gallery: the same "Credit: …" under every photo, a labelled credit alone.
    page = _story_with_figures(
        _figure("<span>Credit: Serious Eats</span>", "kettle"),
        _figure("<span>Credit: Serious Eats</span>", "spout"),
        _figure("Image source: Getty Images.", "stove"),
        _figure("The kettle's spout pours a thin, steady stream. Jane Doe / Getty Images", "cup"))
    text = extract_article(page, "https://food.example/kettles").article.text
    assert "Credit: Serious Eats" not in text and "Image source" not in text
    assert "The kettle's spout pours a thin, steady stream. Jane Doe / Getty Images" in text
    for paragraph in STORY:
        assert paragraph in text


def test_a_single_unlabelled_figure_credit_stays():
    # "Photo by …" under one photo is how many news pages caption; the reader sees it.
    page = _story_with_figures(_figure("Photo by James Martin / CNET"))
    text = extract_article(page, "https://news.example/story").article.text
    assert "Photo by James Martin / CNET" in text


# ---------------------------------------------------------------- disclosures
def test_affiliate_disclosures_leave_but_prose_about_affiliates_stays():
    # Shapes of WCXB-dev articles: a gear guide's notice under its title, a blog's notice
    # in the site's own voice, and a guide about streaming whose prose names commissions.
    markup = ("<div><p>While each product featured is independently selected by our editors, "
              "we may include paid promotion. If you buy something through our links, we may "
              "earn commission. Read more about our product review guidelines here.</p>"
              "<p>Just so you know, I do review everything I recommend. When you buy through "
              "links on this page, we may earn a commission. Learn more about affiliate "
              "links.</p>"
              "<p>We independently test everything we recommend.</p>"
              "<p>Affiliate programs: Streamers earn a commission when viewers buy games, "
              "gear, or software via affiliate links.</p>"
              + "".join(f"<p>{text}</p>" for text in STORY) + "</div>")
    root = lxml.html.fragment_fromstring(markup)
    doomed = [" ".join(el.text_content().split()) for el in promo_and_meta_blocks(root)]
    assert len(doomed) == 3
    assert all("Streamers" not in text for text in doomed)
    assert not any(text in doomed for text in STORY)


def _promo_lines_before_story(line: str) -> list[str]:
    """The texts :func:`promo_and_meta_blocks` removes when ``line`` opens a story."""
    markup = f"<div><p>{line}</p>" + "".join(f"<p>{t}</p>" for t in STORY) + "</div>"
    root = lxml.html.fragment_fromstring(markup)
    return [" ".join(el.text_content().split()) for el in promo_and_meta_blocks(root)]



@pytest.mark.parametrize("line", [
    "Article Continues Below", "SCROLL FOR MORE", "Loading paragraph...", "Like Loading...",
    "This slideshow requires JavaScript.", "Press enter or click to view image in full size",
    "JUMP TO THE LIST", "Already have an account? Log in",
    "This article is exclusive to STAT+ subscribers",
    "Become a paid subscriber to Every to unlock this piece and learn about:",
    "Was this newsletter forwarded to you? Sign up to get it in your inbox.",
    "Did you make one of my recipes? Please take a moment to leave a star rating.",
    "Rate this article", "Thanks for visiting!", "Add to Favourites",
    "STAT+ Exclusive Story", "View All Plans", "Join or sign in",
    "Unlock this article — plus in-depth analysis, newsletters, premium events, and news alerts.",
])
def test_page_chrome_and_paywall_lines_leave(line):
    # Lines of WCXB-dev articles the ground truth lists as boilerplate ("without").
    assert _promo_lines_before_story(line) == [line]


@pytest.mark.parametrize("line", [
    "Loading the trucks took the crew most of the night, the driver said on Tuesday.",
    "Thanks for reading the plan so closely, the mayor told the auditor at the meeting.",
    "Share this article's main finding with your class: buses run late on Mondays.",
])
def test_prose_that_starts_like_page_chrome_stays(line):
    assert _promo_lines_before_story(line) == []


@pytest.mark.parametrize("line", [
    "Book a demo", "Request A Free Consultation for Accounting Services",
    "Get a Quote (212) 203-0280", "Get quotes from up to 3 pros!",
    "Check their rates and availability", "Check Price - Walmart",
    "Read our full Acer Aspire Go 15 (2025) review", "See it at Amazon", "Talk to us!",
    "Join our mailing list! Get a newsletter when an episode is published",
    "Get my FREE 'QuickStart Drawing Course for Beginners' HERE!",
    "GitHub Actions analytics - what's actually happening (Sponsored)",
    "Other Posts You May Enjoy", "You might like", "Enjoy the post? Pin it for later!",
    "If you liked this blog post, you'll probably love Leadfeeder, too.",
    "Facebook Twitter Email", "12 min read", "3 MIN. READ",
    "Latest posts by Autumn Adams (see all)",
])
def test_calls_to_action_leave(line):
    # Calls to action and teaser lines of WCXB-dev articles that their truth never holds.
    assert _promo_lines_before_story(line) == [line]


@pytest.mark.parametrize("line", [
    # Long enough to be the article's own sentence (from WCXB-dev truths).
    "Request a free consultation with a Principal on our SBC team to assess school fit and "
    "admit chances.",
    "Get a Free Quote for High-Value Moving Services in New Jersey and Staten Island",
    "Share",
    "Check the rates of three local banks before you sign anything, the adviser said.",
])
def test_sentences_that_open_like_a_call_to_action_stay(line):
    assert _promo_lines_before_story(line) == []


def test_a_labelled_credit_in_a_figure_s_cite_leaves_but_the_caption_stays():
    # The Verge (Mozilla's theverge page): the figure's credit is a <cite> after its caption.
    page = _story_with_figures(
        '<figure><img src="/vision.jpg" alt="A headset"><figcaption>The Apple Vision Pro.'
        '</figcaption><cite>Image: Vjeran Pavic / The Verge</cite></figure>')
    text = extract_article(page, "https://tech.example/vision").article.text
    assert "Vjeran Pavic" not in text
    assert "The Apple Vision Pro." in text


def test_every_disclosure_pattern_holds_a_hint():
    # Blocks without a hint are not searched (speed): a pattern without one would never match.
    data = json.loads((Path(__file__).resolve().parents[1] / "server" / "sourcelight" / "extract"
                       / "data" / "promos.json").read_text(encoding="utf-8"))
    for pattern in data["disclosure_patterns"]:
        assert any(hint in pattern for hint in data["disclosure_hints"]), pattern


def test_a_video_player_s_caption_leaves_with_the_player_but_a_picture_s_stays():
    # BBC (Mozilla's bbc-1): the player is an iframe, dropped; its caption stood alone.
    player = ('<figure class="media-item default-player has-caption"><div class="media-player">'
              '<iframe src="//emp.example/player.html"></iframe></div><figcaption '
              'class="media-caption"><span>Media caption</span> <span>Mr Obama told the BBC that '
              'gun control was his biggest frustration</span></figcaption></figure>')
    picture = ('<figure class="media-item"><img src="/obama.jpg" alt="Obama"><figcaption>'
               'President Obama at the White House on Monday.</figcaption></figure>')
    text = extract_article(_story_with_figures(player, picture),
                           "https://news.example/obama").article.text
    assert "gun control was his biggest frustration" not in text
    assert "President Obama at the White House on Monday." in text
