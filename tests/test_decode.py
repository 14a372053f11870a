"""Stage 1, ``decode_page``: bytes or text in, clean Unicode HTML out, never mojibake.

Every page here is written the way real pages are (head with a title, a charset declaration in
one of its forms, a few paragraphs of news text) and then encoded the way servers send them.
"""

from __future__ import annotations

import codecs
import re

import pytest

from sourcelight.errors import NotHtml, SourcelightError, TooLarge
from sourcelight.extract.decode import decode_page
from sourcelight.extract.parse import parse_page
from sourcelight.pipeline import clean
from sourcelight.settings import Settings

SETTINGS = Settings()

# Text a western European news page holds: curly quotes, apostrophe, dashes, accents, euro sign.
WESTERN = ("“We won’t pay,” the café owner in Zürich said — déjà vu for the naïve tourists "
           "who paid €4.50 for an espresso.")
JAPANESE = "東京で日米首脳が電話会談を行い、中国との対立をめぐって意見を交わしたと政府関係者が明らかにした。"

# Marks of text decoded with the wrong codec: UTF-8 read as cp1252 ("Ã©", "â€™"), cp1252 read as
# latin-1 (C1 controls), or bytes that did not decode at all (U+FFFD).
_MOJIBAKE_RE = re.compile("Ã.|â€|Â|\ufffd|[\x80-\x9f]")


def page(body: str, head: str = "", title: str = "Café owners protest") -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head>{head}<title>{title}</title></head>\n"
            f"<body><article><h1>{title}</h1>\n{body}\n</article></body></html>")


def paragraphs(text: str, n: int = 1) -> str:
    return "\n".join(f"<p>{text}</p>" for _ in range(n))


def assert_clean_text(decoded: str, *expected: str) -> None:
    for piece in expected:
        assert piece in decoded
    assert not _MOJIBAKE_RE.search(decoded), _MOJIBAKE_RE.search(decoded)


# ---------------------------------------------------------------- charset from a BOM
@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_byte_order_mark_decides_the_charset(encoding, bom):
    data = bom + page(paragraphs(WESTERN)).encode(encoding)
    decoded = decode_page(data, SETTINGS)
    assert_clean_text(decoded, WESTERN)
    assert decoded.startswith("<!DOCTYPE html>")  # the BOM itself is gone


def test_utf8_bom_wins_over_a_wrong_meta_declaration():
    # A CMS template that says windows-1252 while the file was saved as UTF-8 with a BOM.
    html = page(paragraphs(WESTERN), head='<meta charset="windows-1252">')
    decoded = decode_page(codecs.BOM_UTF8 + html.encode("utf-8"), SETTINGS)
    assert_clean_text(decoded, WESTERN)


def test_bom_character_at_the_start_of_text_input_is_dropped():
    decoded = decode_page("\ufeff" + page(paragraphs(WESTERN)), SETTINGS)
    assert not decoded.startswith("\ufeff")
    assert decoded.startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------- charset from a declaration
def test_windows_1252_page_with_meta_charset():
    html = page(paragraphs(WESTERN), head='<meta charset="windows-1252">')
    assert_clean_text(decode_page(html.encode("cp1252"), SETTINGS), WESTERN)


@pytest.mark.parametrize("label", ["iso-8859-1", "ISO-8859-1", "latin1", "us-ascii"])
def test_latin1_label_means_windows_1252_as_browsers_read_it(label):
    # Bytes 0x93/0x94/0x80 are “ ” € in windows-1252 and invisible C1 controls in latin-1;
    # pages labelled latin-1 that contain them were written in windows-1252.
    head = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
    html = page(paragraphs(WESTERN), head=head)
    data = html.encode("cp1252")
    assert b"\x93" in data and b"\x80" in data  # the test really exercises the C1 range
    assert_clean_text(decode_page(data, SETTINGS), WESTERN)


