"""The HTML parsers every extraction stage shares, built once.

lxml.html chooses each element's Python class in Python (forms, inputs, labels … get classes
of their own), one call each time a stage first touches an element: about 300,000 calls over
60 pages, a tenth of the extraction's time. No stage uses those form classes, so these parsers
make every element a plain ``HtmlElement``, chosen inside lxml. A tree keeps its parser's
choice through ``copy.deepcopy``.
"""

from __future__ import annotations

import lxml.etree
import lxml.html


def _plain_elements(parser: lxml.html.HTMLParser) -> lxml.html.HTMLParser:
    parser.set_element_class_lookup(lxml.etree.ElementDefaultClassLookup(
        element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction, entity=lxml.html.HtmlEntity))
    return parser


# The page: comments and processing instructions carry no article text, so they are dropped at
# parse time; huge_tree lifts libxml2's depth and text-node cuts (parse.py sets its own limits).
# It reads the decoded page as UTF-8 bytes (parse.parse_page): a <meta charset> in the page
# does not apply any more.
PAGE_PARSER = _plain_elements(
    lxml.html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, encoding="utf-8"))
# Article fragments: lxml.html's default options (libxml2 keeps its 256-level cut here).
FRAGMENT_PARSER = _plain_elements(lxml.html.HTMLParser())


def new_element(tag: str) -> lxml.html.HtmlElement:
    """A new, empty element of the fragment parser's kind."""
    return FRAGMENT_PARSER.makeelement(tag)


def parse_fragment(markup: str, parent: str = "div") -> lxml.html.HtmlElement:
    """An HTML fragment parsed under one new ``parent`` element, as
    ``lxml.html.fragment_fromstring(markup, create_parent=parent)`` does, but with every node
    of this module's kind (lxml.html makes the parent with its default parser, and the
    fragment's nodes take that parser's class lookup when they move under it)."""
    root = new_element(parent)
    if markup:
        nodes = lxml.html.fragments_fromstring(markup, parser=FRAGMENT_PARSER)
        if nodes and isinstance(nodes[0], str):
            root.text = nodes.pop(0)
        root.extend(nodes)
    return root
