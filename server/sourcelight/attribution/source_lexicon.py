"""The source lexicon of a language (typing heads, outlets, places, roles) and the shared
patterns for names; word lists are data (``lexicons/<lang>/sources.json``), compiled once."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).with_name("lexicons")
WORD_RE = re.compile(r"[\w’'.-]+")
# A capitalised run of words: a name ("Sanae Takaichi", "Japan’s Prime Minister’s Office").
# A full stop ends the run unless it closes a title or an initial ("Mr.", "John F. Kennedy").
NAME_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "St", "Jr", "Sr")
NAME_WORD = r"(?:(?:" + "|".join(NAME_ABBREVIATIONS) + r"|[A-Z])\.|[A-ZÄÖÜ][\w’'-]*)"
# Words of one name sit on one line: a list's items ("Congress", "Syria") are not a name.
NAME_RE = re.compile(NAME_WORD + r"(?:[ \t]+(?:" + NAME_WORD + r"|of|de|von|van|al|bin))*")
# The same pattern with its first word written to open with a character class: the regex
# engine then skips to the next capital in C, where for ``NAME_RE`` it tries the dozen
# alternatives of a name's first word at every character (``finditer`` three times slower
# on news text). Each abbreviation is the first letter read, then a lookbehind naming that
# letter and the abbreviation's rest, in ``NAME_WORD``'s order, so the matches are the same
# (tests/test_attribution_speed.py checks it).
NAME_SCAN_RE = re.compile(
    r"[A-ZÄÖÜ](?:(?:" + "|".join(f"(?<={a[0]}){a[1:]}" for a in NAME_ABBREVIATIONS) +
    r"|(?<=[A-Z]))\.|[\w’'-]*)(?:[ \t]+(?:" + NAME_WORD + r"|of|de|von|van|al|bin))*")
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "der", "die", "das", "den",
               "dem", "des", "ein", "eine", "einer", "einem", "einen"}
MALE_FEMALE_PRONOUNS = {"he", "she", "him", "her", "er", "sie", "i", "ich"}
ORG_PRONOUNS = {"it", "they", "we", "es", "wir"}
NAME_STOPWORDS = {"The", "A", "An", "In", "On", "At", "But", "And", "Asked", "When", "After", "If",
                  "Although", "While", "Because", "Since", "Yet", "So", "Or", "For", "With",
                  "Before", "As", "It", "This", "That", "He", "She", "They", "We", "I", "Der",
                  "Die", "Das", "Ein", "Eine", "Am", "Im", "Nach", "Laut", "Mr.", "Mrs.", "Ms.",
                  "Dr.", "Sen.", "Rep.", "Gov.", "President", "Prime", "Minister", "One", "Two",
                  "Three", "Nine", "Ten", "Media", "Image", "Caption", "Photo", "Video"}


TITLES = {"Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov.", "Gen.",
          "Prof.", "Herr", "Frau", "M.", "Mme", "Sr.", "Sra."}


@dataclass(frozen=True, eq=False)  # one per language (cached): compared and hashed by identity
class SourceLexicon:
    anonymous_heads: frozenset[str]
    vague_group_heads: frozenset[str]  # "critics", "experts": unspecified, not anonymous
    platforms_re: re.Pattern  # "TikTok", "Google": companies, typed organisation
    nouns_capitalised: bool  # German: a capitalised word is no evidence of a name
    time_words: frozenset[str]  # "Wednesday", "October": never a source's name
    trailing_words: frozenset[str]  # "also", "had", "last month" after a name: not the name
    anonymity_re: re.Pattern
    reason_res: tuple[re.Pattern, ...]
    document_heads: frozenset[str]
    media_heads: frozenset[str]
    organization_heads: frozenset[str]
    places: frozenset[str]
    outlets_re: re.Pattern
    state_media_re: re.Pattern
    role_nouns: frozenset[str]
    label_prefix_re: re.Pattern | None  # "Media caption Mr Obama": a page label, not a name
    noun_suffixes: tuple[str, ...]  # German: "Schätzung" is capitalised but no name


def _phrase_re(phrases: list[str], flags: int = re.IGNORECASE) -> re.Pattern:
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", flags)


@lru_cache(maxsize=None)
def source_lexicon(lang: str) -> SourceLexicon | None:
    """Compiled typing lists for a language (English lists serve languages without their own)."""
    path = LEXICON_DIR / lang / "sources.json"
    if not path.is_file():
        path = LEXICON_DIR / "en" / "sources.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    low = lambda words: frozenset(w.lower() for w in words)  # noqa: E731
    return SourceLexicon(
        anonymous_heads=low(data["anonymous_heads"]),
        vague_group_heads=low(data.get("vague_group_heads", [])),
        trailing_words=low(data.get("trailing_words", [])),
        time_words=low(data.get("time_words", [])),
        nouns_capitalised=bool(data.get("nouns_capitalised", False)),
        platforms_re=_phrase_re(data.get("platform_companies", []) or ["(?!)"], flags=0),
        anonymity_re=_phrase_re(data["anonymity_phrases"]),
        reason_res=tuple(re.compile(p, re.IGNORECASE) for p in data["anonymity_reason_patterns"]),
        document_heads=low(data["document_heads"]),
        media_heads=low(data["media_heads"]),
        organization_heads=low(data["organization_heads"]),
        places=low(data["places"]),
        outlets_re=_phrase_re(data["outlets"], flags=0),
        state_media_re=_phrase_re(data["state_media"]),
        role_nouns=low(data["role_nouns"]),
        label_prefix_re=(re.compile(r"^(?:" + "|".join(map(re.escape, data["label_prefixes"]))
                                    + r")\s+", re.IGNORECASE)
                         if data.get("label_prefixes") else None),
        noun_suffixes=tuple(w.lower() for w in data.get("noun_suffixes", [])),
    )


