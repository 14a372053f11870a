"""Sources benchmark: what a fact-checker sees on the overlay, scored on the sources dev set.

Runs every page of ``../shared/corpus/sources-dev/gold/`` through ``sourcelight.pipeline.clean``
(the whole pipeline, as the service does) and scores the answer with the corpus's own scorer
(``score_sources.py``, imported from the corpus, never copied). A mark is *right* when it covers
a real attribution's content and its card names that attribution's source.

Prints, for the pages we tune on ("open"), the pages we never look at ("held-out") and all:
mark precision, recall, F1; found precision/recall (content only); category accuracy; split and
merge rates; then counts per error class and per-page rows.

The split is fixed by a hash of the page id (``held_out(page_id)``), so nobody picks it: tune on
the open half only, and report the held-out half beside it.

Error classes (a wrong mark is counted once):
- ``pronoun``: found, wrong card, and the source mention is a pronoun ("he", "they");
- ``description``: found, wrong card, the mention is a description ("the German carmaker");
- ``fragment-name``: found, wrong card whose name shares words with the right one;
- ``wrong-entity``: found, any other wrong card (or no card);
- ``caption-credit``: a mark that is no attribution and sits in a caption or credit line;
- ``non-attribution``: any other mark that covers no gold attribution.

    .venv/bin/python bench/sources.py [--half open|held-out|all] [--pages] [--show CLASS]
        [--candidates] [--min-confidence X]

``--candidates`` scores ``attributions + candidates`` (what "show uncertain" would show).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
CORPUS = ROOT.parent / "shared" / "corpus"
GOLD_DIR = CORPUS / "sources-dev" / "gold"
MOZILLA_URL = "http://fakehost/test/page.html"

PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "er", "sie", "es", "wir"}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "one"}
CREDIT_RE = re.compile(r"getty|courtesy|\bphoto\b|\bimage\b|caption|/ ?afp|/ ?ap\b|reuters/|"
                       r"contributed|\bcredit\b|shutterstock|\(ap\)|file photo", re.IGNORECASE)
ERROR_CLASSES = ("pronoun", "description", "fragment-name", "wrong-entity", "caption-credit",
                 "non-attribution")


def held_out(page_id: str) -> bool:
    """The fixed half we never tune on: decided by the page id's hash, not by anyone."""
    return hashlib.sha256(page_id.encode()).digest()[0] % 2 == 1


def load_scorer() -> ModuleType:
    path = CORPUS / "sources-dev" / "score_sources.py"
    spec = importlib.util.spec_from_file_location("score_sources", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def page_input(page_id: str) -> tuple[bytes, str | None]:
    """(html, url) of a dev page, read in place from its corpus."""
    if page_id.startswith("wcxb-"):
        number = page_id.split("-", 1)[1]
        html = gzip.decompress((CORPUS / "wcxb-dev" / "html" / f"{number}.html.gz").read_bytes())
        truth = CORPUS / "wcxb-dev" / "ground-truth" / f"{number}.json"
        url = json.loads(truth.read_text("utf-8")).get("url") if truth.is_file() else None
        return html, url
    name = page_id.split("-", 1)[1]
    return (CORPUS / "readability-test-pages" / name / "source.html").read_bytes(), MOZILLA_URL


def gold_pages() -> list[dict]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(GOLD_DIR.glob("*.json"))]


def predict(page_id: str, with_candidates: bool = False,
            min_confidence: float | None = None) -> tuple[dict, float]:
    """The service's JSON answer for one page and the seconds clean() took."""
    from sourcelight.pipeline import clean
    from sourcelight.settings import Settings

    settings = Settings() if min_confidence is None else Settings(min_confidence=min_confidence)
    html, url = page_input(page_id)
    started = time.perf_counter()
    answer = clean(html, url, settings).to_dict()
    took = time.perf_counter() - started
    if with_candidates:
        answer["attributions"] = answer["attributions"] + answer.get("candidates", [])
    return answer, took


def _span_text(text: str, span) -> str:
    return text[span[0]:span[1]] if span else ""


def _line_of(text: str, offset: int) -> str:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return text[start:end if end != -1 else len(text)]


def classify_errors(prediction: dict, scored: dict, scorer: ModuleType) -> list[tuple[str, str]]:
    """(class, what the reader sees) for every wrong mark of one page."""
    text = prediction["article"]["text"]
    names = {s["id"]: s.get("name") for s in prediction.get("sources", [])}
    errors = []
    for row in scored["rows"]:
        if not row["found"] or row["right"]:
            continue
        mention = _mention_for(row, prediction, text)
        gold_name = row["entity"]["name"]
        words = mention.lower().split()
        if len(words) == 1 and words[0] in PRONOUNS:
            kind = "pronoun"
        elif words and words[0] in DETERMINERS and not mention[len(words[0]) + 1:][:1].isupper():
            kind = "description"
        elif row.get("pred_name") and set(scorer._tokens(row["pred_name"])) & \
                set(scorer._tokens(gold_name)):
            kind = "fragment-name"
        else:
            kind = "wrong-entity"
        errors.append((kind, f"{mention!r} -> card {row.get('pred_name')!r}, gold {gold_name!r}"))
    for a in scored["unmatched_predictions"]:
        line = _line_of(text, a["content"][0])
        kind = "caption-credit" if CREDIT_RE.search(line) and len(line.split()) < 40 \
            else "non-attribution"
        source = _span_text(text, a.get("source"))
        cue = _span_text(text, a.get("cue"))
        content = _span_text(text, a["content"])[:70]
        errors.append((kind, f"[{names.get(a.get('entity'))}] {source!r} {cue!r} {content!r}"))
    return errors


