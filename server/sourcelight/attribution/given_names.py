"""Given names and their usual gender, from a maintained package (``gender-guesser``: about
40,000 first names from many countries, with how strongly each is male or female).

Used as evidence, never as proof: a multiword name is a person's when it opens with a given
name, and "she" does not refer back to a man's name. The package's list loads once (about
0.15 s, a few MB) and every look-up is a dictionary hit.
"""

from __future__ import annotations

from functools import lru_cache

MALE, FEMALE = "male", "female"
_ANSWERS = {"male": MALE, "mostly_male": MALE, "female": FEMALE, "mostly_female": FEMALE,
            "andy": "either"}


@lru_cache(maxsize=1)
def _detector():
    import gender_guesser.detector as detector  # loaded once, at warm-up
    return detector.Detector(case_sensitive=False)


@lru_cache(maxsize=4096)
def given_name_gender(word: str) -> str | None:
    """"male", "female" or "either" for a known given name; None for a word that is no
    given name in the package's lists."""
    if not word or not word[:1].isupper() or not word.replace("-", "").isalpha():
        return None
    return _ANSWERS.get(_detector().get_gender(word))
