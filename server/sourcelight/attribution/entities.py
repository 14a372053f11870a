"""The entity table of an article, built once before any mention is resolved: the people it
names (full names keyed by every surname form), each with the gender the evidence gives
(title, given name) and the role the article gives them ("James Lankford, an Oklahoma
Republican"), and where in the prose each person is mentioned (for salience). Captions and
credits (``non_prose`` spans) add nobody.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .categories import category_of, without_possessive
from .given_names import FEMALE, MALE, given_name_gender
from .source_lexicon import NAME_SCAN_RE, NAME_STOPWORDS, TITLES, WORD_RE, SourceLexicon

MALE_TITLES = {"Mr", "Mr.", "Herr", "M.", "Sr."}
FEMALE_TITLES = {"Mrs", "Mrs.", "Ms", "Ms.", "Frau", "Mme", "Sra."}
GENDERED_TITLES = MALE_TITLES | FEMALE_TITLES
# "James Lankford, an Oklahoma Republican who …": the role is the appositive after the name.
APPOSITIVE_ROLE_RE = re.compile(r",\s+(?:a|an|the)\s+((?:[\w’'.-]+\s+){0,6}?[\w’'.-]+)"
                                r"(?=\s+(?:who|which|and)\b|,|\.\s|;|\s+said\b|\s+says\b)")
# "Jamie Werner of Ngātiwai": the person's own name ends before "of".
OWN_NAME_END_RE = re.compile(r"\s+(?:of|from|at|von|aus|de)\s+")
# A word written in lower case (not inside a word or after a full stop: "e.g.").
LOWER_WORD_RE = re.compile(r"(?<![\w.])[a-z][a-z’'-]+")
LOWER_WORD_FORM_RE = re.compile(r"[a-z][a-z’'-]+")  # what LOWER_WORD_RE's matches look like
LOWER_RUN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz’'-")
# How far back a pronoun looks for its person (characters): about two paragraphs.
PRONOUN_WINDOW = 1500


@dataclass
class Person:
    name: str
    gender: str | None = None  # MALE, FEMALE, or None when nothing says
    role: str | None = None


@dataclass
class EntityTable:
    """The people of one article and where the prose mentions them."""

    names: dict[str, str] = field(default_factory=dict)  # surname or full name -> full name
    people: dict[str, Person] = field(default_factory=dict)  # full name -> Person
    # Organisations and outlets the article describes ("Siemens, the German conglomerate"):
    # name -> (category, role), for "the German conglomerate said" later or before.
    bodies: dict[str, tuple[str, str]] = field(default_factory=dict)
    offsets: list[int] = field(default_factory=list)  # sorted mention offsets
    mentioned: list[str] = field(default_factory=list)  # full name at each offset
    # (number of people, first word -> the multiword full names it opens), for shared_opener
    _openers: tuple[int, dict[str, list[str]]] | None = field(default=None, repr=False,
                                                             compare=False)

    def latest_of(self, fulls: Sequence[str], offset: int) -> str | None:
        """Of several full names, the one the prose mentioned last before ``offset``."""
        i = bisect.bisect_left(self.offsets, offset) - 1
        while i >= 0:
            if self.mentioned[i] in fulls:
                return self.mentioned[i]
            i -= 1
        return None

    def shared_opener(self, word: str) -> list[str]:
        """Full names that open with ``word`` when more than one does ("Lee Jae-myung",
        "Lee Sang-min"); empty otherwise."""
        if self._openers is None or self._openers[0] != len(self.people):
            # Indexed once (people are only ever added): asked for every person's mention,
            # a scan of all the people made a long article's mentions quadratic.
            index: dict[str, list[str]] = {}
            for full in self.people:
                words = full.split()
                if len(words) > 1:
                    index.setdefault(words[0], []).append(full)
            self._openers = (len(self.people), index)
        fulls = self._openers[1].get(word, [])
        return list(fulls) if len(fulls) > 1 else []

    def person(self, name: str) -> Person | None:
        return self.people.get(self.names.get(name, name))

    def last_person_before(self, offset: int, gender: str | None,
                           window: int = PRONOUN_WINDOW) -> str | None:
        """The person mentioned last before ``offset`` whose gender does not contradict
        ``gender`` (salience: the most recent compatible mention)."""
        i = bisect.bisect_left(self.offsets, offset) - 1
        while i >= 0 and self.offsets[i] >= offset - window:
            person = self.people.get(self.mentioned[i])
            if person and compatible(person.gender, gender):
                return person.name
            i -= 1
        return None

    def person_with_role(self, description: str) -> str | None:
        """"the Oklahoma Republican", "an Oklahoma Republican who": the person the article
        gave that role (the last one, when several share it)."""
        wanted = _role_words(description)
        if not wanted:
            return None
        best = None
        for person in self.people.values():
            if person.role and wanted <= _role_words(person.role):
                best = person.name
        return best


    def body_with_role(self, description: str) -> tuple[str, str] | None:
        """(name, category) of the organisation or outlet the article described this way."""
        wanted = _role_words(description)
        if not wanted:
            return None
        found = [(name, category) for name, (category, role) in self.bodies.items()
                 if wanted <= _role_words(role)]
        return found[-1] if len(found) == 1 else None


def compatible(have: str | None, want: str | None) -> bool:
    return have is None or want is None or have == want


def _role_words(phrase: str) -> set[str]:
    words = [w.lower() for w in WORD_RE.findall(phrase)]
    return {w for w in words if w not in {"a", "an", "the", "who", "which", "that", "of"}}


def build_entity_table(text: str, lex: SourceLexicon,
                       non_prose: Sequence[tuple[int, int]] = ()) -> EntityTable:
    """Every person the prose names, their gender and role, and each mention's offset."""
    table = EntityTable()
    spans = sorted(non_prose)
    # One pass of the name pattern serves the full names and the mentions alike.
    runs = [m for m in name_runs(text) if not (spans and _inside(spans, m.start()))]
    table.names = person_names(text, lex, runs)
    for full in set(table.names.values()):
        table.people[full] = Person(full, gender=_gender_of(full))
    _add_titled_surnames(text, table, spans)
    # (full name or None, first word) of each run's text: an article repeats its names,
    # and most runs are one capitalised word that names nobody
    known: dict[str, tuple[str | None, str]] = {}
    for match in runs:
        run = match.group()
        if (entry := known.get(run)) is None:
            words = run.split()
            entry = known[run] = (_known_name(words, table.names), words[0])
        full, title = entry
        if full is None:
            if text.startswith(",", match.end()):  # (the appositive's comma, seldom there)
                _note_body_role(text, match, table, lex)
            continue
        person = table.people[full]
        if person.gender is None and title in GENDERED_TITLES:
            person.gender = MALE if title in MALE_TITLES else FEMALE
        if person.role is None:
            role = APPOSITIVE_ROLE_RE.match(text, match.end(), match.end() + 120)
            if role and not role.group(1)[:1].isupper():
                person.role = role.group(1)
            elif role and any(w.lower() in lex.role_nouns for w in role.group(1).split()):
                person.role = role.group(1)
        table.offsets.append(match.start())
        table.mentioned.append(full)
    return table


