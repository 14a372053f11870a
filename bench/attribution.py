"""Attribution benchmark: our finder vs a built-in regex baseline, in one run.

Runs ``sourcelight.attribution.annotate.attribute(text, lang)`` (the finder, source grouping and
the confidence threshold: what the overlay marks, not the uncertain candidates) on each record of
``../shared/corpus/attribution-polnear/dev.jsonl`` (English) and
``../shared/corpus/attribution-gnqa/dev.jsonl`` (German) and prints, per corpus, micro-averaged
over all records:

- the main figure, content+source overlap F1: a predicted attribution matches a gold one when
  their content spans share at least one word token (``\\w+``) and their source spans do too
  (a null source matches only a null source); one-to-one (maximum bipartite matching);
- cue, source and content span F1, each with overlap matching and with exact matching (offsets
  equal after stripping whitespace and quote/punctuation marks from both ends), one-to-one;
  null cue/source spans are left out on both sides;
- type accuracy over the content+source matched pairs (gold ``free_indirect`` and ``reported``
  count as ``indirect``);
- median and p95 ms per 1,000 words (``\\w+`` tokens of the text) over records, and total time.

A benchmark, not a test:

    .venv/bin/python bench/attribution.py [--corpus polnear|gnqa|all] [--limit N]
        [--systems ours,regex] [--dump FILE] [--show N]

Corpora are read in place from ../shared/corpus (never copied). Systems run interleaved record
by record so machine noise hits them alike. When the finder cannot be imported, "ours" runs the
regex baseline instead and the report says so.
"""

from __future__ import annotations

import argparse
import bisect
import json
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))
CORPUS = ROOT.parent / "shared" / "corpus"
CORPORA = {  # name -> (folder, language passed to the finder)
    "polnear": ("attribution-polnear", "en"),
    "gnqa": ("attribution-gnqa", "de"),
}
TOKEN_RE = re.compile(r"\w+")
# Stripped from both ends of both spans before exact comparison.
STRIP_CHARS = frozenset(" \t\r\n\u00a0,.:;\"“”„«»'‘’‚‹›")
TYPE_MAP = {"free_indirect": "indirect", "reported": "indirect"}

Span = tuple[int, int]


# ---------------------------------------------------------------- metric
@dataclass(frozen=True)
class Item:
    """One attribution reduced to what the metric needs (spans may be None)."""

    content: Span | None
    source: Span | None
    cue: Span | None
    type: str | None = None


