"""Render stage: the article tree becomes safe allowlisted HTML; Markdown export."""

from __future__ import annotations

import html as htmllib
import json
import re

import lxml.html
import pytest

from sourcelight.model import Article
from sourcelight.pipeline import clean
from sourcelight.render import (
    article_to_markdown,
    html_to_markdown,
    restore_lazy_images,
    sanitize_article_html,
    sanitize_html,
)

BASE = "https://news.example/world/2025/11/story.html"


def render(markup: str, base_url: str | None = BASE) -> str:
    return sanitize_article_html(lxml.html.fragment_fromstring(markup, create_parent="div"),
                                 base_url)


def tree(markup: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(markup, create_parent="div")


def hrefs(markup: str) -> list[str | None]:
    return [a.get("href") for a in tree(markup).iter("a")]


def browser_scheme(url: str) -> str | None:
    """The scheme a browser reads in ``url`` (WHATWG URL: C0/space trimmed, tab/newline
    removed); None for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(33)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


# ---------------------------------------------------------------- what never leaves the service
@pytest.mark.parametrize("markup, gone", [
    ("<p>Text</p><script>document.cookie</script>", "document.cookie"),
    ("<p>Text</p><script src='https://evil.example/x.js'></script>", "evil.example"),
    ("<style>p { color: red }</style><p>Text</p>", "color"),
    ('<p>Text</p><iframe src="https://evil.example/embed"></iframe>', "evil.example"),
    ('<p>Text</p><iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', "alert"),
    ('<p>Text</p><object data="https://evil.example/x.swf"></object>', "evil.example"),
    ('<p>Text</p><embed src="https://evil.example/x.swf">', "evil.example"),
    ('<form action="https://evil.example/login"><input name="password"><button>Go</button>'
     "</form><p>Text</p>", "password"),
    ('<p>Text</p><svg onload="alert(1)"><script>alert(2)</script></svg>', "alert"),
    ("<p>Text</p><noscript><img src='https://track.example/pixel.gif'></noscript>",
     "track.example"),
    ('<p onclick="steal()">Text</p>', "steal"),
    ('<p>Text <img src="/a.jpg" onerror="steal()"></p>', "steal"),
    ('<p>Text <a href="/x" onmouseover="steal()">link</a></p>', "steal"),
    ('<p style="position:fixed;top:0;background:url(https://track.example/p)">Text</p>',
     "track.example"),
    ('<p>Text</p><base href="https://evil.example/">', "evil.example"),
    ('<p>Text</p><meta http-equiv="refresh" content="0;url=https://evil.example/">',
     "evil.example"),
    ('<p>Text</p><link rel="stylesheet" href="https://evil.example/x.css">', "evil.example"),
])
def test_sanitiser_removes_active_content(markup, gone):
    out = render(markup)
    assert gone not in out
    assert "Text" in out
    assert not re.search(r"<(script|style|iframe|object|embed|form|input|button|svg|math|base|"
                         r"meta|link)\b", out)
    assert not re.search(r"\son\w+\s*=", out)
    assert "style=" not in out


@pytest.mark.parametrize("href", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "jav&#x61;script:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    "javascript&colon;alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
])
def test_script_urls_are_removed_however_they_are_spelled(href):
    raw = f'<p>See <a href="{href}">the report</a>.</p>'
    for out in (sanitize_html(raw), render(raw)):
        assert "the report" in out
        for link in hrefs(out):
            # Gone, or inert: a tab-split "jav%09ascript:" is a relative path to a browser.
            assert link is None or browser_scheme(link) in (None, "http", "https"), link
        assert "javascript:" not in re.sub(r"[\t\n\r]", "", htmllib.unescape(out)).lower()
        assert "msgbox" not in out and "base64" not in out


@pytest.mark.parametrize("src", [
    "javascript:alert(1)",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk",
])
def test_script_and_data_image_sources_are_removed(src):
    out = render(f'<p>Text</p><img src="{src}" alt="Bus at the depot">')
    assert "javascript" not in out and "data:" not in out
    assert 'alt="Bus at the depot"' in out


def test_mathml_keeps_its_text_and_loses_its_markup():
    out = render('<p>Energy is <math><mi>E</mi><mo>=</mo><mi>m</mi><msup><mi>c</mi><mn>2</mn>'
                 '</msup></math> in the paper.</p>')
    assert "<math" not in out and "<mi" not in out
    text = " ".join(tree(out).text_content().split())
    assert text.startswith("Energy is E = m c 2") and text.endswith("in the paper.")


def test_only_our_annotation_marks_keep_classes_and_data_attributes():
    out = sanitize_html(
        '<p class="lead" data-track="x">Said <mark class="sl-source tooltip" data-attr="a1" '
        'data-entity="white-house" onclick="x()" style="color:red">the White House</mark>, '
        '<span class="sl-source" data-attr="a2">not a mark</span> '
        '<mark class="highlight" data-foo="y">other</mark>.</p>')
    root = tree(out)
    marks = list(root.iter("mark"))
    assert marks[0].get("class") == "sl-source"
    assert marks[0].get("data-attr") == "a1"
    assert marks[0].get("data-entity") == "white-house"
    assert marks[0].get("onclick") is None and marks[0].get("style") is None
    assert not marks[1].get("class") and marks[1].get("data-foo") is None
    assert root.find("p").get("class") is None and root.find("p").get("data-track") is None
    span = root.find(".//span")
    assert span is None or (span.get("class") is None and span.get("data-attr") is None)
    assert "the White House" in out and "not a mark" in out


@pytest.mark.parametrize("cls", ["sl-source", "sl-cue", "sl-content"])
def test_each_annotation_mark_class_survives(cls):
    out = sanitize_html(f'<p><mark class="{cls}" data-attr="a1" data-entity="e1">x</mark></p>')
    mark = tree(out).find(".//mark")
    assert (mark.get("class"), mark.get("data-attr"), mark.get("data-entity")) == (cls, "a1", "e1")


def test_article_markup_is_kept():
    markup = ('<h2>Costs</h2><p>The <strong>council</strong> said <em>twice</em>: '
              '<q>no</q>.</p><blockquote><p>Quote</p></blockquote><ul><li>One</li></ul>'
              '<ol start="3"><li>Three</li></ol><table><thead><tr><th scope="col">Route</th>'
              '</tr></thead><tbody><tr><td colspan="2">12</td></tr></tbody></table>'
              '<figure><img src="https://news.example/bus.jpg" alt="Bus" width="800" '
              'height="600"><figcaption>A bus</figcaption></figure><p>Time: '
              '<time datetime="2025-11-27">Thursday</time></p>')
    root = tree(render(markup))
    for tag in ("h2", "strong", "em", "q", "blockquote", "ul", "li", "table", "thead", "th",
                "td", "figure", "img", "figcaption", "time"):
        assert root.find(f".//{tag}") is not None, tag
    assert root.find(".//ol").get("start") == "3"
    assert root.find(".//td").get("colspan") == "2"
    assert root.find(".//th").get("scope") == "col"
    img = root.find(".//img")
    assert (img.get("src"), img.get("alt"), img.get("width")) == (
        "https://news.example/bus.jpg", "Bus", "800")
    assert root.find(".//time").get("datetime") == "2025-11-27"


def test_links_get_noopener_and_lose_target():
    out = render('<p><a href="https://other.example/" target="_blank">elsewhere</a></p>')
    a = tree(out).find(".//a")
    assert a.get("target") is None
    assert set(a.get("rel").split()) >= {"noopener", "noreferrer"}


# ---------------------------------------------------------------- URLs made absolute
@pytest.mark.parametrize("href, absolute", [
    ("/news/politics/", "https://news.example/news/politics/"),
    ("other.html", "https://news.example/world/2025/11/other.html"),
    ("../10/older.html", "https://news.example/world/2025/10/older.html"),
    ("//cdn.example/file.pdf", "https://cdn.example/file.pdf"),
    ("?page=2", "https://news.example/world/2025/11/story.html?page=2"),
    ("#comments", "https://news.example/world/2025/11/story.html#comments"),
    ("https://wsj.example/a", "https://wsj.example/a"),
    ("mailto:desk@news.example", "mailto:desk@news.example"),
])
def test_relative_links_are_made_absolute(href, absolute):
    assert hrefs(render(f'<p><a href="{href}">link</a></p>')) == [absolute]


def test_relative_images_are_made_absolute():
    out = render('<figure><img src="/img/2025/bus.jpg" alt="Bus"></figure>'
                 '<p><img src="thumb.png" alt="Thumb"></p>')
    assert [img.get("src") for img in tree(out).iter("img")] == [
        "https://news.example/img/2025/bus.jpg", "https://news.example/world/2025/11/thumb.png"]


@pytest.mark.parametrize("base", [None, "file:///home/me/saved.html", "about:blank"])
def test_without_a_web_base_url_links_stay_as_they_are(base):
    out = render('<p><a href="/news/a">link</a><img src="b.jpg" alt="b"></p>', base)
    assert hrefs(out) == ["/news/a"]
    assert tree(out).find(".//img").get("src") == "b.jpg"


# ---------------------------------------------------------------- lazy images
@pytest.mark.parametrize("img, src", [
    ('<img data-src="/img/real.jpg" alt="x">', "https://news.example/img/real.jpg"),
    ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/real.jpg" alt="x">',
     "https://news.example/img/real.jpg"),
    ('<img src="" data-lazy-src="/img/real.jpg" alt="x">', "https://news.example/img/real.jpg"),
    ('<img data-original="https://cdn.example/real.jpg" alt="x">', "https://cdn.example/real.jpg"),
    ('<img data-srcset="/img/real-400.jpg 400w, /img/real-800.jpg 800w" alt="x">',
     "https://news.example/img/real-400.jpg"),
    ('<img srcset="/img/real-400.jpg 400w, /img/real-800.jpg 800w" alt="x">',
     "https://news.example/img/real-400.jpg"),
    # A real src is never replaced.
    ('<img src="/img/real.jpg" data-src="/img/other.jpg" alt="x">',
     "https://news.example/img/real.jpg"),
])
def test_lazy_images_are_restored(img, src):
    out = render(f"<figure>{img}<figcaption>Caption</figcaption></figure>")
    assert tree(out).find(".//img").get("src") == src
    assert "data:" not in out and "data-src" not in out


def test_restore_lazy_images_alone_sets_src():
    root = tree('<img data-src=" /img/a.jpg " alt="a"><img src="/img/b.jpg" alt="b">')
    restore_lazy_images(root)
    assert [img.get("src") for img in root.iter("img")] == ["/img/a.jpg", "/img/b.jpg"]


# ---------------------------------------------------------------- through the pipeline
def test_clean_output_is_sanitised():
    paragraph = ("The council voted on Tuesday to expand the bus network across the eastern "
                 "suburbs, officials said, in a plan costing 4.2 million euros a year.")
    page = f"""<html><head><title>Buses</title></head><body><article>
<p onclick="track()" style="font-size:2em">{paragraph}</p>
<script>var tracker = 1;</script>
<p>{paragraph} See <a href="jav&#x61;script:alert(1)">this</a> and
<a href="/news/tram.html">the tram story</a>.</p>
<iframe src="https://video.example/embed/1"></iframe>
<figure><img data-src="/img/bus.jpg" src="data:image/gif;base64,R0lGOD"><figcaption>The bus
</figcaption></figure>
<p>{paragraph}</p></article></body></html>"""
    html = clean(page, "https://news.example/city/bus.html").article.html
    assert "script" not in html.lower() and "iframe" not in html and "onclick" not in html
    assert "style=" not in html and "tracker" not in html and "data:" not in html
    links = hrefs(html)
    assert "https://news.example/news/tram.html" in links
    assert all(h is None or h.startswith("https://") for h in links)
    assert tree(html).find(".//img").get("src") == "https://news.example/img/bus.jpg"


# ---------------------------------------------------------------- Markdown
MD_HTML = """<div><h2>Background</h2>
<p>The <strong>council</strong> voted <em>twice</em>, see <a href="https://news.example/report">the
report</a>.</p>
<h3>Costs</h3>
<ul><li>Buses: 4.2m</li><li>Trams<ul><li>Line 1</li></ul></li></ul>
<ol start="3"><li>Third</li><li>Fourth</li></ol>
<blockquote><p>It changes daily life.</p><p>Said the mayor.</p></blockquote>
<figure><img src="https://news.example/bus.jpg" alt="A bus"><figcaption>A new bus</figcaption>
</figure>
<table><thead><tr><th>Route</th><th>Cost</th></tr></thead>
<tbody><tr><td>12</td><td>1.5m</td></tr><tr><td>14</td><td>2.7m</td></tr></tbody></table>
<p>Price is 5*3 for snake_case [x]</p></div>"""


def test_markdown_converts_headings_emphasis_and_links():
    md = html_to_markdown(MD_HTML)
    lines = md.split("\n")
    assert "## Background" in lines and "### Costs" in lines
    assert "The **council** voted *twice*, see [the report](https://news.example/report)." in lines


def test_markdown_converts_lists():
    md = html_to_markdown(MD_HTML)
    assert "- Buses: 4.2m\n- Trams\n  - Line 1" in md
    assert "3. Third\n4. Fourth" in md


def test_markdown_converts_blockquotes_and_images():
    md = html_to_markdown(MD_HTML)
    assert "> It changes daily life.\n>\n> Said the mayor." in md
    assert "![A bus](https://news.example/bus.jpg)" in md
    assert "A new bus" in md


def test_markdown_converts_tables():
    md = html_to_markdown(MD_HTML)
    assert "| Route | Cost |\n| --- | --- |\n| 12 | 1.5m |\n| 14 | 2.7m |" in md


def test_markdown_escapes_text_that_would_become_syntax():
    md = html_to_markdown(MD_HTML)
    assert "5\\*3 for snake\\_case \\[x\\]" in md


def test_markdown_blocks_are_separated_by_blank_lines():
    md = html_to_markdown("<div><p>One</p><p>Two</p><h2>Three</h2><p>Four</p></div>")
    assert md == "One\n\nTwo\n\n## Three\n\nFour\n"


def test_markdown_keeps_br_as_a_line_break():
    md = html_to_markdown("<p>Sanae Takaichi<br>Prime Minister of Japan</p>")
    assert re.search(r"Sanae Takaichi(  |\\)\nPrime Minister of Japan", md), md


def front_matter(md: str) -> dict:
    assert md.startswith("---\n")
    head, _, _ = md[4:].partition("\n---\n")
    fields = {}
    for line in head.split("\n"):
        key, _, value = line.partition(": ")
        fields[key] = json.loads(value)  # JSON strings are YAML scalars
    return fields


def make_article(**changes) -> Article:
    fields = dict(
        title='Trump Asked Takaichi: "Avoid Escalation"', byline="Jane Doe",
        published="2025-11-27T10:51:00+09:00", site_name="The Japan News",
        url="https://japannews.example/news/politics/20251127-trump-takaichi/", lang="en",
        dateline="TOKYO", wire_service="Reuters", word_count=40, reading_minutes=1,
        html=MD_HTML, text="",
    )
    fields.update(changes)
    return Article(**fields)


def test_markdown_export_has_front_matter():
    md = article_to_markdown(make_article())
    meta = front_matter(md)
    assert meta["title"] == 'Trump Asked Takaichi: "Avoid Escalation"'
    assert meta["url"] == "https://japannews.example/news/politics/20251127-trump-takaichi/"
    assert meta["byline"] == "Jane Doe"
    assert meta["published"] == "2025-11-27T10:51:00+09:00"
    body = md.split("\n---\n", 1)[1]
    assert '# Trump Asked Takaichi: "Avoid Escalation"' in body
    assert "## Background" in body and "| Route | Cost |" in body


def test_markdown_front_matter_leaves_out_what_is_unknown():
    meta = front_matter(article_to_markdown(make_article(byline=None, published=None)))
    assert "byline" not in meta and "published" not in meta
    assert meta["title"] and meta["url"]


def test_markdown_front_matter_survives_hostile_titles():
    title = 'Buses: "twelve" new routes\nkey: value\n---'
    meta = front_matter(article_to_markdown(make_article(title=title)))
    assert meta["title"] == title
    assert "key" not in meta  # the title did not add a field or close the front matter


def test_markdown_keeps_spaces_at_the_edges_of_emphasis():
    from sourcelight.render import html_to_markdown
    markdown = html_to_markdown("<p>the hub.<em><strong> </strong></em>But for our "
                                "<em>newsletter </em>today, <strong> sign up</strong>.</p>")
    assert markdown == "the hub. But for our *newsletter* today, **sign up**.\n"
