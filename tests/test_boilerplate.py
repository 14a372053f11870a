"""Boilerplate stages: ``prune_boilerplate`` (whole page, before readability) and
``prune_leftovers`` (inside the article readability found), and both through ``clean``."""

from __future__ import annotations

import lxml.html
import pytest
from helpers import STORY

from sourcelight.extract.boilerplate import is_furniture_by_name, prune_boilerplate
from sourcelight.extract.leftovers import prune_leftovers
from sourcelight.extract.parse import parse_page
from sourcelight.extract.text import tree_to_text
from sourcelight.pipeline import clean

STORY_HTML = "\n".join(f"<p>{p}</p>" for p in STORY)
TITLE = "Council approves twelve new bus routes"

# Furniture, each with a phrase that must not survive.
COOKIE = ('<div id="cookie-notice" class="cookie-banner">We use cookies to improve your '
          'experience on our site. <a href="/privacy">Privacy policy</a> <button>Accept</button>'
          "</div>")
SHARE = ('<div class="share-bar"><a href="https://facebook.com/sharer">Share on Facebook</a> '
         '<a href="https://twitter.com/intent/tweet">Post on X</a> '
         '<a href="mailto:?subject=bus">Email a friend</a></div>')
MOST_READ = ('<section class="widget"><h2>Most read</h2><ol>'
             '<li><a href="/news/fire-harbour">Fire destroys warehouse at the old harbour</a></li>'
             '<li><a href="/news/schools-winter">Schools to open an hour later in winter</a></li>'
             '<li><a href="/news/derby">Derby ends in a goalless draw</a></li></ol></section>')
HIDDEN_BLOCKS = [
    ('<p style="display: none">Tracking pixel text nobody sees</p>', "Tracking pixel"),
    ("<div hidden>Hidden subscription modal text</div>", "Hidden subscription"),
    ('<span aria-hidden="true">Decorative icon label</span>', "Decorative icon"),
    ('<div style="color:red;visibility:hidden">Invisible survey prompt</div>', "Invisible survey"),
]
HIDDEN = "".join(markup for markup, _ in HIDDEN_BLOCKS)
COMMENTS = ('<div id="comments" class="comments-area"><h3>3 comments</h3>'
            "<p>Great news, finally! — Bob from Eastfield</p></div>")
FURNITURE_PHRASES = [
    "We use cookies", "Privacy policy", "Share on Facebook", "Post on X", "Email a friend",
    "Most read", "Fire destroys warehouse", "Schools to open", "Derby ends",
    "Tracking pixel", "Hidden subscription", "Decorative icon", "Invisible survey",
    "Great news, finally", "3 comments", "Home", "Contact us",
]


def wordpress_page(wrapper_open: str, wrapper_close: str) -> str:
    """A WordPress-style page; the article text sits inside the given wrapper."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{TITLE} – City Times</title></head>
<body class="post-template-default single single-post">
{COOKIE}
<header id="masthead" class="site-header"><nav class="main-navigation"><ul>
<li><a href="/">Home</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area">
{wrapper_open}
<h1 class="entry-title">{TITLE}</h1>
{SHARE}
<div class="entry-content">
{STORY_HTML}
{HIDDEN}
</div>
{COMMENTS}
{wrapper_close}
</div>
<aside id="secondary" class="widget-area">{MOST_READ}</aside>
</div>
<footer class="site-footer"><p>© 2025 City Times</p></footer>
</body></html>"""


def text_of(doc) -> str:
    return tree_to_text(doc)


def assert_story_only(text: str) -> None:
    for paragraph in STORY:
        assert paragraph in text
    for phrase in FURNITURE_PHRASES:
        assert phrase not in text, phrase


# ---------------------------------------------------------------- before readability
@pytest.mark.parametrize("wrapper_open, wrapper_close", [
    pytest.param('<article id="post-881" class="post-881 post type-post status-publish hentry '
                 'comments-open">', "</article>", id="article-comments-open"),
    # The same wrapper as a <div>: its class names "comments", only the text it holds saves it.
    pytest.param('<div id="post-881" class="post entry comments-open has-sidebar">', "</div>",
                 id="div-comments-open"),
])
def test_page_furniture_goes_and_the_article_wrapper_stays(wrapper_open, wrapper_close):
    doc = parse_page(wordpress_page(wrapper_open, wrapper_close))
    prune_boilerplate(doc)
    assert_story_only(text_of(doc))
    wrapper = doc.get_element_by_id("post-881")
    assert "comments-open" in wrapper.get("class")
    assert STORY[0] in wrapper.text_content()


