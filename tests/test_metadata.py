"""Tests for ``sourcelight.extract.metadata``: ``read_metadata`` and ``find_dateline``.

Inputs are real: the seed page, one small HTML page per metadata source, and a few corpus
pages read in place from ../shared/corpus (those tests skip when the corpus is absent).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from sourcelight.extract.metadata import (
    find_dateline,
    normalise_date,
    normalise_lang,
    read_metadata,
    search_text_date,
)
from sourcelight.model import Metadata

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = CORPUS / "seed" / "trump-takaichi.html"
SEED_EXPECTED = CORPUS / "seed" / "trump-takaichi.expected.json"
WIRE_DATA = ROOT / "server" / "sourcelight" / "extract" / "data" / "wire_services.json"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"no shared corpus at {CORPUS}")


def read(html: str, url: str | None = "https://news.example/2025/story.html") -> Metadata:
    """read_metadata on an HTML string."""
    return read_metadata(lxml_html.document_fromstring(html), url)


def page(head: str = "", body: str = "<p>Text.</p>", lang: str = "") -> str:
    """A minimal page with the given head and body markup."""
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attr}><head><meta charset='utf-8'>{head}</head>"
        f"<body>{body}</body></html>"
    )


def ld(data: object | str) -> str:
    """A JSON-LD script element (a string is used as is, to test broken JSON)."""
    text = data if isinstance(data, str) else json.dumps(data)
    return f'<script type="application/ld+json">{text}</script>'


def meta_tag(attr: str, name: str, content: str) -> str:
    return f'<meta {attr}="{name}" content="{content}">'


# ---------------------------------------------------------------------------
# The seed page
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[lxml_html.HtmlElement, dict]:
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED}")
    doc = lxml_html.document_fromstring(SEED.read_text(encoding="utf-8"))
    return doc, json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


def test_seed_page_metadata_is_exact(seed):
    doc, expected = seed
    meta = read_metadata(doc, expected["url"])
    want = expected["metadata"]
    assert meta.title == want["title"]
    assert meta.site_name == want["site_name"]
    assert meta.published == want["published"] == "2025-11-27T10:51:00+09:00"
    assert meta.html_lang == want["lang"] == "en"
    assert meta.url == expected["url"]


def test_seed_first_paragraph_dateline(seed):
    doc, expected = seed
    paragraph = doc.xpath("//div[contains(@class,'p-article__body')]/p")[0].text_content()
    want = expected["metadata"]
    assert find_dateline(paragraph) == (want["dateline"], want["wire_service"])
    assert find_dateline(paragraph) == ("TOKYO", "Reuters")


def test_read_metadata_does_not_change_the_document(seed):
    doc, expected = seed
    before = etree.tostring(doc)
    read_metadata(doc, expected["url"])
    assert etree.tostring(doc) == before


# ---------------------------------------------------------------------------
# JSON-LD
# ---------------------------------------------------------------------------


def test_json_ld_news_article_fields():
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Council Approves the &amp; New Harbour Plan",
        "datePublished": "2025-03-14T08:30:00-05:00",
        "author": [
            {"@type": "Person", "name": "Jane Doe"},
            {"@type": "Person", "name": "John Roe"},
        ],
        "publisher": {"@type": "NewsMediaOrganization", "name": "Daily Planet"},
    }
    meta = read(page(head="<title>Something else entirely | Daily Planet</title>" + ld(article)))
    assert meta.title == "Council Approves the & New Harbour Plan"
    assert meta.byline == "Jane Doe and John Roe"
    assert meta.published == "2025-03-14T08:30:00-05:00"
    assert meta.site_name == "Daily Planet"


def test_json_ld_graph_with_id_references():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "https://x.example/#site", "name": "Example Weekly"},
            {"@type": "Person", "@id": "https://x.example/#jane", "name": "Jane Doe"},
            {
                "@type": ["Article", "BlogPosting"],
                "headline": "Graph Headline",
                "author": {"@id": "https://x.example/#jane"},
                "datePublished": "2024-02-29",
            },
            {"@type": "BreadcrumbList", "name": "Not a title"},
        ],
    }
    meta = read(page(head=ld(graph)))
    assert (meta.title, meta.byline, meta.published, meta.site_name) == (
        "Graph Headline",
        "Jane Doe",
        "2024-02-29",
        "Example Weekly",
    )


def test_json_ld_broken_json_is_tolerated():
    # A trailing comma and a raw newline inside a string: json.loads alone rejects both.
    broken = (
        '{"@type": "Article", "headline": "Broken\nbut readable", "datePublished": "2023-05-01",}'
    )
    meta = read(page(head=ld(broken)))
    assert meta.title == "Broken but readable"
    assert meta.published == "2023-05-01"


def test_json_ld_in_cdata_and_unparseable_blocks():
    wrapped = '//<![CDATA[\n{"@type": "BlogPosting", "headline": "Wrapped Headline Here"}\n//]]>'
    meta = read(page(head=ld("{ this is not json") + ld(wrapped)))
    assert meta.title == "Wrapped Headline Here"


def test_json_ld_organisation_author_equal_to_site_is_not_a_byline():
    data = {
        "@type": "Article",
        "headline": "Quarterly Results Announced Today",
        "author": {"@type": "Organization", "name": "Acme Corp"},
        "publisher": {"@type": "Organization", "name": "Acme Corp"},
    }
    assert read(page(head=ld(data))).byline is None


# ---------------------------------------------------------------------------
# <meta> sources
# ---------------------------------------------------------------------------


def test_opengraph_and_article_meta():
    head = (
        meta_tag("property", "og:title", "Open Graph Headline Wins")
        + meta_tag("property", "og:site_name", "The Example Times")
        + meta_tag("property", "article:published_time", "2025-11-27T10:51:00+09:00")
        + meta_tag("name", "author", "By Jane Doe")
        + "<title>Open Graph Headline Wins | The Example Times</title>"
    )
    meta = read(page(head=head))
    assert meta.title == "Open Graph Headline Wins"
    assert meta.site_name == "The Example Times"
    assert meta.published == "2025-11-27T10:51:00+09:00"
    assert meta.byline == "Jane Doe"


def test_dublin_core_twitter_and_space_separated_properties():
    head = (
        meta_tag("property", "x:title dc:title", "Preferred title")
        + meta_tag("property", "og:title twitter:title", "A title")
        + meta_tag("property", "dc:creator twitter:site_name", "Creator Name")
        + meta_tag("name", "author", "Someone Else")
    )
    meta = read(page(head=head))
    assert meta.title == "Preferred title"
    assert meta.byline == "Creator Name"


def test_parsely_meta():
    head = (
        meta_tag("name", "parsely-title", "Parsely Title Here")
        + meta_tag("name", "parsely-pub-date", "2024-04-20T04:20:00.000Z")
        + meta_tag("name", "parsely-author", "Jane Doe")
    )
    meta = read(page(head=head))
    assert meta.title == "Parsely Title Here"
    assert meta.byline == "Jane Doe"
    assert meta.published == "2024-04-20T04:20:00+00:00"


def test_itemprop_meta_date_only_stays_a_date():
    body = '<article><meta itemprop="datePublished" content="2025-09-04"><p>x</p></article>'
    assert read(page(body=body)).published == "2025-09-04"


def test_author_meta_that_is_a_url_or_the_site_name_is_dropped():
    head = (
        meta_tag("property", "article:author", "https://www.facebook.com/someone")
        + meta_tag("property", "og:site_name", "Planet News")
        + meta_tag("name", "author", "Planet News")
    )
    assert read(page(head=head)).byline is None


def test_citation_authors_are_joined_first_name_first():
    names = ("Roy, Aniruddha", "Patel, Jyoti", "Das, Amitava")
    head = "".join(meta_tag("name", "citation_author", n) for n in names)
    assert read(page(head=head)).byline == "Aniruddha Roy, Jyoti Patel, and Amitava Das"


# ---------------------------------------------------------------------------
# <time>, bylines in the page, site name
# ---------------------------------------------------------------------------


def test_time_element_marked_as_publication_wins():
    body = (
        "<article><h1>Headline of the story here</h1>"
        '<p>Event on <time datetime="2020-01-01">New Year</time></p>'
        '<time class="published" datetime="2025-06-30T12:00:00+02:00">June 30</time>'
        "<p>Body.</p></article>"
    )
    assert read(page(body=body)).published == "2025-06-30T12:00:00+02:00"


def test_time_elements_in_comments_and_sidebars_are_skipped():
    body = (
        '<div class="comments"><time datetime="2020-01-01T00:00:00Z">old</time></div>'
        '<aside><time datetime="2021-01-01">older</time></aside>'
        '<main><h1>Headline of the story here</h1><time datetime="2025-06-30">June 30</time></main>'
    )
    assert read(page(body=body)).published == "2025-06-30"


def test_time_element_text_when_it_has_no_datetime():
    body = "<article><h1>A headline for the page</h1><time>July 2, 2025</time><p>x</p></article>"
    assert read(page(body=body)).published == "2025-07-02"


def test_printed_date_near_the_headline():
    body = (
        "<header><h1>A headline for the page</h1>"
        '<p class="text-sm text-gray-600">Published on 3 March 2024</p></header>'
        "<p>Body text.</p>"
    )
    assert read(page(body=body)).published == "2024-03-03"


def test_date_in_the_url_path():
    url = "https://news.example/2023/07/15/some-story/"
    assert read(page(body="<p>No dates here.</p>"), url=url).published == "2023-07-15"


def test_rel_author_link_with_co_author():
    body = (
        "<article><h1>Headline of the story here</h1>"
        '<p class="byline">By <a rel="author" href="/author/jane-doe">Jane Doe</a> and '
        '<a rel="author" href="/author/john-roe">John Roe</a></p><p>Body.</p></article>'
    )
    assert read(page(body=body)).byline == "Jane Doe and John Roe"


def test_byline_class_element_strips_by_and_ignores_comment_authors():
    body = (
        "<article><h1>Headline of the story here</h1>"
        '<div class="post-byline">By Maria Garcia | Updated May 5, 2025</div><p>Body.</p>'
        '<div class="comment"><span class="comment-author">Troll Person</span></div></article>'
    )
    assert read(page(body=body)).byline == "Maria Garcia"


def test_by_line_in_plain_text_near_the_headline():
    body = (
        '<div><h1>Headline of the story here</h1><p class="text-muted">By Amy Wilhelm</p></div>'
        "<p>Body.</p>"
    )
    assert read(page(body=body)).byline == "Amy Wilhelm"


def test_no_byline_anywhere_is_none():
    assert read(page(head="<title>Just a page title here</title>")).byline is None


def test_site_name_sources():
    publisher = ld(
        {
            "@type": "Article",
            "headline": "A headline",
            "publisher": {"@type": "Organization", "name": "Pub Name"},
        }
    )
    assert read(page(head=publisher)).site_name == "Pub Name"
    og_site = meta_tag("property", "og:site_name", "OG Name")
    assert read(page(head=og_site + publisher)).site_name == "OG Name"
    app_name = meta_tag("name", "application-name", "App Name")
    assert read(page(head=app_name)).site_name == "App Name"
    assert read(page(head="<title>No site here</title>")).site_name is None


# ---------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------


def test_title_element_loses_site_suffix_matching_host():
    head = "<title>Harbour Plan Approved After Long Debate - Daily Planet</title>"
    meta = read(page(head=head), url="https://www.dailyplanet.com/x")
    assert meta.title == "Harbour Plan Approved After Long Debate"


def test_title_element_loses_site_prefix_named_by_og_site_name():
    head = (
        meta_tag("property", "og:site_name", "Daily Planet")
        + "<title>Daily Planet | Harbour Plan Approved Tonight</title>"
    )
    assert read(page(head=head)).title == "Harbour Plan Approved Tonight"


def test_title_element_generic_short_suffix():
    head = "<title>Lorem ipsum dolor sit amet – My website</title>"
    assert read(page(head=head), url=None).title == "Lorem ipsum dolor sit amet"


def test_title_separator_inside_a_headline_is_kept():
    head = "<title>Spider-Man: Into the Spider-Verse review</title>"
    meta = read(page(head=head), url="https://films.example/")
    assert meta.title == "Spider-Man: Into the Spider-Verse review"


def test_visible_h1_preferred_over_an_seo_title_that_agrees_with_it():
    head = meta_tag("property", "og:title", "Health And Nutrition Trends For 2026")
    body = "<article><h1>Top 10 Health and Nutrition Trends to Watch</h1><p>x</p></article>"
    assert read(page(head=head, body=body)).title == "Top 10 Health and Nutrition Trends to Watch"


def test_logo_h1_is_not_the_title():
    headline = "Open Verilog flow for Silego GreenPak4 programmable logic devices"
    head = meta_tag("property", "og:title", headline)
    assert read(page(head=head, body="<h1>Silicon Exposed</h1><p>x</p>")).title == headline


def test_first_h1_when_nothing_else():
    body = "<h1>  Only   a heading\n here </h1><p>x</p>"
    assert read(page(body=body)).title == "Only a heading here"


def test_double_escaped_entities_and_whitespace_in_title():
    head = meta_tag("property", "og:title", "It&amp;#8217;s   a\n  test headline")
    assert read(page(head=head)).title == "It’s a test headline"


def test_svg_title_is_not_the_page_title():
    body = "<svg><title>Search icon</title></svg><p>No heading here.</p>"
    assert read(page(body=body), url=None).title is None


@pytest.mark.parametrize("url", [None, "not a url", "http://[broken", "ftp://files.example/x"])
def test_malformed_input_gives_nones_not_errors(url):
    head = (
        ld("[" * 900 + "]" * 900)
        + ld('{"@type": ["Article", 3], "headline": {"@value": 7}, "author": [null, 1]}')
        + '<link rel="canonical" href="http://[x">'
        + meta_tag("name", "author", "By")
    )
    body = '<time datetime="9999-99-99">?</time><a rel="author" href="http://[x/author/y">By</a>'
    meta = read(page(head=head, body=body, lang="@@"), url=url)
    assert meta.title == "7"
    assert (meta.byline, meta.published, meta.html_lang) == (None, None, None)


# ---------------------------------------------------------------------------
# URL and language
# ---------------------------------------------------------------------------


def test_relative_canonical_is_made_absolute():
    head = '<link rel="canonical" href="/news/story-1/">'
    meta = read(page(head=head), url="https://site.example/amp/story-1?x=1")
    assert meta.url == "https://site.example/news/story-1/"


def test_og_url_used_when_no_canonical():
    head = meta_tag("property", "og:url", "https://site.example/a/b")
    assert read(page(head=head), url="https://site.example/c").url == "https://site.example/a/b"


@pytest.mark.parametrize(
    "href", ["javascript:void(0)", "ftp://site.example/file", "mailto:a@b.example"]
)
def test_non_http_canonical_falls_back_to_request_url(href):
    meta = read(page(head=f'<link rel="canonical" href="{href}">'), url="https://site.example/s")
    assert meta.url == "https://site.example/s"


def test_no_url_at_all():
    assert read(page(), url=None).url is None


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en-US", "en"),
        ("EN_gb", "en"),
        ("pt-BR", "pt"),
        ("zh-Hant-TW", "zh"),
        ("x", None),
        ("und", None),
        ("12", None),
    ],
)
def test_html_lang_primary_subtag(lang, expected):
    assert read(page(lang=lang)).html_lang == expected


def test_content_language_meta_when_no_lang_attribute():
    head = meta_tag("http-equiv", "content-language", "de-AT")
    assert read(page(head=head)).html_lang == "de"
    assert read(page()).html_lang is None


@pytest.mark.parametrize(
    ("value", "expected"), [("fr-CA", "fr"), ("", None), (None, None), ("en, fr", "en")]
)
def test_normalise_lang(value, expected):
    assert normalise_lang(value) == expected


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-11-27T10:51:00+09:00", "2025-11-27T10:51:00+09:00"),
        ("2025-11-27T10:51:00+0900", "2025-11-27T10:51:00+09:00"),
        ("2025-09-04", "2025-09-04"),
        ("2025-11-27T01:51:00Z", "2025-11-27T01:51:00+00:00"),
        ("2015-03-27T13:07:55.096Z", "2015-03-27T13:07:55+00:00"),
        ("2017-11-03 03:01:00.000000", "2017-11-03T03:01:00"),
        ("2018-04-05T06:00", "2018-04-05T06:00:00"),
        ("2024-04-12 08:02:41 -0500", "2024-04-12T08:02:41-05:00"),
        ("Thu, 27 Nov 2025 10:51:00 +0900", "2025-11-27T10:51:00+09:00"),
        ("20251127", "2025-11-27"),
        ("November 27, 2025", "2025-11-27"),
        ("Nov. 27th 2025", "2025-11-27"),
        ("27. März 2025", "2025-03-27"),
        ("27 de noviembre de 2025", "2025-11-27"),
        ("Published on July 18, 2025", "2025-07-18"),
        ("Thu, 09/25/2025 - 11:38", "2025-09-25"),
        ("23.07.2025", "2025-07-23"),
        ("03/04/2025", None),  # day and month could be either way round
        ("2025-02-30", None),
        ("not a date", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_date(raw, expected):
    assert normalise_date(raw) == expected


def test_search_text_date_takes_the_first_date():
    text = "Updated Feb 11, 2026 · first published 3 January 2024"
    assert search_text_date(text) == "2026-02-11"


def test_local_offset_preferred_for_the_same_instant():
    article = {"@type": "Article", "headline": "Twice", "datePublished": "2017-02-24T01:18:13Z"}
    local = meta_tag("property", "article:published_time", "2017-02-23T17:18:13-08:00")
    head = ld(article) + local
    assert read(page(head=head)).published == "2017-02-23T17:18:13-08:00"


def test_modified_date_only_as_a_last_resort():
    head = meta_tag("property", "article:modified_time", "2025-01-22T23:00:05+00:00")
    assert read(page(head=head), url=None).published == "2025-01-22T23:00:05+00:00"
    head += meta_tag("property", "article:published_time", "2025-01-12T15:33:02+00:00")
    assert read(page(head=head), url=None).published == "2025-01-12T15:33:02+00:00"


# ---------------------------------------------------------------------------
# Datelines
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("TOKYO, Nov 27 (Reuters) – U.S. President Donald Trump asked", ("TOKYO", "Reuters")),
        ("WASHINGTON (AP) — The Senate voted on Tuesday", ("WASHINGTON", "AP")),
        ("BERLIN, 3. März (dpa) - Die Bundesregierung will", ("BERLIN", "dpa")),
        ("PARIS (AFP) - Le président a annoncé", ("PARIS", "AFP")),
        ("NEW YORK — The city council met", ("NEW YORK", None)),
        ("LONDON, May 5 (Reuters) - Britain said", ("LONDON", "Reuters")),
        ("(Reuters) - Oil prices rose on Monday", (None, "Reuters")),
        (
            "SAN FRANCISCO/NEW YORK, Nov 26 (Reuters) - Shares of",
            ("SAN FRANCISCO/NEW YORK", "Reuters"),
        ),
        ("WINSTON-SALEM, N.C. (AP) — A man was", ("WINSTON-SALEM", "AP")),
        ("ST. LOUIS (AP) — Police said", ("ST. LOUIS", "AP")),
        ("SÃO PAULO, Nov 27 (Reuters) - Brazil's", ("SÃO PAULO", "Reuters")),
        ("KYIV, Ukraine (Associated Press) — Russia", ("KYIV", "AP")),
        ("Berlin (dpa) - Die Polizei hat", ("Berlin", "dpa")),
        ("Frankfurt am Main (dpa) - Die Börse", ("Frankfurt am Main", "dpa")),
        ("NEW DELHI, Nov 27 (PTI) The government on", ("NEW DELHI", "PTI")),
        ("SEOUL, Nov. 27 (Yonhap) -- South Korea", ("SEOUL", "Yonhap")),
        ("GENEVA (AFP/Reuters) - Talks resumed", ("GENEVA", "AFP")),
        ("WASHINGTON (CNN) — President", ("WASHINGTON", None)),
        ("\n  CHICAGO — A man was arrested", ("CHICAGO", None)),
        # Not datelines:
        ("The company said on Tuesday that profits rose.", (None, None)),
        ("I — am not a dateline, just a writer", (None, None)),
        ("A man walked into a bar.", (None, None)),
        ("THE company said it would raise prices.", (None, None)),
        ("BREAKING — Something happened downtown", (None, None)),
        ("TRUMP SAYS CHINA WILL PAY — REPORT", (None, None)),
        ("MARKETS RALLY — STOCKS SOAR AGAIN", (None, None)),  # an all-caps headline
        ("The Associated Press (AP) reported that", (None, None)),
        ("Apple (AAPL) - shares rose", (None, None)),
        ("AI — it is everywhere now", (None, None)),
        ("NEW DELHI: The government said", (None, None)),
        ("PARIS, the capital, is - big", (None, None)),
        ("", (None, None)),
    ],
)
def test_find_dateline(text, expected):
    assert find_dateline(text) == expected


def test_dateline_only_in_the_first_paragraph():
    text = "Photo caption here.\nLONDON (Reuters) - Britain said"
    assert find_dateline(text) == (None, None)


def test_dateline_read_from_the_start_of_a_long_paragraph():
    opener = "LONDON (Reuters) - Britain said " + "and more " * 2000
    assert find_dateline(opener) == ("LONDON", "Reuters")
    assert find_dateline("Britain said " + "LONDON (Reuters) - " * 5) == (None, None)


def test_every_wire_alias_in_the_data_file_is_recognised():
    aliases = json.loads(WIRE_DATA.read_text(encoding="utf-8"))["aliases"]
    assert len(aliases) >= 25
    for alias, name in aliases.items():
        assert find_dateline(f"PARIS ({alias}) - The minister said") == ("PARIS", name), alias


def test_labels_in_the_data_file_are_not_datelines():
    labels = json.loads(WIRE_DATA.read_text(encoding="utf-8"))["not_datelines"]
    for label in labels:
        if label.replace(" ", "").isalpha():
            assert find_dateline(f"{label} — the story continues here") == (None, None), label


# ---------------------------------------------------------------------------
# Corpus pages, read in place
# ---------------------------------------------------------------------------

READABILITY_PAGES = ["aclu", "article-author-tag", "gitlab-blog", "folha", "lazy-image-2"]


@needs_corpus
@pytest.mark.parametrize("name", READABILITY_PAGES)
def test_readability_corpus_page_matches_expected_metadata(name):
    folder = CORPUS / "readability-test-pages" / name
    expected = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
    html = (folder / "source.html").read_bytes().decode("utf-8", errors="replace")
    meta = read_metadata(lxml_html.document_fromstring(html), "http://fakehost/test/page.html")
    assert meta.title == expected["title"]
    assert meta.byline == expected["byline"]
    assert meta.site_name == expected["siteName"]
    assert (meta.published or "")[:10] == expected["publishedTime"][:10]
    assert meta.html_lang == expected["lang"].split("-")[0].lower()


WCXB_PAGES = ["0058", "0094", "0114", "0160"]


@needs_corpus
@pytest.mark.parametrize("page_id", WCXB_PAGES)
def test_wcxb_corpus_page_matches_ground_truth(page_id):
    base = CORPUS / "wcxb-dev"
    info = json.loads((base / "metadata.json").read_text(encoding="utf-8"))["files"][page_id]
    truth_file = base / "ground-truth" / f"{page_id}.json"
    truth = json.loads(truth_file.read_text(encoding="utf-8"))["ground_truth"]
    html = gzip.decompress((base / "html" / f"{page_id}.html.gz").read_bytes())
    doc = lxml_html.document_fromstring(html.decode("utf-8", errors="replace"))
    meta = read_metadata(doc, f"https://{info['domain']}/")
    assert meta.title == truth["title"]
    assert meta.byline == truth["author"]
    assert (meta.published or "")[:10] == truth["publish_date"]