def test_shift_jis_page_with_meta_charset():
    html = page(paragraphs(JAPANESE, 3), head='<meta charset="Shift_JIS">', title="日米首脳会談")
    decoded = decode_page(html.encode("shift_jis"), SETTINGS)
    assert_clean_text(decoded, JAPANESE, "日米首脳会談")


def test_shift_jis_page_declared_with_http_equiv():
    head = '<meta http-equiv="content-type" content="text/html;charset=shift_jis">'
    html = page(paragraphs(JAPANESE, 3), head=head, title="日米首脳会談")
    assert_clean_text(decode_page(html.encode("shift_jis"), SETTINGS), JAPANESE)


def test_xml_declaration_names_the_charset():
    # ISO-8859-15 puts € at 0xA4, where latin-1 and windows-1252 have ¤.
    text = "Le prix du café est passé à 5 € à Paris, a déclaré le propriétaire."
    html = ('<?xml version="1.0" encoding="ISO-8859-15"?>\n'
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Prix</title></head>'
            f"<body><p>{text}</p></body></html>")
    data = html.encode("iso-8859-15")
    assert b"\xa4" in data
    decoded = decode_page(data, SETTINGS)
    assert_clean_text(decoded, text)
    assert "¤" not in decoded
    # …and the decoded text (which still carries its XML declaration) parses.
    assert text in parse_page(decoded).text_content()


def test_unknown_charset_label_falls_back_to_what_the_bytes_are():
    html = page(paragraphs(WESTERN), head='<meta charset="x-unknown-label">')
    assert_clean_text(decode_page(html.encode("utf-8"), SETTINGS), WESTERN)


# ---------------------------------------------------------------- sniffed charsets
def test_undeclared_utf8_page():
    assert_clean_text(decode_page(page(paragraphs(WESTERN)).encode("utf-8"), SETTINGS), WESTERN)


def test_undeclared_windows_1252_page_is_sniffed():
    body = paragraphs(WESTERN) + "\n" + paragraphs(
        "Les cafés de la vieille ville ont augmenté leurs prix après l’été, selon l’étude.")
    decoded = decode_page(page(body).encode("cp1252"), SETTINGS)
    assert_clean_text(decoded, WESTERN, "l’été, selon l’étude")


def test_undeclared_shift_jis_page_is_sniffed():
    html = page(paragraphs(JAPANESE, 5), title="日米首脳会談")
    assert_clean_text(decode_page(html.encode("shift_jis"), SETTINGS), JAPANESE)


# ---------------------------------------------------------------- declarations that lie
def test_utf8_page_declaring_latin1_with_bytes_cp1252_cannot_decode():
    # ” is E2 80 9D in UTF-8; 0x9D is undefined in windows-1252, so the label is provably wrong.
    html = page(paragraphs(WESTERN), head='<meta charset="iso-8859-1">')
    assert_clean_text(decode_page(html.encode("utf-8"), SETTINGS), WESTERN)


def test_utf8_page_declaring_latin1_with_many_accents_never_mojibake():
    # Every byte here exists in windows-1252, so the wrong label decodes without an error.
    text = "It’s a café in Zürich — déjà vu for the tourists, the owner said."
    html = page(paragraphs(text), head='<meta charset="iso-8859-1">')
    assert_clean_text(decode_page(html.encode("utf-8"), SETTINGS), text)


def test_utf8_page_declaring_latin1_with_one_apostrophe_never_mojibake():
    text = "The council’s plan for new bus routes was approved on Tuesday by a large majority."
    html = page(paragraphs(text), head='<meta charset="iso-8859-1">', title="Buses")
    assert_clean_text(decode_page(html.encode("utf-8"), SETTINGS), text)


def test_windows_1252_page_declaring_utf8_never_mojibake():
    html = page(paragraphs(WESTERN, 3), head='<meta charset="utf-8">')
    assert_clean_text(decode_page(html.encode("cp1252"), SETTINGS), WESTERN)


