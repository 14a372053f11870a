"""Stage 1: bytes or text in, clean Unicode HTML out — or a typed error for what is not HTML.

Bytes are decoded from, in order: a byte-order mark, the page's own ``<meta charset>`` /
``http-equiv`` declaration in its first bytes, strict UTF-8, then chardet's guess on a sample.
The WHATWG encoding rules map latin-1/ascii labels to windows-1252, and so do we.
"""

from __future__ import annotations

import codecs
import json
import re

from ..errors import NotHtml, TooLarge
from ..settings import Settings

# How far into the bytes a charset declaration is looked for (HTML says 1024; pages are sloppy).
CHARSET_SNIFF_BYTES = 4096
CHARDET_SAMPLE_BYTES = 64 * 1024

_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.\-]+)""", re.IGNORECASE
)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([a-zA-Z0-9_.\-]+)""")
# C0 controls other than tab, LF, CR, plus DEL: never part of text; lxml refuses them.
# (Form feed is whitespace to HTML, so it becomes a space rather than vanishing.)
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0b, *range(0x0e, 0x20), 0x7f])
# Zero-width marks with no meaning in running text: the byte-order mark (inside a page it is a
# zero-width no-break space), the zero-width space and the word joiner. (Not the zero-width
# joiner and non-joiner: emoji and Persian or Indic words need them.)
INVISIBLE_MARKS = ("\ufeff", "\u200b", "\u2060")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_TAG_RE = re.compile(r"<\s*(?:!doctype|html|head|body|meta|title|div|p|article|main|span|a|h[1-6]"
                     r"|table|section|img|br|ul|ol|li|script|link|style|header|frameset)\b",
                     re.IGNORECASE)
# An SVG document: an optional XML declaration, comments and an SVG doctype before <svg>.
_SVG_RE = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!doctype\s+svg\b[^>]*>\s*)*<svg\b",
                     re.DOTALL | re.IGNORECASE)
# "%PDF-" in base64, alone or as a data: URL (a PDF viewer's page handed over as text).
_BASE64_PDF_RE = re.compile(r"(?i:data:application/pdf;base64,)?JVBERi0")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# WHATWG: these labels all mean windows-1252 on the web.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "cp1252", "ascii": "cp1252", "l1": "cp1252",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030",
    "shift-jis": "shift_jis", "sjis": "shift_jis", "x-sjis": "shift_jis",
    "ks_c_5601-1987": "cp949", "euc-kr": "cp949",
    "tis-620": "cp874", "iso-8859-11": "cp874",
}


def decode_page(page: str | bytes, settings: Settings) -> str:
    """Return the page as normalised Unicode text, raising ``NotHtml``/``TooLarge`` early."""
    if len(page) > settings.max_html_chars:
        raise TooLarge(
            f"The page is {len(page):,} characters long; the limit is "
            f"{settings.max_html_chars:,}. Save a smaller part of it and try again."
        )
    if isinstance(page, str):
        text = normalise_text(page)
    else:
        text, is_utf8 = _decode(page)
        text = normalise_text(text, page if is_utf8 else None)
    text = repair_double_encoding(text)
    ensure_html(text)
    return text


def decode_bytes(data: bytes) -> str:
    """Decode page bytes with the charset they are in, whatever the page claims.

    Valid UTF-8 is taken as UTF-8 even when the page declares a single-byte charset: text in
    windows-1252 with any non-ASCII letter is almost never valid UTF-8, while CMSs often
    declare latin-1 over UTF-8 content. A declared charset the bytes do not fit is ignored
    in favour of a guess, never decoded with replacement characters.
    """
    return _decode(data)[0]


