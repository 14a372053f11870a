"""Stage 2: Unicode text in, an lxml HTML tree out (markup repaired by libxml2's HTML parser)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
from lxml.html import HtmlElement

from ..errors import NotHtml, TooComplex
from ..settings import Settings

# Comments and processing instructions carry no article text; dropping them at parse time
# saves every later stage from stepping over them.
_PARSER = lxml.html.HTMLParser(remove_comments=True, remove_pis=True)
# lxml refuses str input that carries an encoding declaration; the text is already decoded.
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)


def parse_page(text: str) -> HtmlElement:
    """Parse decoded page text into a document tree; ``NotHtml`` when nothing parses."""
    text = _XML_DECL_RE.sub("", text, count=1)
    try:
        doc = lxml.html.document_fromstring(text, parser=_PARSER)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotHtml(f"The page could not be read as HTML ({exc}).") from None
    if doc is None or not isinstance(doc.tag, str):
        raise NotHtml("The page could not be read as HTML.")
    return doc


def check_complexity(doc: HtmlElement, settings: Settings) -> None:
    """Refuse pages past the element-count limit before any costly stage runs."""
    count = 0
    for _ in doc.iter():
        count += 1
        if count > settings.max_elements:
            raise TooComplex(
                f"The page has more than {settings.max_elements:,} elements, too many to read "
                "quickly. Open the article on its own page (not an endless feed) and try again."
            )


def take_base_href(doc: HtmlElement, url: str | None) -> str | None:
    """The URL relative links resolve against: the page's ``<base href>`` joined to ``url``.

    The ``<base>`` elements are removed, so no later stage resolves links a second time.
    """
    bases = doc.xpath("//base[@href]")
    href = bases[0].get("href", "").strip() if bases else ""
    for base in doc.xpath("//base"):
        base.drop_tree()
    if not href:
        return url
    joined = urljoin(url, href) if url else href
    return joined if urlsplit(joined).scheme in ("http", "https") else url
