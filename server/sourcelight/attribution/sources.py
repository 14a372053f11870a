"""Type each attribution's source and group the mentions of one source into an entity.

"two Japanese government sources … / the sources / one of the sources" is one anonymous
source; "she" is the person named last before it; "the Chinese leader" is the person named in
that sentence; "an editorial published by the newspaper …" and "the article" are the
newspaper; "its readout" belongs to the organisation that is the sentence's subject.
Word lists are data (``lexicons/<lang>/sources.json``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .model import Attribution, Source

LEXICON_DIR = Path(__file__).with_name("lexicons")
WORD_RE = re.compile(r"[\w’'.-]+")
# A capitalised run of words: a name ("Sanae Takaichi", "Japan’s Prime Minister’s Office").
# A full stop ends the run unless it closes a title or an initial ("Mr.", "John F. Kennedy").
NAME_WORD = r"(?:(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|St|Jr|Sr|[A-Z])\.|[A-ZÄÖÜ][\w’'-]*)"
# Words of one name sit on one line: a list's items ("Congress", "Syria") are not a name.
NAME_RE = re.compile(NAME_WORD + r"(?:[ \t]+(?:" + NAME_WORD + r"|of|de|von|van|al|bin))*")
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


@dataclass(frozen=True)
class SourceLexicon:
    anonymous_heads: frozenset[str]
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


@dataclass
class Mention:
    attribution: Attribution
    text: str
    category: str
    key: str  # what mentions of one entity share
    name: str
    state_media: bool = False
    entity: Source | None = None  # set when the mention refers back to a known entity
    how: str = ""  # how the mention was resolved: evidence for the confidence stage


def group_sources(text: str, attributions: list[Attribution], lang: str | None,
                  non_prose: Sequence[tuple[int, int]] = ()) -> list[Source]:
    """Type every source mention, group mentions into entities, and set ``entity`` on each
    attribution. Entities come in order of first mention. Names inside ``non_prose`` spans
    (captions, credits) are no antecedents."""
    lex = source_lexicon((lang or "en").split("-")[0])
    names = person_names(text, lex)
    entities: list[Source] = []
    by_key: dict[str, Source] = {}
    history: list[tuple[int, Source]] = []  # (offset, entity) in text order
    for a in sorted(attributions, key=lambda a: a.source[0] if a.source else a.content[0]):
        if a.source is None:
            continue
        mention = describe(text, a, lex, names, history)
        entity = mention.entity or by_key.get(mention.key)
        if entity is None:
            entity = Source(id=f"e{len(entities) + 1}", name=mention.name,
                            category=mention.category, state_media=mention.state_media)
            entities.append(entity)
            by_key[mention.key] = entity
        entity.mentions.append(a.id)
        a.entity = entity.id
        a.evidence.append(f"source:{mention.how or mention.category}")
        if entity.category == "anonymous" and entity.anonymity_reason is None:
            entity.anonymity_reason = anonymity_reason(text, a.source, lex)
        history.append((a.source[0], entity))
    return entities


# "Maria Lopez, who", "eine Schätzung, wonach": the relative word marks the clause the source
# opens; the name is the phrase before it.
TRAILING_RELATIVE_RE = re.compile(r"\s*,\s*(?:who|which|that|wonach|demnach|der|die|das|qui|"
                                  r"que)$", re.IGNORECASE)


def describe(text: str, a: Attribution, lex: SourceLexicon, names: dict[str, str],
             history: list[tuple[int, Source]]) -> Mention:
    """Category, grouping key and display name of one source mention."""
    phrase = TRAILING_RELATIVE_RE.sub("", text[a.source[0]:a.source[1]].strip())
    phrase = lex.label_prefix_re.sub("", phrase) if lex.label_prefix_re else phrase
    phrase = _title_case_shouted(phrase)
    name_first = re.match(r"((?:[A-Z][\w’'.-]*\s+){1,3}[A-Z][\w’'-]*),\s+(?:the|a|an|one|"
                          r"der|die|das|ein|eine|le|la|un|une|el)\s", phrase)
    if name_first and _category_of(name_first.group(1), lex)[0] == "person":
        phrase = name_first.group(1)  # "Zeph Capo, the president of the union" is Zeph Capo
    words = [w.lower().strip(".,") for w in WORD_RE.findall(phrase)]
    # Pronouns and descriptions refer back.
    if len(words) == 1 and words[0] in MALE_FEMALE_PRONOUNS:
        person = nearest_person(text, a.source[0], names) or _last_person(history)
        if person:
            return Mention(a, phrase, "person", _person_key(person), person, how="pronoun")
        return Mention(a, phrase, "unknown", f"pronoun:{words[0]}", phrase,
                       how="pronoun-unresolved")
    back = refer_back(words, history, lex)
    if back is not None:
        return Mention(a, phrase, back.category, _key_of(back), back.name, back.state_media,
                       entity=back, how="refer-back")
    core = _core_words(phrase)
    if core and core[-1][:1].islower() and core[-1].lower() in lex.role_nouns and \
            words[0] in DETERMINERS:
        person = nearest_person(text, a.source[0], names, same_sentence=True) or \
            titled_person(text, a.source[0], core[-1], names)
        if person:
            return Mention(a, phrase, "person", _person_key(person), person,
                           how="description-resolved")
    # A document published by someone is that someone's word.
    published = re.search(r"\b(?:published|issued|released|posted)\s+by\s+(.+)$", phrase)
    if published and _head_in(words, lex.document_heads):
        owner = published.group(1).strip()
        owner_cat, state = _category_of(owner, lex)
        if owner_cat in ("media", "organization", "person"):
            return Mention(a, phrase, owner_cat, f"{owner_cat}:{_norm(owner)}", owner, state,
                           how="document-owner")
    if words and words[0] in ("its", "their", "seine", "ihre"):
        owner = owner_in_sentence(text, a.source[0], lex)
        if owner:
            owner_cat, state = _category_of(owner, lex)
            return Mention(a, phrase, owner_cat, f"{owner_cat}:{_norm(owner)}", owner, state,
                           how="possessive-owner")
    category, state = _category_of(phrase, lex)
    if category == "person":
        full = _full_name(_after_role(phrase, lex), names)
        how = "pronoun-unresolved" if words and words[0] in MALE_FEMALE_PRONOUNS else \
            "name-full" if len(full.split()) >= 2 else "name-single"
        return Mention(a, phrase, "person", _person_key(full), full, how=how)
    if category == "anonymous":
        name = _short_anonymous_name(phrase)
        return Mention(a, phrase, category, f"anonymous:{_head_word(words, lex.anonymous_heads)}:"
                       f"{_norm(name)}", name)
    outlet = lex.outlets_re.search(phrase) if category == "media" else None
    name = outlet.group(0) if outlet else (
        _strip_determiner(phrase) if category != "organization" else phrase)
    key = _norm(outlet.group(0)) if outlet else _norm(_strip_determiner(phrase))
    return Mention(a, phrase, category, f"{category}:{key}", name, state)


def _category_of(phrase: str, lex: SourceLexicon) -> tuple[str, bool]:
    """(category, state media?) of a source phrase read on its own, by its head noun."""
    words = [w.lower().strip(".,") for w in WORD_RE.findall(phrase)]
    state = bool(lex.state_media_re.search(phrase))
    words_in = phrase.split()
    caps_tail = len(words_in) - next((i for i in range(len(words_in) - 1, -1, -1)
                                      if not words_in[i][:1].isupper()), -1) - 1
    if 0 < caps_tail < len(words_in) and words_in[-caps_tail - 1].lower() in \
            lex.organization_heads:
        return "organization", False  # "whale rescue group Project Jonah"
    outlet = lex.outlets_re.search(phrase)
    if outlet:
        tail = phrase[outlet.end():].split()
        if len(tail) >= 2 and all(w[:1].isupper() for w in tail[-2:]) and \
                any(w.lower() in lex.role_nouns for w in tail[:-2]):
            return "person", False  # "the BBC's North America editor Jon Sopel": a journalist
        return "media", state
    core = _core_words(phrase)
    head = core[-1].lower() if core else ""
    two = " ".join(w.lower() for w in core[-2:])
    if _anonymous_head(phrase, lex):
        return "anonymous", False
    if head in lex.media_heads or two in lex.media_heads:
        return "media", state
    if head in lex.document_heads or two in lex.document_heads:
        return "document", False
    stripped = _strip_determiner(phrase).lower().strip()
    if phrase.lower().strip() in lex.places or stripped in lex.places:
        return "organization", False
    if head in lex.organization_heads or two in lex.organization_heads:
        return "organization", False
    if words and words[0] in MALE_FEMALE_PRONOUNS:
        return "person", False
    if words and words[0] in ORG_PRONOUNS:
        return "unknown", False
    if core and re.fullmatch(r"[A-Z][A-Z0-9&.-]{1,4}", core[0]) and len(core) <= 2:
        return "organization", False  # "HCA", "NATO", "IAEA Healthcare": an acronym
    if core and core[-1][:1].isupper():
        if len(core) == 1 and lex.noun_suffixes and core[0].lower().endswith(lex.noun_suffixes):
            return "unknown", False  # "Schätzung", "Polizeiangaben": a noun, not a name
        return "person", False
    return "unknown", False


def _core_words(phrase: str) -> list[str]:
    """The words of the noun phrase up to its head, before post-modifiers ("the newspaper |
    of the ruling Communist Party")."""
    core = re.split(r"\s+(?:of|with|who|which|that|from|at|in|for|on|by|published|released|"
                    r"issued|conducted|commissioned|familiar|close|"
                    r"speaking|whose|mit|die|der|aus|von|vom|des|bei)\b", phrase.strip(),
                    maxsplit=1)[0]
    return [w for w in WORD_RE.findall(core) if w.lower() not in DETERMINERS]


def _anonymous_head(phrase: str, lex: SourceLexicon) -> bool:
    """"two Japanese government sources with knowledge of …": the head noun (before any
    post-modifier) is an unnamed kind of person; capitalised words before it only modify."""
    core = re.split(r"\s+(?:with|who|familiar|close|speaking|on|of|from|at|in|for|mit|die|der|"
                    r"aus|von)\b", phrase.strip(), maxsplit=1)[0]
    tokens = WORD_RE.findall(core)
    if not tokens:
        return False
    head = tokens[-1]
    return head[:1].islower() and head.lower() in lex.anonymous_heads or \
        (head.lower() in lex.anonymous_heads and len(tokens) == 1)


def _head_in(words: list[str], heads: frozenset[str]) -> bool:
    """Any word (or two-word phrase) of the phrase is one of these heads."""
    if any(w in heads for w in words):
        return True
    return any(f"{a} {b}" in heads for a, b in zip(words, words[1:]))


def _head_word(words: list[str], heads: frozenset[str]) -> str:
    for w in reversed(words):
        if w in heads:
            return w.rstrip("s")
    return words[-1] if words else ""






def _strip_determiner(phrase: str) -> str:
    parts = phrase.split(maxsplit=1)
    if len(parts) == 2 and parts[0].lower() in DETERMINERS:
        return parts[1]
    return phrase


def _short_anonymous_name(phrase: str) -> str:
    """"two Japanese government sources with knowledge of the matter" → "two Japanese
    government sources"."""
    cut = re.split(r"\s+(?:with|who|familiar|close|speaking|on condition|mit|die|der)\b", phrase,
                   maxsplit=1)[0]
    return cut.strip(" ,")


def _norm(phrase: str) -> str:
    return " ".join(re.findall(r"\w+", phrase.lower().replace("’s", "").replace("'s", "")))


def _key_of(entity: Source) -> str:
    return f"{entity.category}:{entity.id}"


# ---------------------------------------------------------------- references back
def refer_back(words: list[str], history: list[tuple[int, Source]],
               lex: SourceLexicon) -> Source | None:
    """"the sources", "one of the sources", "the article": the last entity of that kind."""
    if not words or not history:
        return None
    definite = words[0] in ("the", "one", "der", "die", "das") or words[:3] == ["one", "of", "the"]
    if not definite or len(words) > 5:
        return None
    head = words[-1]
    for _, entity in reversed(history):
        if entity.category == "anonymous" and head in lex.anonymous_heads and \
                head.rstrip("s") in entity.name.lower():
            return entity
        if head in lex.document_heads and entity.category in ("media", "document"):
            return entity
    return None


def person_names(text: str, lex: SourceLexicon | None = None) -> dict[str, str]:
    """Full person names of two or more capitalised words, keyed by every surname form
    (places, organisations and outlets — "South Carolina", "Islamic State" — are left out)."""
    names: dict[str, str] = {}
    for match in NAME_RE.finditer(text):
        tokens = [t for t in match.group(0).split() if t not in NAME_STOPWORDS and t not in TITLES]
        if len(tokens) < 2 or any(t.endswith(("’s", "'s")) for t in tokens):
            continue
        full = " ".join(tokens)
        if lex is not None and _category_of(full, lex)[0] != "person":
            continue
        # "Jamie Werner of Ngātiwai" is Werner: the surname comes before "of".
        own = re.split(r"\s+(?:of|from|at|von|aus|de)\s+", full, maxsplit=1)[0].split()
        names.setdefault(own[-1], full)
        names.setdefault(full, full)
    return names


TITLES = {"Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov.", "Gen.",
          "Prof.", "Herr", "Frau", "M.", "Mme", "Sr.", "Sra."}


def _full_name(phrase: str, names: dict[str, str]) -> str:
    """The fullest form of a person's name the article gives ("Mr Obama" → "Barack Obama")."""
    phrase = re.split(r"\s+(?:of|from|at|von|aus|de)\s+", phrase, maxsplit=1)[0]
    tokens = [t.rstrip(",") for t in WORD_RE.findall(phrase)
              if t[:1].isupper() and t not in NAME_STOPWORDS and t not in TITLES]
    if not tokens:
        return phrase
    surname = tokens[-1]
    full = names.get(surname)
    own = re.split(r"\s+(?:of|from|at|von|aus|de)\s+", full, maxsplit=1)[0] if full else ""
    if full and own.split()[-1] == surname and len(own.split()) >= len(tokens):
        return own
    return " ".join(tokens)


def _person_key(name: str) -> str:
    """Mentions of one person share a surname ("Barack Obama", "Mr Obama", "Obama"; "Jamie
    Werner of Ngātiwai" is Werner)."""
    core = re.split(r"\s+(?:of|from|at|von|aus|de)\s+", name, maxsplit=1)[0].split()
    return "person:" + core[-1].lower() if core else "person:"


def _after_role(phrase: str, lex: SourceLexicon) -> str:
    """"the BBC's North America editor Jon Sopel" → "Jon Sopel": the name after the role."""
    words = phrase.split()
    roles = [i for i, w in enumerate(words) if w.lower().strip(",") in lex.role_nouns]
    if roles and roles[-1] < len(words) - 1 and words[-1][:1].isupper():
        return " ".join(words[roles[-1] + 1:])
    return phrase


def _last_person(history: list[tuple[int, Source]]) -> str | None:
    """The person the article quoted last: who "he" or "she" most likely is when no name
    stands nearby."""
    return next((entity.name for _, entity in reversed(history) if entity.category == "person"
                 and len(entity.name.split()) >= 1 and entity.name[:1].isupper()), None)


# How far back "the president" looks for "President Barack Obama" (keeps long pages linear).
TITLE_WINDOW = 20_000


def titled_person(text: str, offset: int, role: str, names: dict[str, str]) -> str | None:
    """"the president" after "President Barack Obama": the last person the article gave that
    title."""
    best = None
    for match in re.finditer(rf"\b(?i:{re.escape(role)})\s+((?:[A-Z][\w’'-]+[ \t]?){{1,3}})",
                             text[max(0, offset - TITLE_WINDOW):offset]):
        words = match.group(1).split()
        if words and words[0][:1].isupper():
            best = names.get(words[-1]) or " ".join(words)
    return best


def _title_case_shouted(phrase: str) -> str:
    """"TRAVIS CANTWELL" (a transcript's speaker label) → "Travis Cantwell", so that it groups
    with the same person written normally; short acronyms ("NATO", "HCA") stay as they are."""
    words = phrase.split()
    if len(words) >= 1 and all(w.isupper() and len(w) > 1 for w in words) and \
            (len(words) > 1 or len(words[0]) > 5):
        return " ".join(w.capitalize() for w in words)
    return phrase


def nearest_person(text: str, offset: int, names: dict[str, str],
                   same_sentence: bool = False) -> str | None:
    """The person named last before ``offset`` (in its sentence, or the one before)."""
    start = text.rfind("\n", 0, offset) + 1
    window_start = max(start if same_sentence else max(0, start - 400), offset - 600)
    window = text[window_start:offset]
    best = None
    for match in NAME_RE.finditer(window):
        tokens = [t.rstrip("’s").rstrip("'s") if t.endswith(("’s", "'s")) else t
                  for t in match.group(0).split() if t not in NAME_STOPWORDS]
        for token in reversed(tokens):
            if token in names:
                best = names[token]
                break
    return best


def owner_in_sentence(text: str, offset: int, lex: SourceLexicon) -> str | None:
    """"Japan’s Prime Minister’s Office referred Reuters to its readout": the first
    organisation-like name before the possessive in that sentence."""
    start = max(text.rfind(". ", 0, offset), text.rfind("\n", 0, offset)) + 1
    for match in NAME_RE.finditer(text[start:offset]):
        name = match.group(0)
        category, _ = _category_of(name, lex)
        if category in ("organization", "media"):
            return name.strip()
    return None


def anonymity_reason(text: str, source: tuple[int, int], lex: SourceLexicon) -> str | None:
    """The reason the article gives for not naming the source, when it gives one."""
    end = text.find("\n", source[1])
    window = text[source[0]:end if end != -1 else len(text)]
    for pattern in lex.reason_res:
        match = pattern.search(window)
        if match:
            return match.group(1).strip(" ,.")
    return None