class Tokens:
    """The ``\\w+`` tokens of a text, to map a char span to the token indices it overlaps."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        for m in TOKEN_RE.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())

    def __len__(self) -> int:
        return len(self.starts)

    def range(self, span: Span | None) -> tuple[int, int]:
        """Token indices [lo, hi) of the tokens sharing at least one character with span."""
        if span is None or span[1] <= span[0]:
            return (0, 0)
        lo = bisect.bisect_right(self.ends, span[0])  # first token ending after span start
        hi = bisect.bisect_left(self.starts, span[1])  # first token starting at/after span end
        return (lo, hi) if lo < hi else (0, 0)


def token_overlap(tokens: Tokens, a: Span | None, b: Span | None) -> int:
    """How many ``\\w+`` tokens of the text overlap both spans (0 when either is None)."""
    if a is None or b is None:
        return 0
    (lo1, hi1), (lo2, hi2) = tokens.range(a), tokens.range(b)
    return max(0, min(hi1, hi2) - max(lo1, lo2))


def strip_span(text: str, span: Span) -> Span:
    """span without whitespace and quote/punctuation marks at either end."""
    start, end = max(0, span[0]), min(len(text), span[1])
    while start < end and text[start] in STRIP_CHARS:
        start += 1
    while end > start and text[end - 1] in STRIP_CHARS:
        end -= 1
    return (start, end)


def max_matching(n_left: int, n_right: int,
                 edges: Sequence[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """A maximum one-to-one matching of a bipartite graph.

    ``edges`` are (left, right, weight). A greedy matching by descending weight is built first
    (so among equally large matchings the heavier pairs tend to be kept), then grown to maximum
    cardinality with augmenting paths (Kuhn's algorithm; a left vertex with no augmenting path
    never gets one later, so one pass over the free left vertices is enough).
    """
    adj: list[list[int]] = [[] for _ in range(n_left)]
    for left, right, _ in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        adj[left].append(right)
    match_left: list[int] = [-1] * n_left
    match_right: list[int] = [-1] * n_right
    for left, right, _ in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        if match_left[left] < 0 and match_right[right] < 0:
            match_left[left], match_right[right] = right, left
    for root in range(n_left):
        if match_left[root] >= 0 or not adj[root]:
            continue
        # Iterative DFS for an augmenting path from root.
        seen = [False] * n_right
        parent_right: dict[int, int] = {}  # right vertex -> left vertex it was reached from
        stack = [(root, 0)]
        found = -1
        while stack and found < 0:
            left, i = stack.pop()
            while i < len(adj[left]):
                right = adj[left][i]
                i += 1
                if seen[right]:
                    continue
                seen[right] = True
                parent_right[right] = left
                if match_right[right] < 0:
                    found = right
                    break
                stack.append((left, i))
                stack.append((match_right[right], 0))
                break
        if found >= 0:
            right = found
            while right >= 0:
                left = parent_right[right]
                previous = match_left[left]
                match_left[left], match_right[right] = right, left
                right = previous
    return [(left, right) for left, right in enumerate(match_left) if right >= 0]


def null_or_overlap(tokens: Tokens, a: Span | None, b: Span | None) -> int:
    """Overlap size of two optional spans; two null spans match (with weight 1)."""
    if a is None and b is None:
        return 1
    return token_overlap(tokens, a, b)


def match_attributions(tokens: Tokens, gold: Sequence[Item],
                       predicted: Sequence[Item]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs of the content+source one-to-one overlap matching."""
    edges = []
    for g, gi in enumerate(gold):
        for p, pi in enumerate(predicted):
            content = null_or_overlap(tokens, gi.content, pi.content)
            if not content:
                continue
            source = null_or_overlap(tokens, gi.source, pi.source)
            if source:
                edges.append((g, p, content + source))
    return max_matching(len(gold), len(predicted), edges)


def match_spans(tokens: Tokens, gold: Sequence[Span | None], predicted: Sequence[Span | None],
                exact: bool) -> tuple[int, int, int]:
    """(gold count, predicted count, matched) for one span role; null spans are left out."""
    gold_spans = [s for s in gold if s is not None]
    pred_spans = [s for s in predicted if s is not None]
    edges = []
    if exact:
        text = tokens.text
        index: dict[Span, list[int]] = defaultdict(list)
        for p, span in enumerate(pred_spans):
            index[strip_span(text, span)].append(p)
        for g, span in enumerate(gold_spans):
            for p in index.get(strip_span(text, span), ()):
                edges.append((g, p, 1))
    else:
        for g, gs in enumerate(gold_spans):
            for p, ps in enumerate(pred_spans):
                size = token_overlap(tokens, gs, ps)
                if size:
                    edges.append((g, p, size))
    matched = len(max_matching(len(gold_spans), len(pred_spans), edges))
    return len(gold_spans), len(pred_spans), matched


def prf(gold: int, predicted: int, matched: int) -> tuple[float, float, float]:
    precision = matched / predicted if predicted else 0.0
    recall = matched / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if matched else 0.0
    return precision, recall, f1


def norm_type(kind: str | None) -> str | None:
    return TYPE_MAP.get(kind, kind) if kind else None


# ---------------------------------------------------------------- corpora
@dataclass
class Record:
    id: str
    text: str
    gold: list[Item]


def _span(value) -> Span | None:
    return (int(value[0]), int(value[1])) if value else None


def records(corpus: str) -> Iterator[Record]:
    folder, _ = CORPORA[corpus]
    with (CORPUS / folder / "dev.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            gold = [Item(_span(a.get("content")), _span(a.get("source")), _span(a.get("cue")),
                         a.get("type")) for a in row["attributions"]]
            yield Record(row["id"], row["text"], gold)