@pytest.mark.parametrize("markup, phrase", [
    (COOKIE, "We use cookies"),
    (SHARE, "Share on Facebook"),
    ('<div class="ad-slot"><span class="ad-label">Advertisement</span></div>', "Advertisement"),
    ('<div class="newsletter-signup"><p>Get the briefing in your inbox</p></div>', "briefing"),
    ('<ul class="breadcrumbs"><li><a href="/">Home</a></li><li>City</li></ul>', "Home"),
    ('<div role="navigation"><a href="/prev">Previous story</a></div>', "Previous story"),
    ('<div class="sr-only">Skip to main content</div>', "Skip to main"),
    ('<div class="tags-list"><a href="/tag/buses">Buses</a></div>', "Buses"),
    ('<div class="modal"><p>Subscribe now for 1 euro</p></div>', "Subscribe now"),
    # A wiki's navigation note above a section ("Main article: …", "For other uses, see …").
    ('<div role="note" class="hatnote navigation-not-searchable">Main article: '
     '<a href="/wiki/Buses_in_the_city">Buses in the city</a></div>', "Main article"),
    # The writer's biography box: "author" with a partner word, neither furniture alone.
    ('<div class="single-content-author__info"><p>Jane Doe is a freelance writer and researcher '
     'who has covered city transport for ten years for several regional papers.</p></div>',
     "freelance writer"),
    ('<div class="rkv-author-box__description"><p>Jane has over twenty years of experience in '
     'transport planning and writes about buses, trams and the people who ride them.</p></div>',
     "twenty years of experience"),
] + [pytest.param(markup, phrase, id=f"hidden-{i}")
     for i, (markup, phrase) in enumerate(HIDDEN_BLOCKS)])
def test_each_kind_of_furniture_is_removed(markup, phrase):
    doc = parse_page(f"<html><body><main><h1>{TITLE}</h1>{markup}{STORY_HTML}</main>"
                     "</body></html>")
    assert phrase in text_of(doc)
    prune_boilerplate(doc)
    text = text_of(doc)
    assert phrase not in text
    assert all(p in text for p in STORY)


def test_furniture_word_inside_another_word_is_not_furniture():
    # "shared", "adventure", "loaded", "headline" contain furniture words but are not them.
    doc = parse_page("<html><body><div class='shared-content adventure-story headline-block'>"
                     f"{STORY_HTML}</div><div class='ad'>Sponsored</div></body></html>")
    prune_boilerplate(doc)
    text = text_of(doc)
    assert all(p in text for p in STORY)
    assert "Sponsored" not in text


def test_an_author_link_inside_the_story_is_not_a_biography_box():
    # "author" alone, or beside a word that is not a box's ("author-link"), is not furniture.
    doc = parse_page(f"<html><body><main><h1>{TITLE}</h1>{STORY_HTML}<p>Written with "
                     "<a class='author-link' href='/people/jane'>Jane Doe</a>, who rode every "
                     "new route in the first week of service.</p></main></body></html>")
    prune_boilerplate(doc)
    assert "who rode every new route" in text_of(doc)


def test_a_link_holding_only_a_space_leaves_its_space_between_the_words():
    # "Try EcoFlow’s<a><span>&nbsp;</span></a><span>appliance …": the empty span goes, the
    # space it held stays.
    page = (f"<html><body><article>{STORY_HTML}<p><span>Try the city’s</span><a href='/map'>"
            "<span>&nbsp;</span></a><span>route planner and&nbsp;</span><a href='/fares'>fare "
            f"calculator</a> before the first day of service.</p></article></body></html>")
    text = clean(page, "https://city.example/news/bus").article.text
    assert "Try the city’s route planner and fare calculator" in text


def test_small_comment_block_is_removed_while_the_article_wrapper_is_kept():
    doc = parse_page(wordpress_page('<div id="post-881" class="post comments-open">', "</div>"))
    prune_boilerplate(doc)
    assert doc.find('.//*[@id="comments"]') is None
    assert doc.find('.//*[@id="post-881"]') is not None


