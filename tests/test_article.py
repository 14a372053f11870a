"""Article stage: readability-lxml as the engine, with what it drops put back."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from helpers import STORY
from readability import Document

from sourcelight.errors import NoArticle
from sourcelight.extract.article import find_article, restore_lead_figure
from sourcelight.extract.boilerplate import prune_boilerplate
from sourcelight.extract.parse import parse_page
from sourcelight.extract.text import tree_to_text
from sourcelight.pipeline import clean
from sourcelight.settings import Settings

SEED_URL = "https://japannews.example/news/politics/20251127-trump-takaichi/"
SEED_CAPTION = ("US President Donald Trump, left, and Sanae Takaichi, Japan’s prime minister, "
                "during a signing ceremony")
SEED_IMAGE = "https://japannews.example/img/2025/11/27/trump-takaichi.jpg"
SEED_FIRST_PARAGRAPH = "TOKYO, Nov 27 (Reuters) – U.S. President Donald Trump asked"


def stages_up_to_article(html: str | bytes, url: str | None) -> lxml.html.HtmlElement:
    text = html if isinstance(html, str) else html.decode("utf-8")
    doc = parse_page(text)
    prune_boilerplate(doc)
    return find_article(doc, url, Settings(), [])


# ---------------------------------------------------------------- the seed page's lead figure
def test_readability_alone_drops_the_seed_caption(seed_page):
    # Why the stage exists: without it the lead figure's caption is lost.
    summary = Document(seed_page.read_bytes(), url=SEED_URL).summary(html_partial=True)
    assert "signing ceremony" not in summary


def test_find_article_restores_the_seed_lead_figure_with_its_caption(seed_page):
    article = stages_up_to_article(seed_page.read_bytes(), SEED_URL)
    figures = article.findall(".//figure")
    assert len(figures) == 1
    figure = figures[0]
    assert figure.find(".//img") is not None
    assert SEED_CAPTION in " ".join(figure.find(".//figcaption").text_content().split())
    text = tree_to_text(article)
    assert text.index("signing ceremony") < text.index(SEED_FIRST_PARAGRAPH)


def test_clean_keeps_the_seed_lead_figure(seed_page):
    article = clean(seed_page.read_bytes(), SEED_URL).article
    root = lxml.html.fragment_fromstring(article.html, create_parent="div")
    images = [img.get("src") for img in root.iter("img")]
    assert images == [SEED_IMAGE]
    captions = [" ".join(c.text_content().split()) for c in root.iter("figcaption")]
    assert len(captions) == 1 and SEED_CAPTION in captions[0]
    assert article.text.count("signing ceremony") == 1
    assert article.text.index("signing ceremony") < article.text.index(SEED_FIRST_PARAGRAPH)


# ---------------------------------------------------------------- lead figures on other pages
CAPTION = "A new electric bus at the depot on Monday. Photo: City Times"


def news_page(image_src: str, *, figure_after: bool = False) -> str:
    figure = (f'<figure class="lead"><img src="{image_src}" alt="A new bus">'
              f"<figcaption>{CAPTION}</figcaption></figure>")
    paragraphs = "".join(f"<p>{p}</p>" for p in STORY)
    inner = paragraphs + figure if figure_after else figure + paragraphs
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Buses</title>'
            f'</head><body><header class="site-header"><nav><a href="/">Home</a></nav></header>'
            f"<main><article class='story'><h1>Council approves new bus routes</h1>{inner}"
            "</article></main><footer>© City Times</footer></body></html>")


@pytest.mark.parametrize("src, url", [
    ("https://city.example/img/bus.jpg", "https://city.example/news/bus.html"),
    ("/img/bus.jpg", None),
])
def test_lead_figure_appears_once(src, url):
    article = clean(news_page(src), url).article
    assert article.html.count("<figure") == 1
    assert article.text.count(CAPTION) == 1


def test_lead_figure_with_relative_src_appears_once_when_a_url_is_given():
    article = clean(news_page("/img/bus.jpg"), "https://city.example/news/bus.html").article
    assert article.html.count("<figure") == 1
    assert article.text.count(CAPTION) == 1


def test_restore_lead_figure_leaves_a_figure_after_the_text_alone():
    doc = parse_page(news_page("https://city.example/img/bus.jpg", figure_after=True))
    article = lxml.html.fragment_fromstring(
        "<div>" + "".join(f"<p>{p}</p>" for p in STORY) + "</div>")
    restore_lead_figure(doc, article)
    assert article.find(".//figure") is None


def test_restore_lead_figure_puts_a_dropped_lead_figure_first():
    doc = parse_page(news_page("https://city.example/img/bus.jpg"))
    article = lxml.html.fragment_fromstring(
        "<div>" + "".join(f"<p>{p}</p>" for p in STORY) + "</div>")
    restore_lead_figure(doc, article)
    assert article[0].tag == "figure"
    assert article[0].find("figcaption").text == CAPTION
    assert len(article.findall(".//figure")) == 1


def test_restore_lead_figure_ignores_figures_outside_the_article():
    page = ("<html><body><div class='promo'><figure><img src='/promo.jpg'><figcaption>Win a "
            "trip to Rome</figcaption></figure></div><div class='text'>"
            + "".join(f"<p>{p}</p>" for p in STORY) + "</div></body></html>")
    article = lxml.html.fragment_fromstring(
        "<div>" + "".join(f"<p>{p}</p>" for p in STORY) + "</div>")
    restore_lead_figure(parse_page(page), article)
    assert article.find(".//figure") is None



def test_restore_lead_figure_does_not_repeat_a_caption_kept_without_its_image():
    # Folha de S.Paulo (Mozilla's folha page): readability keeps the lead figure's caption
    # and cuts its <figure>; putting the figure back showed the caption twice.
    doc = parse_page(news_page("https://city.example/img/bus.jpg"))
    article = lxml.html.fragment_fromstring(
        f"<div><figcaption>{CAPTION}</figcaption>"
        + "".join(f"<p>{p}</p>" for p in STORY) + "</div>")
    restore_lead_figure(doc, article)
    assert article.find(".//figure") is None
    assert " ".join(article.text_content().split()).count(CAPTION) == 1

# ---------------------------------------------------------------- what belongs to the article
def test_headings_lists_and_tables_of_the_article_are_kept():
    page = f"""<!doctype html><html lang="en"><head><title>Buses</title></head><body>