# ---------------------------------------------------------------- regex baseline
QUOTE_RE = re.compile(r"“[^“”\n]+”|\"[^\"\n]+\"|„[^„“”\n]+[“”]|«[^«»\n]+»")
CUES = {
    "en": ["according to", "said", "says", "told", "added"],
    "de": ["sagte", "sagt", "erklärte", "so", "laut"],
}
SOURCE_AFTER_ONLY = {"according to", "laut", "so"}  # the source follows these cues
PRONOUNS = {
    "en": ["he", "she", "they", "I", "we", "it"],
    "de": ["er", "sie", "es", "ich", "wir"],
}
NAME = r"[A-ZÄÖÜ][\w’'-]*(?:\s+[A-ZÄÖÜ][\w’'-]*){0,3}"
SENTENCE_END_RE = re.compile(r"[.!?][\"”“»]?(?=\s)|\n")


def _compile_baseline(lang: str):
    cues = CUES.get(lang) or sorted({c for words in CUES.values() for c in words})
    pronouns = PRONOUNS.get(lang) or sorted({p for words in PRONOUNS.values() for p in words})
    cue_re = re.compile(r"\b(?:" + "|".join(re.escape(c) for c in
                                          sorted(cues, key=len, reverse=True)) + r")\b",
                        re.IGNORECASE)
    pron = "|".join(re.escape(p) for p in pronouns)
    before_re = re.compile(r"(?:\b(?i:" + pron + r")|(?<![\w’'-])" + NAME + r")\s*,?\s*$")
    after_re = re.compile(r"\s*,?\s*(?:(?i:" + pron + r")\b|" + NAME + ")")
    return cue_re, before_re, after_re


_BASELINES: dict[str, tuple] = {}


def regex_baseline(text: str, lang: str) -> list[Item]:
    """Direct quotes with a cue verb in the same sentence and a name/pronoun next to the cue."""
    if lang not in _BASELINES:
        _BASELINES[lang] = _compile_baseline(lang)
    cue_re, before_re, after_re = _BASELINES[lang]
    out: list[Item] = []
    last_cue: Span | None = None
    for quote in QUOTE_RE.finditer(text):
        q_start, q_end = quote.span()
        # The sentence around the quote: back to the last sentence end, on to the next one.
        left_start = 0
        for m in SENTENCE_END_RE.finditer(text, max(0, q_start - 400), q_start):
            left_start = m.end()
        right = SENTENCE_END_RE.search(text, q_end)
        right_end = right.start() if right else len(text)
        right_end = min(right_end, q_end + 200)
        cue = None
        m = cue_re.search(text, q_end, right_end)  # nearest cue after the quote
        if m:
            cue = m
        else:  # nearest cue before it
            for m in cue_re.finditer(text, left_start, q_start):
                cue = m
        if cue is None:
            continue
        cue_span = cue.span()
        if cue_span == last_cue and out:  # “…,” she said, “…”: one attribution
            prev = out[-1]
            out[-1] = Item((prev.content[0], q_end), prev.source, prev.cue, "direct")
            continue
        last_cue = cue_span
        source = None
        word = cue.group(0).lower()
        if word not in SOURCE_AFTER_ONLY:
            # Look back to the quote (cue after it) or the sentence start (cue before it).
            lo = max(q_end if cue_span[0] >= q_end else left_start, cue_span[0] - 80)
            m = before_re.search(text, lo, cue_span[0])
            if m:
                source = (m.start(), m.end())
        if source is None:
            m = after_re.match(text, cue_span[1], min(len(text), cue_span[1] + 80))
            if m and (m.end() <= q_start or m.start() >= q_end):
                source = (m.start(), m.end())
        if source is not None:
            source = strip_span(text, source)
            if source[0] >= source[1]:
                source = None
        out.append(Item((q_start, q_end), source, cue_span, "direct"))
    return out


# ---------------------------------------------------------------- systems
def _to_item(attribution) -> Item:
    def span(value) -> Span | None:
        return (int(value[0]), int(value[1])) if value is not None else None

    return Item(span(attribution.content), span(attribution.source), span(attribution.cue),
                getattr(attribution, "type", None))


def run_ours() -> tuple[Callable[[str, str], list[Item]], str | None]:
    """The finder, or the regex baseline with a note when the finder cannot be imported."""
    try:
        from sourcelight.attribution.annotate import attribute
    except Exception as exc:  # noqa: BLE001 - the finder is being written; any import error
        note = (f"sourcelight.attribution.finder unavailable ({type(exc).__name__}: {exc}); "
                f"'ours' below IS THE REGEX BASELINE, not the finder")
        return regex_baseline, note

    def ours(text: str, lang: str) -> list[Item]:
        # What the reader sees: the marked attributions, not the uncertain candidates.
        return [_to_item(a) for a in attribute(text, lang).attributions]

    return ours, None