# ---------------------------------------------------------------- after readability
def readability_output(*blocks: str) -> lxml.html.HtmlElement:
    """What readability hands back: a <div> around the article's blocks."""
    return lxml.html.fragment_fromstring("<div>" + "\n".join(blocks) + "</div>")


def test_leftovers_inside_the_article_are_removed():
    article = readability_output(
        f"<h1>{TITLE}</h1>",
        '<div class="post comments-open">',
        f"<p>{STORY[0]}</p>",
        "<p>Advertisement</p>",
        f"<p>{STORY[1]}</p>",
        '<p>Related: <a href="/news/tram-delay">Tram line delayed again as costs climb</a></p>',
        f"<p>{STORY[2]}</p>",
        '<div><h3>Most read</h3><ul><li><a href="/news/fire-harbour">Fire destroys warehouse '
        'at the old harbour</a></li><li><a href="/news/schools-winter">Schools to open an hour '
        "later in winter</a></li></ul></div>",
        f"<p>{STORY[3]}</p>",
        '<p>"News Services"</p>',
        "<p>We use cookies to personalise content and ads. Accept cookies?</p>",
        "<div><span>Sponsored</span></div>",
        "</div>",
    )
    prune_leftovers(article, title=TITLE)
    text = tree_to_text(article)
    assert all(p in text for p in STORY)
    for phrase in ("Advertisement", "Related:", "Tram line delayed", "Most read",
                   "Fire destroys warehouse", "Schools to open", "News Services", "cookies",
                   "Sponsored", TITLE):
        assert phrase not in text, phrase
    wrapper = article.find(".//div[@class='post comments-open']")
    assert wrapper is not None and STORY[0] in wrapper.text_content()


def test_access_ranking_under_a_branded_heading_is_removed():
    article = readability_output(
        f"<p>{STORY[0]}</p>",
        '<div class="p-list"><p class="heading">JN ACCESS RANKING</p><ol>'
        '<li><a href="/a">Hopes for seafood exports shot down in spat</a></li>'
        '<li><a href="/b">Exports rise in October as slump eases</a></li></ol></div>',
    )
    prune_leftovers(article)
    text = tree_to_text(article)
    assert STORY[0] in text
    assert "RANKING" not in text and "seafood" not in text


def test_prose_that_starts_like_furniture_is_kept():
    prose = [
        "Related research by the university found that buses cut commuting time by a fifth "
        "for workers in the eastern suburbs, the study's authors said.",
        "Popular support for the plan has grown since the spring, when a petition signed by "
        "nine thousand residents was handed to the council at its monthly meeting.",
        "Advertisement boards along the new routes will pay for a third of the running costs, "
        "the transport office said in a statement on Wednesday.",
    ]
    article = readability_output(
        f"<p>{STORY[0]}</p>",
        f"<p>{prose[0]}</p>",
        f"<div><h3>Popular support</h3><p>{prose[1]}</p></div>",
        f"<p>{prose[2]}</p>",
        "<h2>Key facts</h2><ul><li>Twelve new routes</li><li>4.2 million euros a year</li></ul>",
    )
    prune_leftovers(article)
    text = tree_to_text(article)
    for paragraph in [STORY[0], *prose, "Key facts", "Twelve new routes", "4.2 million euros"]:
        assert paragraph in text, paragraph


def test_headline_that_differs_from_the_title_is_kept():
    article = readability_output("<h2>What changes for riders</h2>", f"<p>{STORY[0]}</p>")
    prune_leftovers(article, title=TITLE)
    assert "What changes for riders" in tree_to_text(article)


def test_repeated_headline_is_removed_whatever_its_punctuation():
    article = readability_output(f"<h1>{TITLE.upper()}!</h1>", f"<p>{STORY[0]}</p>")
    prune_leftovers(article, title=TITLE)
    assert tree_to_text(article) == STORY[0]


