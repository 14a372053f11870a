"""Cited links: classified by kind, placed in article.text, tied to the attribution they sit in."""

from __future__ import annotations

import json

import pytest

from sourcelight.attribution.links import (RULES_PATH, attribution_for, classify_links,
                                           link_kind, registrable_domain)
from sourcelight.attribution.model import LINK_KINDS, Attribution
from sourcelight.extract.text import parse_fragment, text_with_offsets
from sourcelight.pipeline import extract_article
from sourcelight.render import sanitize_html

PAGE = "https://www.japannews.example/news/politics/story/"


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


# ---------------------------------------------------------------- kinds
@pytest.mark.parametrize("href, kind", [
    # Outlets and wire services, by listed domain or by registrable-domain label.
    ("https://www.reuters.com/world/asia-pacific/story", "media"),
    ("https://apnews.com/article/x", "media"),
    ("https://www.bbc.co.uk/news/world", "media"),
    ("https://edition.cnn.com/2025/11/27/x", "media"),
    ("https://www.spiegel.de/politik/a", "media"),
    ("https://www.lemonde.fr/international/", "media"),
    ("https://english.elpais.com/x", "media"),
    ("http://www.xinhuanet.com/english/x.htm", "media"),
    ("https://english.news.cn/20251126/x/c.html", "media"),
    ("https://www3.nhk.or.jp/nhkworld/en/news/", "media"),
    ("https://www.yomiuri.co.jp/politics/", "media"),
    ("https://www.scmp.com/news/china", "media"),
    ("https://abcnews.go.com/Politics/x", "media"),
    ("https://www.abc.net.au/news/x", "media"),
    ("https://wsj.example/world/asia/trump-takaichi-call", "media"),  # label rule
    ("https://reuters.example.org/x", "other"),  # "reuters" is not the registrable label here
    # Social networks.
    ("https://x.com/POTUS/status/1", "social"),
    ("https://twitter.com/a", "social"),
    ("https://m.facebook.com/a", "social"),
    ("https://www.youtube.com/watch?v=1", "social"),
    ("https://youtu.be/1", "social"),
    ("https://bsky.app/profile/a", "social"),
    ("https://mastodon.social/@a", "social"),
    ("https://mastodon.example.net/@a", "social"),
    ("https://t.me/channel/1", "social"),
    ("https://old.reddit.com/r/x", "social"),
    ("https://www.linkedin.com/in/a", "social"),
    # Primary: government, courts, academia, company and regulatory documents.
    ("https://www.whitehouse.gov/briefings/", "primary"),
    ("https://www.gov.uk/government/news/x", "primary"),
    ("https://www.mofa.go.jp/press/", "primary"),
    ("https://www.elysee.fr/emmanuel-macron/x", "primary"),
    ("https://www.diplomatie.gouv.fr/fr/", "primary"),
    ("https://www.bundesregierung.de/breg-de/x", "primary"),
    ("https://www.auswaertiges-amt.bund.de/x", "primary"),
    ("https://www.canada.ca/en/x", "primary"),
    ("https://ec.europa.eu/commission/presscorner/x", "primary"),
    ("https://www.defense.mil/News/", "primary"),
    ("https://www.who.int/news/x", "primary"),
    ("https://www.supremecourt.gov/opinions/x.pdf", "primary"),
    ("https://www.justice.example/press/x", "primary"),  # a court/justice word in the name
    ("https://www.harvard.edu/x", "primary"),
    ("https://www.ox.ac.uk/news/x", "primary"),
    ("https://doi.org/10.1038/s41586-025-0", "primary"),
    ("https://arxiv.org/abs/2501.00001", "primary"),
    ("https://pubmed.ncbi.nlm.nih.gov/123/", "primary"),
    ("https://papers.ssrn.com/sol3/papers.cfm?abstract_id=1", "primary"),
    ("https://www.sec.gov/Archives/edgar/data/1/x.htm", "primary"),
    ("https://ir.tesla.com/press-release/x", "primary"),
    ("https://investors.example.com/annual-report", "primary"),
    ("https://example.com/files/Annual-Report-2024.PDF", "primary"),
    # Everything else.
    ("https://example.com/blog/post", "other"),
    ("https://medium.com/@a/post", "other"),
    ("mailto:desk@japannews.example", "other"),
    ("ftp://files.example.com/x", "other"),
    ("http://[not-an-address/", "other"),
])
def test_link_kind(href, kind):
    assert link_kind(href, PAGE) == kind


@pytest.mark.parametrize("href", [
    "https://japannews.example/news/other/",
    "https://www.japannews.example/news/other/",
    "http://static.japannews.example/a.pdf",  # the site's own document is still the site's
    "/news/other/",
    "#comments",
])
def test_same_site(href):
    assert link_kind(href, PAGE) == "same-site"