def _known_name(run: list[str], names: dict[str, str]) -> str | None:
    """The full name of the last word of a capitalised run (its possessive "’s" dropped, stop
    words skipped) that the table knows; None when it knows none."""
    for word in reversed(run):
        if word in NAME_STOPWORDS:
            continue
        word = without_possessive(word)
        if word in names:
            return names[word]
    return None


def name_runs(text: str) -> list[re.Match]:
    """``NAME_RE.finditer(text)``, the same matches found faster (``NAME_SCAN_RE``)."""
    return list(NAME_SCAN_RE.finditer(text))


def _note_body_role(text: str, match: re.Match, table: EntityTable,
                    lex: SourceLexicon) -> None:
    """"Siemens, the German conglomerate, …": an organisation's or outlet's role."""
    if not text.startswith(",", match.end()):
        return  # no appositive: the common case, decided without a regex
    name = match.group(0).strip()
    if name in table.bodies or name.split()[0] in NAME_STOPWORDS:
        return
    role = APPOSITIVE_ROLE_RE.match(text, match.end(), match.end() + 120)
    if not role:
        return
    category = category_of(name, lex)[0]
    if category not in ("organization", "media") and " " not in name:
        # A lone word is a person's only by default: what the article calls it decides.
        category = category_of(role.group(1), lex)[0]
    if category in ("organization", "media"):
        table.bodies[name] = (category, role.group(1))


