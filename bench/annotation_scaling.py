"""Annotation scaling benchmark: does the annotator's time grow linearly with the article?

Extracts the seed article (``../shared/corpus/seed/trump-takaichi.html``) once, then builds
synthetic articles by repeating its paragraphs until the text reaches ``--small`` and
``--large`` characters (1 MB and 3 MB by default), and times on each, in this process:

- the finder alone (``find_attributions(text, lang)``), and
- the whole annotation stage (``annotate(text, html, lang, url)``: finder, source entities,
  links and the marked HTML);
- the finder on a tenth of each text made one paragraph (a page may have no paragraphs).

Prints CPU seconds per size (best of ``--repeat`` runs, sizes interleaved) and the large/small
ratio for each; linear growth gives a ratio near large/small (3.0 by default). Issue 9 asks
for the whole annotation of a 3 MB article to take at most 3.5 times a 1 MB one's. The
machine may be shared: repeat with a larger ``--repeat`` before trusting a ratio. A
benchmark, not a test:

    .venv/bin/python bench/annotation_scaling.py [--small 1000000] [--large 3000000]
        [--repeat 3] [--page PATH]

The corpus is read in place (never copied).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
SEED = ROOT.parent / "shared" / "corpus" / "seed" / "trump-takaichi.html"


def synthetic_article(html: str, chars: int) -> tuple[str, str]:
    """The article HTML repeated until its text reaches ``chars`` characters; returns
    (text, html) as the annotation stage receives them (the text read from that HTML)."""
    from sourcelight.extract.text import parse_fragment, text_with_offsets

    one_text, _ = text_with_offsets(parse_fragment(html))
    copies = max(1, -(-chars // max(1, len(one_text))))  # ceiling division
    big_html = "<div>" + "".join(f"<div>{html}</div>" for _ in range(copies)) + "</div>"
    text, _ = text_with_offsets(parse_fragment(big_html))
    return text, big_html


def best_time(run: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs, in CPU seconds of this process: the stage is
    single-threaded, and on a shared machine wall-clock time mostly measures the other
    programs (with a load of 8 on 2 cores, wall-clock ratios swung from 2 to 4.7 while CPU
    time stayed at 0.86 s per MB)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()  # garbage from the run before is not charged to this one
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=1_000_000, help="characters of text")
    parser.add_argument("--large", type=int, default=3_000_000, help="characters of text")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size (best is kept)")
    parser.add_argument("--page", type=Path, default=SEED, help="the article page to repeat")
    args = parser.parse_args(argv)

    from sourcelight.attribution.annotate import annotate
    from sourcelight.attribution.finder import find_attributions
    from sourcelight.pipeline import extract_article

    article = extract_article(args.page.read_bytes(), "https://example.org/article").article
    lang = article.lang or "en"
    print(f"page {args.page.name}: {len(article.text):,} characters of text, lang={lang}")
    articles = {size: synthetic_article(article.html, size) for size in (args.small, args.large)}
    rows: dict[str, dict[int, float]] = {"finder": {}, "annotation": {}}
    # Sizes interleaved, the best of each kept: a busy moment hits both sizes alike.
    for _ in range(args.repeat):
        for size, (text, html) in articles.items():
            finder = best_time(lambda: find_attributions(text, lang), 1)
            whole = best_time(lambda: annotate(text, html, lang, article.url), 1)
            rows["finder"][size] = min(finder, rows["finder"].get(size, finder))
            rows["annotation"][size] = min(whole, rows["annotation"].get(size, whole))
    for size, (text, _) in articles.items():
        print(f"  {len(text):>10,} characters: finder {rows['finder'][size]:.2f} s, "
              f"annotation {rows['annotation'][size]:.2f} s")
    expected = args.large / args.small
    for stage, times in rows.items():
        ratio = times[args.large] / times[args.small]
        print(f"{stage:<11} {args.large:,} / {args.small:,} characters: ratio {ratio:.2f} "
              f"(linear: {expected:.2f})")
    # A page may put all of it in one paragraph: the finder's look-ups inside a paragraph
    # must not scan it once per quotation or word.
    one = {size: articles[size][0][:size // 10].replace("\n", " ")
           for size in (args.small, args.large)}
    para = {size: best_time(lambda: find_attributions(text, lang), args.repeat)
            for size, text in one.items()}
    print(f"one paragraph {len(one[args.large]):,} / {len(one[args.small]):,} characters: "
          f"finder {para[args.large]:.2f} s / {para[args.small]:.2f} s, ratio "
          f"{para[args.large] / para[args.small]:.2f} (linear: {expected:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
