"""Benchmark the library: fill one with 10,000 entries made from corpus pages, then time saves
and searches (prints figures; not a test).

Pages: the first ``--pages`` article pages of ``wcxb-dev`` are cleaned once with the real
pipeline (two processes); the 10,000 entries are those answers saved again and again, each
with its own address, a publication date spread over three years, a standalone copy (the
article in a page, as the extension makes it) and the page's digest — the store's whole save
path (``build_entry`` + one transaction), not the pipeline, which /v1/clean's figures cover.

Baselines, in the same process on the same data:
- save: the same rows inserted into a bare table (no index, no full-text index, no quotes);
- search: the same words looked for with ``LIKE '%word%'`` over the article text instead of
  FTS5 (what a library without a full-text index would do).

Searches are what the API runs for ``GET /v1/library`` (count, page of 20, sources and
snippets): words from the corpus, common and rare, prefixes as typed, two words, a phrase,
and the source / category / site / date filters with and without words.

Run:  .venv/bin/python bench/library.py [--entries 10000] [--pages 100] [--searches 400]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import sourcelight  # noqa: F401
except ModuleNotFoundError:  # running from a checkout without an installed package
    sys.path.insert(0, str(ROOT / "server"))

from sourcelight.library.entries import build_entry  # noqa: E402
from sourcelight.library.search import SearchQuery, quoted_elsewhere, search  # noqa: E402
from sourcelight.library.store import DATABASE_NAME, Library  # noqa: E402
from sourcelight.settings import Settings  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "wcxb-dev"
TARGET_MEDIAN_MS, TARGET_P95_MS = 20.0, 60.0
LIKE_SAMPLE = 40


def clean_page(path: str) -> dict | None:
    """One corpus page through the pipeline: ``{"html", "answer"}``, None if it fails."""
    from sourcelight.pipeline import clean

    html = gzip.decompress(Path(path).read_bytes()).decode("utf-8", "replace")
    try:
        return {"html": html, "answer": clean(html, None, Settings()).to_dict()}
    except Exception:  # noqa: BLE001 - a page the pipeline refuses is not part of the bench
        return None


def corpus_answers(pages: int) -> list[dict]:
    """The first ``pages`` article pages of wcxb-dev, cleaned."""
    meta = json.loads((CORPUS / "metadata.json").read_text("utf-8"))["files"]
    names = [n for n, m in sorted(meta.items()) if m.get("page_type") == "article"][:pages]
    paths = [str(CORPUS / "html" / f"{name}.html.gz") for name in names]
    with ProcessPoolExecutor(2) as pool:
        return [item for item in pool.map(clean_page, paths) if item]


def variant(item: dict, number: int, rng: random.Random) -> tuple[dict, str]:
    """Entry ``number``: the page's answer with its own address and date, and its copy."""
    answer = json.loads(json.dumps(item["answer"]))
    article = answer["article"]
    article["url"] = f"https://site{number % 97}.example/story/{number}"
    article["published"] = f"{2023 + number % 3}-{rng.randrange(1, 13):02d}-" \
                           f"{rng.randrange(1, 29):02d}T08:00:00Z"
    copy = (f"<!DOCTYPE html><html><head><meta charset=utf-8><title>{article['title']}</title>"
            f"<style>body{{max-width:40em;margin:auto}}</style></head><body>"
            f"{article['html']}</body></html>")
    return answer, copy


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0.95: p95) of ``values``."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def fill(library: Library, items: list[dict], count: int, rng: random.Random,
         baseline: sqlite3.Connection) -> tuple[list[float], list[float]]:
    """Save ``count`` entries; the save times (ms) and the bare-table baseline's."""
    settings = library.settings
    times, bare = [], []
    for number in range(count):
        item = items[number % len(items)]
        answer, copy = variant(item, number, rng)
        started = time.perf_counter()
        entry = build_entry(answer, item["html"], settings, copy=copy)
        library.save(entry)
        times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        baseline.execute("BEGIN")
        baseline.execute("INSERT INTO bare VALUES (?, ?, ?, ?)",
                         (entry.row["url"], entry.row["article_text"],
                          entry.row["annotations"], entry.row["copy_html"]))
        baseline.execute("COMMIT")
        bare.append((time.perf_counter() - started) * 1000)
    return times, bare