def _add_titled_surnames(text: str, table: EntityTable, spans: list[tuple[int, int]]) -> None:
    """"Ms Lee" where the article gives no fuller name: a person of her own, whose title
    says her gender."""
    for match in TITLED_SURNAME_RE.finditer(text):
        surname = match.group(2)
        if surname in table.names or (spans and _inside(spans, match.start())):
            continue
        table.names[surname] = surname
        title = match.group(1)
        gender = MALE if title in MALE_TITLES else FEMALE if title in FEMALE_TITLES else None
        table.people[surname] = Person(surname, gender=gender)


def _word_start_alternation(alternatives: list[str]) -> str:
    """``\\b(?:a|b|…)`` for alternatives that open with a letter, written so that the regex
    engine can jump to their first letters: each first letter is a literal, followed by
    ``(?<!\\w.)`` (the character before it is no word character) instead of a leading ``\\b``
    that it would try at every position (eight times slower on news text). Alternatives
    keep their order within each first letter; ones with different first letters exclude
    each other, so the matches are the same."""
    by_letter: dict[str, list[str]] = {}
    for alternative in alternatives:
        by_letter.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(f"{letter}(?<!\\w.)(?:{'|'.join(rests)})"
                    for letter, rests in by_letter.items())


TITLE_ALTERNATIVES = [
    r"Mr\.?", r"Mrs\.?", r"Ms\.?", r"Dr\.?", r"Prof\.?", r"Sen\.", r"Rep\.", r"Gov\.", r"Gen\.",
    "Herr", "Frau", "President", "Senator", "Governor", "Judge", "General", "Chancellor",
    "Minister", "Mayor", "Pope", "King", "Queen", "Prince", "Princess", "Präsident", "Kanzler",
    "Kanzlerin", "Ministerin"]
TITLED_SURNAME_RE = re.compile(r"(" + _word_start_alternation(TITLE_ALTERNATIVES) +
                               r")\s+([A-ZÄÖÜ][\w’'-]+)\b(?!\s+[A-ZÄÖÜ])")


def _gender_of(full: str) -> str | None:
    first = full.split()[0]
    gender = given_name_gender(first)
    return gender if gender in (MALE, FEMALE) else None


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def person_names(text: str, lex: SourceLexicon, runs: list[re.Match]) -> dict[str, str]:
    """Full person names of two or more capitalised words (``runs``: the name pattern's
    matches in the prose), keyed by every surname form
    (places, organisations and outlets — "South Carolina", "Islamic State" — are left out, and
    so are names whose first word the text also writes in lower case: "Small Change Diet")."""
    names: dict[str, str] = {}
    openers: dict[str, set[str]] = {}
    lower_words = LowerWords(text)
    read: set[str] = set()  # runs read already: a name read again adds nothing
    for match in runs:
        run = match.group(0)
        if run in read or (" " not in run and "\t" not in run):
            continue  # (one word: no full name; most capitalised words open a sentence)
        read.add(run)
        tokens = _after_titles(run.split(), lex)
        if len(tokens) < 2 or any(t.endswith(("’s", "'s")) for t in tokens):
            continue
        full = " ".join(tokens)
        # (the cheap test first: a third of the runs fail it, and typing is the dear one)
        if not plausible_person_name(tokens, lower_words, lex.nouns_capitalised) or \
                category_of(full, lex)[0] != "person":
            continue
        # "Jamie Werner of Ngātiwai" is Werner: the surname comes before "of".
        own = OWN_NAME_END_RE.split(full, maxsplit=1)[0].split()
        names.setdefault(own[-1], full)
        names.setdefault(full, full)
        openers.setdefault(own[0], set()).add(full)
    # "Lee" for "Lee Jae-myung", "Vanessa" for "Vanessa Hicks": a lone first word refers to
    # the one full name it opens (never when two names open with it, never over a surname).
    for first, fulls in openers.items():
        if len(fulls) == 1 and first not in names:
            names[first] = next(iter(fulls))
    return names