def test_a_media_page_linking_its_own_site_is_same_site():
    assert link_kind("https://www.reuters.com/x", "https://www.reuters.com/world/y") == "same-site"
    assert link_kind("https://www.reuters.com/x", None) == "media"


@pytest.mark.parametrize("host, domain", [
    ("www.reuters.com", "reuters.com"),
    ("news.bbc.co.uk", "bbc.co.uk"),
    ("www3.nhk.or.jp", "nhk.or.jp"),
    ("www.chinadaily.com.cn", "chinadaily.com.cn"),
    ("a.b.example.de", "example.de"),
    ("wsj.example", "wsj.example"),
    ("localhost", "localhost"),
    ("192.168.0.1", "192.168.0.1"),
])
def test_registrable_domain(host, domain):
    assert registrable_domain(host) == domain


def test_the_lists_are_data_and_sound():
    data = json.loads(RULES_PATH.read_text(encoding="utf-8"))
    lists = {"social": data["social"]["domains"], "media": data["media"]["domains"],
             "primary": data["primary"]["domains"], "labels": data["media"]["labels"]}
    for name, values in lists.items():
        assert len(values) == len(set(values)), f"duplicates in {name}"
        assert all(v == v.lower().strip() and v for v in values), name
    assert not set(lists["social"]) & set(lists["media"])
    assert not set(lists["social"]) & set(lists["primary"])
    assert not set(lists["media"]) & set(lists["primary"])


# ---------------------------------------------------------------- in an article
ARTICLE = sanitize_html(
    "<p>The ministry confirmed the figures in <a href='https://www.mof.go.jp/x.pdf'>a report</a>"
    " on Monday, <a href='https://www.reuters.com/world/x'>Reuters</a> reported.</p>"
    "<p>“We will respond,” the spokesperson wrote on <a href='https://x.com/MOFA/status/1'>X"
    "</a>, according to <a href='https://www.japannews.example/news/2/'>an earlier story</a>."
    "</p><p>See <a href='https://doi.org/10.1/abc'><em>the</em> study</a> and "
    "<a href='https://example.com/'><img src='https://example.com/logo.png' alt=''></a>.</p>")


def _article_attributions(text: str) -> list[Attribution]:
    return [
        Attribution(id="a1", content=span(text, "The ministry confirmed the figures in a report "
                                                "on Monday"),
                    source=span(text, "Reuters"), cue=span(text, "reported"), type="indirect",
                    confidence=0.9),
        Attribution(id="a2", content=span(text, "We will respond,"),
                    source=span(text, "the spokesperson"), cue=span(text, "wrote on X"),
                    type="direct", confidence=0.9),
        # The spokesperson's quote is itself attributed to the earlier story.
        Attribution(id="a3", content=span(text, "“We will respond,” the spokesperson wrote on X"),
                    source=span(text, "an earlier story"), cue=span(text, "according to"),
                    type="indirect", confidence=0.8),
    ]


def test_links_of_an_article():
    root = parse_fragment(ARTICLE)
    text, text_map = text_with_offsets(root)
    links = classify_links(ARTICLE, text_map, PAGE, _article_attributions(text))
    assert [(link.text, link.kind, link.attribution) for link in links] == [
        ("a report", "primary", "a1"),  # inside a1's content
        ("Reuters", "media", "a1"),  # a1's source
        ("X", "social", "a2"),  # in a2's cue (and a3's content: a cue beats a content)
        ("an earlier story", "same-site", "a3"),  # a3's source
        ("the study", "primary", None),  # emphasis inside the link; in no attribution
        ("", "other", None),  # an image link has no text in the article
    ]
    for link in links:
        assert link.kind in LINK_KINDS
        if link.span:
            assert text[link.span[0]:link.span[1]] == link.text
    assert links[0].href == "https://www.mof.go.jp/x.pdf"
    assert links[-1].span is None
    # Without a map the article is parsed anew, with the same result.
    assert classify_links(ARTICLE, None, PAGE, _article_attributions(text)) == links


def test_the_tie_prefers_source_then_cue_then_content_and_the_innermost():
    def make(id_, source=None, cue=None, content=(0, 100)):
        return Attribution(id=id_, content=content, source=source, cue=cue, type="indirect",
                           confidence=0.9)
    link = (40, 50)
    assert attribution_for(link, [make("outer", content=(0, 100)),
                                  make("inner", content=(30, 60))]) == "inner"
    assert attribution_for(link, [make("content", content=(40, 50)),
                                  make("cue", cue=(45, 55), content=(200, 300))]) == "cue"
    assert attribution_for(link, [make("cue", cue=(45, 55)),
                                  make("source", source=(0, 90), content=(200, 300))]) == "source"
    assert attribution_for(link, [make("before", content=(0, 40)),
                                  make("after", content=(50, 60))]) is None
    assert attribution_for(link, []) is None


