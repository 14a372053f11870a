"""Given names and their usual gender, from a maintained package (``gender-guesser``: about
40,000 first names from many countries, with how strongly each is male or female).

Used as evidence, never as proof: a multiword name is a person's when it opens with a given
name, and "she" does not refer back to a man's name. The package's list loads once (about
0.15 s, a few MB) and every look-up is a dictionary hit.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MALE, FEMALE = "male", "female"
_ANSWERS = {"male": MALE, "mostly_male": MALE, "female": FEMALE, "mostly_female": FEMALE,
            "andy": "either"}


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Every given name the package knows, lower-cased, with its answer: built once with the
    package's own code and kept in the user's cache (:mod:`sourcelight.data_cache`), so a new
    process loads it in ~15 ms instead of parsing the package's 4 MB list (0.15-0.5 s)."""
    from importlib.util import find_spec

    from ..data_cache import cached_json

    spec = find_spec("gender_guesser")
    if spec is None or spec.origin is None:
        raise ImportError("the gender-guesser package is not installed")
    source = Path(spec.origin).parent / "data" / "nam_dict.txt"  # what the table is built from
    grouped = cached_json("given-names", source, 1, _answers_by_gender, _is_grouped)
    table: dict[str, str] = {}
    for answer, names in grouped.items():
        table.update(dict.fromkeys(names, answer))
    return table


def _answers_by_gender() -> dict[str, list[str]]:
    """The package's answer for each of its names, as {answer: [names]} (compact JSON)."""
    import gender_guesser.detector as detector

    names = detector.Detector(case_sensitive=False)
    grouped: dict[str, list[str]] = {}
    for name in names.names:
        grouped.setdefault(_ANSWERS[names.get_gender(name)], []).append(name)
    return grouped


def _is_grouped(value) -> bool:
    return isinstance(value, dict) and set(value) <= {MALE, FEMALE, "either"} and all(
        isinstance(names, list) and all(isinstance(n, str) for n in names)
        for names in value.values())


@lru_cache(maxsize=4096)
def given_name_gender(word: str) -> str | None:
    """"male", "female" or "either" for a known given name; None for a word that is no
    given name in the package's lists."""
    if not word or not word[:1].isupper() or not word.replace("-", "").isalpha():
        return None
    return _table().get(word.lower())