def run_regex() -> tuple[Callable[[str, str], list[Item]], str | None]:
    return regex_baseline, None


SYSTEMS = {"ours": run_ours, "regex": run_regex}


# ---------------------------------------------------------------- report
ROLES = ("cue", "source", "content")


@dataclass
class Score:
    records: int = 0
    failed: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    spans: dict[tuple[str, bool], list[int]] = field(
        default_factory=lambda: {(r, e): [0, 0, 0] for r in ROLES for e in (False, True)})
    type_pairs: int = 0
    type_correct: int = 0
    ms_per_kword: list[float] = field(default_factory=list)
    seconds: float = 0.0
    misses: list[str] = field(default_factory=list)
    false_pos: list[str] = field(default_factory=list)
    seen_misses: int = 0
    seen_false_pos: int = 0
    rng: random.Random = field(default_factory=lambda: random.Random(0))  # for --show


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def _quote(text: str, span: Span | None, width: int = 90) -> str:
    if span is None:
        return "∅"
    piece = " ".join(text[span[0]:span[1]].split())
    return repr(piece if len(piece) <= width else piece[:width - 1] + "…")


def _describe(text: str, item: Item) -> str:
    return (f"source={_quote(text, item.source, 50)} cue={_quote(text, item.cue, 40)} "
            f"type={item.type}\n      content={_quote(text, item.content)}")


def _reservoir(bucket: list[str], seen: int, entry: str, n: int, rng: random.Random) -> None:
    if len(bucket) < n:
        bucket.append(entry)
    else:
        j = rng.randrange(seen)
        if j < n:
            bucket[j] = entry


def score_record(record: Record, predicted: list[Item], score: Score, show: int = 0) -> dict:
    tokens = Tokens(record.text)
    pairs = match_attributions(tokens, record.gold, predicted)
    score.records += 1
    score.gold += len(record.gold)
    score.predicted += len(predicted)
    score.matched += len(pairs)
    for gi, pi in pairs:
        gold_type = norm_type(record.gold[gi].type)
        if gold_type is None:  # two PolNeAR records have no type; they do not count
            continue
        score.type_pairs += 1
        score.type_correct += norm_type(predicted[pi].type) == gold_type
    for role in ROLES:
        gold_spans = [getattr(g, role) for g in record.gold]
        pred_spans = [getattr(p, role) for p in predicted]
        for exact in (False, True):
            counts = match_spans(tokens, gold_spans, pred_spans, exact)
            totals = score.spans[(role, exact)]
            for i, value in enumerate(counts):
                totals[i] += value
    if show:
        matched_gold = {g for g, _ in pairs}
        matched_pred = {p for _, p in pairs}
        for g, item in enumerate(record.gold):
            if g in matched_gold:
                continue
            near = any(null_or_overlap(tokens, item.content, p.content) for p in predicted)
            why = ("a predicted content overlaps; source differs or it matched another gold"
                   if near else "no predicted content overlaps")
            score.seen_misses += 1
            _reservoir(score.misses, score.seen_misses,
                       f"  [{record.id}] MISS ({why}) {_describe(record.text, item)}", show,
                       score.rng)
        for p, item in enumerate(predicted):
            if p in matched_pred:
                continue
            score.seen_false_pos += 1
            _reservoir(score.false_pos, score.seen_false_pos,
                       f"  [{record.id}] FALSE POSITIVE {_describe(record.text, item)}", show,
                       score.rng)
    return {"gold": len(record.gold), "predicted": len(predicted), "matched": len(pairs)}


