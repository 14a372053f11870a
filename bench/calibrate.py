"""Fit the confidence weights (``attribution/lexicons/confidence.json``) and show calibration.

Every attribution the annotator finds carries named evidence (construction, cue class, how its
source was resolved, shape) and the finder's prior. This script labels each one on the
development sets and fits a logistic model (L2-regularised, plain gradient descent, no extra
dependency):

- PolNeAR dev (English) and the German set: label 1 when the attribution matches a gold one
  (content + source overlap, ``bench/attribution.py``'s one-to-one matching) — is it an
  attribution at all?
- the sources dev set, open half only (``bench/sources.py``'s split), and the seed page: label 1
  when the mark is *right* (real attribution and the right card) — what the reader judges.
  Weighted higher.

It prints a reliability table (predicted vs observed share right, per confidence bin) on the
held-out half of the sources dev set, which the fit never saw, and precision/recall there for a
range of thresholds. ``--write`` stores the fitted weights.

    .venv/bin/python bench/calibrate.py [--write] [--sources-weight 4] [--l2 1.0]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT / "bench"))

import attribution as attribution_bench  # noqa: E402  (bench/attribution.py)
import sources as sources_bench  # noqa: E402  (bench/sources.py)

from sourcelight.attribution.annotate import attribute  # noqa: E402
from sourcelight.attribution.confidence import (WEIGHTS_FILE, ConfidenceModel,  # noqa: E402
                                                confidence_model, score)
from sourcelight.pipeline import clean  # noqa: E402
from sourcelight.settings import Settings  # noqa: E402

Sample = tuple[list[str], float, int, float]  # evidence, prior, label, sample weight


def span_samples(corpus: str, lang: str, weight: float) -> list[Sample]:
    """Attributions of an attribution-span corpus, labelled by the span matching."""
    out: list[Sample] = []
    for record in attribution_bench.records(corpus):
        found = attribute(record.text, lang, min_confidence=0.0).attributions
        items = [attribution_bench._to_item(a) for a in found]
        tokens = attribution_bench.Tokens(record.text)
        matched = {p for _, p in attribution_bench.match_attributions(tokens, record.gold, items)}
        # These corpora judge spans, not cards: how a source was resolved is learnt from the
        # sources dev set alone. A quotation continuing the previous speaker is its own
        # attribution there, while PolNeAR folds it into the one before: not learnt here.
        out.extend(([e for e in a.evidence if not e.startswith("source:") or e == "source:none"],
                    a.prior or 0.0, int(i in matched), weight) for i, a in enumerate(found)
                   if a.construction != "continuation")
    return out


def page_samples(half: str, weight: float) -> list[Sample]:
    """Marks of the sources dev set's pages of one half, labelled right or not."""
    scorer = sources_bench.load_scorer()
    everything = Settings(min_confidence=0.0)
    out: list[Sample] = []
    for gold in sources_bench.gold_pages():
        if ("held-out" if sources_bench.held_out(gold["id"]) else "open") != half:
            continue
        html, url = sources_bench.page_input(gold["id"])
        result = clean(html, url, everything)
        answer = result.to_dict()
        right = right_marks(answer, gold, scorer)
        for a in result.attributions:
            out.append((a.evidence, a.prior or 0.0, int(a.id in right), weight))
    return out


SEED_DIR = sources_bench.CORPUS / "seed"


def seed_samples(weight: float) -> list[Sample]:
    """The seed page (``../shared/corpus/seed``), labelled like the sources dev set: it is
    an open development page with every attribution and entity written down."""
    scorer = sources_bench.load_scorer()
    out: list[Sample] = []
    for expected_file in sorted(SEED_DIR.glob("*.expected.json")):
        gold = json.loads(expected_file.read_text(encoding="utf-8"))
        html = (SEED_DIR / gold["page"]).read_bytes()
        result = clean(html, gold.get("url"), Settings(min_confidence=0.0))
        right = right_marks(result.to_dict(), gold, scorer)
        out.extend((a.evidence, a.prior or 0.0, int(a.id in right), weight)
                   for a in result.attributions)
    return out


def right_marks(answer: dict, gold: dict, scorer) -> set[str]:
    """Ids of the predicted attributions that the scorer counts as right."""
    scored = scorer.score_page(answer, gold)
    text = answer["article"]["text"]
    norm = scorer._normalise(text)
    unmatched = {p["id"] for p in scored["unmatched_predictions"]}
    right: set[str] = set()
    for row in scored["rows"]:
        if not row["right"]:
            continue
        g = row["gold"]
        loc = scorer._locate(text, norm, g["content"], g.get("source") or g.get("cue"))
        if not loc:
            continue
        best = max((a for a in answer["attributions"] if a["id"] not in unmatched
                    and a["id"] not in right and a.get("entity") == row["pred_entity"]),
                   key=lambda a: min(a["content"][1], loc[1]) - max(a["content"][0], loc[0]),
                   default=None)
        if best is not None:
            right.add(best["id"])
    return right


