"""Extraction benchmark: our pipeline vs readability-lxml alone vs trafilatura, in one run.

Prints, per corpus group, pageF1 (mean per-page F1 of 4-token shingle overlap, a failed or
empty page scoring 0), precision, recall, empty/failed pages, median and p95 ms per page,
and the ratio of each median time to readability-lxml's and to trafilatura's (default). Systems:
``ours`` (extract_article), ``clean`` (the whole pipeline), ``readability``, ``trafilatura``,
``traf-prec`` (trafilatura favouring precision); all five run by default.

Then a speed table (``bench/_speed.py``): per group, each system's median and p95 CPU ms per
page, its median wall ms, and its median and p95 over trafilatura's in the same run; and a
size-scaling table: every system on pages of 10 KB to 3 MB built from corpus paragraphs (best
of ``--scaling-repeat`` runs), with the growth exponent between neighbouring sizes
(``--scaling off`` skips it, ``--scaling only`` prints only it). A benchmark, not a test:

    .venv/bin/python bench/extraction.py [--corpus mozilla|wcxb|all] [--limit N] [--dump FILE]
        [--half open|held-out|all] [--systems ours,clean,...] [--scaling on|off|only]

``--half`` keeps the pages of one fixed half, decided by a hash of the page id (as in
bench/sources.py): tune on the open half, report the held-out half beside it.

Corpora are read in place from ../shared/corpus (never copied). Systems run interleaved page by
page so machine noise hits them alike.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import lxml.html
from _speed import print_speed_table, scaling_table, corpus_paragraphs

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
CORPUS = ROOT.parent / "shared" / "corpus"
MOZILLA_URL = "http://fakehost/test/page.html"
REAL_PAGE_BYTES = 8 * 1024
SHINGLE = 4
TOKEN_RE = re.compile(r"\w+")

# The evaluation's HTML-to-text (Mozilla corpus README): drop these, break lines around blocks.
DROP_TAGS = {"script", "style", "noscript", "template", "head", "iframe", "svg"}
BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "br", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}


# ---------------------------------------------------------------- scoring
def html_to_text(html: str) -> str:
    """Truth-side text of an HTML fragment, as the corpus README describes it."""
    if not html or not html.strip():
        return ""
    try:
        root = lxml.html.fromstring(html)
    except Exception:  # noqa: BLE001 - an unparsable answer simply scores 0
        return ""
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in DROP_TAGS:
            if el.tail:
                parts.append(el.tail)
            return
        block = tag in BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
        if block:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def shingles(text: str) -> Counter:
    tokens = TOKEN_RE.findall(text or "")
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)]) if tokens else Counter()
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def prf(predicted: str, truth: str) -> tuple[float, float, float]:
    p, t = shingles(predicted), shingles(truth)
    if not p or not t:
        return 0.0, 0.0, 0.0
    overlap = sum((p & t).values())
    precision, recall = overlap / sum(p.values()), overlap / sum(t.values())
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def held_out(page_id: str) -> bool:
    """The fixed half nobody tunes on: decided by the page id's hash (WCXB id or Mozilla
    folder name), not by anyone."""
    return hashlib.sha256(page_id.encode()).digest()[0] % 2 == 1


def snippet_in(snippet: str, text_tokens: str) -> bool:
    tokens = TOKEN_RE.findall(snippet.casefold())
    return bool(tokens) and f" {' '.join(tokens)} " in text_tokens


# ---------------------------------------------------------------- corpora
@dataclass
class Page:
    group: str
    name: str
    url: str
    html: bytes
    truth: str
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)


def mozilla_pages() -> Iterator[Page]:
    for folder in sorted((CORPUS / "readability-test-pages").iterdir()):
        source = folder / "source.html"
        if not source.is_file():
            continue
        html = source.read_bytes()
        group = "mozilla-real" if len(html) >= REAL_PAGE_BYTES else "mozilla-synthetic"
        truth = html_to_text((folder / "expected.html").read_text(encoding="utf-8"))
        yield Page(group, folder.name, MOZILLA_URL, html, truth)


def wcxb_pages() -> Iterator[Page]:
    base = CORPUS / "wcxb-dev"
    files = json.loads((base / "metadata.json").read_text())["files"]
    for page_id, info in sorted(files.items()):
        gt_path = base / "ground-truth" / f"{page_id}.json"
        html_path = base / "html" / f"{page_id}.html.gz"
        if not gt_path.is_file() or not html_path.is_file():
            continue
        record = json.loads(gt_path.read_text(encoding="utf-8"))
        gt = record["ground_truth"]
        yield Page(
            f"wcxb-{info['page_type']}", page_id, record.get("url") or "",
            gzip.decompress(html_path.read_bytes()), gt.get("main_content") or "",
            list(gt.get("with") or []), list(gt.get("without") or []),
        )


# ---------------------------------------------------------------- systems
def run_ours() -> Callable[[bytes, str], str]:
    from sourcelight.errors import SourcelightError
    # The extraction stages only: the annotation stage is measured by bench/attribution.py.
    from sourcelight.pipeline import extract_article

    def ours(html: bytes, url: str) -> str:
        try:
            return extract_article(html, url or None).article.text
        except SourcelightError:
            return ""

    return ours


def run_readability() -> Callable[[bytes, str], str]:
    from readability import Document

    def readability_alone(html: bytes, url: str) -> str:
        return html_to_text(Document(html, url=url or None).summary(html_partial=True))

    return readability_alone


def run_trafilatura() -> Callable[[bytes, str], str]:
    import trafilatura

    def traf(html: bytes, url: str) -> str:
        # Comments are not main content in either corpus's truth.
        return trafilatura.extract(html, url=url or None, include_comments=False,
                                   include_tables=True) or ""

    return traf


def run_clean() -> Callable[[bytes, str], str]:
    """The whole pipeline, annotation included (what the service runs per page)."""
    from sourcelight.errors import SourcelightError
    from sourcelight.pipeline import clean

    def whole(html: bytes, url: str) -> str:
        try:
            return clean(html, url or None).article.text
        except SourcelightError:
            return ""

    return whole


def run_trafilatura_precision() -> Callable[[bytes, str], str]:
    import trafilatura

    def traf(html: bytes, url: str) -> str:
        return trafilatura.extract(html, url=url or None, include_comments=False,
                                   include_tables=True, favor_precision=True) or ""

    return traf


SYSTEMS = {"ours": run_ours, "readability": run_readability, "trafilatura": run_trafilatura,
           "clean": run_clean, "traf-prec": run_trafilatura_precision}


# ---------------------------------------------------------------- report
@dataclass
class Score:
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    empty: int = 0
    failed: int = 0
    with_found: list[float] = field(default_factory=list)
    without_leaked: list[float] = field(default_factory=list)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def score_page(page: Page, text: str, score: Score) -> dict:
    p, r, f = prf(text, page.truth)
    score.precision.append(p)
    score.recall.append(r)
    score.f1.append(f)
    if not text.strip():
        score.empty += 1
    row = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}
    if page.with_snippets or page.without_snippets:
        flat = f" {' '.join(TOKEN_RE.findall(text.casefold()))} "
        if page.with_snippets:
            score.with_found.append(
                sum(snippet_in(s, flat) for s in page.with_snippets) / len(page.with_snippets))
        if page.without_snippets:
            score.without_leaked.append(
                sum(snippet_in(s, flat) for s in page.without_snippets)
                / len(page.without_snippets))
    return row


def print_report(scores: dict[str, dict[str, Score]], systems: list[str]) -> None:
    header = (f"{'group':<20} {'system':<12} {'pages':>5} {'pageF1':>7} {'prec':>6} {'recall':>6}"
              f" {'empty':>5} {'fail':>4} {'med ms':>7} {'p95 ms':>7} {'with':>6} {'w/o':>6}"
              f" {'med/rdb':>7} {'med/trf':>7}")
    print(header)
    print("-" * len(header))
    for group in sorted(scores):
        base = scores[group].get("readability")
        base_median = statistics.median(base.ms) if base and base.ms else None
        traf = scores[group].get("trafilatura")
        traf_median = statistics.median(traf.ms) if traf and traf.ms else None
        for name in systems:
            s = scores[group].get(name)
            if not s or not s.f1:
                continue
            median = statistics.median(s.ms)
            ratio = f"{median / base_median:7.2f}" if base_median else f"{'-':>7}"
            ratio += f" {median / traf_median:7.2f}" if traf_median else f" {'-':>7}"
            with_found = f"{statistics.mean(s.with_found):6.3f}" if s.with_found else f"{'-':>6}"
            leaked = (f"{statistics.mean(s.without_leaked):6.3f}" if s.without_leaked
                      else f"{'-':>6}")
            print(f"{group:<20} {name:<12} {len(s.f1):>5} {statistics.mean(s.f1):7.3f}"
                  f" {statistics.mean(s.precision):6.3f} {statistics.mean(s.recall):6.3f}"
                  f" {s.empty:>5} {s.failed:>4} {median:7.1f} {pct(s.ms, 0.95):7.1f}"
                  f" {with_found} {leaked} {ratio}")
        print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=["mozilla", "wcxb", "all"], default="all")
    parser.add_argument("--systems", default="ours,clean,readability,trafilatura,traf-prec",
                        help="comma-separated: " + ",".join(SYSTEMS)
                        + " (ours = extract_article, clean = the whole pipeline)")
    parser.add_argument("--limit", type=int, default=0, help="pages per corpus (0 = all)")
    parser.add_argument("--group", default="", help="only groups starting with this")
    parser.add_argument("--dump", type=Path, help="write per-page scores as JSON lines here")
    parser.add_argument("--half", choices=["open", "held-out", "all"], default="all",
                        help="only the pages of one fixed half (by a hash of the page id)")
    parser.add_argument("--scaling", choices=["on", "off", "only"], default="on",
                        help="the size-scaling table (10 KB to 3 MB pages)")
    parser.add_argument("--scaling-repeat", type=int, default=3,
                        help="runs per size and system (the fastest is kept)")
    args = parser.parse_args(argv)

    systems = [s for s in args.systems.split(",") if s]
    runners = {}
    for name in systems:
        try:
            runners[name] = SYSTEMS[name]()
        except ImportError as exc:
            print(f"skipping {name}: {exc} (install the bench extra: pip install -e '.[bench]')")
    if args.scaling != "only":
        run_corpora(args, runners)
    if args.scaling != "off":
        scaling_table({name: run for name, run in runners.items() if name != "traf-prec"},
                      corpus_paragraphs(mozilla_truth_html()), repeat=args.scaling_repeat)
    return 0


def mozilla_truth_html() -> list[str]:
    """The expected article HTML of the real Mozilla pages (the scaling pages' paragraphs)."""
    return [(folder / "expected.html").read_text(encoding="utf-8")
            for folder in sorted((CORPUS / "readability-test-pages").iterdir())
            if (folder / "expected.html").is_file()
            and (folder / "source.html").stat().st_size >= REAL_PAGE_BYTES]


def run_corpora(args: argparse.Namespace, runners: dict[str, Callable[[bytes, str], str]]) -> None:
    """The quality and speed tables over the corpus pages, systems interleaved page by page."""
    corpora = []
    if args.corpus in ("mozilla", "all"):
        corpora.append(mozilla_pages)
    if args.corpus in ("wcxb", "all"):
        corpora.append(wcxb_pages)

    # Each system's first page pays its lazy loading (langdetect's profiles, lexicons): not timed.
    first = next(corpora[0](), None) if corpora else None
    for run in runners.values():
        if first is not None:
            try:
                run(first.html, first.url)
            except Exception:  # noqa: BLE001 - a failure is counted in the timed run
                pass
    scores: dict[str, dict[str, Score]] = defaultdict(lambda: defaultdict(Score))
    dump = args.dump.open("w") if args.dump else None
    for corpus in corpora:
        for i, page in enumerate(corpus()):
            if args.limit and i >= args.limit:
                break
            if args.group and not page.group.startswith(args.group):
                continue
            if args.half != "all" and held_out(page.name) != (args.half == "held-out"):
                continue
            for name, run in runners.items():
                score = scores[page.group][name]
                cpu_started = time.process_time()
                started = time.perf_counter()
                try:
                    text = run(page.html, page.url)
                except Exception as exc:  # noqa: BLE001 - a crash is a failed page, scored 0
                    text = ""
                    score.failed += 1
                    print(f"  {name} failed on {page.group}/{page.name}: "
                          f"{type(exc).__name__}: {exc}", file=sys.stderr)
                score.ms.append((time.perf_counter() - started) * 1000)
                score.cpu_ms.append((time.process_time() - cpu_started) * 1000)
                row = score_page(page, text, score)
                if dump:
                    dump.write(json.dumps({"group": page.group, "page": page.name,
                                           "system": name, **row}) + "\n")
    if dump:
        dump.close()
    print_report(scores, list(runners))
    print_speed_table({g: {n: s.cpu_ms for n, s in by.items()} for g, by in scores.items()},
                      {g: {n: s.ms for n, s in by.items()} for g, by in scores.items()},
                      list(runners))


if __name__ == "__main__":
    raise SystemExit(main())
