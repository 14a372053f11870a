"""Type each attribution's source and group the mentions of one source into an entity.

"two Japanese government sources … / the sources / one of the sources" is one anonymous
source; "she" is the person named last before it; "the Chinese leader" is the person named in
that sentence; "an editorial published by the newspaper …" and "the article" are the
newspaper; "its readout" belongs to the organisation that is the sentence's subject.
Word lists are data (``lexicons/<lang>/sources.json``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .categories import (DETERMINERS, anonymous_head, category_of, core_words, head_in,
                         head_word, is_place, norm_key, short_anonymous_name, strip_determiner,
                         title_case_shouted, without_possessive)
from .coreference import (nearest_person, owner_in_sentence, refer_back,
                          resolve_group_pronoun, resolve_personal_pronoun, titled_person)
from .entities import EntityTable, after_role, build_entity_table, full_name, person_key
from .given_names import given_name_gender
from .model import Attribution, Source
from .source_lexicon import (MALE_FEMALE_PRONOUNS, ORG_PRONOUNS, TITLES, WORD_RE,
                             SourceLexicon, source_lexicon)

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
    role: str | None = None  # "the Democratic Party leader" after "Lee, …"


def group_sources(text: str, attributions: list[Attribution], lang: str | None,
                  non_prose: Sequence[tuple[int, int]] = ()) -> list[Source]:
    """Type every source mention, group mentions into entities, and set ``entity`` on each
    attribution. Entities come in order of first mention. Names inside ``non_prose`` spans
    (captions, credits) are no antecedents."""
    if all(a.source is None for a in attributions):
        return []  # nobody to type or group: the entity table is not needed
    lex = source_lexicon((lang or "en").split("-")[0])
    table = build_entity_table(text, lex, non_prose)
    entities: list[Source] = []
    by_key: dict[str, Source] = {}
    history: list[tuple[int, Source]] = []  # (offset, entity) in text order
    for a in sorted(attributions, key=lambda a: a.source[0] if a.source else a.content[0]):
        if a.source is None:
            continue
        mention = describe(text, a, lex, table, history)
        entity = mention.entity or by_key.get(mention.key) or _named_more_fully(mention,
                                                                                entities)
        if entity is not None and mention.how not in ("pronoun-unresolved", "author"):
            a.evidence.append("entity:seen")  # a source the article has quoted before
        if entity is None:
            person = table.person(mention.name) if mention.category == "person" else None
            entity = Source(id=f"e{len(entities) + 1}", name=mention.name,
                            category=mention.category, state_media=mention.state_media,
                            role=mention.role or (person.role if person else None))
            entities.append(entity)
            by_key[mention.key] = entity
        entity.mentions.append(a.id)
        a.entity = entity.id
        entity.role = entity.role or mention.role
        a.evidence.append(f"source:{mention.how or mention.category}")
        if entity.category == "anonymous" and entity.anonymity_reason is None:
            entity.anonymity_reason = anonymity_reason(text, a.source, lex)
        history.append((a.source[0], entity))
    return entities


# "Zeph Capo, the president of the union": a name, then a description of its bearer.
NAME_FIRST_RE = re.compile(r"((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*),\s+((?:the|a|an|one|"
                           r"der|die|das|ein|eine|le|la|un|une|el)\s.*)$")
# "Maria Lopez, who", "eine Schätzung, wonach": the relative word marks the clause the source
# opens; the name is the phrase before it.
TRAILING_RELATIVE_RE = re.compile(r"\s*,\s*(?:who|which|that|wonach|demnach|der|die|das|qui|"
                                  r"que)$", re.IGNORECASE)


def describe(text: str, a: Attribution, lex: SourceLexicon, table: EntityTable,
             history: list[tuple[int, Source]]) -> Mention:
    """Category, grouping key and display name of one source mention."""
    names = table.names
    phrase = TRAILING_RELATIVE_RE.sub("", text[a.source[0]:a.source[1]].strip())
    phrase = lex.label_prefix_re.sub("", phrase) if lex.label_prefix_re else phrase
    phrase = title_case_shouted(phrase)
    phrase = drop_trailing_adverbs(phrase, lex)
    name_first = NAME_FIRST_RE.match(phrase)
    role = None
    if name_first and category_of(name_first.group(1), lex)[0] == "person":
        # "Zeph Capo, the president of the union" is Zeph Capo, whose role that is.
        phrase, role = name_first.group(1), name_first.group(2)
    elif named := NAME_THEN_APPOSITIVE_RE.match(phrase):
        # "HCA Healthcare, one of the largest hospital systems", "Lee Jae-myung, leader of
        # the opposition": the name, with the rest as its role; typed by the name, else by
        # what the appositive says it is.
        name, appositive = named.groups()
        kind = category_of(name, lex)
        if kind[0] == "unknown":
            kind = category_of(appositive, lex)
        if kind[0] == "person":
            phrase, role = name, appositive
        elif kind[0] in ("organization", "media", "document"):
            return _with_role(a, phrase, name, appositive, kind, table)
    # "We’ll", "he’d", "they're": the pronoun without its contracted verb.
    words = [CONTRACTION_RE.sub("", w.lower().strip(".,")) for w in WORD_RE.findall(phrase)]
    # Pronouns and descriptions refer back; one that finds nobody says so (never a card
    # named "He" or "They" that looks resolved).
    if len(words) == 1 and words[0] == "you" and \
            not inside_quotation(text, a.source[0]):
        # "You’ll learn …": the reader addressed, never a source.
        return Mention(a, phrase, "unknown", "reader", phrase, how="author")
    if len(words) == 1 and words[0] in FIRST_PERSON and not inside_quotation(text, a.source[0]):
        # "I asked him …" outside any quotation is the writer’s own voice, not a source.
        return Mention(a, phrase, "unknown", f"author:{words[0]}", phrase, how="author")
    if len(words) == 1 and words[0] in MALE_FEMALE_PRONOUNS:
        person = resolve_personal_pronoun(text, a.source[0], words[0], table, history,
                                          lex)
        if person:
            return Mention(a, phrase, "person", person_key(person), person, how="pronoun")
        return Mention(a, phrase, "unknown", f"pronoun:{words[0]}", phrase,
                       how="pronoun-unresolved")
    if PART_OF_GROUP_RE.match(phrase):
        words = ["they"]  # "Many of them", "some of those": part of the group named before
    if len(words) == 1 and words[0] in ORG_PRONOUNS:
        group = resolve_group_pronoun(a.source[0], words[0], history)
        if group is not None:
            return Mention(a, phrase, group.category, key_of(group), group.name,
                           group.state_media, entity=group, how="pronoun")
        return Mention(a, phrase, "unknown", f"pronoun:{words[0]}", phrase,
                       how="pronoun-unresolved")
    if words and words[0] in DETERMINERS:
        person = table.person_with_role(phrase)
        if person:
            return Mention(a, phrase, "person", person_key(person), person,
                           how="description-role")
        body = table.body_with_role(phrase)
        if body:  # "the German carmaker" after (or before) "Volkswagen, the German carmaker"
            name, category = body
            return Mention(a, phrase, category, f"{category}:{norm_key(name)}", name,
                           how="description-role")
    body = _described_body(phrase, words, lex, history)
    if body is not None:  # "the company said" after Uber spoke: Uber
        return Mention(a, phrase, body.category, key_of(body), body.name, body.state_media,
                       entity=body, how="description-body")
    speaking_for = SPOKESPERSON_RE.match(phrase)
    if speaking_for and (speaking_for.group("pre") or speaking_for.group("post")):
        mention = _speaking_for(a, phrase, speaking_for, lex, history)
        if mention is not None:
            return mention
    # "the report" refers back; "the First Amendment" is a name of its own.
    named = any(w[:1].isupper() for w in phrase.split()[1:])
    back = None if named else refer_back(words, history, lex)
    if back is not None:
        # "the sources" matches its group by head word; "the report" is the last document
        # or outlet, a weaker guess: the two are told apart as evidence.
        how = "refer-back-group" if back.category == "anonymous" else "refer-back"
        return Mention(a, phrase, back.category, key_of(back), back.name, back.state_media,
                       entity=back, how=how)
    core = core_words(phrase)
    if core and core[-1][:1].islower() and core[-1].lower() in lex.role_nouns and \
            words[0] in DETERMINERS:
        person = nearest_person(text, a.source[0], names, same_sentence=True) or \
            titled_person(text, a.source[0], core[-1], names, lex)
        if person:
            return Mention(a, phrase, "person", person_key(person), person,
                           how="description-resolved")
        if not anonymous_head(phrase, lex):  # "the spokesman", "an aide": anonymous below
            return Mention(a, phrase, "person", f"person:{norm_key(phrase)}",
                           strip_determiner(phrase), how="description")  # "the Vermont senator"
    # A document published by someone is that someone's word.
    published = PUBLISHED_BY_RE.search(phrase)
    if published and head_in(words, lex.document_heads):
        owner = published.group(1).strip()
        owner_cat, state = category_of(owner, lex)
        if owner_cat in ("media", "organization", "person"):
            return Mention(a, phrase, owner_cat, f"{owner_cat}:{norm_key(owner)}", owner, state,
                           how="document-owner")
    if words and words[0] in ("its", "their", "seine", "ihre"):
        owner = owner_in_sentence(text, a.source[0], lex)
        if owner:
            owner_cat, state = category_of(owner, lex)
            return Mention(a, phrase, owner_cat, f"{owner_cat}:{norm_key(owner)}", owner, state,
                           how="possessive-owner")
    category, state = category_of(phrase, lex)
    if is_place(phrase, lex) and words and words[0] not in DETERMINERS and \
            without_possessive(phrase) != phrase:
        # "Europe’s" alone: the finder cut "Europe’s mainstream political leaders" short; the
        # state is a guess at the real source, so the mark is as sure as a fragment.
        name = without_possessive(phrase)
        return Mention(a, phrase, category, f"{category}:{norm_key(name)}", name, state,
                       how="fragment")
    if category == "person":
        full = full_name(after_role(phrase, lex), names)
        if (shared := table.shared_opener(full)) and (latest := table.latest_of(shared,
                                                                               a.source[0])):
            full = latest  # "Lee" after "Lee Jae-myung" (and a "Lee Sang-min" before him)
        if lex.nouns_capitalised and not _named_person(full, phrase, table):
            # German capitalises every noun: "Luftfahrtbehörden Enac", "Obamas Wahlkampfteam"
            # are no people unless a given name, a title or the article's own full name says so.
            return Mention(a, phrase, "unknown", f"unknown:{norm_key(phrase)}",
                           strip_determiner(phrase), how="noun-phrase")
        if CAMEL_CASE_RE.match(full):
            return Mention(a, phrase, "organization", f"organization:{norm_key(full)}", full,
                           how="brand")  # "ClassPass", "TikTok": a brand, not a person
        if not looks_like_a_person(full, phrase, table):
            return _lone_word(a, phrase, full, lex)
        how = "pronoun-unresolved" if words and words[0] in MALE_FEMALE_PRONOUNS else \
            "name-full" if len(full.split()) >= 2 else "name-single"
        return Mention(a, phrase, "person", person_key(full), full, how=how,
                       role=clean_role(role) if role else None)
    if category == "anonymous":
        name = short_anonymous_name(phrase)
        return Mention(a, phrase, category, f"anonymous:{head_word(words, lex.anonymous_heads)}:"
                       f"{norm_key(name)}", name)
    outlet = lex.outlets_re.search(phrase) if category == "media" else None
    name = outlet.group(0) if outlet else (
        strip_determiner(phrase) if category != "organization" else phrase)
    key = norm_key(outlet.group(0)) if outlet else norm_key(strip_determiner(phrase))
    return Mention(a, phrase, category, f"{category}:{key}", name, state,
                   how=_unknown_kind(phrase, words) if category == "unknown" else "")


PUBLISHED_BY_RE = re.compile(r"\b(?:published|issued|released|posted)\s+by\s+(.+)$")
# "HCA Healthcare, one of …": a capitalised name, a comma, and what it is.
NAME_THEN_APPOSITIVE_RE = re.compile(
    r"((?:[A-Z][\w’'.&-]*\s+(?:of\s+)?){0,4}[A-Z][\w’'.&-]*),\s+(\w.*)$")
FRAGMENT_OPENERS = frozenset({"with", "in", "of", "for", "at", "from", "on", "by", "to", "part",
                              "about", "as", "than", "mit", "im", "von", "für", "bei"})


def _with_role(a: Attribution, phrase: str, name: str, role: str, kind: tuple[str, bool],
               table: EntityTable) -> Mention:
    """A mention whose name part alone would be typed otherwise: the whole phrase's type."""
    category, state = kind
    if category == "person":
        full = full_name(name, table.names)
        return Mention(a, phrase, "person", person_key(full), full, how="name-full",
                       role=clean_role(role))
    return Mention(a, phrase, category, f"{category}:{norm_key(name)}", name, state,
                   how=category, role=clean_role(role))