def fit(samples: list[Sample], l2: float, steps: int = 1500, rate: float = 2.0
        ) -> tuple[float, float, dict[str, float]]:
    """(bias, prior weight, evidence weights) by gradient descent on the weighted log loss."""
    names = sorted({e for ev, *_ in samples for e in ev})
    w = defaultdict(float)
    bias, base = 0.0, 0.0
    total = sum(s[3] for s in samples)
    for _ in range(steps):
        g_w: dict[str, float] = defaultdict(float)
        g_b = g_base = 0.0
        for evidence, prior, label, weight in samples:
            z = bias + base * prior + sum(w[e] for e in evidence)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            d = (p - label) * weight
            g_b += d
            g_base += d * prior
            for e in evidence:
                g_w[e] += d
        bias -= rate * g_b / total
        base -= rate * g_base / total
        for name in names:
            w[name] -= rate * (g_w[name] / total + l2 * w[name] / total)
    return bias, base, {n: round(w[n], 3) for n in names if abs(w[n]) >= 0.01}


def probability(bias: float, base: float, weights: dict[str, float], evidence: list[str],
                prior: float) -> float:
    """The confidence the service would give with these weights (its own ``score``, caps
    included)."""
    served = confidence_model()
    model = ConfidenceModel(bias=bias, base_weight=base, weights=weights,
                            cue_classes=served.cue_classes, caps=served.caps)
    return score(evidence, prior, model)


def reliability(samples: list[Sample], bias: float, base: float, weights: dict) -> None:
    bins: dict[int, list[int]] = defaultdict(list)
    for evidence, prior, label, _ in samples:
        p = probability(bias, base, weights, evidence, prior)
        bins[min(9, int(p * 10))].append(label)
    print(f"{'confidence':>12} {'marks':>6} {'right':>6}")
    for b in sorted(bins):
        labels = bins[b]
        share = sum(labels) / len(labels)
        print(f"{b / 10:5.1f}–{(b + 1) / 10:3.1f}   {len(labels):6d} {share:6.2f}")


def sweep(samples: list[Sample], gold: int, bias: float, base: float, weights: dict) -> None:
    """Mark precision and recall if only marks at or above each threshold were kept."""
    scored = [(probability(bias, base, weights, ev, prior), label) for ev, prior, label, _ in
              samples]
    print(f"{'threshold':>9} {'marks':>6} {'right':>6} {'P':>6} {'R':>6}")
    for t in (0.0, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9):
        kept = [label for p, label in scored if p >= t]
        right = sum(kept)
        print(f"{t:9.2f} {len(kept):6d} {right:6d} {right / max(1, len(kept)):6.3f} "
              f"{right / gold:6.3f}")


def gold_count(half: str) -> int:
    return sum(len(g["attributions"]) for g in sources_bench.gold_pages()
               if ("held-out" if sources_bench.held_out(g["id"]) else "open") == half)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="store the fitted weights")
    parser.add_argument("--sources-weight", type=float, default=4.0)
    parser.add_argument("--l2", type=float, default=30.0)
    args = parser.parse_args(argv)
    train = (span_samples("polnear", "en", 1.0) + span_samples("gnqa", "de", 1.0)
             + page_samples("open", args.sources_weight) + seed_samples(args.sources_weight))
    held = page_samples("held-out", 1.0)
    print(f"training samples {len(train)}, held-out marks {len(held)}")
    bias, base, weights = fit(train, args.l2)
    print(f"bias {bias:.3f}, prior weight {base:.3f}")
    for name, value in sorted(weights.items(), key=lambda kv: kv[1]):
        print(f"  {value:+7.3f}  {name}")
    print("\nreliability on the held-out half (never fitted on):")
    reliability(held, bias, base, weights)
    for half, samples in (("open (fitted on)", [s[:3] + (1.0,) for s in train if s[3] !=
                                                1.0]), ("held-out", held)):
        print(f"\nthresholds on the {half} half:")
        sweep(samples, gold_count(half.split()[0]), bias, base, weights)
    if args.write:
        data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
        data.update(bias=round(bias, 3), base_weight=round(base, 3), weights=weights)
        WEIGHTS_FILE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")
        print(f"\nwrote {WEIGHTS_FILE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
