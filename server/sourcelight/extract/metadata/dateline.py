"""The dateline an agency story opens with ("TOKYO, Nov 27 (Reuters) – …") and its wire
service; the agency names and the all-caps labels that are no places live in
``data/wire_services.json``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path


_DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _load_wire_services() -> tuple[dict[str, str], frozenset[str]]:
    """Alias -> display name (keys case-folded) and the all-caps labels that are not places."""
    data = json.loads((_DATA_DIR / "wire_services.json").read_text(encoding="utf-8"))
    aliases = {alias.casefold(): name for alias, name in data["aliases"].items()}
    labels = frozenset(label.casefold() for label in data.get("not_datelines", ()))
    return aliases, labels


_WIRE_ALIASES, _NOT_DATELINES = _load_wire_services()
# Longest first, so "Associated Press" wins over "AP" and "dpa-AFX" over "dpa".
_WIRE_ALT = "|".join(re.escape(a) for a in sorted(_WIRE_ALIASES, key=len, reverse=True))
_WIRE_LIST = re.compile(rf"(?:{_WIRE_ALT})(?:\s*[/,;&]\s*(?:{_WIRE_ALT}))*", re.I)
_WIRE_FIRST = re.compile(rf"{_WIRE_ALT}", re.I)
_DASH = r"(?:--|[-–—])"
# A place: letters with inner periods, apostrophes, hyphens, single spaces and slashes
# ("ST. LOUIS", "WINSTON-SALEM", "SAN FRANCISCO/NEW YORK"). Capitals are checked in code
# because Python's re has no upper-case letter class covering accented letters.
_PLACE = r"[^\W\d_](?:[^\W\d_]|[.'’]|-(?=[^\W\d_])|\s(?=[^\W\d_(])|\s?/\s?(?=[^\W\d_]))*"
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE})"
    # ", Nov 27" / ", 3. März" / ", Ukraine" / ", N.C."
    rf"(?:,\s*(?P<extra>[^\W_][^()\n:;!?\"“”]{{0,39}}?))?"
    # then "(Agency)" with an optional dash, or a dash alone
    rf"(?:\s*\((?P<paren>[^()\n]{{1,40}})\)\s*(?P<paren_dash>{_DASH})?"
    rf"|\s*(?P<dash>--|[–—])|\s+(?P<hyphen>-)(?=\s))"
    rf"(?P<after>.{{0,40}})",
    re.S,
)
_WIRE_ONLY = re.compile(
    rf"^\((?P<paren>[^()\n]{{1,40}})\)\s*(?P<dash>{_DASH})?(?P<after>\s*.{{0,40}})", re.S
)
_DATELINE_WINDOW = 200
_MAX_PLACE_WORDS = 4


def _wire_name(paren: str | None) -> str | None:
    """The display name of the agency in "(…)", when it is one or a list of known ones."""
    if not paren:
        return None
    paren = paren.strip()
    if not _WIRE_LIST.fullmatch(paren):
        return None
    first = _WIRE_FIRST.match(paren)
    return _WIRE_ALIASES.get(first.group(0).casefold()) if first else None


def _is_place(place: str, *, strict: bool) -> bool:
    """A dateline place: capitals (title case allowed only with a known agency), a few words."""
    letters = sum(ch.isalpha() for ch in place)
    if letters < 2 or place.casefold() in _NOT_DATELINES:
        return False
    segments = re.split(r"\s?/\s?", place)
    if any(len(seg.split()) > _MAX_PLACE_WORDS for seg in segments):
        return False
    if place.isupper():
        return True
    if strict:
        return False
    # "Berlin", "Frankfurt am Main", "Rio de Janeiro": capitalised words, short particles between.
    for seg in segments:
        words = [w for w in seg.split() if w[:1].isalpha()]
        if not words or not words[0][:1].isupper() or not words[-1][:1].isupper():
            return False
        if any(not w[:1].isupper() and len(w) > 3 for w in words):
            return False
    return True


def _running_text(after: str) -> bool:
    """The story continues in ordinary case (an all-caps headline is not a dateline)."""
    return any(ch.islower() for ch in after) or not any(ch.isalpha() for ch in after)


def find_dateline(text: str) -> tuple[str | None, str | None]:
    """Return ``(dateline, wire_service)`` when the story opens with a dateline, else Nones.

    "TOKYO, Nov 27 (Reuters) – U.S. President …" gives ("TOKYO", "Reuters");
    "NEW YORK — …" gives ("NEW YORK", None); "(Reuters) - …" gives (None, "Reuters").
    Only the first ~200 characters of the first paragraph are read.
    """
    if not text:
        return None, None
    first = text.lstrip().split("\n", 1)[0].strip()[:_DATELINE_WINDOW]
    if not first:
        return None, None

    only = _WIRE_ONLY.match(first)
    if only:
        wire = _wire_name(only["paren"])
        if wire and _running_text(only["after"]):
            return None, wire
        return None, None

    match = _DATELINE.match(first)
    if not match:
        return None, None
    place = match["place"].strip()
    wire = _wire_name(match["paren"])
    dash = bool(match["paren_dash"] or match["dash"] or match["hyphen"])
    if not _running_text(match["after"]):
        return None, None  # an all-caps headline, not a story's first line

    if wire:
        # With a named agency a title-case place is fine ("Berlin (dpa) - …"), but then a dash
        # must follow, so "The Associated Press (AP) reported" is not read as a dateline.
        if _is_place(place, strict=not dash):
            return place, wire
        return None, None
    if not dash:
        return None, None
    extra = match["extra"]
    if extra is not None and match["paren"] is None and not _extra_is_dateline_detail(extra):
        return None, None
    if not _is_place(place, strict=True):
        return None, None
    if match["paren"] is None and match["extra"] is None and sum(ch.isalpha() for ch in place) < 3:
        # "AI — …", "US — …": too short to tell a place from an acronym.
        return None, None
    return place, None


def _extra_is_dateline_detail(extra: str) -> bool:
    """After "PLACE," a dateline has a date or a region ("Nov 27", "Ill.", "Ukraine")."""
    extra = extra.strip()
    return bool(extra) and (extra[0].isdigit() or extra[0].isupper()) and len(extra.split()) <= 5
