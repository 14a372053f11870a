"""Stage: the article's language — langdetect on its text, seeded, with ``<html lang>`` as fallback.

When the page declares a language whose function words ("the", "of", "der", "und", …) clearly
fill the article's opening, the declaration is taken as it is: langdetect, a tenth of the
extraction's time, runs only when the page is silent or its declaration is implausible (a
German story in an English template). The word lists are data (``data/function_words.json``).

langdetect's own factory keeps its profiles as one 55-slot list per n-gram (87,598 of them,
about 60 MiB in every worker), though an n-gram has on average 2.1 languages with a
probability. :class:`CompactFactory` loads the same profile files into a sparse table (about
a fifth of the memory) and its detector does the same arithmetic on it, so every answer and
every probability is the one langdetect gives, bit for bit.
"""

from __future__ import annotations

import gc
import json
import os
import re
from array import array
from functools import lru_cache
from pathlib import Path

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.lang_profile import LangProfile

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


# An n-gram's entry in CompactFactory.word_lang_prob_map: start << _COUNT_BITS | count for a
# sparse row, -1 - start for a dense one (see CompactFactory).
_COUNT_BITS = 8
_COUNT_MASK = (1 << _COUNT_BITS) - 1
# A row with more languages than this is kept whole: the common n-grams ("e", "th") have
# probabilities in dozens of languages and are sampled most, and a whole row is the faster
# update for them.
_MAX_SPARSE = 4


class CompactFactory(DetectorFactory):
    """langdetect's factory with its n-gram table stored compactly.

    ``word_lang_prob_map`` maps each n-gram to an int instead of a list of one probability per
    language: for most n-grams (at most ``_MAX_SPARSE`` languages) where its entries start in
    ``langs``/``probs`` and how many there are; for the rest where its whole row starts in
    ``dense``. The probabilities are the ones langdetect's own loader computes; every slot not
    listed is 0.0.
    """

    def __init__(self) -> None:
        super().__init__()
        self.langs = array("B")
        self.probs = array("d")
        self.dense = array("d")
        self._rows: dict[str, list[float]] | None = {}

    def add_profile(self, profile, index: int, langsize: int) -> None:
        """As :meth:`DetectorFactory.add_profile`, into sparse rows (index, prob, …)."""
        if profile.name in self.langlist:
            raise LangDetectException(ErrorCode.DuplicateLangError,
                                      "Duplicate the same language profile.")
        if len(self.langlist) > _COUNT_MASK:
            raise LangDetectException(ErrorCode.FormatError, "Too many language profiles.")
        self.langlist.append(profile.name)
        rows = self._rows
        for word, count in profile.freq.items():
            row = rows.get(word)
            if row is None:
                rows[word] = row = []
            length = len(word)
            if 1 <= length <= 3:
                row += (index, 1.0 * count / profile.n_words[length - 1])

    def load_profile(self, profile_directory: str) -> None:
        """Load the profile files in langdetect's order, then pack the rows."""
        for index, path in enumerate(profile_files(profile_directory)):
            try:
                # Read as bytes: a text-mode file per profile leaves small objects behind
                # that keep the parser's freed memory from going back (~15 MiB).
                with open(path, "rb") as stream:
                    data = json.loads(stream.read())
                profile = LangProfile(**data)
            except OSError:
                raise LangDetectException(ErrorCode.FileLoadError,
                                          f'Cannot open "{path}"') from None
            except (ValueError, TypeError):
                raise LangDetectException(ErrorCode.FormatError,
                                          f'Profile format error in "{path}"') from None
            self.add_profile(profile, index, 0)
        self._pack()

    def _pack(self) -> None:
        """The rows as the compact table (see the class)."""
        rows, self._rows = self._rows or {}, None
        size = len(self.langlist)
        codes = array("q")
        for row in rows.values():
            count = len(row) // 2
            if count > _MAX_SPARSE:
                whole = [0.0] * size
                for i, prob in zip(row[0::2], row[1::2]):
                    whole[int(i)] = prob
                codes.append(-1 - len(self.dense))
                self.dense.extend(whole)
            else:
                codes.append(len(self.probs) << _COUNT_BITS | count)
                self.langs.extend(int(i) for i in row[0::2])
                self.probs.extend(row[1::2])
        # The n-grams and language names were made while the profile files were parsed, in
        # between the parser's garbage: kept as they are, they hold on to most of the memory
        # the parsing used (~15 MiB more, in every worker). Made again once it is freed.
        words, names = "\0".join(rows), "\0".join(self.langlist)
        del rows
        self.langlist = []
        gc.collect()
        self.langlist = names.split("\0")
        self.word_lang_prob_map = dict(zip(words.split("\0"), codes))

    def _create_detector(self) -> Detector:
        if not self.langlist:
            raise LangDetectException(ErrorCode.NeedLoadProfileError, "Need to load profiles.")
        return CompactDetector(self)


def profile_files(directory: str) -> list[str]:
    """The profile files, in the order langdetect's ``load_profile`` reads them (the language
    indices follow it)."""
    names = os.listdir(directory)
    if not names:
        raise LangDetectException(ErrorCode.NeedLoadProfileError,
                                  f"Not found profile: {directory}")
    paths = (os.path.join(directory, name) for name in names if not name.startswith("."))
    return [path for path in paths if os.path.isfile(path)]


class CompactDetector(Detector):
    """langdetect's detector on a :class:`CompactFactory`'s table."""

    def __init__(self, factory: CompactFactory) -> None:
        super().__init__(factory)
        self._langs = factory.langs
        self._probs = factory.probs
        self._dense = factory.dense

    def _update_lang_prob(self, prob: list[float], word: str | None, alpha: float) -> bool:
        """As :meth:`Detector._update_lang_prob`: every ``prob[i] *= weight + p[i]``. For a
        sparse row ``p[i]`` is 0.0 but for its entries, and ``weight + 0.0 == weight``, so
        the products are the same floats."""
        code = self.word_lang_prob_map.get(word) if word is not None else None
        if code is None:
            return False
        weight = alpha / self.BASE_FREQ
        if code < 0:
            start = -1 - code
            prob[:] = [p * (weight + q)
                       for p, q in zip(prob, self._dense[start:start + len(prob)])]
            return True
        start = code >> _COUNT_BITS
        langs, probs = self._langs, self._probs
        entries = [(langs[k], prob[langs[k]] * (weight + probs[k]))
                   for k in range(start, start + (code & _COUNT_MASK))]
        prob[:] = [p * weight for p in prob]
        for i, value in entries:
            prob[i] = value
        return True


@lru_cache(maxsize=8)
def _factory(seed: int) -> DetectorFactory:
    """Our own detector factory: profiles load once, and the seed is not process-global state."""
    factory = CompactFactory()
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
