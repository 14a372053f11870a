"""Benchmark ``read_metadata`` against two corpora with known metadata (prints figures; not a test).

Corpora (read in place, never copied):

- ``wcxb-dev``: pages of type "article"; truth is ``ground_truth.title/author/publish_date``.
- ``readability-test-pages``: every folder; truth is ``expected-metadata.json``
  (``title``, ``byline``, ``siteName``, ``publishedTime``, ``lang``).

For each field: accuracy over pages whose truth is non-empty (normalised exact match:
case-folded, whitespace collapsed; dates compare the YYYY-MM-DD part; languages the
primary subtag; bylines also drop a leading "By"), the same with typography folded
(curly quotes and dashes as plain ones), and the share of those pages where we return
null. Titles also get a token-F1 average. Timing is for ``read_metadata`` alone, on
pages already parsed.

Publication dates are also compared with ``htmldate`` (trafilatura's date extractor, a
maintained library; in the ``bench`` extra), on the same parsed pages (each its own copy,
since htmldate may prune the tree it reads) with the same URL: its default (extensive search)
and its fast mode, both asked for the original (publication) date; and each used as the
other's fallback. Per system: right, wrong (a different day), null, and time per page.

Run:  .venv/bin/python bench/metadata.py [--corpus PATH] [--show-misses FIELD] [--no-htmldate]
"""

from __future__ import annotations

import argparse
import copy
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

ROOT = Path(__file__).resolve().parents[1]
try:
    from sourcelight.extract.metadata import read_metadata
except ModuleNotFoundError:  # running from a checkout without an installed package
    sys.path.insert(0, str(ROOT / "server"))
    from sourcelight.extract.metadata import read_metadata

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
FIELDS = ("title", "byline", "published", "site_name", "html_lang")


@dataclass
class Case:
    """One page and the metadata its corpus says it has."""

    name: str
    html: bytes
    url: str | None
    truth: dict[str, str | None]


@dataclass
class Tally:
    """Counts for one field of one corpus."""

    total: int = 0
    correct: int = 0
    correct_folded: int = 0
    null: int = 0
    f1: list[float] = field(default_factory=list)
    misses: list[tuple[str, str, str | None]] = field(default_factory=list)


def load_wcxb(corpus: Path) -> list[Case]:
    """WCXB dev article pages with their ground truth."""
    base = corpus / "wcxb-dev"
    files = json.loads((base / "metadata.json").read_text(encoding="utf-8"))["files"]
    cases = []
    for page_id, info in sorted(files.items()):
        if info.get("page_type") != "article":
            continue
        truth_file = base / "ground-truth" / f"{page_id}.json"
        truth = json.loads(truth_file.read_text(encoding="utf-8"))["ground_truth"]
        raw = gzip.decompress((base / "html" / f"{page_id}.html.gz").read_bytes())
        cases.append(
            Case(
                name=f"{page_id} ({info.get('domain')})",
                html=raw,
                url=f"https://{info['domain']}/" if info.get("domain") else None,
                truth={
                    "title": truth.get("title"),
                    "byline": truth.get("author"),
                    "published": truth.get("publish_date"),
                },
            )
        )
    return cases


def load_readability(corpus: Path) -> list[Case]:
    """Mozilla Readability test pages with their expected metadata."""
    cases = []
    for folder in sorted((corpus / "readability-test-pages").iterdir()):
        expected = folder / "expected-metadata.json"
        if not expected.is_file():
            continue
        meta = json.loads(expected.read_text(encoding="utf-8"))
        cases.append(
            Case(
                name=folder.name,
                html=(folder / "source.html").read_bytes(),
                url="http://fakehost/test/page.html",  # the base URL Readability's tests use
                truth={
                    "title": meta.get("title"),
                    "byline": meta.get("byline"),
                    "published": meta.get("publishedTime"),
                    "site_name": meta.get("siteName"),
                    "html_lang": meta.get("lang"),
                },
            )
        )
    return cases