def test_link_text_with_edge_whitespace_is_trimmed():
    html = sanitize_html("<p>by the<a href='https://wsj.example/'> Wall Street Journal </a>.</p>")
    text, text_map = text_with_offsets(parse_fragment(html))
    (link,) = classify_links(html, text_map, PAGE, [])
    assert link.text == "Wall Street Journal"
    assert link.span == span(text, "Wall Street Journal")


# ---------------------------------------------------------------- the seed page
def test_seed_page_wsj_link_is_media_and_tied_to_its_attribution(seed_page, seed_expected):
    article = extract_article(seed_page.read_bytes(), seed_expected["url"]).article
    text = article.text
    expected = next(a for a in seed_expected["attributions"]
                    if a["source"] == "the Wall Street Journal")
    wsj = Attribution(id="a5", content=span(text, expected["content"]),
                      source=span(text, expected["source"]), cue=span(text, expected["cue"]),
                      type=expected["type"], confidence=0.9)
    # A wider attribution whose content holds the whole paragraph must not take the link.
    wider = Attribution(id="a9", content=span(text, "Trump’s request for Takaichi to dial down "
                                                    "the volume in the dispute was first "
                                                    "reported by the Wall Street Journal"),
                        source=None, cue=None, type="indirect", confidence=0.5)
    _, text_map = text_with_offsets(parse_fragment(article.html))
    links = classify_links(article.html, text_map, article.url, [wider, wsj])
    by_href = {link.href: link for link in links}
    for want in seed_expected["links"]:
        link = by_href[want["href"]]
        assert (link.text, link.kind) == (want["text"], want["kind"])
    link = by_href["https://wsj.example/world/asia/trump-takaichi-call"]
    assert link.span == span(text, "Wall Street Journal")
    assert link.attribution == "a5"
    assert link.to_dict()["kind"] == "media"


def test_link_index_agrees_with_the_plain_search():
    from sourcelight.attribution.links import PartIndex, attribution_for
    from sourcelight.attribution.model import Attribution
    attributions = [
        Attribution(content=(0, 50), source=(52, 60), cue=(61, 65), type="indirect",
                    confidence=0.8, id="a1"),
        Attribution(content=(10, 20), source=(30, 40), cue=(41, 45), type="indirect",
                    confidence=0.8, id="a2"),
        Attribution(content=(70, 200), source=None, cue=(66, 69), type="indirect",
                    confidence=0.4, id="a3"),
    ]
    index = PartIndex(attributions)
    for start in range(0, 210, 3):
        for width in (1, 4, 15):
            span = (start, start + width)
            assert index.attribution_for(span) == attribution_for(span, attributions), span


def _page_hrefs(corpus) -> list[str]:
    """Every href of the first 150 WCXB pages, as written (absolute, relative, odd)."""
    import gzip

    from lxml import html as lxml_html
    hrefs = []
    for page in sorted((corpus / "wcxb-dev" / "html").glob("*.html.gz"))[:150]:
        doc = lxml_html.fromstring(gzip.decompress(page.read_bytes()))
        hrefs += [a.get("href").strip() for a in doc.iter("a") if a.get("href")]
    return hrefs


def test_plain_addresses_read_as_urlsplit_reads_them(corpus, monkeypatch) -> None:
    """The quick reading of a plain http(s) address gives urlsplit's host and path, and it
    leaves every other address (and any it is not sure of) to urlsplit."""
    import re
    from urllib.parse import urlsplit

    from sourcelight.attribution import links
    from sourcelight.attribution.links import plain_host_and_path
    odd = ["https://a.example:8080/x.PDF?q#f", "http://A.Example./", "https://a.example",
           "https://a.example?x=/y", "https://a.example#/y", "http:///path", "http://:80/x",
           "https://a.example/x\ty", "https://a.example/x?\n", "https://user@a.example/",
           "https://[::1]/x", "https://a_b.example/", "HTTPS://A.EXAMPLE/", "https://a.ex:1:2/",
           "https://bücher.example/", "https://a.example%2F/", "//a.example/x", "/x", "x.pdf",
           "mailto:a@b.example", "https://a.example/ü/x", "https://a.example\\x"]
    read = 0
    for href in _page_hrefs(corpus) + odd:
        plain = plain_host_and_path(href)
        if plain is None:
            continue
        parts = urlsplit(href)
        assert plain == (parts.hostname or "", parts.path), href
        assert parts.scheme in ("http", "https"), href
        read += 1
    assert read > 5000  # most links are plain
    quick = [link_kind(href, PAGE) for href in odd]
    # The quick reading turned off (a pattern matching nothing): every address read by urlsplit.
    monkeypatch.setattr(links, "_PLAIN_HTTP_RE", re.compile(r"(?!)"))
    for href, kind in zip(odd, quick):
        assert kind == link_kind(href, PAGE), href

