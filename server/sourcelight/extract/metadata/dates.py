"""The publication date: JSON-LD and date meta tags, ``<time>``, the URL path, a date printed
near the headline, and last the modified date; and dates as pages write them ("2025-11-27T10:51
+09:00", epoch seconds, RFC 2822, "Nov. 27, 2025", "27. März 2025") as ISO 8601, keeping the
source's zone and never adding a time or zone it did not give.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml import html as lxml_html

from .json_ld import LinkedData
from .page import Page, clean_text
from .region import (VISIBLE_TEXT, headline_region, inside_unrelated_block,
                     nearby_candidates, page_candidates)


_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "article:published", "datepublished", "parsely-pub-date", "sailthru.date",
    "publish-date", "publish_date", "publishdate", "published_time", "published-date",
    "pubdate", "dc.date.issued", "dcterms.issued", "dcterms:issued", "dc.date.created",
    "dcterms.created", "dcterms:created", "citation_publication_date", "citation_date",
    "citation_online_date", "originalpublicationdate", "article.published", "date", "dc.date",
    "dc:date", "dcterms.date", "live_date", "publication_date", "created", "datecreated",
)
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "og:article:modified_time", "datemodified",
    "dcterms.modified", "dcterms:modified", "dc.date.modified", "last-modified", "lastmod",
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "januar", "janvier", "enero", "gennaio", "janeiro", "januari"),
            ("february", "feb", "februar", "février", "fevrier", "febrero", "febbraio",
             "fevereiro", "februari"),
            ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "maart"),
            ("april", "apr", "avril", "abril", "aprile"),
            ("may", "mai", "mayo", "maggio", "maio", "mei"),
            ("june", "jun", "juni", "juin", "junio", "giugno", "junho"),
            ("july", "jul", "juli", "juillet", "julio", "luglio", "julho"),
            ("august", "aug", "août", "aout", "agosto", "augustus"),
            ("september", "sep", "sept", "septembre", "septiembre", "settembre", "setembro"),
            ("october", "oct", "oktober", "octobre", "octubre", "ottobre", "outubro", "okt"),
            ("november", "nov", "novembre", "noviembre", "novembro"),
            ("december", "dec", "dezember", "décembre", "decembre", "diciembre", "dicembre",
             "dezembro", "dez"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_LIKE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{1,2}:\d{2}(?::\d{2})?)(?P<frac>[.,]\d+)?"
    r"\s*(?P<tz>Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$",
    re.I,
)
_MONTH_WORD = r"(?P<month>[^\W\d_]{3,10})\.?"
# Dates written for people, searched anywhere in a short text ("Published on July 18, 2025").
_TEXT_DATES = (
    # "November 27, 2025", "Nov. 27 2025", "Nov 27th, 2025"
    re.compile(
        rf"(?<!\w){_MONTH_WORD}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)",
        re.I,
    ),
    # "27 November 2025", "27. März 2025", "27th Nov, 2025", "27 de noviembre de 2025"
    re.compile(
        rf"(?<!\d)(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:de\s+)?{_MONTH_WORD},?\s+"
        rf"(?:de\s+)?(?P<year>\d{{4}})(?!\d)",
        re.I,
    ),
    # "2025-11-27", "2025/11/27", "2025.11.27"
    re.compile(r"(?<!\d)(?P<year>\d{4})[-/.](?P<nmonth>\d{1,2})[-/.](?P<day>\d{1,2})(?!\d)"),
    # "27.11.2025" (day first, as everywhere dots are used)
    re.compile(r"(?<![\d.])(?P<day>\d{1,2})\.(?P<nmonth>\d{1,2})\.(?P<year>\d{4})(?!\d)"),
    # "11/27/2025" or "27/11/2025": only read when the day is over 12, so the order is certain
    re.compile(r"(?<![\d/])(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})(?!\d)"),
)


_MIN_YEAR, _MAX_YEAR = 1990, 2100
_CLOCK = re.compile(r"\d{1,2}:\d{2}")
_RFC_ZONE = re.compile(r"[+-]\d{4}|GMT|UT|[ECMP][SD]T")
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|$|[-_])")
_MAX_DATE_ELEMENTS = 40
_MAX_DATE_TEXT = 160
# A line of text this short that holds a date is a dateline/byline, not a sentence.
_MAX_DATE_LINE = 80


def normalise_date(value: str | None) -> str | None:
    """An ISO 8601 string for a date as pages write it, or ``None``.

    Keeps the source's time zone ("2025-11-27T10:51:00+09:00" stays as is), keeps a
    date-only value date-only, and never adds a time or a zone the source did not give.
    """
    text = clean_text(value)
    if not text or len(text) > 80:
        return None
    for parse in (_parse_iso, _parse_epoch, _parse_rfc2822, search_text_date):
        result = parse(text)
        if result is not None:
            return result
    return None


def _in_range(year: int) -> bool:
    return _MIN_YEAR <= year <= _MAX_YEAR


def _parse_iso(text: str) -> str | None:
    """ISO 8601 and its everyday variants (space for T, "Z", "UTC", long fractions)."""
    match = _ISO_DATE.match(text)
    if match:
        return _make_date(int(match[1]), int(match[2]), int(match[3]))
    match = _ISO_LIKE.match(text)
    if match:
        tz = (match["tz"] or "").upper()
        if tz in ("Z", "UTC", "GMT"):
            tz = "+00:00"
        elif tz and ":" not in tz:
            tz = tz[:3] + ":" + (tz[3:] or "00")
        clock = match["time"]
        if len(clock.split(":")[0]) == 1:
            clock = "0" + clock
        frac = (match["frac"] or "").replace(",", ".")[:7]
        text = f"{match['date']}T{clock}{frac}{tz}"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if not _in_range(parsed.year):
        return None
    if ":" not in text:
        # "20251127" is a date; fromisoformat would add midnight.
        return parsed.date().isoformat()
    return parsed.isoformat(timespec="seconds")


def _parse_epoch(text: str) -> str | None:
    """Unix timestamps in seconds or milliseconds (UTC by definition)."""
    if not text.isdigit() or len(text) not in (10, 13):
        return None
    seconds = int(text) / (1000 if len(text) == 13 else 1)
    parsed = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(seconds=seconds)
    return parsed.isoformat(timespec="seconds") if _in_range(parsed.year) else None


def _parse_rfc2822(text: str) -> str | None:
    """ "Thu, 27 Nov 2025 10:51:00 +0900" (feeds and some meta tags)."""
    if not _CLOCK.search(text) or not _RFC_ZONE.search(text):
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.isoformat(timespec="seconds") if _in_range(parsed.year) else None


def search_text_date(text: str) -> str | None:
    """The first date written for people in ``text`` ("Updated Nov 27, 2025 at 3 pm"),
    as a date only: a time written in prose is too loosely tied to a zone to keep."""
    if not text or not any(ch.isdigit() for ch in text):
        return None
    best: tuple[int, str] | None = None
    for pattern in _TEXT_DATES:
        for match in pattern.finditer(text):
            found = _date_from_match(match.groupdict())
            if found and (best is None or match.start() < best[0]):
                best = (match.start(), found)
                break
    return best[1] if best else None


def _date_from_match(groups: dict[str, str | None]) -> str | None:
    year = int(groups["year"] or 0)
    if groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"] or 0)
        if a > 12 and b <= 12:
            return _make_date(year, b, a)
        if b > 12 and a <= 12:
            return _make_date(year, a, b)
        return None
    if groups.get("nmonth"):
        month = int(groups["nmonth"] or 0)
    else:
        month = month_number(groups.get("month") or "")
    if not month:
        return None
    return _make_date(year, month, int(groups["day"] or 0))


def _make_date(year: int, month: int, day: int) -> str | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found.isoformat() if _in_range(found.year) else None


def month_number(name: str) -> int | None:
    return _MONTHS.get(name.casefold().rstrip(".,"))


def read_published(page: Page, ld: LinkedData, url: str | None) -> str | None:
    """The publication date, from the most to the least explicit source.

    JSON-LD and date meta tags, <time>, the URL path, then a date printed near the
    headline; only when none has one, the last-modified date (what the page then shows).
    """
    raw_dates = (ld.published, *_meta_values(page, _DATE_META), ld.page_published)
    declared = [d for d in map(normalise_date, raw_dates) if d]
    if declared:
        return _prefer_local_time(declared)
    found = _date_from_time_elements(page) or _date_from_url(url) or _date_from_date_elements(page)
    if found:
        return found
    for raw in (ld.modified, *_meta_values(page, _MODIFIED_META)):
        found = normalise_date(raw)
        if found:
            return found
    return None


def _prefer_local_time(dates: list[str]) -> str:
    """The first date, but in the publisher's own zone when another source gives the same
    instant with a local offset: the local date is the one the page prints."""
    first = dates[0]
    if not first.endswith("+00:00"):
        return first
    instant = datetime.fromisoformat(first)
    for other in dates[1:]:
        if "T" in other and other[-6] in "+-" and not other.endswith("+00:00"):
            if datetime.fromisoformat(other) == instant:
                return other
    return first


def _meta_values(page: Page, names: Iterable[str]) -> Iterator[str]:
    """The first value of each named meta tag present, in the order of ``names``."""
    for name in names:
        values = page.meta.get(name)
        if values:
            yield values[0]


def _date_from_time_elements(page: Page) -> str | None:
    """A <time>: one marked as the publication time first, else the first outside comments
    and sidebars; its datetime attribute, else its text."""
    marked = [
        t for t in page.times
        if t.get("pubdate") is not None
        or (t.get("itemprop") or "").lower() == "datepublished"
        or "publish" in (t.get("class") or "").lower()
    ]
    for el in marked + [t for t in page.times if t not in marked]:
        if el not in marked and inside_unrelated_block(el):
            continue
        found = normalise_date(el.get("datetime"))
        found = found or search_text_date(clean_text(el.text_content()) or "")
        if found:
            return found
    return None


def _date_from_date_elements(page: Page) -> str | None:
    """A date printed in an element named like one (class "post-date", "published"…): near
    the headline first, then anywhere. Only reached when the page declares no date."""
    for candidates in (nearby_candidates(page).dates, page_candidates(page).dates[:_MAX_DATE_ELEMENTS]):
        for el in candidates:
            found = _date_in_element(el)
            if found:
                return found
    return _date_in_headline_text(page)


def _date_in_headline_text(page: Page) -> str | None:
    """A date printed in a short line around the headline, whatever its element is named
    (utility-class pages: <p class="text-sm text-gray-600">December 13, 2025</p>)."""
    region = headline_region(page)
    if region is None:
        return None
    for chunk in VISIBLE_TEXT(region):
        if len(chunk) <= _MAX_DATE_LINE and any(ch.isdigit() for ch in chunk):
            found = search_text_date(chunk)
            if found:
                return found
    return None


def _date_in_element(el: lxml_html.HtmlElement) -> str | None:
    if el.tag in ("html", "body", "script", "style", "meta", "link"):
        return None
    content = el.get("content") or el.get("datetime")
    found = normalise_date(content) if content else None
    if found:
        return found
    text = clean_text(el.text_content())
    if not text or len(text) > _MAX_DATE_TEXT or inside_unrelated_block(el):
        return None
    return search_text_date(text)


def _date_from_url(url: str | None) -> str | None:
    """/2025/11/27/ or /2025-11-27- in the URL path is a dependable publication day."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    match = _URL_DATE.search(path)
    return _make_date(int(match[1]), int(match[2]), int(match[3])) if match else None