def print_report(corpus: str, scores: dict[str, Score], notes: list[str], words: int,
                 show: int) -> None:
    folder, lang = CORPORA[corpus]
    first = next(iter(scores.values()), None)
    print(f"== {corpus} ({folder}/dev.jsonl, lang={lang}): "
          f"{first.records if first else 0} records, {words:,} words")
    for note in notes:
        print(f"   NOTE: {note}")
    header = (f"{'system':<8} {'records':>7} {'fail':>4} {'gold':>6} {'pred':>6} {'matched':>7}"
              f" {'P':>6} {'R':>6} {'F1':>6}   content+source overlap")
    print(header)
    print("-" * len(header))
    for name, s in scores.items():
        p, r, f = prf(s.gold, s.predicted, s.matched)
        print(f"{name:<8} {s.records:>7} {s.failed:>4} {s.gold:>6} {s.predicted:>6}"
              f" {s.matched:>7} {p:6.3f} {r:6.3f} {f:6.3f}")
    print(f"{'span F1':<16} {'gold':>6} {'pred':>6} {'ovl P':>6} {'ovl R':>6} {'ovl F1':>6}"
          f" {'ex P':>6} {'ex R':>6} {'ex F1':>6}")
    for name, s in scores.items():
        for role in ROLES:
            g, pr, m = s.spans[(role, False)]
            op, orr, of = prf(g, pr, m)
            ep, er, ef = prf(*s.spans[(role, True)])
            print(f"{name:<8} {role:<7} {g:>6} {pr:>6} {op:6.3f} {orr:6.3f} {of:6.3f}"
                  f" {ep:6.3f} {er:6.3f} {ef:6.3f}")
    for name, s in scores.items():
        acc = s.type_correct / s.type_pairs if s.type_pairs else 0.0
        median = statistics.median(s.ms_per_kword) if s.ms_per_kword else 0.0
        print(f"{name:<8} type accuracy {acc:6.3f} over {s.type_pairs} matched pairs;"
              f" ms/1k words median {median:.2f}"
              f" p95 {pct(s.ms_per_kword, 0.95):.2f}; total {s.seconds:.2f} s")
    if show:
        for name, s in scores.items():
            print(f"-- {name}: {len(s.misses)} sampled misses of {s.seen_misses},"
                  f" {len(s.false_pos)} sampled false positives of {s.seen_false_pos}")
            for line in s.misses + s.false_pos:
                print(line)
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=[*CORPORA, "all"], default="all")
    parser.add_argument("--systems", default="ours,regex",
                        help="comma-separated: " + ",".join(SYSTEMS))
    parser.add_argument("--limit", type=int, default=0, help="records per corpus (0 = all)")
    parser.add_argument("--dump", type=Path, help="write per-record counts as JSON lines here")
    parser.add_argument("--show", type=int, default=0,
                        help="print N sampled misses and N false positives per system")
    args = parser.parse_args(argv)

    runners: dict[str, Callable[[str, str], list[Item]]] = {}
    notes: list[str] = []
    for name in [s for s in args.systems.split(",") if s]:
        if name not in SYSTEMS:
            parser.error(f"unknown system {name!r}; choose from {','.join(SYSTEMS)}")
        runners[name], note = SYSTEMS[name]()
        if note:
            notes.append(note)
    corpora = list(CORPORA) if args.corpus == "all" else [args.corpus]
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    started_all = time.perf_counter()
    for corpus in corpora:
        lang = CORPORA[corpus][1]
        scores = {name: Score() for name in runners}
        words = 0
        for i, record in enumerate(records(corpus)):
            if args.limit and i >= args.limit:
                break
            n_words = len(TOKEN_RE.findall(record.text))
            words += n_words
            for name, run in runners.items():
                score = scores[name]
                started = time.perf_counter()
                try:
                    predicted = run(record.text, lang)
                except Exception as exc:  # noqa: BLE001 - a crash predicts nothing
                    predicted = []
                    score.failed += 1
                    print(f"  {name} failed on {record.id}: {type(exc).__name__}: {exc}",
                          file=sys.stderr)
                elapsed = time.perf_counter() - started
                score.seconds += elapsed
                if n_words:
                    score.ms_per_kword.append(elapsed * 1000 / n_words * 1000)
                row = score_record(record, predicted, score, args.show)
                if dump:
                    dump.write(json.dumps({"corpus": corpus, "id": record.id, "system": name,
                                           **row}) + "\n")
        print_report(corpus, scores, notes, words, args.show)
    if dump:
        dump.close()
    print(f"total run time {time.perf_counter() - started_all:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
