"""Stage: the article's language — langdetect on its text, seeded, with ``<html lang>`` as fallback."""

from __future__ import annotations

from functools import lru_cache

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from ..settings import Settings

# Below this probability langdetect is guessing between near neighbours; prefer the page's word.
MIN_PROBABILITY = 0.70


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
