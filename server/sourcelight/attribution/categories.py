"""Typing a source phrase read on its own: person, anonymous, organisation, media, document or
unknown, from its head noun, outlets, places and name evidence."""

from __future__ import annotations

import re
from functools import lru_cache

from .given_names import given_name_gender
from .source_lexicon import (DETERMINERS, MALE_FEMALE_PRONOUNS, ORG_PRONOUNS, WORD_RE,
                             SourceLexicon)


QUANTIFIERS = frozenset({"many", "some", "most", "few", "several", "other", "all", "both",
                         "numerous", "dozens", "hundreds", "thousands", "millions", "viele",
                         "einige", "manche", "mehrere"})


@lru_cache(maxsize=8192)
def category_of(phrase: str, lex: SourceLexicon) -> tuple[str, bool]:
    """(category, state media?) of a source phrase read on its own, by its head noun."""
    # (of the words only the first, lower-case and without its full stop or comma, and how
    # many there are are asked for: typing is a fifth of the entity table's time)
    words = WORD_RE.findall(phrase)
    first = words[0].lower().strip(".,") if words else ""
    words_in = phrase.split()
    last_lower = len(words_in) - 1  # the last word written in lower case (-1: none)
    while last_lower >= 0 and words_in[last_lower][:1].isupper():
        last_lower -= 1
    caps_tail = len(words_in) - last_lower - 1
    if 0 < caps_tail < len(words_in) and words_in[-caps_tail - 1].lower() in \
            lex.organization_heads:
        if caps_tail >= 2 and given_name_gender(words_in[-caps_tail]) is not None:
            return "person", False  # "software developer Ammar Askar": a person's role
        return "organization", False  # "whale rescue group Project Jonah"
    if lex.platforms_re.fullmatch(strip_determiner(phrase.strip())):
        return "organization", False  # "TikTok", "Google": the company speaks
    outlet = lex.outlets_re.search(phrase)
    if outlet:
        tail = phrase[outlet.end():].split()
        if len(tail) >= 2 and all(w[:1].isupper() for w in tail[-2:]) and \
                any(w.lower() in lex.role_nouns for w in tail[:-2]):
            return "person", False  # "the BBC's North America editor Jon Sopel": a journalist
        return "media", _state_media(phrase, lex)
    core = core_words(phrase)
    head = core[-1].lower() if core else ""
    two = " ".join(w.lower() for w in core[-2:])
    if len(words) >= 2 and first in QUANTIFIERS and words_in[-1][:1].isupper() and \
            words_in[-1].endswith("s"):
        return "unknown", False  # "Many Tunisians", "Some Republicans": a vague group
    if anonymous_head(phrase, lex):
        if head in lex.vague_group_heads and not lex.anonymity_re.search(phrase):
            return "unknown", False  # "critics", "most experts": a vague group, unnamed
        return "anonymous", False
    if head in lex.media_heads or two in lex.media_heads:
        return "media", _state_media(phrase, lex)
    if head in lex.document_heads or two in lex.document_heads:
        return "document", False
    stripped = without_possessive(strip_determiner(phrase).lower().strip())
    if without_possessive(phrase.lower().strip()) in lex.places or stripped in lex.places:
        # "Kenya", "Kenya’s": a state speaks as an organisation, and is never a person
        return "organization", False
    if head in lex.organization_heads or two in lex.organization_heads:
        return "organization", False
    if len(core) >= 2 and all(w[:1].isupper() for w in core) and core[-1].lower() in lex.places:
        return "organization", False  # "Gallup Korea", "Samsung Germany": a body in a country
    if first in MALE_FEMALE_PRONOUNS:
        return "person", False
    if first in ORG_PRONOUNS:
        return "unknown", False
    if core and ACRONYM_RE.fullmatch(core[0]) and len(core) <= 2:
        return "organization", False  # "HCA", "NATO", "IAEA Healthcare": an acronym
    if core and core[-1][:1].isupper():
        if len(core) == 1 and lex.noun_suffixes and core[0].lower().endswith(lex.noun_suffixes):
            return "unknown", False  # "Schätzung", "Polizeiangaben": a noun, not a name
        return "person", False
    return "unknown", False