def norm(value: str | None) -> str:
    """Case-folded, whitespace-collapsed."""
    return re.sub(r"\s+", " ", value or "").strip().casefold()


# Curly quotes, dashes and ellipses in their plain-keyboard form: the WCXB ground truth was
# typed with straight quotes where pages print curly ones.
TYPOGRAPHY = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "…": "...",
     "\u00a0": " "}
)


def norm_field(name: str, value: str | None, fold: bool = False) -> str:
    """The comparison form of a field value (``fold``: typography folded too)."""
    text = norm(value.translate(TYPOGRAPHY) if fold and value else value)
    if name == "published":
        return text[:10]
    if name == "html_lang":
        return re.split(r"[-_]", text)[0]
    if name == "byline":
        return re.sub(r"^by\s+", "", text)
    return text


def token_f1(got: str | None, want: str) -> float:
    """Token-level F1 between two titles."""
    a, b = re.findall(r"\w+", norm(got)), re.findall(r"\w+", norm(want))
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    if not common:
        return 0.0
    precision, recall = common / len(a), common / len(b)
    return 2 * precision * recall / (precision + recall)


def run(cases: list[Case], fields: tuple[str, ...]) -> tuple[dict[str, Tally], list[float]]:
    """Score every case; returns per-field tallies and per-page read times (ms)."""
    tallies = {name: Tally() for name in fields}
    times: list[float] = []
    for case in cases:
        doc = lxml_html.document_fromstring(case.html.decode("utf-8", errors="replace"))
        start = time.perf_counter()
        meta = read_metadata(doc, case.url)
        times.append((time.perf_counter() - start) * 1000)
        for name in fields:
            want = case.truth.get(name)
            if not norm(want):
                continue
            got = getattr(meta, name)
            tally = tallies[name]
            tally.total += 1
            if got is None:
                tally.null += 1
            if norm_field(name, got) == norm_field(name, want):
                tally.correct += 1
            else:
                tally.misses.append((case.name, want, got))
            if norm_field(name, got, fold=True) == norm_field(name, want, fold=True):
                tally.correct_folded += 1
            if name == "title":
                tally.f1.append(token_f1(got, want))
    return tallies, times


# The date systems compared: name -> (uses ours, uses htmldate, htmldate's extensive_search).
DATE_SYSTEMS = {
    "ours (metadata/dates)": (True, False, None),
    "htmldate, extensive": (False, True, True),
    "htmldate, fast": (False, True, False),
    "ours, else htmldate extensive": (True, True, True),
    "htmldate extensive, else ours": (True, True, True),
}


def compare_dates(cases: list[Case]) -> dict[str, Tally]:
    """Publication dates by each of DATE_SYSTEMS on the pages with a known date; tallies
    with ``f1`` holding the per-page milliseconds."""
    from htmldate import find_date

    from sourcelight.extract.metadata.dates import read_published
    from sourcelight.extract.metadata.json_ld import LinkedData, read_json_ld
    from sourcelight.extract.metadata.page import scan_page
    from sourcelight.extract.metadata.site import canonical_url

    tallies = {name: Tally() for name in DATE_SYSTEMS}
    for case in cases:
        want = norm_field("published", case.truth.get("published"))
        if not want:
            continue
        doc = lxml_html.document_fromstring(case.html.decode("utf-8", errors="replace"))
        ours = read_metadata(doc, case.url).published
        # Timed: the date alone, as read_metadata reads it (the page walk, JSON-LD and the
        # canonical URL it needs, then the date), not the title and byline as well.
        start = time.perf_counter()
        page = scan_page(doc)
        ld = read_json_ld(page.json_ld) if page.json_ld else LinkedData()
        assert read_published(page, ld, canonical_url(page, ld, case.url) or case.url) == ours
        ours_ms = (time.perf_counter() - start) * 1000
        found: dict[bool, tuple[str | None, float]] = {}
        for extensive in (True, False):
            tree = copy.deepcopy(doc)
            start = time.perf_counter()
            try:
                theirs = find_date(tree, url=case.url, original_date=True,
                                   extensive_search=extensive)
            except Exception:  # noqa: BLE001 - a library failure is a null answer
                theirs = None
            found[extensive] = theirs, (time.perf_counter() - start) * 1000
        for name, (use_ours, use_theirs, extensive) in DATE_SYSTEMS.items():
            theirs, theirs_ms = found.get(extensive, (None, 0.0))
            if use_ours and use_theirs:
                first, second = (ours, theirs) if name.startswith("ours") else (theirs, ours)
                got = first or second
                # The fallback runs only when the first answers nothing.
                elapsed = (ours_ms if name.startswith("ours") else theirs_ms) + (
                    0.0 if first else (theirs_ms if name.startswith("ours") else ours_ms))
            elif use_ours:
                got, elapsed = ours, ours_ms
            else:
                got, elapsed = theirs, theirs_ms
            tally = tallies[name]
            tally.total += 1
            tally.f1.append(elapsed)
            if got is None:
                tally.null += 1
            elif norm_field("published", got) == want:
                tally.correct += 1
            else:
                tally.misses.append((case.name, want, got))
    return tallies