def _mention_for(row: dict, prediction: dict, text: str) -> str:
    """The source words of the predicted attribution that covers a gold row."""
    for a in prediction["attributions"]:
        if a.get("entity") == row["pred_entity"] and a.get("source"):
            content = a["content"]
            gold = row["gold"]["content"][:30]
            if gold and gold.split()[0] in text[content[0]:content[1]]:
                return _span_text(text, a["source"])
    return next((_span_text(text, a["source"]) for a in prediction["attributions"]
                 if a.get("entity") == row["pred_entity"] and a.get("source")), "")


def run(half: str, with_candidates: bool = False, min_confidence: float | None = None) -> dict:
    """Score every page of the chosen half; returns per-half summaries and per-page rows."""
    scorer = load_scorer()
    results: dict[str, list] = {"open": [], "held-out": []}
    rows, errors, times = [], {"open": Counter(), "held-out": Counter()}, []
    examples: dict[str, list[str]] = {c: [] for c in ERROR_CLASSES}
    for gold in gold_pages():
        group = "held-out" if held_out(gold["id"]) else "open"
        if half != "all" and group != half:
            continue
        prediction, took = predict(gold["id"], with_candidates, min_confidence)
        times.append(took)
        scored = scorer.score_page(prediction, gold)
        results[group].append(scored)
        page_errors = classify_errors(prediction, scored, scorer)
        errors[group].update(kind for kind, _ in page_errors)
        if group == "open":
            for kind, example in page_errors:
                examples[kind].append(f"{gold['id']}: {example}")
        rows.append((gold["id"], group, scored))
    summaries = {g: scorer.summarize(pages) for g, pages in results.items() if pages}
    everything = results["open"] + results["held-out"]
    summaries["all"] = scorer.summarize(everything)
    return {"summaries": summaries, "errors": errors, "rows": rows, "examples": examples,
            "seconds": times}


def print_report(report: dict, show_pages: bool, show: str | None) -> None:
    head = (f"{'half':9} {'pages':>5} {'gold':>5} {'marks':>5} {'right':>5} {'P':>6} {'R':>6} "
            f"{'F1':>6} {'foundP':>6} {'foundR':>6} {'cat':>6} {'split':>6} {'merge':>6}")
    print(head)
    print("-" * len(head))
    for half, s in report["summaries"].items():
        print(f"{half:9} {s['pages']:5} {s['gold']:5} {s['predicted']:5} {s['right']:5} "
              f"{s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} "
              f"{s['found_precision']:6.3f} {s['found_recall']:6.3f} "
              f"{s['category_accuracy']:6.3f} {s['split_rate']:6.3f} {s['merge_rate']:6.3f}")
    print()
    print("wrong marks by class " + " ".join(f"{c:>15}" for c in ERROR_CLASSES))
    for half in ("open", "held-out"):
        counts = report["errors"][half]
        if counts:
            print(f"{half:20} " + " ".join(f"{counts.get(c, 0):15d}" for c in ERROR_CLASSES))
    if show_pages:
        print()
        print(f"{'page':24} {'half':9} {'gold':>5} {'marks':>5} {'right':>5} {'found':>5}")
        for page_id, half, s in report["rows"]:
            print(f"{page_id:24} {half:9} {s['gold']:5} {s['predicted']:5} {s['right']:5} "
                  f"{s['found']:5}")
    if show:
        print()
        for example in report["examples"].get(show, []):
            print(f"  {show}: {example}")
    times = sorted(report["seconds"])
    if times:
        print(f"\nclean() per page: median {times[len(times) // 2] * 1000:.0f} ms, "
              f"total {sum(times):.1f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--half", choices=("open", "held-out", "all"), default="all")
    parser.add_argument("--pages", action="store_true", help="per-page rows")
    parser.add_argument("--show", choices=ERROR_CLASSES, help="list the open half's errors")
    parser.add_argument("--candidates", action="store_true",
                        help="score attributions + candidates")
    parser.add_argument("--min-confidence", type=float, default=None,
                        help="threshold instead of Settings.min_confidence")
    args = parser.parse_args(argv)
    print_report(run(args.half, args.candidates, args.min_confidence), args.pages, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