# ---------------------------------------------------------------- through the pipeline
@pytest.mark.parametrize("wrapper_open, wrapper_close", [
    ('<article class="post comments-open">', "</article>"),
    ('<div class="post entry comments-open">', "</div>"),
])
def test_clean_keeps_the_story_and_drops_the_furniture(wrapper_open, wrapper_close):
    result = clean(wordpress_page(wrapper_open, wrapper_close), "https://citytimes.example/bus/")
    assert_story_only(result.article.text)
    for phrase in FURNITURE_PHRASES:
        assert phrase not in result.article.html, phrase


def test_react_streamed_segments_are_not_hidden_content():
    # React 18 streams server-rendered HTML as <div hidden id="S:0"> and moves it into place.
    page = ("<html><body><div hidden id='S:0'><p>Streamed story text that the reader sees "
            "once the page's script has run.</p></div><div hidden><p>Really hidden.</p></div>"
            "</body></html>")
    doc = parse_page(page)
    prune_boilerplate(doc)
    text = doc.text_content()
    assert "Streamed story text" in text
    assert "Really hidden" not in text


@pytest.mark.parametrize("line", ["By", "Posted On", "Updated March 13, 2024",
                                  "Estimated reading time:", "3 min read", "[CTA_MODULE]"])
def test_byline_and_date_lines_left_in_the_article_are_removed(line):
    article = lxml.html.fragment_fromstring(
        f"<div><p>{line}</p><p>By 2030 the harbour will have doubled its capacity, "
        f"the port authority expects.</p></div>")
    prune_leftovers(article)
    text = article.text_content()
    assert line not in text.replace("By 2030", "")
    assert "By 2030 the harbour" in text


def test_long_heading_slug_id_is_not_a_furniture_name():
    el = lxml.html.fragment_fromstring(
        "<div class='section' id='sharing-with-a-single-developer'>x</div>")
    assert not is_furniture_by_name(el)
    assert is_furniture_by_name(lxml.html.fragment_fromstring("<div id='share-bar'>x</div>"))


def test_page_whose_text_is_only_in_noscript_is_read_from_there():
    posts = "".join(f"<p>Post {i}: the update broke document reviews for our whole team and "
                    f"basic grammar checks no longer run at all since last night.</p>"
                    for i in range(5))
    page = (f"<html><body><div id='app'>Loading…</div><noscript><div class='topic'>{posts}"
            f"</div></noscript></body></html>")
    text = clean(page, None).article.text
    assert "Post 4: the update broke document reviews" in text


def test_noscript_fallback_is_ignored_when_the_page_has_its_text():
    story = "".join(f"<p>Story paragraph {i} explains what the council decided about the "
                    f"harbour and why the vote was close.</p>" for i in range(5))
    page = (f"<html><body><article>{story}</article><noscript><p>Please enable JavaScript "
            f"to see the comments, the newsletter sign-up and everything else.</p></noscript>"
            f"</body></html>")
    text = clean(page, None).article.text
    assert "Story paragraph 4" in text
    assert "enable JavaScript" not in text


def test_teaser_cards_for_other_stories_are_removed_but_a_guide_of_cards_is_kept():
    story = "".join(f"<p>Story paragraph {i} explains what the council decided about the "
                    f"harbour and why the vote was so close in the end.</p>" for i in range(6))
    cards = "".join(f"<article class='card'><h3><a href='/post/{i}'>Other post {i}</a></h3>"
                    f"<p>A short teaser for another post.</p></article>" for i in range(3))
    article = lxml.html.fragment_fromstring(f"<div>{story}<div class='more'>{cards}</div></div>")
    prune_leftovers(article)
    text = article.text_content()
    assert "Story paragraph 5" in text and "Other post" not in text

    guide = lxml.html.fragment_fromstring(f"<div><p>Our picks this week:</p>{cards}</div>")
    prune_leftovers(guide)
    assert "Other post 2" in guide.text_content()


def test_a_run_of_teaser_cards_in_blocks_of_their_own_is_removed():
    # Here Comes The Guide (WCXB-dev): after the checklist, cards of other guides, each in a
    # row of its own (a misspelt <aricle>): a picture and a heading linking to the same page.
    story = "".join(f"<p>{text}</p>" for text in STORY)
    cards = "".join(f"<div class='row'><div class='ideas-list'><aricle class='card'>"
                    f"<figure><a href='/ideas/{i}'><img src='/{i}.jpg' alt=''></a></figure>"
                    f"<figure><h3><a href='/ideas/{i}'>The Ultimate Checklist {i}</a></h3>"
                    f"<p>Here it is: a full breakdown of what to plan, month by month.</p>"
                    f"</figure></aricle></div></div><hr>" for i in range(3))
    article = lxml.html.fragment_fromstring(f"<div>{story}<div>{cards}</div></div>")
    prune_leftovers(article)
    text = article.text_content()
    assert STORY[-1] in text and "Ultimate Checklist" not in text


