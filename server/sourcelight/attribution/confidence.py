"""How sure we are of each attribution, from named evidence, and the split into what the
overlay marks (``attributions``) and what it only offers on request (``candidates``).

Each attribution carries evidence names: the construction the finder read ("construction:
postposed"), how strong its cue is ("cue:speech"), how its source was resolved ("source:
pronoun-unresolved", set by the sources stage), its type and shape. A logistic model whose
weights are data (``lexicons/confidence.json``, fitted by ``bench/calibrate.py`` on the
development sets and checked on held-out pages) turns them into a probability that the mark
is a real attribution on the right card. Evidence without a weight counts zero, so a new
construction degrades to the bias rather than failing.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from .model import Attribution

WEIGHTS_FILE = Path(__file__).with_name("lexicons") / "confidence.json"
WORD_RE = re.compile(r"\w+")
ADVERBIAL_OPENERS = frozenset({"on", "in", "at", "after", "before", "when", "while", "during",
                               "since", "as", "although", "though", "despite", "until",
                               "whereas", "because", "if", "once", "with", "without", "by",
                               "nach", "bei", "während", "als", "wenn", "obwohl", "seit"})
MODALS = frozenset({"will", "would", "could", "might", "may", "can", "should", "must"})
CUE_AUXILIARIES = MODALS | frozenset({"has", "have", "had", "is", "was", "were", "are", "be",
                                     "been", "being", "also", "not", "did", "does", "do",
                                     "hat", "haben", "hatte", "wird", "wurde", "ist"})


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic weights per evidence name, a bias, and cue classes (data, compiled once)."""

    bias: float
    base_weight: float  # weight of the finder's own prior for the construction
    weights: dict[str, float]
    cue_classes: dict[str, str]  # cue word (lower case) -> class name
    # Evidence that rules a mark out whatever else it has: the highest confidence it allows
    # ("source:pronoun-unresolved": a card named "He" is never marked).
    caps: dict[str, float]


@lru_cache(maxsize=1)
def confidence_model() -> ConfidenceModel:
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    classes = {word.lower(): name for name, words in data["cue_classes"].items()
               for word in words}
    return ConfidenceModel(bias=float(data["bias"]), base_weight=float(data["base_weight"]),
                           weights={k: float(v) for k, v in data["weights"].items()},
                           cue_classes=classes,
                           caps={k: float(v) for k, v in data.get("caps", {}).items()})


def shape_evidence(text: str, a: Attribution, model: ConfidenceModel) -> list[str]:
    """Evidence read from the attribution itself: construction, cue class, type, shape."""
    evidence = [f"construction:{a.construction or 'unnamed'}", f"type:{a.type}"]
    if a.cue is None:
        evidence.append("cue:none")
    else:
        words = [w.lower() for w in WORD_RE.findall(text[a.cue[0]:a.cue[1]])]
        kinds = [model.cue_classes[w] for w in words if w in model.cue_classes]
        evidence.append(f"cue:{kinds[0] if kinds else 'other'}")
        # The pair, too: a post-posed "said" is as sure as any report, a post-posed word of
        # another class often is a fronted phrase read as content.
        evidence.append(f"{evidence[0]}+cue:{kinds[0] if kinds else 'other'}")
        # The cue word itself: within a class, "seemed" and "noted" are worth different
        # amounts, and the fit learns a weight for each word the dev sets hold enough of.
        head = next((w for w in words if w not in CUE_AUXILIARIES), None)
        if head is not None:
            evidence.append(f"cueword:{head}")
        before = WORD_RE.findall(text[max(0, a.cue[0] - 12):a.cue[0]])
        if before and before[-1].lower() in MODALS:
            evidence.append("cue:modal")  # "will find", "could say": not yet said
    content = text[a.content[0]:a.content[1]]
    words = WORD_RE.findall(content)
    n_words = len(words)
    evidence.append("content:short" if n_words < 5 else "content:long" if n_words > 40
                    else "content:medium")
    if content.rstrip(" ”\"'’»").endswith("?"):
        evidence.append("content:question")
    if words and (words[0].lower() in ADVERBIAL_OPENERS or
                  (words[0].lower().endswith("ing") and words[0][:1].isupper())):
        # "On Twitter", "A week after …", "When someone shouted", "Downplaying …": content
        # that opens with an adverbial is often a fronted phrase read as what was said.
        evidence.append("content:adverbial-start")
    if len(words) >= 2 and sum(w[:1].isupper() for w in words) > 0.6 * len(words):
        evidence.append("content:title-case")  # "The Rainbow Body, Sadie Coles HQ": a title
    if a.source is None:
        evidence.append("source:none")
    start, end = _line_of(text, a.content[0])
    if not text[start:end].rstrip(" ”\"'’»)").endswith((".", "?", "!", ":", "…")) and \
            _fewer_words(text, start, end, 15):
        evidence.append("line:heading-like")  # a heading, a list item, a teaser line
    return evidence


def _line_of(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, end if end != -1 else len(text)


def _fewer_words(text: str, start: int, end: int, limit: int) -> bool:
    """Does ``text[start:end]`` hold fewer than ``limit`` words? Counting stops at the limit
    (a long paragraph was counted whole for every attribution in it)."""
    return next(islice(WORD_RE.finditer(text, start, end), limit - 1, None), None) is None


def score(evidence: list[str], prior: float, model: ConfidenceModel) -> float:
    """The probability the weights give to this evidence (``prior``: the finder's number)."""
    z = model.bias + model.base_weight * prior + sum(model.weights.get(e, 0.0)
                                                    for e in evidence)
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    return min([p] + [cap for name, cap in model.caps.items() if name in evidence])


def calibrate(text: str, attributions: list[Attribution]) -> None:
    """Give every attribution its evidence list and calibrated confidence (in place)."""
    model = confidence_model()
    for a in attributions:
        evidence = shape_evidence(text, a, model)
        evidence.extend(e for e in a.evidence if e not in evidence)
        a.evidence = evidence
        a.prior = a.confidence if a.prior is None else a.prior
        a.confidence = round(score(evidence, a.prior, model), 3)


def split_by_confidence(attributions: list[Attribution], threshold: float
                        ) -> tuple[list[Attribution], list[Attribution]]:
    """(marked, candidates): those at or above ``threshold``, and the rest, both in reading
    order; marked ones are numbered a1…, candidates c1…."""
    marked = [a for a in attributions if a.confidence >= threshold]
    candidates = [a for a in attributions if a.confidence < threshold]
    for n, a in enumerate(marked, 1):
        a.id = f"a{n}"
    for n, a in enumerate(candidates, 1):
        a.id = f"c{n}"
    return marked, candidates