# Kinds of organisation a description names when it means one named before ("the company"
# after Uber); "the police", "the government", "the military" are bodies of their own.
GENERIC_BODY_HEADS = frozenset({
    "company", "firm", "conglomerate", "carmaker", "automaker", "manufacturer", "retailer",
    "insurer", "lender", "startup", "start-up", "chain", "airline", "charity", "nonprofit",
    "non-profit", "group", "business", "corporation", "brand", "giant", "utility", "supplier",
    "distributor", "organisation", "organization", "platform", "agency", "ministry", "bank",
    "network", "broadcaster", "newspaper", "outlet", "union", "party", "campaign", "club",
    "team", "university", "school", "hospital", "museum", "foundation", "institute"})


def _described_body(phrase: str, words: list[str], lex: SourceLexicon,
                    history: list[tuple[int, Source]]) -> Source | None:
    """"the company", "the ministry", "the agency": a definite description whose head is a
    kind of organisation refers to the last named organisation that spoke shortly before."""
    if len(words) < 2 or len(words) > 3 or words[0] not in ("the", "this"):
        return None
    if any(w[:1].isupper() for w in phrase.split()[1:]):
        return None  # "the Government", "the Interior Ministry": a name of its own
    if words[-1] not in GENERIC_BODY_HEADS:
        return None  # "the police", "the military", "the government": bodies of their own
    for _, entity in reversed(history[-REFER_BACK_WINDOW:]):
        if entity.category == "organization" and any(ch.isupper() for ch in entity.name):
            return entity
    return None