def test_text_input_is_not_decoded_again():
    html = page(paragraphs(WESTERN), head='<meta charset="iso-8859-1">')
    assert_clean_text(decode_page(html, SETTINGS), WESTERN)


def test_clean_gives_the_same_article_from_bytes_and_from_text():
    html = page(paragraphs(WESTERN, 4), head='<meta charset="windows-1252">')
    from_bytes = clean(html.encode("cp1252"), "https://news.example/a").article.text
    from_text = clean(html, "https://news.example/a").article.text
    assert from_bytes == from_text
    assert WESTERN in from_bytes


# ---------------------------------------------------------------- characters that are never text
def test_nul_and_control_characters_are_removed_from_text():
    dirty = "Zug\x00 fällt\x01 aus\x07, sagt\x0b die\x1b Bahn\x7f heute."
    decoded = decode_page(page(paragraphs(dirty)), SETTINGS)
    assert "Zug fällt aus, sagt die Bahn heute." in decoded
    assert not re.search("[\x00-\x08\x0b\x0e-\x1f\x7f]", decoded)


def test_nul_and_control_characters_are_removed_from_bytes():
    # UTF-16 pages saved without their BOM leave NULs everywhere once mis-cut; any NUL breaks lxml.
    data = page(paragraphs("Zug\x00 fällt\x02 aus.")).encode("utf-8")
    decoded = decode_page(data, SETTINGS)
    assert "Zug fällt aus." in decoded
    assert "\x00" not in decoded and "\x02" not in decoded


def test_tabs_and_newlines_are_kept_and_form_feed_becomes_a_space():
    # lxml refuses form feeds in fragments; to HTML it is whitespace, so a space keeps meaning.
    decoded = decode_page(page("<pre>a\tb\r\nc\fd</pre>"), SETTINGS)
    assert "a\tb\r\nc d" in decoded


def test_lone_surrogates_are_removed():
    decoded = decode_page(page(paragraphs("Emoji half \ud83d here and \udc4d there.")), SETTINGS)
    assert not re.search("[\ud800-\udfff]", decoded)
    decoded.encode("utf-8")  # strict: a lone surrogate would raise here
    assert "Emoji half" in decoded and "there." in decoded


def test_pipeline_survives_nul_and_surrogates():
    body = paragraphs("Der Zug\x00 fällt heute aus, teilte die Bahn \ud800mit. " * 3, 3)
    result = clean(page(body, title="Zug fällt aus"), "https://news.example/zug")
    assert "\x00" not in result.article.text and "\x00" not in result.article.html
    assert not re.search("[\ud800-\udfff]", result.article.text + result.article.html)
    assert "Der Zug fällt heute aus" in result.article.text


# ---------------------------------------------------------------- not HTML
WORDPRESS_POST = page(paragraphs("The council voted on Tuesday to expand the bus network.", 3))


@pytest.mark.parametrize("data", [
    pytest.param(b'{"id": 881, "title": "Bus network grows", "tags": ["city", "transport"]}',
                 id="json-object"),
    pytest.param('[{"id": 1, "title": "Bus network grows"}, {"id": 2}]', id="json-array"),
    pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\n"
                 b"endobj\n", id="pdf"),
    pytest.param("Bus network grows\n\nThe council voted on Tuesday to expand the bus network.\n",
                 id="plain-text"),
    pytest.param('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
                 'width="24" height="24"><path d="M0 0h24v24H0z"/><text>Bus</text></svg>',
                 id="svg-with-xml-declaration"),
    pytest.param('<!-- Generator: Adobe Illustrator -->\n<svg viewBox="0 0 10 10">'
                 '<circle r="4"/></svg>', id="svg-with-comment"),
    pytest.param(b"", id="empty-bytes"),
    pytest.param("", id="empty-text"),
    pytest.param(" \n\t\r\n ", id="whitespace"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, id="png"),
])
def test_input_that_is_not_html_raises_not_html(data):
    with pytest.raises(NotHtml) as info:
        decode_page(data, SETTINGS)
    assert info.value.status == 422
    assert len(info.value.message) > 20  # a message a person can act on


