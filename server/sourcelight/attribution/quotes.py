"""Quotations: finding them and giving them a speaker.

“…,” she said (cue after) / She said: “…” (cue before) / “…,” she said, “…” (one quotation
resumed after its cue) / "X wrote:" ending a paragraph and the quotation as the next one
(announced) / a quotation running over several paragraphs (each but the last left open).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from .clauses import cue_span
from .lexicon import Lexicon
from .model import Attribution, Span
from .noun_phrases import (
    ADVERBIAL_STARTS, RELATIVIZERS, is_fronted, is_source_with_appositive, left_noun_phrase,
    right_noun_phrase)
from .tokens import (
    MAX_APPOSITIVE_SOURCE_TOKENS, MAX_TAIL_AFTER_CUE, OPEN_QUOTES, QUOTE_CHARS, Sentence, Token,
    abbreviation_dot, skip_dateline, tokenize, trim)


# A straight opening quote may be closed by a curly one ('"people should avoid it,” adds Longo':
# a typo, or a page whose editor turned only the closing marks).
CLOSE_FOR = {"“": "”", '"': '"”', "„": "“”\"", "«": "»", "‹": "›"}
# ''|[“"„«‹] — where a quotation may open — written to start with one character class, so
# that the regex engine skips to those characters instead of trying both at every position.
_QUOTE_START_RE = re.compile("['“\"„«‹](?:(?<=')'|(?<=[“\"„«‹]))")
# The first closing mark of each opening one, found by the regex engine, not char by char.
_CLOSER_RES = {opener: re.compile("[" + re.escape(closers) + "]")
               for opener, closers in CLOSE_FOR.items()}
WORD_RE = re.compile(r"\w+")
RESUME_GAP_RE = re.compile(r"[\s,:;—–-]*")  # between “…,” she said, and “…”
# A quotation shorter than this is a scare quote or a title, not something said.
MIN_QUOTE_WORDS = 4


# ---------------------------------------------------------------- quotations
@dataclass
class Quote:
    outer: Span  # with the marks
    inner: Span  # without them
    words: int
    closed: bool


def find_quotes(text: str, start: int, end: int) -> list[Quote]:
    """Balanced quotations in a paragraph; an unclosed opening quote runs to its end (the
    convention for quotes that continue in the next paragraph)."""
    quotes = []
    i = start
    while i < end:
        hit = _QUOTE_START_RE.search(text, i, end)
        if hit is None:
            break
        i = hit.start()
        if text.startswith("''", i):
            # ''NYT style'' quotation marks: two apostrophes on each side.
            j = text.find("''", i + 2, end)
            if j != -1:
                inner = trim(text, i + 2, j)
                words = len(WORD_RE.findall(text, inner[0], inner[1]))
                quotes.append(Quote((i, j + 2), inner, words, True))
                i = j + 2
                continue
        ch = text[i]
        if ch in OPEN_QUOTES and (ch != '"' or i == start or not text[i - 1].isalnum()):
            closer = _CLOSER_RES[ch].search(text, i + 1, end)
            j = closer.start() if closer else end
            closed = j < end
            inner = trim(text, i + 1, j)
            if inner[1] > inner[0]:
                words = len(WORD_RE.findall(text, inner[0], inner[1]))
                quotes.append(Quote((i, min(j + 1, end)), inner, words, closed))
            i = j + 1
        else:
            i += 1
    return quotes


def attribute_quotes(text: str, sentences: list[Sentence], quotes: list[Quote],
                     lex: Lexicon) -> list[Attribution]:
    """Direct quotations with the cue after them (“…,” she said), before them (She said:
    “…”) or inside them (“…,” she said, “…”)."""
    found = []
    consumed: set[int] = set()
    for n, q in enumerate(quotes):
        if q.words < MIN_QUOTE_WORDS or n in consumed:
            continue
        # The words after a closed quotation, read once for both readings of them.
        after_words = _tail_tokens(text, q) if q.closed else []
        after = _cue_after_quote(text, q, after_words, lex)
        tail = None if after else _cue_after_quote_tail(text, q, sentences, after_words, lex)
        if tail is not None:
            after = tail[:2]
        before = None if after else _cue_before_quote(text, q, sentences, lex)
        if after is not None:
            (source, cue), construction = after, "quote-cue-after"
        elif before is not None:
            source, cue, construction = before
        else:
            continue
        content = q.inner
        kind = "direct"
        if after:
            head = _sentence_head(text, q, sentences, quotes, found, lex)
            if head is not None:
                content, kind = (head, q.inner[1]), "mixed"
            if tail is not None:
                content, kind = (content[0], tail[2]), "mixed"
        if after and n + 1 < len(quotes):
            # “…,” she said, “…”: the quotation resumes after the cue — one attribution.
            nxt = quotes[n + 1]
            gap = text[max(cue[1], source[1] if source else 0):nxt.outer[0]]
            if nxt.outer[0] > cue[1] and RESUME_GAP_RE.fullmatch(gap):
                content = (q.inner[0], nxt.inner[1])
                consumed.add(n + 1)
        found.append(Attribution(content=content, source=source, cue=cue, type=kind,
                                 confidence=0.9, construction=construction))
    return found


# A sentence may open with these before a quotation without them being what was said.
_LEADING_CONJUNCTIONS = frozenset({"and", "but", "or", "so", "yet", "und", "aber"})


def _last_clause(head: list[Token]) -> list[Token]:
    """The words of the clause a quotation sits in: after the last ", but", ", and" or ";"
    ("Many people feel better, but “trials have not shown it,” says Mellor")."""
    cut = max((i for i, t in enumerate(head) if t.text == ";" or (
        t.low in _LEADING_CONJUNCTIONS and i and head[i - 1].text == ",") or (
        t.text in ".!?" and not (t.text == "." and i and abbreviation_dot(head, i)))),
        default=-1)
    return head[cut + 1:]  # (a full stop: the sentence splitter gave it the opening mark)


def _sentence_head(text: str, q: Quote, sentences: list[Sentence], quotes: list[Quote],
                   found: list[Attribution], lex: Lexicon) -> int | None:
    """Where the reported sentence starts when a quotation closed by its cue begins in the
    middle of it: 'The relationship “transcends any president,” Patel said.' reports the
    whole sentence (mixed), as does '“Caution is warranted,” which is …, “because …,”
    Fontana explains.' (one content from the first quotation). None when the quotation opens
    its sentence or the words before it are no part of the report: another cue ('She said
    the plan “…,” he added'), a colon announcing the quotation, an attribution already read."""
    sentence = _sentence_of(sentences, q.outer[0])
    if sentence is None:
        return None
    begin = skip_dateline(text, sentence.tokens)
    head = _last_clause([t for t in sentence.tokens if t.end <= q.outer[0] and t.start >= begin])
    while head and head[0].low in _LEADING_CONJUNCTIONS:
        head = head[1:]
    if not any(t.text[:1].isalnum() for t in head):
        return None
    start, end = head[0].start, q.outer[0]
    if any(start < a.content[1] and a.content[0] < end for a in found) or \
            lex.according_to_re.search(text, start, end):
        return None
    inside = [p.outer for p in quotes if start <= p.outer[0] and p.outer[1] <= end]
    for t in head:
        if any(s <= t.start < e for s, e in inside):
            continue  # an earlier quoted piece of the same report may hold any word
        if t.text in ":;" or (t.low in lex.cue_forms and t.text.islower() and
                              lex.lemma_of.get(t.low) not in lex.weak_verbs):
            return None  # (a thought, a feeling is no second report: "obsessive thinking")
    first = next((p for p in quotes if p.outer[0] == start), None)
    return first.inner[0] if first is not None else start


def _sentence_of(sentences: list[Sentence], pos: int) -> Sentence | None:
    """The first sentence holding ``pos`` (its end counts), found by bisection: a paragraph
    may hold thousands of sentences and quotations."""
    i = bisect.bisect_right(sentences, pos, key=lambda s: s.start) - 1
    for s in sentences[max(0, i - 1):i + 1]:  # an adjacent sentence may end where it starts
        if s.start <= pos < s.end + 1:
            return s
    return None


def _tail_tokens(text: str, q: Quote) -> list[Token]:
    """The tokens after a quotation up to its sentence's end or the next quotation."""
    tail_end = min(len(text), q.outer[1] + 160)
    para_end = text.find("\n", q.outer[1])
    if para_end != -1:
        tail_end = min(tail_end, para_end)
    tokens = tokenize(text, q.outer[1], tail_end)
    for k, tok in enumerate(tokens):
        if (tok.text in ".!?;" and not (tok.text == "." and k and abbreviation_dot(tokens, k))
                and not (k + 1 < len(tokens) and tokens[k + 1].text == ")")) \
                or tok.text in QUOTE_CHARS:
            return tokens[:k]
    return tokens


# A quotation's sentence may go on for a few words before its cue ("“…” in healthy
# individuals, says Mellor"; "“…,” which can be just as productive, said Nenad Medvidovic").
MAX_QUOTE_TAIL_TOKENS = 12


def _cue_after_quote_tail(text: str, q: Quote, sentences: list[Sentence],
                          tokens: list[Token], lex: Lexicon) -> tuple[Span, Span, int] | None:
    """(source, cue, content end) when the quotation's sentence goes on past it and a comma
    then closes it with a cue: 'but “trials have not shown the same benefits” in healthy
    individuals, says Mellor.' Not when the words after the quotation open a new clause with
    a conjunction or a capital, or hold a cue of their own (``tokens``: ``_tail_tokens``)."""
    if not q.closed or text[q.inner[1] - 1:q.inner[1]] in ".!?":
        return None
    sentence = _sentence_of(sentences, q.outer[0])
    head = _last_clause([t for t in sentence.tokens if t.end <= q.outer[0]] if sentence else [])
    if any(t.low in lex.cue_forms and t.text.islower() and
           lex.lemma_of.get(t.low) not in lex.weak_verbs for t in head):
        return None  # "The crowd chanted “…” outside, the union said": a report of a report
    while tokens and tokens[0].text in ",'’":
        tokens = tokens[1:]
    comma = next((i for i, t in enumerate(tokens[:MAX_QUOTE_TAIL_TOKENS + 1]) if t.text == ","),
                 None)
    if not comma or not tokens[0].text[:1].islower() or \
            tokens[0].low in _LEADING_CONJUNCTIONS or \
            any(t.low in lex.cue_forms or t.text in "—–-:" for t in tokens[:comma]):
        return None
    rest = tokens[comma + 1:]
    lead = 0
    while lead < len(rest) - 1 and rest[lead].low in lex.auxiliaries:
        lead += 1
    if rest and rest[lead].low in lex.cue_forms:  # ", says Mellor"
        source = right_noun_phrase(rest, lead + 1, lex)
        if source is not None and lex.lemma_of.get(rest[lead].low) not in lex.weak_verbs:
            return source, (rest[0].start, rest[lead].end), tokens[comma - 1].end
        return None
    k = next((i for i, t in enumerate(rest[:MAX_APPOSITIVE_SOURCE_TOKENS])
              if t.low in lex.cue_forms and t.text.islower()), None)  # ", Mellor says"
    if not k or len(rest) - k - 1 > MAX_TAIL_AFTER_CUE or \
            lex.lemma_of.get(rest[k].low) in lex.weak_verbs:
        return None
    left = rest[:k]
    while left and left[-1].low in lex.auxiliaries:
        left = left[:-1]
    if left and is_source_with_appositive(left, lex):
        return (left[0].start, left[-1].end), cue_span(rest, k, lex), tokens[comma - 1].end
    return None


def _cue_after_quote(text: str, q: Quote, tokens: list[Token],
                     lex: Lexicon) -> tuple[Span | None, Span] | None:
    """“…,” the article said / said Smith / so Müller (``tokens``: ``_tail_tokens``)."""
    if not q.closed:
        return None
    marked = bool(tokens) and tokens[0].text in ",—–-"
    # "… at all,''' said Mr. Meyer": a single quote closing inside the double one.
    while tokens and (tokens[0].text in ",—–-" or tokens[0].text in "'’"):
        marked = marked or tokens[0].text in ",—–-"
        tokens = tokens[1:]
    if not tokens:
        return None
    first_cue = next((t for t in tokens if t.low in lex.cue_forms), None)
    if not marked and text[q.inner[1] - 1:q.inner[1]] not in ",.!?…;:-—–" and \
            first_cue is not None and lex.lemma_of.get(first_cue.low) in lex.weak_verbs:
        return None  # 'they “stemmed from the urgency” he felt as president': no closing cue
    closes_sentence = text[q.inner[1] - 1:q.inner[1]] in ".!?" and tokens[0].text[:1].isupper()
    # Inverted: said Smith / sagte Müller / so Müller / a déclaré le ministre.
    lead = 0
    while lead < len(tokens) - 1 and tokens[lead].low in lex.auxiliaries:
        lead += 1
    if lead and tokens[lead].low in lex.cue_forms:
        source = right_noun_phrase(tokens, lead + 1, lex)
        if source:
            return source, (tokens[0].start, tokens[lead].end)
    first = tokens[0]
    if first.low in lex.cue_forms or first.low in lex.so_marker:
        source = right_noun_phrase(tokens, 1, lex)
        if source:
            return source, (first.start, first.end)
    # Subject first: the article said / she told reporters.
    for k, tok in enumerate(tokens[:MAX_APPOSITIVE_SOURCE_TOKENS]):
        if tok.low in lex.cue_forms and k > 0:
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            lemma = lex.lemma_of.get(tok.low, "")
            if nxt is not None and nxt.text.islower() and tok.low in (lemma, lemma + "s") and (
                    nxt.low in lex.cue_forms or nxt.low in lex.be_forms):
                continue  # "the trends report stated", "its statement said": a noun here
            left = tokens[:k]
            while left and (left[-1].low in lex.auxiliaries or left[-1].text == ","):
                left = left[:-1]
            last_comma = max((i for i, t in enumerate(left) if t.text == ","), default=-1)
            if 0 <= last_comma < len(left) - 1 and left[last_comma + 1].low in RELATIVIZERS \
                    and tokens[k - 1].text != ",":
                continue  # "Cruz, who has proposed repealing …, said": the relative's verb
            if k + 1 < len(tokens) and tokens[k + 1].low in ("by", "von"):
                return None  # "… was first reported by MSNBC": a passive with its own agent
            if closes_sentence and text[tokens[k].end:tokens[k].end + 2].lstrip()[:1] in \
                    OPEN_QUOTES:
                return None  # “… levels.” A trial shows “improvements …”: it announces the next
            if closes_sentence and (len(tokens) - k > 4 or last_comma >= 0):
                return None  # “… problems.” He said Teneo had …: a new sentence and report
            if left and left[0].low in ADVERBIAL_STARTS and left[0].text.islower():
                return None  # "“…” in healthy individuals, says Mellor": no subject
            if left and is_source_with_appositive(left, lex):
                return (left[0].start, left[-1].end), cue_span(tokens, k, lex)
            break
    return None


def _cue_before_quote(text: str, q: Quote, sentences: list[Sentence],
                      lex: Lexicon) -> tuple[Span | None, Span, str] | None:
    """She said: “…” / Er sagte: „…“ — a cue and its source right before the quotation;
    with the name of the construction that read it."""
    sentence = _sentence_of(sentences, q.outer[0])
    start = sentence.start if sentence else max(0, q.outer[0] - 200)
    tokens = [t for t in tokenize(text, start, q.outer[0])]
    if not tokens or tokens[-1].text not in ":,":
        return None
    colon = tokens[-1]
    tokens = tokens[:-1]
    if colon.text == ":" and tokens and not any(t.low in lex.cue_forms for t in tokens[-6:]):
        # "Jones: “The partisanship of the state …”" — a name and a colon introduce the quote.
        source = left_noun_phrase(tokens + [colon], len(tokens), lex)
        if source and text[source[0]:source[0] + 1].isupper() and \
                len(text[source[0]:source[1]].split()) <= 6:
            return source, (colon.start, colon.end), "quote-name-colon"
        if len(tokens) >= 4 and lex.lang == "de":
            # "Der Leiter der Studie sieht die Verantwortung beim Staat: „…“" — a clause
            # announces the quotation; its subject is the speaker.
            subject = right_noun_phrase(tokens, 0, lex)
            if subject and not (lex.fronted and tokens[0].low in lex.fronted):
                return subject, (colon.start, colon.end), "de-quote-clause-colon"
        return None
    for k in range(len(tokens) - 1, max(-1, len(tokens) - 6), -1):
        if tokens[k].low in lex.cue_forms:
            source = left_noun_phrase(tokens, k, lex)
            if lex.lang == "de" and k + 1 < len(tokens) and tokens[k + 1].low in lex.pronouns \
                    and tokens[k + 1].low != "es":
                source = (tokens[k + 1].start, tokens[k + 1].end)  # "lobte er mit den Worten:"
            elif source is not None and lex.fronted and is_fronted(tokens, source, lex):
                source = None  # "Nach der Sitzung sagte Schily: „…“"
            if source is None:
                source = right_noun_phrase(tokens, k + 1, lex)
            if source:
                return source, cue_span(tokens, k, lex), "quote-cue-before"
            return None
    return None


def announced_quote(text: str, previous: tuple[int, list[Sentence]] | None,
                    quotes: list[Quote], direct: list[Attribution],
                    lex: Lexicon) -> Attribution | None:
    """"Millikin's media coordinator wrote:" — then the quotation as the next paragraph."""
    if not quotes:
        return None
    first = quotes[0]
    colon = announcing_colon(text, previous, first.outer[0])
    if colon is None or any(a.content[0] <= first.inner[0] < a.content[1] for a in direct):
        return None
    sentences = previous[1]
    hit = _cue_before_quote(text, Quote((colon + 1, first.outer[1]), first.inner, first.words,
                                        first.closed), sentences, lex)
    if hit is None:
        return None
    source, cue, _ = hit
    return Attribution(content=first.inner, source=source, cue=cue, type="direct",
                       confidence=0.8, construction="announced-quote")


def announcing_colon(text: str, previous: tuple[int, list[Sentence]] | None,
                     start: int) -> int | None:
    """Where the colon ending the previous paragraph (``previous``: its end and sentences)
    stands, when only blanks follow it up to ``start``; None when there is none."""
    if previous is None or not previous[1]:
        return None
    end = previous[0]
    # Only the previous paragraph's own trailing blanks are looked at (copying the text up to
    # every paragraph made the finder quadratic in the article's length).
    colon = end
    while colon > 0 and text[colon - 1].isspace():
        colon -= 1
    colon -= 1
    if colon < 0 or text[colon] != ":" or text[end:start].strip():
        return None
    return colon


def extend_over_open_quotes(text: str, para_start: int, quotes: list[Quote],
                            direct: list[Attribution], open_run: int | None) -> int | None:
    """A quotation running over several paragraphs leaves each but the last unclosed; the
    attribution found at its end covers all of it. Returns where a still-open run began."""
    first = quotes[0] if quotes else None
    continues = first is not None and first.outer[0] == para_start and open_run is not None
    if continues and direct and direct[0].content[0] == first.inner[0]:
        direct[0].content = (open_run, direct[0].content[1])
    last = quotes[-1] if quotes else None
    if last is not None and not last.closed:
        return open_run if continues else last.inner[0]
    return None


def type_of(text: str, content: Span, quotes: list[Quote]) -> str:
    """direct when the content is a quotation, mixed when it contains one, else indirect."""
    for q in quotes:
        if q.inner == content:
            return "direct"
    for q in quotes:
        if content[0] <= q.outer[0] and q.outer[1] <= content[1] + 1:
            return "mixed"
    return "indirect"