# "a spokesman for the Pentagon", "A TikTok representative", "the ministry's spokeswoman":
# an unnamed spokesperson speaks for the body named, which is the source.
SPOKESPERSON_RE = re.compile(
    r"^(?i:a|an|the|one)\s+"
    r"(?:(?P<pre>[A-Za-z][\w’'.&-]*(?:\s+[A-Z][\w’'.&-]*)*?)(?:’s|'s)?\s+)?"
    r"(?:spokes(?:man|woman|person|people)|representatives?|press secretary|press office)"
    r"(?:\s+(?:for|of|at|from)\s+(?P<post>.+))?$")


def _speaking_for(a: Attribution, phrase: str, match: re.Match, lex: SourceLexicon,
                  history: list[tuple[int, Source]]) -> Mention | None:
    """The body an unnamed spokesperson speaks for, as the source (a description of it,
    "the platform", refers back to the last organisation or outlet that spoke)."""
    body = re.sub(r"[’']s$", "", (match.group("pre") or match.group("post") or "").strip())
    words = body.split()
    if not words:
        return None
    if not any(w[:1].isupper() for w in words):  # "the platform", "ministry": described
        for _, entity in reversed(history[-REFER_BACK_WINDOW:]):
            if entity.category in ("organization", "media"):
                return Mention(a, phrase, entity.category, key_of(entity), entity.name,
                               entity.state_media, entity=entity, how="spokesperson-for")
        return None
    category, state = category_of(body, lex)
    category = category if category in ("organization", "media") else "organization"
    name = strip_determiner(body)
    return Mention(a, phrase, category, f"{category}:{norm_key(name)}", name, state,
                   how="spokesperson-for")