def report_dates(label: str, tallies: dict[str, Tally]) -> None:
    """Print the date comparison of one corpus."""
    total = next(iter(tallies.values())).total
    print(f"\n== {label}: publication date, {total} pages with a known date")
    print(f"{'system':<32} {'right':>6} {'wrong':>6} {'null':>6} {'median ms':>10} "
          f"{'p95 ms':>7}")
    for name, tally in tallies.items():
        if not tally.total:
            continue
        times = sorted(tally.f1)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(f"{name:<32} {tally.correct / tally.total:>6.3f} "
              f"{len(tally.misses) / tally.total:>6.3f} {tally.null / tally.total:>6.3f} "
              f"{statistics.median(times):>10.2f} {p95:>7.2f}")


def report(
    label: str, tallies: dict[str, Tally], times: list[float], pages: int, show: str | None
) -> None:
    """Print one corpus's figures."""
    print(f"\n== {label}: {pages} pages")
    print(f"{'field':<10} {'with truth':>10} {'accuracy':>9} {'folded':>7} {'null':>7}  extra")
    for name, tally in tallies.items():
        if not tally.total:
            continue
        extra = f"token-F1 {statistics.fmean(tally.f1):.3f}" if tally.f1 else ""
        print(
            f"{name:<10} {tally.total:>10} {tally.correct / tally.total:>9.3f} "
            f"{tally.correct_folded / tally.total:>7.3f} {tally.null / tally.total:>7.3f}  {extra}"
        )
    times_sorted = sorted(times)
    p95 = times_sorted[int(0.95 * (len(times_sorted) - 1))]
    print(
        f"read_metadata: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms, "
        f"max {max(times):.2f} ms"
    )
    if show and show in tallies:
        print(f"-- misses for {show}:")
        for name, want, got in tallies[show].misses:
            print(f"  {name}\n    want: {want!r}\n    got:  {got!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--show-misses", choices=FIELDS, help="list the pages where this field is wrong"
    )
    parser.add_argument("--no-htmldate", action="store_true",
                        help="skip the publication-date comparison with htmldate")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1

    wcxb = load_wcxb(args.corpus)
    tallies, times = run(wcxb, ("title", "byline", "published"))
    report("WCXB dev (article pages)", tallies, times, len(wcxb), args.show_misses)

    mozilla = load_readability(args.corpus)
    tallies, times = run(mozilla, FIELDS)
    report("Readability test pages", tallies, times, len(mozilla), args.show_misses)

    if not args.no_htmldate:
        from importlib.util import find_spec

        if find_spec("htmldate") is None:  # in the bench extra
            print("\nhtmldate is not installed (pip install -e '.[bench]'): no date comparison")
            return 0
        report_dates("WCXB dev (article pages)", compare_dates(wcxb))
        report_dates("Readability test pages", compare_dates(mozilla))
    return 0


if __name__ == "__main__":
    sys.exit(main())