def test_a_carousel_of_whole_link_cards_is_removed_but_a_listing_s_title_links_stay():
    # Accredited Schools Online (WCXB-dev): after the guide, a carousel of other guides, each
    # card one <a> around its picture, heading, teaser and date.
    story = "".join(f"<p>{text}</p>" for text in STORY)
    cards = "".join(f"<div class='swiper-slide'><a href='/guide/{i}'><img src='/{i}.jpg' alt=''>"
                    f"<div><h3>Online Certificate Program Guide {i}</h3><p>Accredited schools "
                    f"offer online certificate programs. Explore key details.</p>"
                    f"<div><span>July 17, 2025</span></div></div></a></div>" for i in range(4))
    article = lxml.html.fragment_fromstring(f"<div>{story}<div><div>{cards}</div></div></div>")
    prune_leftovers(article)
    text = article.text_content()
    assert STORY[-1] in text and "Certificate Program Guide" not in text

    # Interior Design's awards (WCXB-dev): each entry's picture and title are two links, the
    # one around the heading holding no picture: the page's own entries, not teasers.
    entries = "".join(f"<li><div><a href='/award/{i}'><img src='/{i}.jpg' alt=''></a></div>"
                      f"<div><p>Winner</p><a href='/award/{i}'><h4>Boa Viagem Apartment {i}</h4>"
                      f"</a><p>Architects Office</p></div></li>" for i in range(4))
    listing = lxml.html.fragment_fromstring(f"<div>{story}<ul>{entries}</ul></div>")
    prune_leftovers(listing)
    assert "Boa Viagem Apartment 3" in listing.text_content()


def test_sections_titled_by_links_without_teaser_pictures_stay():
    # A blog post whose section headings link to the tools they describe.
    sections = "".join(f"<div><h3><a href='/tools/{i}'>Tool {i}</a></h3><p>{text}</p></div>"
                       for i, text in enumerate(STORY))
    article = lxml.html.fragment_fromstring(f"<div>{sections}</div>")
    prune_leftovers(article)
    assert all(text in article.text_content() for text in STORY)

def test_a_video_player_s_caption_settings_leave_the_story():
    # Mozilla's bug-1255978 page: video.js's caption-settings dialog, whose <select>s the
    # boilerplate stage drops, left its labels ("Font Size", "Text Edge Style") in the text.
    settings = ("<div class='vjs-tracksettings'><div><label class='vjs-label'>Foreground</label>"
                "<select><option>White</option></select></div><div><label class='vjs-label'>"
                "Text Edge Style</label><select><option>None</option></select></div></div>")
    page = (f"<html><body><article><h1>Hotels</h1><p>{STORY[0]}</p>{settings}"
            + "".join(f"<p>{text}</p>" for text in STORY[1:]) + "</article></body></html>")
    text = clean(page, "https://news.example/hotels").article.text
    assert "Foreground" not in text and "Text Edge Style" not in text
    assert all(paragraph in text for paragraph in STORY)

def test_a_repeated_figure_is_kept_once():
    from sourcelight.pipeline import clean
    from sourcelight.settings import Settings
    caption = "Peacekeepers at a refugee camp on Monday, the day the sanctions were lifted."
    figure = f"<figure><img src='https://ex.example/a.jpg' alt=''><figcaption>{caption}</figcaption></figure>"
    copy = f"<figure><figcaption>{caption}</figcaption></figure>"
    body = "".join(f"<p>{p}</p>" for p in STORY)
    page = f"<html><body><article><h1>Sanctions lifted</h1>{figure}{copy}{body}</article></body></html>"
    result = clean(page, "https://ex.example/story", Settings())
    assert result.article.text.count("Peacekeepers at a refugee camp") == 1
    assert STORY[0][:40] in result.article.text