# How many earlier sources a description of a body looks back through.
REFER_BACK_WINDOW = 20


def drop_trailing_adverbs(phrase: str, lex: SourceLexicon) -> str:
    """"Obama also", "Mr. Rubio had at last", "Police had last month": a name followed only by
    adverbs, auxiliaries or a time phrase is the name."""
    words = phrase.split()
    run = 0
    while run < len(words) and words[run][:1].isupper():
        run += 1
    if 0 < run < len(words) and all(w.lower().strip(".,") in lex.trailing_words
                                    for w in words[run:]):
        return " ".join(words[:run])
    return phrase


PROPORTION_RE = re.compile(r"^(?:nearly |almost |about |a mere |some |only |more than )?"
                           r"(?:\d[\d.,]*\s*(?:%|percent|per cent)|\d+ in \d+|"
                           r"(?:a|one|two) (?:third|quarter|half)|half|majority|minority|"
                           r"[a-z]+(?:-[a-z]+)? percent)", re.IGNORECASE)


def _unknown_kind(phrase: str, words: list[str]) -> str:
    """Evidence for an untyped source: a fragment of a clause ("with over 1.3 million total",
    "the"), a vague group ("economists", "48% of participants"), or nothing known."""
    if not words or words[0] in FRAGMENT_OPENERS or (len(words) == 1 and words[0] in
                                                     DETERMINERS):
        return "fragment"
    if PROPORTION_RE.match(phrase):
        return "group"  # "52 percent of registered voters", "Nearly half", "4 in 10"
    head = core_words(phrase)
    last = head[-1] if head else words[-1]
    if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        return "group"
    return "unknown"