<header class="site-header"><nav><a href="/">Home</a><a href="/city">City</a></nav></header>
<main><article class="story"><h1>Council approves new bus routes</h1>
<p>{STORY[0]}</p><p>{STORY[1]}</p>
<h2>What changes for riders</h2>
<p>{STORY[2]}</p>
<ul><li>Route 12 runs every ten minutes from the depot to the hospital district</li>
<li>Route 14 runs until midnight on weekdays and at weekends</li></ul>
<table><caption>Annual cost by route</caption><tr><th>Route</th><th>Cost</th></tr>
<tr><td>Route 12</td><td>1.5 million euros</td></tr>
<tr><td>Route 14</td><td>2.7 million euros</td></tr></table>
<p>{STORY[3]}</p>
</article></main>
<aside class="sidebar"><h2>Most read</h2><ol><li><a href="/a">Fire at the harbour</a></li></ol>
</aside><footer>Copyright © City Times</footer></body></html>"""
    article = clean(page, "https://city.example/news/bus.html").article
    root = lxml.html.fragment_fromstring(article.html, create_parent="div")
    assert [h.text_content() for h in root.iter("h2")] == ["What changes for riders"]
    assert len(root.findall(".//ul/li")) == 2
    assert [[c.text_content() for c in tr] for tr in root.iter("tr")][1:] == [
        ["Route 12", "1.5 million euros"], ["Route 14", "2.7 million euros"]]
    for paragraph in STORY:
        assert paragraph in article.text
    assert "Fire at the harbour" not in article.text and "Home" not in article.text


# ---------------------------------------------------------------- no article
def test_frameset_page_has_no_article():
    doc = parse_page("<html><head><title>Frames</title></head><frameset cols='20%,80%'>"
                     "<frame src='menu.html'><frame src='story.html'></frameset></html>")
    with pytest.raises(NoArticle) as info:
        find_article(doc, None, Settings(), [])
    assert info.value.status == 422


def test_page_of_navigation_only_has_no_article():
    page = ("<html><head><title>Site map</title></head><body><nav><ul><li><a href='/'>Home</a>"
            "</li><li><a href='/news'>News</a></li></ul></nav><footer>© City Times</footer>"
            "</body></html>")
    with pytest.raises(NoArticle):
        clean(page, "https://city.example/sitemap")


# ---------------------------------------------------------------- blocks readability cuts out
def _paragraphs(prefix: str, n: int) -> str:
    return "".join(
        f"<p>{prefix} paragraph {i} tells the reader something new about the harbour works, "
        f"the contractors, the budget and the timetable that the council agreed on.</p>"
        for i in range(n))


def test_list_of_sentences_with_links_is_put_back(corpus):
    # A real page where readability cuts a bulleted list of linked sentences out of the post.
    page = (corpus / "readability-test-pages" / "firefox-nightly-blog" / "source.html").read_bytes()
    item = "Ankush Dua fixed an issue with revoked devtools_page permissions"
    assert item not in " ".join(Document(page).summary(html_partial=True).split())
    text = tree_to_text(stages_up_to_article(page, None))
    assert item in text


def test_menu_list_is_not_put_back():
    menu = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(8))
    page = (f"<html><body><article><div class='entry-content'>{_paragraphs('First', 4)}"
            f"<ul>{menu}</ul>{_paragraphs('Later', 4)}</div></article></body></html>")
    text = tree_to_text(stages_up_to_article(page, None))
    assert "Section 3" not in text
    assert "Later paragraph 3" in text


def test_list_of_links_to_other_sites_is_put_back_but_links_to_the_site_s_own_pages_are_not():
    # Xplor's electrician tools guide (WCXB-dev): after each tool's paragraph, the products
    # it recommends, each item one link to a shop. readability cuts the lists as link farms.
    shop = "https://www.amazon.com/dp/B00{0}?tag=xplor-20"
    picks = "".join(
        f"<p>Tool {k} paragraph explains what the electrician needs it for on the job, how "
        f"to choose a good one and what it costs in the shops this year.</p>"
        f"<ul><li><h2><a href='{shop.format(k)}1'>Klein Tools {k}0 Fish Tape</a></h2></li>"
        f"</ul><ul><li><h2><a href='{shop.format(k)}2'>Greenlee {k}38-5 Steel Fish Tape</a>"
        f"</h2></li></ul>" for k in range(6))
    page = (f"<html><body><article><div class='entry-content'>{_paragraphs('First', 3)}"
            f"{picks}{_paragraphs('Later', 3)}</div></article></body></html>")
    url = "https://www.xplor.example/electrician-tools/"
    assert "Greenlee 538-5" not in " ".join(Document(page).summary(html_partial=True).split())
    text = tree_to_text(stages_up_to_article(page, url))
    assert "Greenlee 538-5 Steel Fish Tape" in text and "Klein Tools 50 Fish Tape" in text

    # The same lists leading to the site's own pages are its navigation: they stay out.
    own = picks.replace("https://www.amazon.com/dp/", "https://www.xplor.example/tools/")
    page = page.replace(picks, own)
    text = tree_to_text(stages_up_to_article(page, url))
    assert "Greenlee 538-5" not in text and "Later paragraph 2" in text


def test_table_of_links_to_other_sites_is_put_back_and_so_is_a_parent_s_first_block():
    # Siteline (WCXB-dev): a ranking table whose company names link to the companies' own
    # sites, in a block of its own between the paragraphs; readability cuts it.
    rows = "".join(f"<tr><td><a href='https://www.contractor{i}.example/'>Contractor {i} "
                   f"Electric Inc.</a></td><td>${i}.4B</td></tr>" for i in range(12))
    table = (f"<div class='table-scroll'><table><tbody><tr><th>Company</th><th>Revenue</th>"
             f"</tr>{rows}</tbody></table></div>")
    page = (f"<html><body><article><div class='rich-text'>{_paragraphs('First', 3)}"
            f"<div class='table-wrap'>{table}</div>{_paragraphs('Later', 3)}</div></article>"
            f"</body></html>")
    url = "https://www.siteline.example/blog/top-companies"
    assert "Contractor 5" not in Document(page).summary(html_partial=True)
    text = tree_to_text(stages_up_to_article(page, url))
    assert "Contractor 5 Electric Inc." in text and "Later paragraph 2" in text

    # The same table linking to the site's own pages is its directory: it stays out.
    own = page.replace("https://www.contractor", "https://www.siteline.example/c/")
    assert "Contractor 5" not in tree_to_text(stages_up_to_article(own, url))


def test_a_cut_block_that_opens_its_parent_is_put_back_at_its_start():
    # The picks a gear guide opens with, each a link to a shop, before its paragraphs: the
    # block readability cut is the first of its parent, with no kept block before it.
    picks = "".join(f"<li><a href='https://shop{i}.example/p'>Shop pick {i} headlamp</a></li>"
                    for i in range(5))
    page = (f"<html><body><article><div class='entry'><ul>{picks}</ul>"
            f"{_paragraphs('First', 5)}</div></article></body></html>")
    assert "Shop pick 3" not in Document(page).summary(html_partial=True)
    text = tree_to_text(stages_up_to_article(page, "https://www.gear.example/best-headlamps"))
    assert "Shop pick 3 headlamp" in text
    assert text.index("Shop pick 0") < text.index("First paragraph 0")


def test_article_split_over_sibling_sections_is_taken_whole():
    # Page builders put each part of a story in its own section; readability keeps one.
    sections = "".join(
        f"<section class='builder-row'><div class='col'><div>{_paragraphs(f'Part{k}', 3)}"
        f"</div></div></section>" for k in range(4))
    page = f"<html><body><main><div class='page'>{sections}</div></main></body></html>"
    notes: list[str] = []
    text = tree_to_text(find_article(parse_page(page), None, Settings(), notes))
    for k in range(4):
        assert f"Part{k} paragraph 2" in text


def test_embedded_gallery_stays_out_of_the_story(corpus):
    # The Independent embeds a 50-picture gallery inside the story's text block.
    page = (corpus / "readability-test-pages" / "bug-1255978" / "source.html").read_bytes()
    text = clean(page, None).article.text
    assert "Bedbugs love wood" in text
    assert "1/50 United goin down" not in text


def share_of_snippets_found(snippets: list[str], text: str) -> float:
    """As the benchmark counts them: word tokens in order, so quote styles do not matter."""
    import re

    def words(s: str) -> str:
        return " " + " ".join(re.findall(r"\w+", s.casefold())) + " "

    haystack = words(text)
    return sum(words(s) in haystack for s in snippets) / len(snippets)


def _wcxb(corpus: Path, page_id: str) -> tuple[bytes, dict]:
    import gzip
    import json
    html = gzip.decompress((corpus / "wcxb-dev" / "html" / f"{page_id}.html.gz").read_bytes())
    truth = json.loads((corpus / "wcxb-dev" / "ground-truth" / f"{page_id}.json").read_text())
    return html, truth["ground_truth"]


def test_article_readability_s_own_cleaner_would_lose_is_found(corpus):
    # A Next.js page where readability's own cleaning (lxml's Cleaner, which our engine no
    # longer runs: the boilerplate stage did that work) leaves an empty body.
    html, truth = _wcxb(corpus, "0155")
    assert len(tree_to_text(lxml.html.fragment_fromstring(
        Document(html).summary(html_partial=True), create_parent="div"))) < 200
    result = clean(html, None)
    assert share_of_snippets_found(truth["with"], result.article.text) >= 0.8


def test_article_readability_misses_comes_from_the_page_prose(corpus):
    # readability settles on a part of the page; the block holding its running text is taken.
    html, truth = _wcxb(corpus, "0296")
    assert share_of_snippets_found(truth["with"], tree_to_text(lxml.html.fragment_fromstring(
        Document(html).summary(html_partial=True), create_parent="div"))) < 0.5
    result = clean(html, None)
    assert "article:prose-container" in result.notes
    assert share_of_snippets_found(truth["with"], result.article.text) >= 0.8


def test_article_split_over_sections_is_widened(corpus):
    # A page builder puts each part of the story in its own section; readability keeps one.
    html, truth = _wcxb(corpus, "0085")
    result = clean(html, None)
    assert "article:widened" in result.notes
    assert share_of_snippets_found(truth["with"], result.article.text) >= 0.8


def test_list_page_made_of_one_data_table_keeps_its_header_and_introduction():
    # Scoring cells makes the table's row group win on a list page ("List of films …"): the
    # pick is lifted to the block holding the table, so its header, caption and intro stay.
    rows = "".join(
        f"<tr><td><i><a href='/wiki/Film_{i}'>Film {i}</a></i></td><td>{1990 + i}</td>"
        f"<td>A group of friends relive the same day, number {i}, over and over, until they "
        f"learn what the loop wants from them, and the clock finally moves on.</td></tr>"
        for i in range(12))
    page = (f"<html><body><div id='content'><div class='mw-parser-output'>"
            f"<p>This list of films featuring time loops gives the names and short synopses of "
            f"films in which the same day repeats, and the characters remember it.</p>"
            f"<table class='wikitable'><caption>Films with time loops</caption><tbody>"
            f"<tr><th>Film</th><th>Year</th><th>Description</th></tr>{rows}</tbody></table>"
            f"</div></div></body></html>")
    root = find_article(parse_page(page), None, Settings(), [])
    assert root.find(".//table") is not None
    text = tree_to_text(root)
    assert "Films with time loops" in text and "Description" in text
    assert "This list of films featuring time loops" in text
    assert "Film 11" in text


# ---------------------------------------------------------------- the FAQ block
def _faq_page(faq: str) -> str:
    return (f"<html><body><main><div class='post'><h1>How to tune a database</h1>"
            f"<div class='post-body'>{_paragraphs('Tuning', 8)}</div>"
            f"<div class='sharethis-wrapper'><span>Share this</span><a href='/s'>Email</a></div>"
            f"<div class='field-sections'><div class='row'>{faq}</div></div></div></main>"
            f"<footer><h3>FAQ</h3><ul><li><a href='/help'>Help centre</a></li>"
            f"<li><a href='/faq'>Billing questions</a></li></ul></footer></body></html>")


FAQ_BLOCK = ("<div class='info'><h2>Performance Tuning: FAQs</h2></div><div class='accordion'>"
             "<h3>What is performance tuning?</h3><p>Performance tuning is adjusting the "
             "configuration parameters of the database so that queries run faster and use less "
             "memory on the same hardware.</p><h3>How do I find slow queries?</h3><p>Turn on the "
             "slow query log, read the plans of the worst queries with EXPLAIN, and add the "
             "indexes the plans ask for, one at a time.</p></div>")


def test_faq_block_after_the_story_comes_back_at_its_end():
    notes: list[str] = []
    text = tree_to_text(find_article(parse_page(_faq_page(FAQ_BLOCK)), None, Settings(), notes))
    assert "Tuning paragraph 7" in text
    assert "Performance Tuning: FAQs" in text and "read the plans of the worst queries" in text
    assert text.index("Tuning paragraph 7") < text.index("What is performance tuning?")
    assert "Billing questions" not in text and "article:faq" in notes


def test_faq_link_list_is_not_an_faq_block():
    # A help box of question links ("FAQ" over links) is navigation, not the article's answers.
    links = "".join(f"<li><a href='/faq/{i}'>How do I change setting number {i} of my account "
                    f"and keep my data?</a></li>" for i in range(8))
    notes: list[str] = []
    text = tree_to_text(find_article(parse_page(_faq_page(f"<h2>FAQ</h2><ul>{links}</ul>")),
                                     None, Settings(), notes))
    assert "setting number 3" not in text and "article:faq" not in notes
