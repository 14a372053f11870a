"""What a pronoun or a description refers to: "she" is the person named last before it, "the
president" the person last given that title, "the sources" the last anonymous group, "its
readout" the organisation that is the sentence's subject."""

from __future__ import annotations

import re

from .categories import category_of, is_place, without_possessive
from .entities import EntityTable, compatible
from .given_names import FEMALE, MALE
from .model import Source
from .source_lexicon import NAME_SCAN_RE, NAME_STOPWORDS, SourceLexicon

# The gender a personal pronoun asks of its antecedent (German "sie" may be "they": none).
PRONOUN_GENDER = {"he": MALE, "him": MALE, "er": MALE, "she": FEMALE, "her": FEMALE}
# A card left named after a pronoun is nobody an "it" or "they" can refer to.
PRONOUN_NAMES = frozenset({"it", "they", "we", "he", "she", "i", "you", "es", "wir", "er",
                           "sie", "ich"})
# How far back "it" / "they" look for an organisation, a document or a group (characters).
GROUP_WINDOW = 1200
# How many earlier mentions "the sources" / "the report" look through (keeps long pages linear).
REFER_BACK_ENTRIES = 200
# "we" outside a quotation speaks for a body only right after it spoke (same paragraph or so).
WE_WINDOW = 300
# How far back "he" / "she" look for the last speaker of the right gender.
SPEAKER_WINDOW = 3000


def resolve_personal_pronoun(text: str, offset: int, pronoun: str, table: EntityTable,
                             history: list[tuple[int, Source]],
                             lex: SourceLexicon) -> str | None:
    """The person "he" / "she" / "I" most likely is: a compatible person named earlier in the
    same paragraph, else the last compatible speaker, else the last compatible person named in
    the two paragraphs before. A person of the other gender never is, nor a card named after a
    place ("Kenya", wherever it was typed a person): no country is "he"."""
    gender = PRONOUN_GENDER.get(pronoun)
    para_start = text.rfind("\n", 0, offset) + 1
    here = table.last_person_before(offset, gender, window=offset - para_start)
    if here:
        return here
    for at, entity in reversed(history):
        if at < offset - SPEAKER_WINDOW:
            break
        if entity.category == "person" and entity.name[:1].isupper() and \
                not is_place(entity.name, lex):
            person = table.person(entity.name)
            if compatible(person.gender if person else None, gender):
                return entity.name
    return table.last_person_before(offset, gender)


def _group_like(name: str) -> bool:
    """An untyped card "they" can mean: a group ("economists", "two of the officers"), not a
    fragment ("straightforward", "This")."""
    words = name.split()
    return len(words) >= 2 or (bool(words) and words[0].lower().endswith("s") and
                               words[0][:1].islower())


def resolve_group_pronoun(offset: int, pronoun: str,
                          history: list[tuple[int, Source]]) -> Source | None:
    """"it" / "they" / "we": the last organisation, outlet, document or group that spoke
    shortly before; a person never is."""
    wanted = {"it": ("organization", "media", "document"),
              "es": ("organization", "media", "document"),
              "we": ("organization", "media"), "wir": ("organization", "media")}.get(
        pronoun, ("organization", "media", "anonymous", "unknown"))
    window = GROUP_WINDOW if pronoun not in ("we", "wir") else WE_WINDOW
    for at, entity in reversed(history):
        if at < offset - window:
            break
        if entity.category in wanted and entity.name.lower() not in PRONOUN_NAMES and \
                (entity.category != "unknown" or _group_like(entity.name)):
            return entity
    return None


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
    for _, entity in reversed(history[-REFER_BACK_ENTRIES:]):
        if entity.category == "anonymous" and head in lex.anonymous_heads and \
                head.rstrip("s") in entity.name.lower():
            return entity
        if head in lex.document_heads and entity.category in ("media", "document"):
            return entity
    return None



# How far back "the president" looks for "President Barack Obama" (keeps long pages linear).
TITLE_WINDOW = 20_000


def titled_person(text: str, offset: int, role: str, names: dict[str, str],
                  lex: SourceLexicon) -> str | None:
    """"the president" after "President Barack Obama": the last person the article gave that
    title. The name follows the title on its line ("the US president" closing a caption is
    no title of the heading "Kenya trip" below it); a place is nobody's name, and a day or a
    month after the title is when ("a letter to the president Tuesday")."""
    best = None
    for match in re.finditer(rf"\b(?i:{re.escape(role)})[ \t]+((?:[A-Z][\w’'-]+[ \t]?){{1,3}})",
                             text[max(0, offset - TITLE_WINDOW):offset]):
        words = _name_before_time_word(match.group(1).split(), names, lex)
        if not words:
            continue
        name = names.get(words[-1]) or " ".join(words)
        if name in names.values() or category_of(name, lex)[0] == "person":
            best = name
    return best


def _name_before_time_word(words: list[str], names: dict[str, str],
                           lex: SourceLexicon) -> list[str]:
    """The words of a name, possessives dropped, up to a day or month ("Obama Tuesday" →
    "Obama"); a word the article knows as a person's name ("May") stays."""
    kept = []
    for word in map(without_possessive, words):
        if word.lower() in lex.time_words and word not in names:
            break
        kept.append(word)
    return kept


def nearest_person(text: str, offset: int, names: dict[str, str],
                   same_sentence: bool = False) -> str | None:
    """The person named last before ``offset`` (in its sentence, or the one before)."""
    start = text.rfind("\n", 0, offset) + 1
    window_start = max(start if same_sentence else max(0, start - 400), offset - 600)
    window = text[window_start:offset]
    best = None
    for match in NAME_SCAN_RE.finditer(window):
        tokens = [without_possessive(t) for t in match.group(0).split() if t not in NAME_STOPWORDS]
        for token in reversed(tokens):
            if token in names:
                best = names[token]
                break
    return best


def owner_in_sentence(text: str, offset: int, lex: SourceLexicon) -> str | None:
    """"Japan’s Prime Minister’s Office referred Reuters to its readout": the first
    organisation-like name before the possessive in that sentence."""
    start = max(text.rfind(". ", 0, offset), text.rfind("\n", 0, offset)) + 1
    for match in NAME_SCAN_RE.finditer(text[start:offset]):
        name = match.group(0)
        category, _ = category_of(name, lex)
        if category in ("organization", "media"):
            return name.strip()
    return None


