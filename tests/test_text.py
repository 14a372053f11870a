"""Text stage: article HTML to plain text with paragraph breaks, and word counts."""

from __future__ import annotations

import lxml.html
import pytest

from sourcelight.extract.text import (count_words, html_to_text, lead_paragraph, parse_fragment,
                                     tree_to_text)
from sourcelight.pipeline import clean

ARTICLE = """<div>
  <h2>What changes for riders</h2>
  <p>The council voted on
     Tuesday   to expand\tthe bus network.</p>
  <p>Officials said the routes would cost <strong>4.2 million</strong> euros, paid from the
     <a href="https://news.example/fund">regional fund</a>.</p>
  <p>Route 12<br>Depot – Hospital<br/>Every ten minutes</p>
  <ul><li>Route 12 runs every ten minutes</li><li>Route 14 runs until midnight</li></ul>
  <blockquote><p>“This changes daily life,” the mayor said.</p></blockquote>
  <table><tr><th>Route</th><th>Cost</th></tr><tr><td>12</td><td>1.5m</td></tr></table>
</div>"""


def test_paragraphs_are_separated_by_one_blank_line():
    assert html_to_text(ARTICLE) == (
        "What changes for riders\n\n"
        "The council voted on Tuesday to expand the bus network.\n\n"
        "Officials said the routes would cost 4.2 million euros, paid from the regional fund.\n\n"
        "Route 12\nDepot – Hospital\nEvery ten minutes\n\n"
        "Route 12 runs every ten minutes\n\n"
        "Route 14 runs until midnight\n\n"
        "“This changes daily life,” the mayor said.\n\n"
        "Route Cost\n\n"
        "12 1.5m"
    )


def test_br_is_a_single_line_break_inside_its_paragraph():
    text = html_to_text("<p>Sanae Takaichi<br>Prime Minister<br><br>Tokyo</p><p>Next</p>")
    assert text.split("\n\n") == ["Sanae Takaichi\nPrime Minister\nTokyo", "Next"]


def test_whitespace_from_source_layout_collapses():
    text = html_to_text("<p>  one\n\n   two\t\tthree\u00a0 four  </p>\n\n\n<p>\n five \n</p>")
    assert text == "one two three four\n\nfive"


def test_inline_elements_do_not_break_words_or_lines():
    text = html_to_text('<p>A <b>bold</b>, <em>em</em>phasised <a href="/x">link</a>'
                        "<span>ed</span> word.</p>")
    assert text == "A bold, emphasised linked word."


def test_nested_blocks_give_no_empty_paragraphs():
    text = html_to_text("<div><div><p>One</p></div>\n<section><div><p>Two</p></div></section>"
                        "<p> </p><div></div><p>Three</p></div>")
    assert text == "One\n\nTwo\n\nThree"


def test_script_and_style_text_never_reaches_the_text():
    text = html_to_text("<p>Before<script>var secret = 1;</script> after"
                        "<style>.x{color:red}</style>.</p>")
    assert text == "Before after."


@pytest.mark.parametrize("markup", ["", "   ", "<div></div>", "<p>\n\t</p>"])
def test_empty_markup_is_empty_text(markup):
    assert html_to_text(markup) == ""


def test_tree_to_text_reads_an_element():
    root = lxml.html.fragment_fromstring("<div><h1>Title</h1><p>Body text.</p></div>")
    assert tree_to_text(root) == "Title\n\nBody text."


def test_text_has_no_surrounding_whitespace_and_no_triple_newlines():
    text = html_to_text(ARTICLE)
    assert text == text.strip()
    assert "\n\n\n" not in text
    assert all(line == line.strip() for line in text.split("\n"))


# ---------------------------------------------------------------- word counts
@pytest.mark.parametrize("text, words", [
    ("The council voted on Tuesday.", 5),
    ("Trump called — and Beijing, angry, replied!", 6),
    ("U.S.-China relations in 2025", 6),
    ("Die Straßenbahn fährt über die Brücke.", 6),
    ("", 0),
    ("  — … !! ", 0),
    # Chinese and Japanese: each character is a word; their punctuation is not.
    ("東京で会談。", 5),
    ("日本政府は月曜日、発表した。", 12),
    ("中国外交部发言人表示", 10),
    ("トランプ大統領と高市首相", 12),
    ("東京でTrump氏と会談", 8),  # 東 京 で Trump 氏 と 会 談
    # Korean writes spaces between words: count those words, not syllables.
    ("한국 정부는 발표했다", 3),
])
def test_count_words(text, words):
    assert count_words(text) == words


def test_word_count_and_reading_time_through_clean():
    paragraph = ("The city council voted on Tuesday to expand the bus network with twelve new "
                 "routes across the eastern suburbs. ")  # 19 words
    assert count_words(paragraph) == 19
    page = ("<html><head><title>Buses</title></head><body><article>"
            + f"<p>{paragraph * 4}</p>" * 10 + "</article></body></html>")
    article = clean(page, "https://news.example/bus").article
    assert article.word_count == 19 * 40
    assert article.reading_minutes == round(19 * 40 / 230)
    assert article.text.count("\n\n") == 9


def test_cjk_word_count_through_clean():
    sentence = "東京で日米首脳が電話会談を行った。"  # 16 characters and a full stop
    page = ('<html lang="ja"><head><meta charset="utf-8"><title>会談</title></head><body>'
            "<article>" + f"<p>{sentence * 5}</p>" * 4 + "</article></body></html>")
    article = clean(page.encode("utf-8"), "https://news.example/ja").article
    assert article.word_count == 16 * 5 * 4
    assert article.reading_minutes >= 1


def test_ordered_list_items_carry_their_numbers():
    text = html_to_text("<ol start='3'><li>Preheat</li><li>Bake</li></ol><ul><li>Salt</li></ul>")
    assert text.split("\n\n") == ["3. Preheat", "4. Bake", "Salt"]


def test_preformatted_text_keeps_its_lines():
    text = html_to_text("<p>Run:</p><pre>git init\n   git add -A\ngit commit</pre>")
    assert text == "Run:\n\ngit init\ngit add -A\ngit commit"


def test_br_inside_preformatted_code_breaks_its_line():
    # Syntax highlighters write each line of code ending in <br>, without a newline.
    text = html_to_text('<pre><code><span class="k">#include</span> &lt;emscripten.h&gt;<br><br>'
                        'EMSCRIPTEN_KEEPALIVE<br><span class="k">int</span> add()</code></pre>')
    assert text == "#include <emscripten.h>\nEMSCRIPTEN_KEEPALIVE\nint add()"


def test_lead_paragraph_skips_the_photo_caption():
    root = parse_fragment("<figure><img src='a.jpg'><figcaption>A long caption under the "
                          "photo</figcaption></figure><div><p>TOKYO, Nov 27 (Reuters) – "
                          "The story starts here.</p></div>")
    assert lead_paragraph(root).startswith("TOKYO, Nov 27 (Reuters)")


def test_list_number_stays_with_an_item_made_of_paragraphs():
    text = html_to_text("<ol><li><p>Useful: it does the job.</p><p>More on that.</p></li>"
                        "<li>Usable</li></ol>")
    assert text.split("\n\n") == ["1. Useful: it does the job.", "More on that.", "2. Usable"]