def test_tables_sharing_a_source_caption_are_all_kept():
    # Beinsure (WCXB-dev): each table of the ranking is a <figure class="wp-block-table">
    # captioned by the same source line; they are different figures, not copies.
    def table(rows: list[tuple[str, str]]) -> str:
        cells = "".join(f"<tr><td>{name}</td><td>{value}</td></tr>" for name, value in rows)
        return (f"<figure class='wp-block-table'><table><tbody>{cells}</tbody></table>"
                f"<figcaption>Source: NAIC</figcaption></figure>")
    story = "".join(f"<p>{text}</p>" for text in STORY)
    first = table([("Pure Loss Ratio", "63.3"), ("Loss Adjustment Expense Ratio", "9.4")])
    second = table([("Net Premiums Written", "864"), ("Net Premiums Earned", "815")])
    article = lxml.html.fragment_fromstring(f"<div>{story}{first}{second}{first}</div>")
    prune_leftovers(article)
    text = article.text_content()
    assert "Pure Loss Ratio" in text and "Net Premiums Earned" in text
    assert text.count("Pure Loss Ratio") == 1  # the third is a copy of the first


def test_a_closing_list_of_location_links_is_removed_but_links_inside_the_story_stay():
    # CottageCare (WCXB-dev): a cleaning guide closes with the service's locations, one link
    # to an item ("Akron, OH", "Aurora/Parker, CO", ...).
    story = "".join(f"<p>{text}</p>" for text in STORY)
    places = ("Akron, OH", "Aurora/Parker, CO", "Barboursville, WV", "Baton Rouge, LA",
              "Bloomington &amp; Normal, IL", "Calgary North, ALB")
    directory = "".join(f"<li><a href='/locations/{i}/'>{place}</a></li>"
                        for i, place in enumerate(places))
    article = lxml.html.fragment_fromstring(
        f"<div>{story}<h2>Home Cleaning Services in Your Area.</h2>"
        f"<ul class='wp-block-list'>{directory}</ul></div>")
    prune_leftovers(article)
    text = article.text_content()
    assert STORY[-1] in text and "Baton Rouge" not in text

    # The same list with the story going on after it is the story's own list.
    inside = lxml.html.fragment_fromstring(f"<div><ul>{directory}</ul>{story}</div>")
    prune_leftovers(inside)
    assert "Baton Rouge" in inside.text_content()

    # Items with words beside their links are the story's text.
    worded = "".join(f"<li><a href='/{i}'>{place}</a> opened a second office this spring</li>"
                     for i, place in enumerate(places))
    closing = lxml.html.fragment_fromstring(f"<div>{story}<ul>{worded}</ul></div>")
    prune_leftovers(closing)
    assert "Baton Rouge" in closing.text_content()


def test_sms_consent_lines_under_a_contact_form_leave_the_story():
    # AccountingDepartment.com (WCXB-dev): the consent small print of a contact form kept at
    # the end of the article.
    story = "".join(f"<p>{text}</p>" for text in STORY)
    consent = ("<p>By providing a telephone number and submitting via form on our website, you "
               "are consenting to be contacted by SMS text message. Message &amp; data rates may "
               "apply. Message frequency may vary.</p>"
               "<p>Reply Help for more information. You can reply STOP to opt-out of further "
               "messaging.</p>")
    article = lxml.html.fragment_fromstring(f"<div>{story}<div>{consent}</div></div>")
    prune_leftovers(article)
    text = article.text_content()
    assert STORY[-1] in text and "SMS text message" not in text and "reply STOP" not in text

    # A story that reports on such messages keeps its sentence.
    report = ("<p>Regulators said the company kept texting customers even after they replied "
              "STOP, and that message and data rates may apply was printed too small.</p>")
    kept = lxml.html.fragment_fromstring(f"<div>{story}{report}</div>")
    prune_leftovers(kept)
    assert "kept texting customers" in kept.text_content()


