"""The extraction's faster steps give exactly what the steps they replace gave.

readability-lxml's ``transform_misused_divs_into_paragraphs`` serialised every ``<div>``'s
children to look for block tags; ours reads the tree. Its scoring and cleaning steps formatted
a debug message for every block; ours do not. The parsers choose element classes inside
lxml instead of in Python. Neither may change a single node of the result.
"""

from __future__ import annotations

import copy
import random
import re
from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement
from readability import Document

from sourcelight.errors import TooComplex
from sourcelight.extract.engine import PrunedDocument, _out_of_table
from sourcelight.extract.boilerplate import prune_boilerplate
from sourcelight.extract.decode import normalise_text
from sourcelight.extract.parse import parse_page
from sourcelight.extract.parsers import parse_fragment
from sourcelight.pipeline import extract_article
from sourcelight.settings import Settings

TRICKY_PAGE = """<html><body>
<div>loose text <b>bold</b> more<br>after break<span>span <img src=a.png></span> tail
  <div>inner <em>em</em></div> tail of inner</div>
<div><picture><source srcset=a.webp></picture> a picture is a "p…" tag to readability</div>
<div><span>no block here</span> <a href=x>link</a> text</div>
<div><o:p>Word markup</o:p> <my-pre>custom element</my-pre> <u>u</u></div>
<div><font>inline <table><tr><td>cell</td></tr></table></font> after</div>
<div data-x="&lt;p&gt; in an attribute">only an attribute says p</div>
<div><div><div>deep <i>nested</i> divs</div></div> tail</div>
</body></html>"""


def _transformed(doc: HtmlElement, engine_class: type) -> bytes:
    tree = copy.deepcopy(doc)
    engine = engine_class(tree)
    engine.html = tree
    engine.transform_misused_divs_into_paragraphs()
    return lxml.html.tostring(tree)


def _readability_pages(corpus: Path, count: int) -> list[Path]:
    pages = sorted((corpus / "readability-test-pages").glob("*/source.html"))
    return [p for p in pages if p.stat().st_size >= 8 * 1024][:count]


def test_div_transform_matches_readability_on_tricky_markup() -> None:
    doc = parse_page(TRICKY_PAGE)
    ours = _transformed(doc, PrunedDocument)
    assert ours == _transformed(doc, Document)
    assert b'<p data-x="&lt;p&gt; in an attribute">' in ours  # an attribute holds no block
    assert b'<div><picture>' in ours  # the picture kept its div


def test_div_transform_matches_readability_on_real_pages(corpus: Path) -> None:
    pages = _readability_pages(corpus, 25)
    assert len(pages) == 25
    for path in pages:
        doc = parse_page(path.read_text("utf-8", errors="replace"))
        assert _transformed(doc, PrunedDocument) == _transformed(doc, Document), path.parent.name


@pytest.mark.parametrize("tree", [
    lambda: parse_page("<html><body><form><input name=q><label>L</label></form></body></html>"),
    lambda: parse_fragment("<form><input name=q><select><option>o</select></form>text"),
])
def test_every_element_is_a_plain_html_element(tree) -> None:
    root = tree()
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    assert len(elements) >= 4
    assert {type(el) for el in elements} == {HtmlElement}
    assert {type(el) for el in copy.deepcopy(root).iter()} == {HtmlElement}


def test_fragment_parse_matches_lxml() -> None:
    markup = "lead <p>one</p> mid <div><b>two</b></div> end"
    ours = parse_fragment(markup)
    theirs = lxml.html.fragment_fromstring(markup, create_parent="div")
    assert lxml.html.tostring(ours) == lxml.html.tostring(theirs)
    assert lxml.html.tostring(parse_fragment("")) == b"<div></div>"


def _normalise_by_regex(text: str) -> str:
    """normalise_text as it was: two regex scans over the whole page (and the zero-width
    marks dropped, see decode.INVISIBLE_MARKS)."""
    text = re.sub("[\ufeff\u200b\u2060]", "", text)
    text = re.sub("[\x00-\x08\x0b\x0e-\x1f\x7f]", "", text).replace("\x0c", " ")
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def test_normalise_text_matches_the_regex_scans() -> None:
    rng = random.Random(11)
    alphabet = ["a", " ", "\t", "\n", "\r", "\x0c", "\x00", "\x0b", "\x1f", "\x7f", "\x80",
                "é", "€", "\ud800", "\udfff", "\ufeff", "😀", "<", "\x85"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert normalise_text(text) == _normalise_by_regex(text), repr(text)


def test_size_shortcut_still_refuses_long_text_and_drops_huge_attributes() -> None:
    """The text-node and attribute measures are skipped only for a page shorter than the
    limit; past it they run as before."""
    page = ("<html><body><article><p>" + "word " * 400 + "</p><img src='" + "x" * 3000
            + "'></article></body></html>")
    result = extract_article(page, None, Settings().with_overrides(max_attribute_chars=2000))
    assert "parse:dropped-huge-attributes" in result.notes
    assert "parse:dropped-huge-attributes" not in extract_article(page, None).notes
    with pytest.raises(TooComplex):
        extract_article(page, None, Settings().with_overrides(max_text_node_chars=1000))


class _ReadabilitysOwnSteps(PrunedDocument):
    """Our engine with readability's own scoring, div and cleaning steps put back."""

    score_paragraphs = Document.score_paragraphs
    score_node = Document.score_node
    sanitize = Document.sanitize
    transform_misused_divs_into_paragraphs = Document.transform_misused_divs_into_paragraphs
    get_preserved_elements = Document.get_preserved_elements

    def select_best_candidate(self, candidates: dict) -> dict | None:
        """readability's choice, with our deliberate change: a pick inside a table is lifted
        to the block holding the table (engine._out_of_table)."""
        best = Document.select_best_candidate(self, candidates)
        return _out_of_table(best, candidates) if best else best


def test_engine_steps_match_readability_on_real_pages(corpus: Path) -> None:
    """The whole engine's answer, with our faster steps and with readability's own, is the
    same on 25 real pages after our parse and boilerplate stages."""
    for path in _readability_pages(corpus, 25):
        doc = parse_page(path.read_text("utf-8", errors="replace"))
        prune_boilerplate(doc)
        ours = PrunedDocument(doc).summary(html_partial=True)
        assert ours == _ReadabilitysOwnSteps(doc).summary(html_partial=True), path.parent.name
        assert len(ours) > 500
