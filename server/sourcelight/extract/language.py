"""Stage: the article's language — langdetect on its text, seeded, with ``<html lang>`` as fallback.

When the page declares a language whose function words ("the", "of", "der", "und", …) clearly
fill the article's opening, the declaration is taken as it is: langdetect, a tenth of the
extraction's time, runs only when the page is silent or its declaration is implausible (a
German story in an English template). The word lists are data (``data/function_words.json``).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from ..settings import Settings

# Below this probability langdetect is guessing between near neighbours; prefer the page's word.
MIN_PROBABILITY = 0.70
FUNCTION_WORDS_FILE = Path(__file__).with_name("data") / "function_words.json"
_WORD_RE = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _function_words() -> tuple[dict[str, frozenset[str]], int, float, float]:
    """Function words per language, and the thresholds, loaded once."""
    data = json.loads(FUNCTION_WORDS_FILE.read_text(encoding="utf-8"))
    words = {lang: frozenset(w) for lang, w in data["words"].items()}
    return words, int(data["min_words"]), float(data["min_share"]), float(data["margin"])


def declaration_fits(sample: str, html_lang: str | None) -> bool:
    """True when the declared language's function words make up a clear share of the sample,
    well ahead of every other listed language's."""
    words, min_words, min_share, margin = _function_words()
    declared = words.get((html_lang or "").lower())
    if declared is None:
        return False
    tokens = _WORD_RE.findall(sample.casefold())
    if len(tokens) < min_words:
        return False
    share = sum(1 for t in tokens if t in declared) / len(tokens)
    if share < min_share:
        return False
    return all(share >= margin * sum(1 for t in tokens if t in other) / len(tokens)
               for lang, other in words.items() if other is not declared)


@lru_cache(maxsize=8)
def _factory(seed: int) -> DetectorFactory:
    """Our own detector factory: profiles load once, and the seed is not process-global state."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(seed)
    return factory


def detect_language(text: str, html_lang: str | None, settings: Settings,
                    notes: list[str]) -> str | None:
    """Return an ISO 639-1 code (``"en"``, ``"de"``, ``"zh-cn"`` as langdetect names it).

    Falls back to the page's declared language, and records the fallback in ``notes``.
    """
    sample = text[: settings.langdetect_max_chars]
    if declaration_fits(sample, html_lang):
        return html_lang
    if len(sample.strip()) >= settings.langdetect_min_chars:
        detector = _factory(settings.langdetect_seed).create()
        detector.append(sample)
        try:
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):
            best = None
        if best is not None and (best.prob >= MIN_PROBABILITY or not html_lang):
            return best.lang
    if html_lang:
        notes.append("lang:from-html-attribute")
        return html_lang
    notes.append("lang:unknown")
    return None
