"""The people an article names: full names keyed by every surname form, and the fullest form
of a name a mention can be given."""

from __future__ import annotations

import re

from .categories import category_of
from .source_lexicon import NAME_RE, NAME_STOPWORDS, TITLES, WORD_RE, SourceLexicon


def person_names(text: str, lex: SourceLexicon | None = None) -> dict[str, str]:
    """Full person names of two or more capitalised words, keyed by every surname form
    (places, organisations and outlets — "South Carolina", "Islamic State" — are left out)."""
    names: dict[str, str] = {}
    for match in NAME_RE.finditer(text):
        tokens = [t for t in match.group(0).split() if t not in NAME_STOPWORDS and t not in TITLES]
        if len(tokens) < 2 or any(t.endswith(("’s", "'s")) for t in tokens):
            continue
        full = " ".join(tokens)
        if lex is not None and category_of(full, lex)[0] != "person":
            continue
        # "Jamie Werner of Ngātiwai" is Werner: the surname comes before "of".
        own = re.split(r"\s+(?:of|from|at|von|aus|de)\s+", full, maxsplit=1)[0].split()
        names.setdefault(own[-1], full)
        names.setdefault(full, full)
    return names



def full_name(phrase: str, names: dict[str, str]) -> str:
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


def person_key(name: str) -> str:
    """Mentions of one person share a surname ("Barack Obama", "Mr Obama", "Obama"; "Jamie
    Werner of Ngātiwai" is Werner)."""
    core = re.split(r"\s+(?:of|from|at|von|aus|de)\s+", name, maxsplit=1)[0].split()
    return "person:" + core[-1].lower() if core else "person:"


def after_role(phrase: str, lex: SourceLexicon) -> str:
    """"the BBC's North America editor Jon Sopel" → "Jon Sopel": the name after the role."""
    words = phrase.split()
    roles = [i for i, w in enumerate(words) if w.lower().strip(",") in lex.role_nouns]
    if roles and roles[-1] < len(words) - 1 and words[-1][:1].isupper():
        return " ".join(words[roles[-1] + 1:])
    return phrase


