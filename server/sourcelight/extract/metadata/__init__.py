"""What a page says about itself: title, byline, date, site, canonical URL and language.

``read_metadata`` tries the sources in the order mature extractors use (Mozilla
Readability's metadata logic, trafilatura's metadata module): JSON-LD first, then
``<meta>`` tags (OpenGraph, ``article:*``, Twitter, Dublin Core, Parse.ly, ``itemprop``),
then ``<time datetime>``, ``rel=author`` links and byline elements, and last ``<title>``
and the first ``<h1>``. Two refinements over that order, both measured on the WCXB and
Readability corpora (``bench/metadata.py``):

- the title is the visible ``<h1>`` when a declared title agrees with it (SEO titles often
  differ from the headline a reader sees), with site names cut from ``<title>``-like text;
- bylines and printed dates are looked for around the headline, not in the whole page:
  it is faster and keeps sidebars, comments and related stories out.

``find_dateline`` reads the dateline an agency story opens with
("TOKYO, Nov 27 (Reuters) – …"); the agency names live in ``data/wire_services.json``.

One module per thing read, each reading the one pass over the page that ``page`` makes:

- ``page``: the walk that collects meta tags, JSON-LD, ``<title>``, ``<time>``, ``<h1>``;
- ``json_ld``: the article, publisher and site fields of JSON-LD blocks;
- ``title``: the headline, site affixes cut;
- ``byline``: author names (JSON-LD, meta tags, byline elements);
- ``dates``: the publication date, and dates as pages write them;
- ``region``: the byline and date candidates around the headline, shared by the two above;
- ``site``: site name, canonical URL and declared language;
- ``dateline``: the dateline and wire service of a story's first paragraph.

Neither function changes the document it is given.
"""

from __future__ import annotations

from lxml import html as lxml_html

from ...model import Metadata
from .byline import read_byline
from .dateline import find_dateline
from .dates import normalise_date, read_published, search_text_date
from .json_ld import LinkedData, read_json_ld
from .page import scan_page, text_key
from .site import canonical_url, declared_lang, normalise_lang, read_site_name
from .title import read_title

__all__ = ["find_dateline", "normalise_date", "normalise_lang", "read_metadata",
           "search_text_date"]


def read_metadata(doc: lxml_html.HtmlElement, url: str | None) -> Metadata:
    """Read title, byline, publication date, site name, canonical URL and language.

    ``doc`` is the whole parsed page (``lxml.html.document_fromstring``); it is only read.
    ``url`` is the address the page was fetched from, used to resolve relative links, to
    recognise the site's name in the title and to read a date from the path. Unknown
    fields are ``None``; ``published`` falls back to the last-modified date only when the
    page gives no other date, and ``url`` to the request URL.
    """
    page = scan_page(doc)
    ld = read_json_ld(page.json_ld) if page.json_ld else LinkedData()
    canonical = canonical_url(page, ld, url)
    site_name = read_site_name(page, ld)
    publisher = None if ld.publisher_is_person else ld.publisher
    site_keys = {text_key(s) for s in (site_name, publisher, ld.website) if s} - {""}
    return Metadata(
        title=read_title(page, ld, site_name, canonical or url),
        byline=read_byline(page, ld, site_keys),
        published=read_published(page, ld, canonical or url),
        site_name=site_name,
        url=canonical,
        html_lang=declared_lang(page),
    )