class LowerWords:
    """Does the text write a word in lower case ("small", "change")? The answers of
    ``word in set(LOWER_WORD_RE.findall(text))``, found where the word occurs: an article asks
    about a dozen words (German never asks), and reading all of its words was a fiftieth of
    the annotation's time. Past ``MAX_LOOKUPS`` questions the words are read after all, so
    a long article is still read once."""

    # (a look-up is one search of the text, and reading all of its words costs as much as
    # very many: 128 beat 32 by about 2% of the annotation's time on WCXB articles)
    MAX_LOOKUPS = 128

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: set[str] | None = None
        self.answers: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if self.words is not None:
            return word in self.words
        if not isinstance(word, str) or LOWER_WORD_FORM_RE.fullmatch(word) is None:
            return False  # nothing the pattern reads ("über", "x")
        if word not in self.answers:
            if len(self.answers) >= self.MAX_LOOKUPS:
                self.words = set(LOWER_WORD_RE.findall(self.text))
                return word in self.words
            self.answers[word] = self._written(word)
        return self.answers[word]

    def _written(self, word: str) -> bool:
        at = self.text.find(word)
        while at != -1:
            if self._read_at(at, word):
                return True
            at = self.text.find(word, at + 1)
        return False

    def _read_at(self, at: int, word: str) -> bool:
        """Does the pattern's scan read ``word`` at ``at``? Its matches are whole runs of
        LOWER_RUN_CHARS, one per run, from the run's first position where it matches."""
        text = self.text
        end = at + len(word)
        if end < len(text) and text[end] in LOWER_RUN_CHARS:
            return False  # the run goes on: "smaller", "small-town"
        start = at
        while start > 0 and text[start - 1] in LOWER_RUN_CHARS:
            start -= 1
        for position in range(start, at + 1):
            if LOWER_WORD_RE.match(text, position):
                return position == at
        return False


def _after_titles(words: list[str], lex: SourceLexicon) -> list[str]:
    """The name proper: the words after the last title or role word ("Japanese Prime Minister
    Sanae Takaichi" → "Sanae Takaichi"), without stop words."""
    cut = 0
    for i, word in enumerate(words):
        if word in NAME_STOPWORDS or word in TITLES or \
                word.lower() in lex.role_nouns:
            cut = i + 1
    rest = words[cut:] if len(words) - cut >= 2 else words
    return [t for t in rest if t not in NAME_STOPWORDS and t not in TITLES]


def plausible_person_name(tokens: list[str], lower_words: set[str] | LowerWords,
                          nouns_capitalised: bool = False) -> bool:
    """A multiword name is a person's when it opens with a given name, or when its first word
    is nothing the text also uses as an ordinary word ("Big Machine", "Cabinet Room")."""
    first = tokens[0]
    if given_name_gender(first) is not None:
        return True
    # German capitalises every noun: without a given name a capitalised run is no evidence.
    return not nouns_capitalised and first.lower() not in lower_words


def full_name(phrase: str, names: dict[str, str]) -> str:
    """The fullest form of a person's name the article gives ("Mr Obama" → "Barack Obama")."""
    phrase = OWN_NAME_END_RE.split(phrase, maxsplit=1)[0]
    tokens = [t.rstrip(",") for t in _last_capitalised_run(WORD_RE.findall(phrase))
              if t not in NAME_STOPWORDS and t not in TITLES]
    if not tokens:
        return phrase
    surname = tokens[-1]
    full = names.get(surname)
    own = OWN_NAME_END_RE.split(full, maxsplit=1)[0] if full else ""
    if full and surname in (own.split()[-1], own.split()[0]) and len(own.split()) >= len(tokens):
        return own
    return " ".join(tokens)


def _last_capitalised_run(words: list[str]) -> list[str]:
    """The name proper is the last run of capitalised words: "Seoul resident Margie Kim" is
    Margie Kim, "the BBC's North America editor Jon Sopel" Jon Sopel."""
    run: list[str] = []
    for word in words:
        if word[:1].isupper():
            run.append(word)
        elif run and word not in ("of", "de", "von", "van", "al", "bin"):
            run = []
    return run or [w for w in words if w[:1].isupper()]


def person_key(name: str) -> str:
    """Mentions of one person share a surname ("Barack Obama", "Mr Obama", "Obama"; "Jamie
    Werner of Ngātiwai" is Werner)."""
    core = OWN_NAME_END_RE.split(name, maxsplit=1)[0].split()
    return "person:" + core[-1].lower() if core else "person:"


def after_role(phrase: str, lex: SourceLexicon) -> str:
    """"the BBC's North America editor Jon Sopel" → "Jon Sopel": the name after the role."""
    words = phrase.split()
    roles = [i for i, w in enumerate(words) if w.lower().strip(",") in lex.role_nouns]
    if roles and roles[-1] < len(words) - 1 and words[-1][:1].isupper():
        return " ".join(words[roles[-1] + 1:])
    return phrase