@pytest.mark.parametrize("data", [
    pytest.param(b"%PDF-1.4\n1 0 obj", id="pdf"),
    pytest.param('{"error": "not found"}', id="json"),
    pytest.param("", id="empty"),
])
def test_clean_refuses_what_is_not_html(data):
    with pytest.raises(NotHtml):
        clean(data, "https://news.example/a")


def test_json_whose_strings_hold_html_is_not_html():
    rest = ('{"id":881,"date":"2025-11-27T10:51:00","link":"https://news.example/bus/",'
            '"title":{"rendered":"Bus network grows"},"content":{"rendered":'
            '"<p>The council voted on Tuesday to expand the bus network.</p>\\n'
            '<p>Officials said the routes would cost 4.2 million euros a year.</p>"}}')
    with pytest.raises(NotHtml):
        decode_page(rest, SETTINGS)


@pytest.mark.parametrize("html", [
    pytest.param("<p>Just one paragraph someone copied out of a page.</p>", id="fragment"),
    pytest.param("<!-- saved from url=(0042)https://news.example/ -->\n" + WORDPRESS_POST,
                 id="leading-comment"),
    pytest.param('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/'
                 'xhtml"><body><p>XHTML page</p></body></html>', id="xhtml"),
    pytest.param("\n\n   " + WORDPRESS_POST, id="leading-whitespace"),
])
def test_real_html_is_accepted(html):
    assert decode_page(html, SETTINGS)
    assert decode_page(html.encode("utf-8"), SETTINGS)


# ---------------------------------------------------------------- too large
def test_page_over_the_size_limit_raises_too_large():
    limited = SETTINGS.with_overrides(max_html_chars=10_000)
    big = page(paragraphs(WESTERN, 200))
    assert len(big) > 10_000
    for data in (big, big.encode("utf-8")):
        with pytest.raises(TooLarge) as info:
            decode_page(data, limited)
        assert info.value.status == 413
        assert "10,000" in info.value.message


def test_page_at_the_size_limit_is_read():
    html = page(paragraphs(WESTERN, 5))
    assert decode_page(html, SETTINGS.with_overrides(max_html_chars=len(html)))


def test_clean_raises_too_large_before_any_work():
    with pytest.raises(TooLarge):
        clean("<p>" + "x" * 5000 + "</p>", None, SETTINGS.with_overrides(max_html_chars=1000))


def test_decode_errors_are_sourcelight_errors():
    assert issubclass(NotHtml, SourcelightError) and issubclass(TooLarge, SourcelightError)


def test_mojibake_closing_quote_with_a_c1_control_is_repaired():
    from sourcelight.extract.decode import repair_double_encoding
    # "”" is E2 80 9D in UTF-8; read as windows-1252, 0x9D has no character and browsers map
    # it to U+009D — the run must still go back to "”".
    broken = ("â€œOneâ€\x9d, â€œtwoâ€\x9d and â€œthreeâ€\x9d, said the caf\u00c3\u00a9 "
              "owner.")
    assert repair_double_encoding(broken) == "“One”, “two” and “three”, said the café owner."


def test_zero_width_marks_inside_words_are_dropped():
    # An editor's zero-width no-break space inside a word ("H\ufeffow to apply") splits it for
    # every reader of the text; the zero-width joiner of an emoji sequence stays.
    page = ("<html><body><article><p>H\ufeffow to apply the for\u200bmula: divide the "
            "diff\u2060erence by the cost of the work, then multiply the result by one "
            "hundred to get the percentage. \U0001F469\u200d\U0001F373 cooks it.</p>"
            "</article></body></html>")
    text = clean(page, "https://home.example/roi").article.text
    assert "How to apply the formula: divide the difference by the cost" in text
    assert "\U0001F469\u200d\U0001F373" in text