def test_quotes_set_as_figures_with_one_speaker_are_all_kept():
    """Pull quotes marked up as <figure><blockquote>…</blockquote><figcaption>speaker</…>
    share the speaker's caption but say different things: none is a repeated figure."""
    speaker = ("<figcaption><a href='https://www.linkedin.com/in/pr'>LinkedIn</a> Patrick Reinhart, "
               "VP, Services and Thought Leadership, Conductor</figcaption>")
    quotes = ["SEO has gone from a singular profession to a company-wide practice, and teams "
              "will build systems that outlast any single ranking update.",
              "Automation is not the enemy. Generative AI has been one of the greatest "
              "productivity tools that has ever happened to me in my entire career."]
    figures = "".join(f"<figure class='Quote_component'><div><blockquote><p>{q}</p></blockquote>"
                      f"</div>{speaker}</figure><p>{p}</p>" for q, p in zip(quotes, STORY))
    page = (f"<html><body><article><h1>Predictions</h1>{figures}"
            + "".join(f"<p>{p}</p>" for p in STORY[2:]) + "</article></body></html>")
    text = clean(page, "https://ex.example/predictions").article.text
    assert all(q[:60] in text for q in quotes)


def test_a_ranking_card_of_bullet_points_is_kept():
    """A listicle's cards named "ranking-card": a short blurb and bullet points, hardly a
    link. Little of it is paragraph prose, but it is the article's text, not a widget."""
    pros = ["Complete a certificate program in as few as four months.",
            "Access academic and career advising, tutoring, and tech support.",
            "Receive accommodations for disabilities.",
            "Enjoy discounts for active-duty military and their spouses."]
    cons = ["Some certificate programs may not qualify for financial aid.",
            "Graduate certificates require a minimum 2.75 GPA for full acceptance or a 2.0 "
            "for provisional acceptance."]
    blurb = ("<a href='https://www.snhu.edu/'><u>Southern New Hampshire University</u></a> "
             "offers four undergraduate and 19 graduate certificate programs online. These "
             "programs span fields such as marketing, human resource management, and computer "
             "programming. SNHU's certificates are career-focused and designed to enhance "
             "existing degrees.")
    card = ("<section class='ss-design-system-ranking-card'><h3>#1 Southern New Hampshire "
            "University</h3><div class='ss-ranking-card-blurb line-clamp-6'>"
            f"<h4>Why We Chose This School</h4><p>{blurb}</p><h4>Highlights</h4><ul>"
            + "".join(f"<li>{x}</li>" for x in pros) + "</ul><h4>Know Before You Apply</h4><ul>"
            + "".join(f"<li>{x}</li>" for x in cons) + "</ul></div></section>")
    page = (f"<html><body><article><h1>Online certificates</h1><p>{STORY[0]}</p>"
            f"<div class='ss-ranking'>{card}</div>"
            + "".join(f"<p>{p}</p>" for p in STORY[1:]) + "</article></body></html>")
    text = clean(page, "https://schools.example/certificates").article.text
    assert "offers four undergraduate and 19 graduate" in text
    assert pros[0] in text and cons[1] in text


def test_a_ranking_widget_of_links_still_goes():
    """The same weak word on a sidebar of linked names stays furniture."""
    links = "".join(f"<li><a href='/school/{i}'>School number {i} of the ranking list</a></li>"
                    for i in range(20))
    page = (f"<html><body><article><h1>Online certificates</h1>"
            + "".join(f"<p>{p}</p>" for p in STORY)
            + f"</article><div class='ranking'><ul>{links}</ul></div></body></html>")
    text = clean(page, "https://schools.example/certificates").article.text
    assert "School number 3" not in text



def test_furniture_verdicts_stay_right_when_their_cache_fills(monkeypatch):
    """The class/id verdicts are kept in a bounded cache, emptied when full: with room for
    one verdict, a page loses the same furniture as with room for all."""
    from sourcelight.extract import boilerplate

    def pruned_text() -> str:
        doc = parse_page(wordpress_page('<article class="post">', "</article>"))
        prune_boilerplate(doc)
        return text_of(doc)

    first = pruned_text()
    monkeypatch.setattr(boilerplate, "_VERDICTS_MAX", 1)
    monkeypatch.setattr(boilerplate, "_class_verdicts", {})
    monkeypatch.setattr(boilerplate, "_id_verdicts", {})
    assert pruned_text() == first
    assert len(boilerplate._class_verdicts) == 1 and len(boilerplate._id_verdicts) == 1
    assert "We use cookies" not in first and "Share on Facebook" not in first
    assert "Most read" not in first and STORY[0] in first