def _decode(data: bytes) -> tuple[str, bool]:
    """:func:`decode_bytes`, and whether ``data`` is the text's UTF-8 (valid UTF-8, no BOM)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), False
    text = _try_utf8(data)
    if text is not None:
        return text, True
    declared = declared_charset(data[:CHARSET_SNIFF_BYTES])
    if declared and declared != "utf-8":
        try:
            return data.decode(declared, errors="strict"), False
        except UnicodeDecodeError:
            pass
    guess = guess_charset(data)
    return data.decode(guess, errors="replace"), False


def declared_charset(head: bytes) -> str | None:
    """The charset a page declares in its first bytes, as a Python codec name, if valid."""
    match = _XML_ENCODING_RE.search(head) or _META_CHARSET_RE.search(head)
    if not match:
        return None
    return python_codec(match.group(1).decode("ascii", errors="ignore"))


def python_codec(label: str) -> str | None:
    """Map a web charset label to a Python codec name; None when unknown."""
    label = label.strip().lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    # A page that says utf-16 in a <meta> is ASCII-compatible bytes, which utf-16 is not.
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        return "utf-8"
    return codec


def guess_charset(data: bytes) -> str:
    """chardet's guess on a sample, falling back to windows-1252 (the web's default)."""
    try:
        import chardet  # readability-lxml depends on it
    except ImportError:  # pragma: no cover - a dependency of a dependency
        return "cp1252"
    guess = chardet.detect(data[:CHARDET_SAMPLE_BYTES]).get("encoding")
    return python_codec(guess) if guess and python_codec(guess) else "cp1252"


def _try_utf8(data: bytes) -> str | None:
    try:
        return data.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        return None


def normalise_text(text: str, utf8: bytes | None = None) -> str:
    """Drop BOMs, invisible word-internal marks (see ``INVISIBLE_MARKS``), NULs and stray
    control characters; replace lone surrogates. ``utf8``: the text's UTF-8 when the caller
    has it (the page's bytes), not encoded again."""
    dropped = drop_invisible_marks(text)
    if dropped is not text and dropped != text:
        utf8 = None  # the bytes no longer match the text
    text = dropped
    # Encoding to UTF-8 finds lone surrogates and, in the bytes, the control characters (one
    # byte each, never part of another character's bytes) several times faster than the two
    # regex scans; those run only on the rare page that needs them. (Text decoded from
    # UTF-8 has no lone surrogates.)
    try:
        raw = utf8 if utf8 is not None else text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE_RE.sub("\ufffd", _CONTROL_RE.sub("", text)).replace("\x0c", " ")
    if len(raw.translate(None, _CONTROL_BYTES)) != len(raw):
        text = _CONTROL_RE.sub("", text)
    return text.replace("\x0c", " ")


def drop_invisible_marks(text: str) -> str:
    """The text without the zero-width marks editors leave inside words ("H\ufeffow"): they
    show nothing, but split the word for every reader of the text (search, word counts)."""
    for mark in INVISIBLE_MARKS:
        if mark in text:
            text = text.replace(mark, "")
    return text


# UTF-8 bytes that were decoded as latin-1/windows-1252 and encoded again ("weâ€™ve",
# "weâ\x80\x99ve"): a lead byte Â-ô followed by continuation-looking characters.
_CP1252_CONTINUATION = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE_RE = re.compile(
    f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_CONTINUATION}]{{1,3}}")
# Repair only pages where the pattern is common: one "Ã©" can be real text.
MOJIBAKE_MIN_HITS = 3


def repair_double_encoding(text: str) -> str:
    """Undo UTF-8 that was decoded as windows-1252/latin-1 before it reached us.

    Each suspicious run is re-encoded and decoded as UTF-8; runs that do not form valid
    UTF-8 stay as they are, so real "Ã" or "â" in text is left alone.
    """
    if "\u00c3" not in text and "\u00e2" not in text and "\u00c2" not in text:
        return text
    if len(_MOJIBAKE_RE.findall(text, 0, 200_000)) < MOJIBAKE_MIN_HITS:
        return text

    def fix(match: re.Match) -> str:
        run = match.group(0)
        try:
            return _windows_1252_bytes(run).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run

    return _MOJIBAKE_RE.sub(fix, text)


def _windows_1252_bytes(run: str) -> bytes:
    """The bytes a browser read as windows-1252: cp1252's own characters, and for the five
    bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) the C1 control characters
    browsers map them to — "â€\x9d" is the UTF-8 of "”"."""
    out = bytearray()
    for ch in run:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                raise
            out.append(ord(ch))
    return bytes(out)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def ensure_html(text: str) -> None:
    """Raise ``NotHtml`` for input that is plainly something else (JSON, PDF, plain text, SVG)."""
    head = text[:2048].lstrip()
    if not head:
        raise NotHtml("The page is empty: there is no HTML to read.")
    if head.startswith("%PDF") or _BASE64_PDF_RE.match(head):
        raise NotHtml("This is a PDF document, not a web page. Open it in a PDF reader instead.")
    if head[0] in "{[" and _is_json(text):
        raise NotHtml("This is JSON data, not a web page. Send the page's HTML instead.")
    if _SVG_RE.match(head):
        raise NotHtml("This is an SVG image, not a web page.")
    if not _TAG_RE.search(text[:65536]):
        raise NotHtml(
            "This looks like plain text or binary data, not HTML. Send the page's HTML source."
        )
    # (the membership test first: most pages hold no replacement character, and it is a
    # faster scan than counting)
    if "\ufffd" in text and text.count("\ufffd") > max(64, len(text) // 20):
        raise NotHtml("This looks like binary data, not an HTML page.")