def search_queries(library: Library, items: list[dict], rng: random.Random,
                   count: int) -> list[SearchQuery]:
    """A mix of what readers search for."""
    words = Counter(w.lower() for item in items
                    for w in re.findall(r"[A-Za-z]{4,}", item["answer"]["article"]["text"]))
    common = [w for w, _ in words.most_common(60)]
    rare = [w for w, n in words.items() if n == 1][:500] or common
    facets = library.read("SELECT min(source_name) FROM quotes WHERE category IN "
                          "('person', 'organization', 'media') GROUP BY source_key LIMIT 200")
    sources = [row[0] for row in facets] or [None]
    sites = [row[0] for row in library.read("SELECT DISTINCT site FROM entries "
                                            "WHERE site IS NOT NULL LIMIT 100")] or [None]
    makers = [
        lambda: SearchQuery(q=rng.choice(common)),
        lambda: SearchQuery(q=rng.choice(rare)),
        lambda: SearchQuery(q=rng.choice(common)[:3]),  # as typed: a prefix
        lambda: SearchQuery(q=f"{rng.choice(common)} {rng.choice(rare)[:4]}"),
        lambda: SearchQuery(q=f'"{rng.choice(common)} {rng.choice(common)}"'),
        lambda: SearchQuery(source=rng.choice(sources)),
        lambda: SearchQuery(q=rng.choice(common), category="person"),
        lambda: SearchQuery(site=rng.choice(sites)),
        lambda: SearchQuery(q=rng.choice(common), date_from="2024-01-01",
                            date_to="2024-06-30"),
        lambda: SearchQuery(),  # the library page as it opens
        lambda: SearchQuery(q=rng.choice(common), page=rng.randrange(2, 20)),
    ]
    return [rng.choice(makers)() for _ in range(count)]


def time_searches(library: Library, queries: list[SearchQuery]) -> list[float]:
    """Milliseconds per search, as the API runs it."""
    times = []
    for query in queries:
        started = time.perf_counter()
        search(library, query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def time_like_baseline(path: Path, queries: list[SearchQuery]) -> list[float]:
    """The same words with LIKE over the text: what a library without FTS would do."""
    conn = sqlite3.connect(path)
    times = []
    for query in queries:
        words = re.findall(r"\w+", query.q)
        if not words:
            continue
        started = time.perf_counter()
        where = " AND ".join("article_text LIKE ?" for _ in words)
        params = [f"%{w}%" for w in words]
        conn.execute(f"SELECT count(*) FROM entry_content WHERE {where}", params).fetchone()
        conn.execute(f"SELECT id FROM entry_content WHERE {where} ORDER BY id DESC LIMIT 20",
                     params).fetchall()
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return times


def line(label: str, values: list[float]) -> str:
    return (f"{label:<34} median {statistics.median(values):8.2f} ms   "
            f"p95 {percentile(values, 0.95):8.2f} ms   (n={len(values)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--searches", type=int, default=400)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    items = corpus_answers(args.pages)
    print(f"corpus: {len(items)} wcxb-dev article pages cleaned in "
          f"{time.perf_counter() - started:.1f} s")
    directory = Path(tempfile.mkdtemp(prefix="sourcelight-bench-library-"))
    try:
        library = Library(Settings(library_dir=str(directory)))
        baseline = sqlite3.connect(directory / "bare.sqlite3", isolation_level=None)
        baseline.execute("PRAGMA journal_mode=WAL")
        baseline.execute("PRAGMA synchronous=FULL")
        baseline.execute("CREATE TABLE bare (url, text, annotations, copy)")
        started = time.perf_counter()
        saves, bare = fill(library, items, args.entries, rng, baseline)
        baseline.close()
        print(f"filled {library.count()} entries in {time.perf_counter() - started:.1f} s")
        print(line("save (build + one transaction)", saves))
        print(line("baseline: bare insert, same rows", bare))
        print(f"save / baseline (median): {statistics.median(saves) / statistics.median(bare):.2f}x")
        library.connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = (directory / DATABASE_NAME).stat().st_size
        print(f"library on disk: {size / 2**20:.1f} MiB, {size / args.entries / 1024:.1f} KiB "
              "per entry (copy included)")
        queries = search_queries(library, items, rng, args.searches)
        time_searches(library, queries[:20])  # warm the page cache, as a running service is
        searches = time_searches(library, queries)
        print(line(f"search over {library.count()} entries", searches))
        # A full scan per query: a sample of the same queries keeps the run short.
        like = time_like_baseline(directory / DATABASE_NAME, queries[:LIKE_SAMPLE])
        print(line("baseline: LIKE over the text", like))
        fts_words = [t for t, q in zip(searches, queries[:LIKE_SAMPLE])
                     if re.findall(r"\w+", q.q)]
        print(f"LIKE / FTS5 on the same word queries (median): "
              f"{statistics.median(like) / statistics.median(fts_words):.1f}x")
        names = [row[0] for row in library.read(
            "SELECT min(source_name) FROM quotes WHERE category = 'person' "
            "GROUP BY source_key LIMIT 100")]
        trail = []
        for name in names:
            begun = time.perf_counter()
            quoted_elsewhere(library, name, library.settings)
            trail.append((time.perf_counter() - begun) * 1000)
        if trail:
            print(line("where else quoted (a person)", trail))
        median, p95 = statistics.median(searches), percentile(searches, 0.95)
        verdict = "met" if median <= TARGET_MEDIAN_MS and p95 <= TARGET_P95_MS else "NOT met"
        print(f"target search median <= {TARGET_MEDIAN_MS:.0f} ms, p95 <= "
              f"{TARGET_P95_MS:.0f} ms: {verdict}")
        library.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