FIRST_PERSON = frozenset({"i", "ich"})
PART_OF_GROUP_RE = re.compile(r"^(?i:many|some|most|few|several|all|none|one|two|three|both|"
                              r"each|half)\s+of\s+(?i:them|those|these)$")
CONTRACTION_RE = re.compile(r"[’'](?:ll|re|ve|d|m|s)$")
OPENING_QUOTES, CLOSING_QUOTES = "“„«‹", "”»›"


def inside_quotation(text: str, offset: int) -> bool:
    """Whether ``offset`` sits inside a quotation of its paragraph (typographic quotes by
    opening and closing, straight double quotes by parity)."""
    start = text.rfind("\n", 0, offset) + 1
    depth, straight = 0, 0
    for ch in text[start:offset]:
        if ch in OPENING_QUOTES:
            depth += 1
        elif ch in CLOSING_QUOTES:
            depth = max(0, depth - 1)
        elif ch == '"':
            straight ^= 1
    return depth > 0 or straight == 1


def _named_more_fully(mention: Mention, entities: list[Source]) -> Source | None:
    """"HCA" after "HCA Healthcare": an organisation's short name is the one entity whose
    name opens with it."""
    if mention.category not in ("organization", "media") or " " in mention.name.strip():
        return None
    fuller = [e for e in entities if e.category == mention.category
              and e.name.split()[:1] == [mention.name.strip()]]
    return fuller[0] if len(fuller) == 1 else None


CAMEL_CASE_RE = re.compile(r"^[A-Z][a-z]+[A-Z]")  # "ClassPass", "TikTok", "PayPal"


# "Tunisians", "Republicans", "Democrats", "Conservatives", "Israelis": people named as a group.
PLURAL_GROUP_RE = re.compile(r"\w{2,}(?:ans|ists|ats|ives|als|ites|eses|is)$")


def _lone_word(a: Attribution, phrase: str, word: str, lex: SourceLexicon) -> Mention:
    """A lone capitalised word that nothing shows to be a person: a day or month is a
    fragment ("Wednesday’s"), a plural a vague group ("Many Tunisians", "Republicans"), and
    anything else a body ("Strava", "Hamas"): news introduces a person by full name first."""
    bare = re.sub(r"[’']s$", "", word)
    if bare.lower() in lex.time_words:
        return Mention(a, phrase, "unknown", f"fragment:{bare.lower()}", phrase, how="fragment")
    if PLURAL_GROUP_RE.search(bare) and not re.search(r"[’']s$", word):
        return Mention(a, phrase, "unknown", f"unknown:{norm_key(phrase)}",
                       strip_determiner(phrase), how="group")
    return Mention(a, phrase, "organization", f"organization:{norm_key(word)}", word,
                   how="name-single-unknown")


def _named_person(name: str, phrase: str, table: EntityTable) -> bool:
    """A given name opens it, the article names the person in full, or a title stands in the
    phrase."""
    words = name.split()
    return bool(words) and (given_name_gender(words[0]) is not None or name in table.people or
                            any(w in TITLES for w in phrase.split()))


def looks_like_a_person(name: str, phrase: str, table: EntityTable) -> bool:
    """A lone capitalised word is a person's name only with evidence: the article gives a
    fuller name it belongs to, it is a given name, or a title stands before it. A brand
    ("Strava") has none of these."""
    words = name.split()
    if len(words) != 1:
        return True
    word = words[0]
    if word in table.names or word.isupper() or given_name_gender(word) is not None:
        return True
    return any(w in TITLES for w in phrase.split())


def clean_role(role: str) -> str | None:
    """"an Oklahoma Republican who warned …" → "Oklahoma Republican"."""
    role = re.split(r"\s+(?:who|which|that|der|die|das)\b|,", role, maxsplit=1)[0].strip()
    words = role.split()
    if words and words[0].lower() in DETERMINERS:
        words = words[1:]
    return " ".join(words) or None


def key_of(entity: Source) -> str:
    return f"{entity.category}:{entity.id}"


def anonymity_reason(text: str, source: tuple[int, int], lex: SourceLexicon) -> str | None:
    """The reason the article gives for not naming the source, when it gives one."""
    end = text.find("\n", source[1])
    window = text[source[0]:end if end != -1 else len(text)]
    for pattern in lex.reason_res:
        match = pattern.search(window)
        if match:
            return match.group(1).strip(" ,.")
    return None