def without_possessive(word: str) -> str:
    """"Kenya’s" → "Kenya"."""
    return word[:-2] if word.endswith(("’s", "'s")) else word


def is_place(name: str, lex: SourceLexicon) -> bool:
    """"Kenya", "Kenya’s", "the White House": a place the lexicon knows (a state that speaks
    is an organisation, never a person)."""
    return without_possessive(name.strip()).lower() in lex.places


def _state_media(phrase: str, lex: SourceLexicon) -> bool:
    """Does the phrase name a state outlet? (Asked only of media: a long pattern.)"""
    return bool(lex.state_media_re.search(phrase))


ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&.-]{1,4}")  # "HCA", "NATO"
# Where the noun phrase's post-modifiers begin ("the newspaper | of the ruling …").
POST_MODIFIER_RE = re.compile(r"\s+(?:of|with|who|which|that|from|at|in|for|on|by|published|"
                              r"released|issued|conducted|commissioned|familiar|close|"
                              r"speaking|whose|mit|die|der|aus|von|vom|des|bei)\b")
# Where an anonymous head's modifiers begin ("two … sources | with knowledge of …").
ANONYMOUS_MODIFIER_RE = re.compile(r"\s+(?:with|who|familiar|close|speaking|on|of|from|at|in|"
                                   r"for|mit|die|der|aus|von)\b")


def core_words(phrase: str) -> list[str]:
    """The words of the noun phrase up to its head, before post-modifiers ("the newspaper |
    of the ruling Communist Party")."""
    core = POST_MODIFIER_RE.split(phrase.strip(), maxsplit=1)[0]
    return [w for w in WORD_RE.findall(core) if w.lower() not in DETERMINERS]


def anonymous_head(phrase: str, lex: SourceLexicon) -> bool:
    """"two Japanese government sources with knowledge of …": the head noun (before any
    post-modifier) is an unnamed kind of person; capitalised words before it only modify."""
    core = ANONYMOUS_MODIFIER_RE.split(phrase.strip(), maxsplit=1)[0]
    tokens = WORD_RE.findall(core)
    if not tokens:
        return False
    head = tokens[-1]
    return head[:1].islower() and head.lower() in lex.anonymous_heads or \
        (head.lower() in lex.anonymous_heads and len(tokens) == 1)


def head_in(words: list[str], heads: frozenset[str]) -> bool:
    """Any word (or two-word phrase) of the phrase is one of these heads."""
    if any(w in heads for w in words):
        return True
    return any(f"{a} {b}" in heads for a, b in zip(words, words[1:]))


def head_word(words: list[str], heads: frozenset[str]) -> str:
    for w in reversed(words):
        if w in heads:
            return w.rstrip("s")
    return words[-1] if words else ""






def strip_determiner(phrase: str) -> str:
    parts = phrase.split(maxsplit=1)
    if len(parts) == 2 and parts[0].lower() in DETERMINERS:
        return parts[1]
    return phrase


ANONYMOUS_NAME_END_RE = re.compile(r"\s+(?:with|who|familiar|close|speaking|on condition|mit|"
                                   r"die|der)\b")
KEY_WORD_RE = re.compile(r"\w+")


def short_anonymous_name(phrase: str) -> str:
    """"two Japanese government sources with knowledge of the matter" → "two Japanese
    government sources"."""
    cut = ANONYMOUS_NAME_END_RE.split(phrase, maxsplit=1)[0]
    return cut.strip(" ,")


def norm_key(phrase: str) -> str:
    return " ".join(KEY_WORD_RE.findall(phrase.lower().replace("’s", "").replace("'s", "")))


def title_case_shouted(phrase: str) -> str:
    """"TRAVIS CANTWELL" (a transcript's speaker label) → "Travis Cantwell", so that it groups
    with the same person written normally; short acronyms ("NATO", "HCA") stay as they are."""
    words = phrase.split()
    if len(words) >= 1 and all(w.isupper() and len(w) > 1 for w in words) and \
            (len(words) > 1 or len(words[0]) > 5):
        return " ".join(w.capitalize() for w in words)
    return phrase


