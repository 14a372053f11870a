"""Find attributions in article text: who said, reported, claimed what.

Rules, not a model: a cue (a speech verb, "according to", "laut", a passive "was reported
by") is found in a sentence, its source is the noun phrase on the side grammar puts it, and
its content is the clause on the other side — or the quotation the cue introduces or closes.
Cue words and phrases are per-language data (``lexicons/<lang>/cues.json``).

Degrades explicitly: a quote whose marks do not balance is not given a speaker, a cue with no
noun phrase next to it yields nothing, and languages without a lexicon yield no attributions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lexicon import Lexicon, lexicon
from .model import Attribution, Span

# Words, abbreviations like "U.S.", and single punctuation marks, with their offsets.
TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)+|(?:[A-Z]\.){2,}|\w+(?:[’'\-]\w+)*|[^\w\s]")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen sen rep del gov lt col sgt capt prof jan feb mar apr jun jul aug sep sept "
    "oct nov dec inc corp co ltd no vs jr sr mt ft rev hon atty supt insp det u.s a.m p.m "
    "etc al approx dept est fig univ bzw ca dr evtl ggf hr inkl nr str usw vgl z.b".split())
ROMAN_NUMERAL_RE = re.compile(r"(?=[IVXL]{2,})X{0,3}(?:IX|IV|V?I{0,3})")
OPEN_QUOTES = "“\"„«‹"
CLOSE_FOR = {"“": "”", '"': '"', "„": "“”\"", "«": "»", "‹": "›"}
QUOTE_CHARS = frozenset("“”\"„«»‹›")
_QUOTE_START_RE = re.compile("''|[“\"„«‹]")
# A quotation shorter than this is a scare quote or a title, not something said.
MIN_QUOTE_WORDS = 4
MAX_SOURCE_TOKENS = 16
# Reported speech without a cue continues the attribution at most this many sentences back.
MAX_CONTINUATION_GAP = 3
# A name with its appositive ("Mindy Romero, director of the … Project at the University of
# California, Davis, Center for Regional Change") may run longer.
MAX_APPOSITIVE_SOURCE_TOKENS = 28
# Post-posed cue ("…, officials said in a statement on Monday."): at most this many tokens
# may follow the cue before the sentence ends.
MAX_TAIL_AFTER_CUE = 9
NP_JOINERS = frozenset({"’s", "'s", "’", "-", "&", "of", "for", "from", "at", "with", "de", "von",
                        "der", "des", "für", "vom", "zur", "zum", "in", "im", "on", "to", "the",
                        "la", "le", "del", "van", "bin", "al", "und"})
TEMPORAL = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december morning evening night afternoon week "
    "weekend month year today yesterday tonight montag dienstag mittwoch donnerstag freitag "
    "samstag sonntag januar februar märz juni juli oktober dezember woche jahr uhr mez".split())
SUBJECT_START_WORDS = frozenset(
    "he she they it we i you this these those there a an the his her its their our my some many "
    "most no any every each several two three four five one officials experts".split())
WEAK_CUE_FOLLOWERS = SUBJECT_START_WORDS | {"that", "whether", "if", "how", "why", "what", "to"}
# A clause may open with a subordinate one: "says despite being a Stanford alumna, she …".
CLAUSE_OPENERS = frozenset({"despite", "although", "though", "while", "because", "once",
                            "unless", "since", "after", "before", "when"})
# "he’d", "she’s", "they’re": the pronoun is what tells a clause follows.
_CONTRACTION_RE = re.compile(r"[’'](?:s|d|ll|re|ve|m)$")
DETERMINER_JOINERS = frozenset({"the", "der", "des", "die", "das", "den", "dem", "la", "le", "del"})
POSSESSIVES = frozenset({"its", "his", "her", "their", "our", "seine", "ihre", "ihr", "sein"})
QUESTION_WORDS = frozenset({"whether", "if", "why", "how", "what", "when", "where", "who", ":"})


class Token:
    """A word or punctuation mark with its offsets; ``low`` is kept because every rule asks
    for it (computing it on each access was a tenth of the finder's time)."""

    __slots__ = ("text", "start", "end", "low")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        self.low = text.lower()

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and (self.text, self.start, self.end) == (
            other.text, other.start, other.end)

    def __hash__(self) -> int:
        return hash((self.text, self.start, self.end))


@dataclass
class Sentence:
    start: int
    end: int
    tokens: list[Token]


def find_attributions(text: str, lang: str | None) -> list[Attribution]:
    """All attributions in ``text`` (spans are offsets into it), in reading order."""
    lex = lexicon(lang or "")
    if lex is None or not text:
        return []
    found: list[Attribution] = []
    recent: list[tuple[int, Span]] = []  # (sentence number, source) of attributions so far
    number = 0
    open_run: int | None = None  # where an unclosed quotation of earlier paragraphs began
    previous: tuple[int, list[Sentence]] | None = None  # (end, sentences) of the last paragraph
    for para_start, para_end in paragraphs(text):
        sentences = split_sentences(text, para_start, para_end)
        quotes = find_quotes(text, para_start, para_end)
        direct = attribute_quotes(text, sentences, quotes, lex)
        announced = _announced_quote(text, previous, quotes, direct, lex)
        if announced is not None:
            direct.append(announced)
        previous = (para_end, sentences)
        open_run = _extend_over_open_quotes(text, para_start, quotes, direct, open_run)
        found.extend(direct)
        taken = [a.content for a in direct]
        for sentence in sentences:
            number += 1
            here = attribute_sentence(text, sentence, quotes, taken, lex)
            covered = here or any(s <= sentence.start < e or sentence.start <= s < sentence.end
                                  for s, e in taken)
            if not covered and lex.subjunctive:
                continued = _reported_continuation(text, sentence, number, recent, lex)
                if continued:
                    here = [continued]
            found.extend(here)
            recent.extend((number, a.source) for a in here if a.source)
            recent.extend((number, a.source) for a in direct
                          if a.source and sentence.start <= a.content[0] < sentence.end + 1)
    found = [a for a in deduplicate(found) if plausible_source(text, a.source, lex)
             and not _generic_you(text, a.source)]
    found.sort(key=lambda a: (a.content[0], a.cue[0] if a.cue else 0))
    for n, attribution in enumerate(found, 1):
        attribution.id = f"a{n}"
    return found


def _extend_over_open_quotes(text: str, para_start: int, quotes: list[Quote],
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


# ", who was not authorized to speak on the record," describes the source; its verbs do not
# make the source a clause.
RELATIVE_CLAUSE_RE = re.compile(r",\s*(?:who|which|der|die|das|qui|que)\b[^,]*(?:,|$)")


def _generic_you(text: str, source: Span | None) -> bool:
    """"you want to avoid calls in public": the reader addressed, nobody reported."""
    if source is None:
        return False
    phrase = text[source[0]:source[1]].lower()
    return phrase in ("you", "du", "vous") or phrase.startswith(("your ", "you ")) or \
        phrase.endswith((" me", " him", " us", " them"))  # "lets me": not a subject


def plausible_source(text: str, source: Span | None, lex: Lexicon) -> bool:
    """Reject sources that are clauses or fragments rather than noun phrases ("traditional
    knowledge is being", "One of", "Kenya. His"): better no attribution than a wrong one."""
    if source is None:
        return True
    phrase = RELATIVE_CLAUSE_RE.sub(",", text[source[0]:source[1]])
    words = [w.lower() for w in re.findall(r"[\w’'-]+|\.", phrase)]
    if not words or (len(words) == 1 and words[0] in ABBREVIATIONS):
        return False  # "Mr" cut off from its name
    if any(w in lex.not_in_source for w in words):
        return False
    first = text[source[0]:source[1]].split()[0]
    if lex.lang == "en" and first[:1].isupper() and len(words) > 1 and \
            words[0] in ADVERBIAL_STARTS:
        return False  # "At …", "Whenever …": an adverbial, not a source
    if lex.lang == "en" and first.islower() and len(words) > 1 and \
            words[0] in ("of", "to", "for", "about", "into", "onto", "upon"):
        return False  # "said of Cruz": what the cue is about, not who speaks
    if len(words) == 1 and words[0] in lex.sentence_adverbs:
        return False  # "Ultimately", "Shortly": a sentence adverb, not a source
    if lex.np_starters and ((words[0] in GERMAN_PREPOSITIONS and len(words) > 1) or
                            words == ["es"] or (words[0][:1].isdigit() and
                                                any(w in TEMPORAL for w in words))):
        return False  # "In vielen Fällen", "Es", "05 Uhr MEZ": no speaker
    if len(words) > 1 and words[-1] in lex.not_source_end:
        return False
    # A full stop inside (not an abbreviation's) means two sentences were glued together.
    for i, w in enumerate(words[1:-1], 1):
        if w == "." and words[i - 1] not in ABBREVIATIONS and len(words[i - 1]) > 1:
            return False
    return True


def _reported_continuation(text: str, sentence: Sentence, number: int,
                           recent: list[tuple[int, Span]], lex: Lexicon) -> Attribution | None:
    """German reported speech goes on in Konjunktiv I without a new cue ("Die Konsequenzen
    seiner Tat nehme er in Kauf."): credit it to the speaker of the last attribution, when
    that was at most a few sentences back."""
    if not recent or number - recent[-1][0] > MAX_CONTINUATION_GAP:
        return None
    first = text[recent[-1][1][0]:recent[-1][1][1]].split()[0]
    if first.islower() and first.lower() not in lex.np_starters and \
            first.lower() not in lex.pronouns:
        return None  # the last source was a fragment ("über einen Marsch"): do not spread it
    markers = [t.low for t in sentence.tokens if t.low in lex.subjunctive]
    if not markers:
        return None
    last_verb = _sentence_end_word(sentence.tokens)
    if set(markers) <= {"soll", "sollen"} and last_verb in ("werden", "wird"):
        return None  # "… sollen nun veröffentlicht werden": a plan, not a report
    own = _own_speaker(text, sentence.tokens, lex)
    if own is not None:
        return own
    content = _trim_content(text, sentence.start, _sentence_end(sentence.tokens))
    if content is None:
        return None
    return Attribution(content=content, source=recent[-1][1], cue=None, type="indirect",
                       confidence=0.5)


def _sentence_end_word(tokens: list[Token]) -> str:
    words = [t.low for t in tokens if t.text[:1].isalpha()]
    return words[-1] if words else ""


def _own_speaker(text: str, tokens: list[Token], lex: Lexicon) -> Attribution | None:
    """"Die Verteidiger argumentierten außerdem, Strauss-Kahn habe …": a subject, a verb we
    do not list and a comma before reported speech — the sentence names its own speaker."""
    np_end = _np_end(tokens, 0, lex)
    if np_end == 0 or np_end >= len(tokens) - 3:
        return None
    verb = tokens[np_end]
    comma = next((j for j in range(np_end + 1, min(len(tokens), np_end + 4))
                  if tokens[j].text == ","), None)
    if not verb.text[:1].islower() or comma is None or \
            any(not t.text[:1].islower() for t in tokens[np_end + 1:comma]):
        return None
    source = (tokens[0].start, tokens[np_end - 1].end)
    content = _trim_content(text, tokens[comma + 1].start, _sentence_end(tokens))
    if content is None or not _looks_like_np(tokens[:np_end], lex):
        return None
    return Attribution(content=content, source=source, cue=(verb.start, verb.end),
                       type="indirect", confidence=0.55)


# ---------------------------------------------------------------- segmentation
def paragraphs(text: str) -> list[Span]:
    """Paragraph spans: blocks separated by blank lines (or single newlines)."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        spans.append((match.start(), match.end()))
    return spans


def tokenize(text: str, start: int, end: int) -> list[Token]:
    return [Token(m.group(0), m.start() + start, m.end() + start)
            for m in TOKEN_RE.finditer(text[start:end])]


def split_sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences of a paragraph: split after . ! ? (and closing quotes) before a capital."""
    tokens = tokenize(text, start, end)
    sentences: list[Sentence] = []
    current: list[Token] = []
    for i, tok in enumerate(tokens):
        current.append(tok)
        if tok.text not in ".!?":
            continue
        # Closing quotes and brackets belong to the sentence they end.
        j = i + 1
        while j < len(tokens) and tokens[j].text in "”\"“»)’":
            j += 1
        if j >= len(tokens):
            continue
        prev = tokens[i - 1].low if i else ""
        nxt = tokens[j].text
        if tok.text == "." and (prev in ABBREVIATIONS or (len(prev) == 1 and prev.isalpha())):
            continue
        if tok.text == "." and i > 1 and ROMAN_NUMERAL_RE.fullmatch(tokens[i - 1].text) and \
                tokens[i - 2].text[:1].isupper() and not nxt[:1].isupper():
            continue  # "Benedikt XVI. „ist …": a regnal number
        if tok.text == "." and prev.isdigit() and len(prev) <= 2:
            continue  # "am 17. Mai", "der 2. Weltkrieg": an ordinal, not a sentence end
        if not (nxt[:1].isupper() or nxt[:1] in OPEN_QUOTES or nxt[:1].isdigit()):
            continue
        current.extend(tokens[i + 1:j])
        del tokens[i + 1:j]
        sentences.append(_sentence(current))
        current = []
    if current:
        sentences.append(_sentence(current))
    return sentences


def _sentence(tokens: list[Token]) -> Sentence:
    return Sentence(tokens[0].start, tokens[-1].end, list(tokens))


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
                inner = _trim(text, i + 2, j)
                words = len(re.findall(r"\w+", text[inner[0]:inner[1]]))
                quotes.append(Quote((i, j + 2), inner, words, True))
                i = j + 2
                continue
        ch = text[i]
        if ch in OPEN_QUOTES and (ch != '"' or i == start or not text[i - 1].isalnum()):
            closers = CLOSE_FOR[ch]
            j = i + 1
            while j < end and text[j] not in closers:
                j += 1
            closed = j < end
            inner = _trim(text, i + 1, j)
            if inner[1] > inner[0]:
                words = len(re.findall(r"\w+", text[inner[0]:inner[1]]))
                quotes.append(Quote((i, min(j + 1, end)), inner, words, closed))
            i = j + 1
        else:
            i += 1
    return quotes


def _announced_quote(text: str, previous: tuple[int, list[Sentence]] | None,
                     quotes: list[Quote], direct: list[Attribution],
                     lex: Lexicon) -> Attribution | None:
    """"Millikin's media coordinator wrote:" — then the quotation as the next paragraph."""
    if previous is None or not quotes or not previous[1]:
        return None
    end, sentences = previous
    first = quotes[0]
    if text[:end].rstrip()[-1:] != ":" or text[end:first.outer[0]].strip() or \
            any(a.content[0] <= first.inner[0] < a.content[1] for a in direct):
        return None
    colon = text.rstrip().rfind(":", 0, end)
    hit = _cue_before_quote(text, Quote((colon + 1, first.outer[1]), first.inner, first.words,
                                        first.closed), sentences, lex)
    if hit is None:
        return None
    source, cue = hit
    return Attribution(content=first.inner, source=source, cue=cue, type="direct",
                       confidence=0.8)


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def attribute_quotes(text: str, sentences: list[Sentence], quotes: list[Quote],
                     lex: Lexicon) -> list[Attribution]:
    """Direct quotations with the cue after them (“…,” she said), before them (She said:
    “…”) or inside them (“…,” she said, “…”)."""
    found = []
    consumed: set[int] = set()
    for n, q in enumerate(quotes):
        if q.words < MIN_QUOTE_WORDS or n in consumed:
            continue
        after = _cue_after_quote(text, q, sentences, lex)
        before = None if after else _cue_before_quote(text, q, sentences, lex)
        hit = after or before
        if hit is None:
            continue
        source, cue = hit
        content = q.inner
        if after and n + 1 < len(quotes):
            # “…,” she said, “…”: the quotation resumes after the cue — one attribution.
            nxt = quotes[n + 1]
            gap = text[max(cue[1], source[1] if source else 0):nxt.outer[0]]
            if nxt.outer[0] > cue[1] and re.fullmatch(r"[\s,:;—–-]*", gap):
                content = (q.inner[0], nxt.inner[1])
                consumed.add(n + 1)
        found.append(Attribution(content=content, source=source, cue=cue, type="direct",
                                 confidence=0.9))
    return found


def _sentence_of(sentences: list[Sentence], pos: int) -> Sentence | None:
    for s in sentences:
        if s.start <= pos < s.end + 1:
            return s
    return None


def _cue_after_quote(text: str, q: Quote, sentences: list[Sentence],
                     lex: Lexicon) -> tuple[Span | None, Span] | None:
    """“…,” the article said / said Smith / so Müller."""
    if not q.closed:
        return None
    tail_end = min(len(text), q.outer[1] + 160)
    para_end = text.find("\n", q.outer[1])
    if para_end != -1:
        tail_end = min(tail_end, para_end)
    tokens = tokenize(text, q.outer[1], tail_end)
    # Stop at the sentence's end or the next quotation.
    cut = len(tokens)
    for k, tok in enumerate(tokens):
        if (tok.text in ".!?;" and not (tok.text == "." and k and _abbreviation_dot(tokens, k))
                and not (k + 1 < len(tokens) and tokens[k + 1].text == ")")) \
                or tok.text in QUOTE_CHARS:
            cut = k
            break
    tokens = tokens[:cut]
    # "… at all,''' said Mr. Meyer": a single quote closing inside the double one.
    while tokens and (tokens[0].text in ",—–-" or tokens[0].text in "'’"):
        tokens = tokens[1:]
    if not tokens:
        return None
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
            left = tokens[:k]
            while left and (left[-1].low in lex.auxiliaries or left[-1].text == ","):
                left = left[:-1]
            last_comma = max((i for i, t in enumerate(left) if t.text == ","), default=-1)
            if 0 <= last_comma < len(left) - 1 and left[last_comma + 1].low in RELATIVIZERS \
                    and tokens[k - 1].text != ",":
                continue  # "Cruz, who has proposed repealing …, said": the relative's verb
            if k + 1 < len(tokens) and tokens[k + 1].low in ("by", "von"):
                return None  # "… was first reported by MSNBC": a passive with its own agent
            if closes_sentence and (len(tokens) - k > 4 or last_comma >= 0):
                return None  # “… problems.” He said Teneo had …: a new sentence and report
            if left and _is_source_with_appositive(left, lex):
                return (left[0].start, left[-1].end), _cue_span(tokens, k, lex)
            break
    return None


def _is_source_with_appositive(left: list[Token], lex: Lexicon) -> bool:
    """"Jim Clyburn, a Democratic congressman from South Carolina," — a name, and what he is."""
    hard_stops = {"that", "which", "because", "when", "while", "if", "although", "dass", "weil",
                  "wenn", "obwohl", "since", "after", "before"}
    if any(t.low in hard_stops for t in left) or any(t.text in ";:" for t in left):
        return False
    if any(t.text in "()" for t in left):
        # "Rep. Elijah E. Cummings (D-Md.)": a short parenthesis at the end of a name.
        opening = next(i for i, t in enumerate(left) if t.text in "()")
        if left[opening].text != "(" or left[-1].text != ")" or len(left) - opening > 8 or \
                not left[0].text[:1].isupper():
            return False
        left = left[:opening]
    commas = sum(1 for t in left if t.text == ",")
    if commas == 0:
        return not any(t.low in lex.clause_stops - NP_JOINERS and not _joins_names(left, i)
                       for i, t in enumerate(left))
    return commas <= 2 and (left[0].text[:1].isupper() or left[0].low in ("a", "an", "the"))


def _cue_before_quote(text: str, q: Quote, sentences: list[Sentence],
                      lex: Lexicon) -> tuple[Span | None, Span] | None:
    """She said: “…” / Er sagte: „…“ — a cue and its source right before the quotation."""
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
            return source, (colon.start, colon.end)
        if len(tokens) >= 4 and lex.lang == "de":
            # "Der Leiter der Studie sieht die Verantwortung beim Staat: „…“" — a clause
            # announces the quotation; its subject is the speaker.
            subject = right_noun_phrase(tokens, 0, lex)
            if subject and not (lex.fronted and tokens[0].low in lex.fronted):
                return subject, (colon.start, colon.end)
        return None
    for k in range(len(tokens) - 1, max(-1, len(tokens) - 6), -1):
        if tokens[k].low in lex.cue_forms:
            source = left_noun_phrase(tokens, k, lex)
            if lex.lang == "de" and k + 1 < len(tokens) and tokens[k + 1].low in lex.pronouns \
                    and tokens[k + 1].low != "es":
                source = (tokens[k + 1].start, tokens[k + 1].end)  # "lobte er mit den Worten:"
            elif source is not None and lex.fronted and _is_fronted(tokens, source, lex):
                source = None  # "Nach der Sitzung sagte Schily: „…“"
            if source is None:
                source = right_noun_phrase(tokens, k + 1, lex)
            if source:
                return source, _cue_span(tokens, k, lex)
            return None
    return None


# ---------------------------------------------------------------- indirect speech
def attribute_sentence(text: str, sentence: Sentence, quotes: list[Quote], taken: list[Span],
                       lex: Lexicon) -> list[Attribution]:
    """Indirect and mixed attributions of one sentence."""
    tokens = sentence.tokens
    found: list[Attribution] = []
    inside_direct = [span for span in taken]

    def in_direct(tok: Token) -> bool:
        return any(s <= tok.start < e for s, e in inside_direct)

    content_start = _content_start(text, tokens)
    # according to X / laut X / X zufolge
    found.extend(_according_to(text, tokens, content_start, lex))
    if lex.reference_cues and tokens[0].low in lex.reference_cues and len(tokens) > 3:
        first = tokens[0]  # "Demnach haben …": according to the source just named
        content = _trim_content(text, tokens[1].start, _sentence_end(tokens))
        if content:
            found.append(Attribution(content=content, source=(first.start, first.end),
                                     cue=(first.start, first.end), type="indirect",
                                     confidence=0.6))
    found.extend(_reference_clause(text, tokens, lex))
    if lex.lang == "de":
        found.extend(_german_nach(text, tokens, content_start, lex))
        found.extend(_german_so(text, tokens, content_start, lex))
    if lex.phrasal:
        found.extend(a for a in _phrasal(text, sentence, lex)
                     if not any(s <= a.cue[0] < e for s, e in (q.outer for q in quotes))
                     and not any(b.content[0] <= a.cue[0] < b.content[1] for b in found))
    if lex.poll_nouns:
        found.extend(_in_poll(text, tokens, content_start, lex))
    if lex.colon_non_sources is not None:
        found.extend(_speaker_colon(text, tokens, content_start, quotes, lex))
    # … was first reported by X
    if lex.passive_by_re is not None:
        found.extend(_passive_by(text, sentence, lex))
    quoted = [q.outer for q in quotes]
    words = [t for t in tokens if t.text[:1].isalpha()]
    title_case = len(words) >= 4 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words)
    for k, tok in enumerate(tokens):
        if _is_passive_hedge(tokens, k, lex) and not in_direct(tok) and \
                not any(s <= tok.start < e for s, e in quoted):
            hedged = _hedged(text, tokens, k, content_start, cue_start=k - 1)
            by = next((j for j in range(k + 2, min(len(tokens), k + 14))
                       if tokens[j].low == "by"), None)
            if hedged and by is not None:
                # "… was described as ‘heartbreaking’ by the conservation department"
                hedged[0].source = right_noun_phrase(tokens, by + 1, lex)
            found.extend(hedged)
            continue
        if tok.low not in lex.cue_forms or in_direct(tok):
            continue
        if tok.text[:1].isupper() and k > 0 and lex.lang == "en" and \
                not (title_case and tok.low in lex.headline_cues):
            continue  # "the United States", "Explain Why …" in a title: part of a name
        if lex.lang == "en" and tok.low == "asked" and (
                (k > 0 and tokens[k - 1].low in ("when", "after", "if", "once", "as", "while",
                                                  "before")) or
                (tok.start == content_start and k + 1 < len(tokens) and
                 tokens[k + 1].low in QUESTION_WORDS | {"about", "on"})):
            # "When asked whether …", "Asked on Monday whether …,": nobody named asks.
            found.extend(_unattributed_question(text, tokens, k))
            continue
        if lex.lang == "en" and tok.low == "showing" and k > 0 and \
                tokens[k - 1].low in lex.evidence_nouns:
            found.extend(_evidence_showing(text, tokens, k, lex))
            continue
        lemma = lex.lemma_of.get(tok.low)
        if lemma in lex.weak_verbs or lemma in lex.intention_verbs or lemma in lex.hedge_verbs \
                or lemma in lex.stance_verbs:
            if any(s <= tok.start < e for s, e in quoted):
                continue  # "I think …" inside somebody's quotation is their voice, not a new source
            if any(a.content[0] <= tok.start < a.content[1] for a in found):
                continue  # "Clinton says she wants to …": the wish is part of what she said
        if lemma in lex.hedge_verbs:
            if _hedge_in_use(tokens, k, lemma):
                found.extend(_hedged(text, tokens, k, content_start))
            continue
        if tok.low in lex.impersonal_cues:
            found.extend(_impersonal(text, tokens, k, content_start))
            continue
        if lex.lang == "de" and _german_passive_report(tokens, k):
            # "Strauss-Kahn wird vorgeworfen, …", "Es wurde bekannt gegeben, dass …"
            content = _trim_content(text, tokens[k + 2].start if tokens[k + 2].low not in (
                "dass", "daß") else tokens[k + 3].start, _sentence_end(tokens)) \
                if k + 3 < len(tokens) else None
            if content is not None:
                found.append(Attribution(content=content, source=None,
                                         cue=(tokens[k].start, tokens[k].end),
                                         type="indirect", confidence=0.5))
            continue
        if not _cue_is_used_as_attribution(tokens, k, lex):
            continue
        # "In the deposition, Mr. Trump said his net worth …": a clause after the cue makes
        # the phrase before the comma an adverbial, not the content.
        clause_follows = len(tokens) - k > 5 and (
            (lex.lang == "en" and _opens_clause(tokens, k + 1, lex)) or
            (lex.lang in ("fr", "es") and any(
                t.low in ("que", "qu") or t.low.startswith(("qu’", "qu'"))
                for t in tokens[k + 1:k + 5])))  # "a annoncé par avance qu'il …"
        readings = (
            lambda: lex.lang == "de" and _german_wie(text, tokens, k, content_start, lex),
            lambda: lex.perfect_auxiliaries and _german_perfect(text, tokens, k, lex),
            lambda: lex.lang == "en" and _participle(text, tokens, k, content_start, lex),
            lambda: clause_follows and _preposed(text, tokens, k, lex),
            lambda: _postposed(text, tokens, k, content_start, lex),
            lambda: _preposed(text, tokens, k, lex),
        )
        # The first reading whose source is a plausible noun phrase: "…, said Mexico must
        # rebut …" is no post-posed "said SOURCE", so the pre-posed reading gets its turn.
        attribution = next((a for a in (read() for read in readings)
                            if a and plausible_source(text, a.source, lex)), None)
        if attribution and attribution.source is not None and \
                _CONTRACTION_RE.sub("", text[attribution.source[0]:attribution.source[1]]
                                    .lower()) in FIRST_PERSON and \
                any(s <= tok.start < e for s, e in quoted):
            attribution = None  # "So if I say I'm leaning …" inside a quotation: their voice
        if attribution:
            found.append(attribution)
    found = _drop_nested_secondary(text, found, lex)
    for a in found:
        a.type = _type_of(text, a.content, quotes)
    return found


FIRST_PERSON_SPEECH = frozenset({"i", "i’m", "i'm", "we", "we’re", "we're", "my", "our", "me",
                                 "us", "ich", "wir", "mein", "unser", "je", "nous"})
FIRST_PERSON = frozenset({"i", "you", "we", "ich", "du", "wir", "je", "tu", "nous", "vous",
                          "yo", "nosotros"})
GERMAN_PREPOSITIONS = frozenset({"in", "im", "am", "an", "auf", "bei", "beim", "mit", "unter",
                                 "über", "vor", "während", "wegen", "trotz", "zum", "zur"})
# What may follow the speaker of "…, said Ms. Lee": a place, a time, a channel.
INVERTED_SOURCE_FOLLOWERS = frozenset({"in", "on", "at", "during", "after", "before", "of", "to",
                                       "from", "with", "by", "last", "this", "earlier",
                                       "later", "when", "as", "while", "who", "whose", "and",
                                       "told", "adding", "noting", "according"})
DETERMINERS_EN = frozenset({"a", "an", "the", "his", "her", "their", "its", "our", "this",
                            "that", "most", "every", "each", "any", "no"})
ADVERBIAL_STARTS = frozenset({"at", "in", "on", "during", "after", "before", "since", "with",
                              "despite",
                              "from", "amid", "whenever", "without", "although", "though",
                              "because", "while", "when", "if", "unless", "until", "whereas"})
PARTICIPLES = frozenset({"told", "said", "written", "shown", "found", "thought", "known", "seen",
                         "heard", "taught", "given"})
PREPOSITIONS = frozenset({"about", "on", "for", "to", "with", "at", "of", "against", "out", "in"})


def _drop_nested_secondary(text: str, found: list[Attribution],
                           lex: Lexicon) -> list[Attribution]:
    """"Murphy said he supports the final bill": a stance, wish or phrasal cue inside what
    somebody is reported to have said is part of their report, not a second source."""
    def secondary(a: Attribution) -> bool:
        words = text[a.cue[0]:a.cue[1]].lower().split()
        lemma = lex.lemma_of.get(words[-1], "") if words else ""
        return tuple(words) in lex.phrasal or lemma in lex.stance_verbs \
            or lemma in lex.intention_verbs or lemma in lex.weak_verbs or a.source is None \
            or (lemma in lex.np_content_verbs and lemma not in lex.clause_verbs)
    return [a for a in found
            if not (secondary(a) and any(b is not a and b.content[0] <= a.cue[0] < b.content[1]
                                         and not secondary(b) for b in found))]


def _content_start(text: str, tokens: list[Token]) -> int:
    """Skip a dateline ("TOKYO, Nov 27 (Reuters) –") at the start of a story's sentence."""
    head = text[tokens[0].start:tokens[0].start + 80]
    match = re.match(r"^[A-ZÄÖÜ][A-ZÄÖÜ .,'/-]+(?:,[^–—(]{1,20})?(?:\([^)]{1,30}\))?\s*[–—-]\s*", head)
    if match and match.end() < len(head):
        return tokens[0].start + match.end()
    return tokens[0].start


def _cue_is_used_as_attribution(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """Filter uses of cue words that report nothing ("Asked for comment", "claims Taiwan")."""
    word = tokens[k].low
    lemma = lex.lemma_of.get(word, "")
    nxt = tokens[k + 1].low if k + 1 < len(tokens) else ""
    prev = tokens[k - 1].low if k else ""
    if prev in lex.block_before:
        return False  # "the state", "to maintain", "without elaborating": not a report
    if lex.lang == "en" and k >= 2 and not word.endswith(("ed", "ing")) and \
            tokens[k - 2].low in DETERMINERS_EN and \
            tokens[k - 1].low.endswith(("ing", "ed", "est", "ful", "al")) and \
            tokens[k - 1].text.islower():
        return False  # "a passing promise", "the most telling promise": a noun
    if (word, nxt) in lex.phrasal:
        return False  # "called on", "called for": the phrasal cue reads it, with its object
    if lemma == "call" and (nxt in ("off", "up", "back", "in") or (
            word == "called" and k > 1 and tokens[k - 1].text[:1].islower() and
            any(t.low in ("a", "an") for t in tokens[max(0, k - 4):k]))):
        return False  # "called off", "a supplement maker called Mannatech": no report
    if nxt == ":" and k and tokens[k - 1].text.endswith(("’s", "'s")):
        return False  # "Editor’s note:": a label
    if nxt == "by" and (word.endswith("ed") or word in PARTICIPLES):
        return False  # "an editorial published by the newspaper": a passive participle
    if prev in lex.be_forms and (word.endswith("ed") or word in PARTICIPLES):
        return False  # "is supported by", "was told": a passive; its agent is not the subject
    if lemma in lex.intention_verbs:
        # "wants to …", "wants voters to …" — without an infinitive it is no attribution
        # (unless the verb also reports speech: "promised that …").
        if _infinitive_after(tokens, k) is not None:
            return k == 0 or not word.endswith("ing") or prev == ","
        if lemma not in lex.speech_verbs:
            return False
    if word in lex.particle_verbs:
        # "gab … an", "stellte … fest": without its particle the verb reports nothing.
        rest = " ".join(t.low for t in tokens[k + 1:])
        if not any(re.search(rf"(?:^|\s){re.escape(p.lower())}(?:\s|$)", rest)
                   for p in lex.particle_verbs[word]):
            return False
    if lex.lang == "en" and not _english_verb_in_use(tokens, k, lemma, lex):
        return False
    if lemma in lex.needs_that_verbs and not word.endswith("ing") and \
            nxt not in ("that", ",", ":", ".", "") and nxt[:1] not in QUOTE_CHARS:
        return False  # "hubs add a few tricks", "bass notes have pitch"
    if lemma == "continue":
        # "continued to insist that …" reports; "the ANC continues to be superb" does not.
        return nxt == "to" and k + 2 < len(tokens) and tokens[k + 2].low in lex.cue_forms \
            and lex.lemma_of.get(tokens[k + 2].low) != "continue"
    if lemma == "ask":
        # "asked whether …", "asked Sanders how he is feeling", "asked a judge to block …"
        return nxt in QUESTION_WORDS or nxt[:1] in QUOTE_CHARS or \
            any(t.low in QUESTION_WORDS for t in tokens[k + 2:k + 5]) or \
            (_infinitive_after(tokens, k) is not None and nxt != "to")
    if k == 0 and lex.lang == "en" and tokens[k].low.endswith(("ed", "ing")):
        return False  # "Asked about…, she…": a participle, not a report
    if lemma in lex.weak_verbs:
        nxt_text = tokens[k + 1].text if k + 1 < len(tokens) else ""
        if nxt in (".", "!", "?", "") and any(t.text == "," for t in tokens[max(0, k - 3):k]):
            return True  # "…, I think."
        return _opens_clause(tokens, k + 1, lex) or nxt[:1] in QUOTE_CHARS \
            or nxt_text[:1].isupper()
    if lemma == "claim" and not _opens_clause(tokens, k + 1, lex) and nxt[:1] not in QUOTE_CHARS:
        return False
    return True


def _evidence_showing(text: str, tokens: list[Token], k: int, lex: Lexicon) -> list[Attribution]:
    """"polls showing her well behind", "results showing their candidate locked in …": the
    evidence named right before "showing" is the source of what follows."""
    source = left_noun_phrase(tokens, k, lex)
    if source is not None:
        # "Despite polls showing …", "There would be more polls showing …": keep the evidence.
        inside = [i for i in range(k) if tokens[i].start >= source[0]]
        cut = max((i for i in inside if tokens[i].low in ADVERBIAL_STARTS or
                   tokens[i].low in lex.not_in_source), default=None)
        if cut is not None:
            source = (tokens[cut + 1].start, source[1]) if cut + 1 < k else None
    end = _content_end(tokens, k + 1, lex)
    end = next((j for j in range(k + 1, end) if tokens[j].text in ",;"), end)
    if source is None or end - (k + 1) < 2 or not plausible_source(text, source, lex):
        return []
    return _reported(text, tokens[k + 1].start, tokens[end - 1].end, source,
                     (tokens[k].start, tokens[k].end), 0.6)


def _unattributed_question(text: str, tokens: list[Token], k: int) -> list[Attribution]:
    """"When asked whether he would endorse Trump, …": a question put to somebody, with no
    asker named — its content runs to the comma."""
    end = next((j for j in range(k + 1, len(tokens)) if tokens[j].text in ",;:"),
               len(tokens))
    if end - (k + 1) < 2:
        return []
    return _reported(text, tokens[k + 1].start, tokens[end - 1].end, None,
                     (tokens[k].start, tokens[k].end), 0.5)


def _infinitive_after(tokens: list[Token], k: int) -> int | None:
    """Index of the "to" of an infinitive right after token k, or after a short object
    ("wants voters to know")."""
    for j in range(k + 1, min(len(tokens), k + 5)):
        if tokens[j].low == "to":
            nxt = tokens[j + 1] if j + 1 < len(tokens) else None
            return j if nxt is not None and nxt.text[:1].islower() and nxt.text.isalpha() else None
        if not tokens[j].text[:1].isalpha():
            return None
    return None


def _hedge_in_use(tokens: list[Token], k: int, lemma: str) -> bool:
    """"appears to have …", "seems unfair", "seemed that …" — not "appeared on stage"."""
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    if nxt is None or tokens[k].low.endswith("ing"):
        return False
    if nxt.low in ("to", "that", "likely", "unlikely", "certain", "clear"):
        return True
    return lemma == "seem" and nxt.text.isalpha() and nxt.text.islower() and nxt.low not in (
        "and", "or", "but", "in", "on", "at")


def _is_passive_hedge(tokens: list[Token], k: int, lex: Lexicon) -> bool:
    """"is expected to", "are believed to", "is said to" — a form of "be" before it and an
    infinitive after it."""
    if not 0 < k < len(tokens) - 2:
        return False
    infinitive = tokens[k].low in lex.passive_hedges and tokens[k + 1].low == "to" and \
        tokens[k + 2].text.isalpha() and tokens[k + 2].text.islower()
    seen_as = tokens[k].low in AS_PASSIVES and tokens[k + 1].low == "as"  # "is seen as"
    if not (infinitive or seen_as):
        return False
    j = k - 1
    while j > 0 and tokens[j].low in ("not", "also", "widely", "still", "generally", "now",
                                       "long", "n’t", "n't"):
        j -= 1  # "is not expected to", "is widely believed to"
    return tokens[j].low in lex.be_forms


def _hedged(text: str, tokens: list[Token], k: int, content_start: int,
            cue_start: int | None = None) -> list[Attribution]:
    """The clause an impression verb sits in, with no source: the article does not say
    whose impression it is."""
    first = tokens[k if cue_start is None else cue_start]
    return _reported(text, content_start, _sentence_end(tokens), None,
                     (first.start, tokens[k].end), 0.4)


def _reported(text: str, start: int, end: int, source: Span | None, cue: Span,
              confidence: float) -> list[Attribution]:
    """One indirect attribution whose content is ``text[start:end]`` trimmed — or none, when
    what is left is too short to be a report."""
    content = _trim_content(text, start, end)
    if content is None:
        return []
    return [Attribution(content=content, source=source, cue=cue, type="indirect",
                        confidence=confidence)]


def _opens_clause(tokens: list[Token], j: int, lex: Lexicon) -> bool:
    """Does a reported clause start at token j ("that …", "he’d …", "despite …, she …",
    "in a statement that …")?"""
    if j >= len(tokens):
        return False
    word = _CONTRACTION_RE.sub("", tokens[j].low)
    if word in WEAK_CUE_FOLLOWERS or word in CLAUSE_OPENERS:
        return True
    # "says in a statement that …", "said in an interview the …"
    return word == "in" and j + 2 < len(tokens) and tokens[j + 2].low in lex.cue_nominals


def _english_verb_in_use(tokens: list[Token], k: int, lemma: str, lex: Lexicon) -> bool:
    """Base and -s forms are often nouns ("remarks", "demands", "state guest house"): they
    count only when a clause, a quote or a colon follows; -ing forms need a comma or an
    auxiliary before them (", saying that …")."""
    word = tokens[k].low
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    prev = tokens[k - 1].low if k else ""
    if word.endswith("ing"):
        # ", saying that …", "has been saying", "Cruz saying …"
        return prev in (",", "—", "–") or prev in lex.auxiliaries or prev in lex.pronouns \
            or (k > 0 and tokens[k - 1].text[:1].isupper())
    if word == lemma or (word.endswith("s") and not word.endswith("ss")):
        if nxt is None:
            return False
        if lemma in lex.clause_verbs and nxt.text[:1].isalnum() and nxt.low not in lex.clause_stops:
            return True
        if nxt.text in ".!?" and lemma in lex.clause_verbs:
            return True  # "…, experts say."
        if nxt.text == "," and lemma in lex.np_content_verbs:
            return False  # "with evangelical support, …": a noun
        if lemma in lex.np_content_verbs and nxt.text[:1].isalpha() and (
                prev in lex.pronouns or (word != lemma and k > 0 and _is_name_token(tokens[k - 1]))):
            return True
        return _opens_clause(tokens, k + 1, lex) or nxt.text[:1] in QUOTE_CHARS \
            or nxt.text in ":," or nxt.text[:1].isupper()
    return True


def _is_name_token(tok: Token) -> bool:
    """A capitalised word that can end a subject ("Cruz attacks …"), not a possessive
    ("Tuesday’s call") or a nationality in front of a noun."""
    return tok.text[:1].isupper() and not tok.text.endswith(("’s", "'s")) and \
        tok.low not in TEMPORAL


def _cue_span(tokens: list[Token], k: int, lex: Lexicon) -> Span:
    """The cue, with auxiliaries before it (has said) and a nominal after it (said in a
    statement)."""
    start = k
    while start > 0 and tokens[start - 1].low in lex.cue_auxiliaries:
        start -= 1
    end = k
    # said in a statement / said in an interview
    if k + 3 < len(tokens) and tokens[k + 1].low == "in" and tokens[k + 2].low in ("a", "an") \
            and tokens[k + 3].low in lex.cue_nominals:
        end = k + 3
    return tokens[start].start, tokens[end].end


def _participle(text: str, tokens: list[Token], k: int, content_start: int,
                lex: Lexicon) -> Attribution | None:
    """"Huma Abedin … wrote to supporters, telling them that …": the speaker of a participle
    clause is the subject of the sentence."""
    if not tokens[k].low.endswith("ing") or k == 0 or tokens[k - 1].text != ",":
        return None
    begin = next((i for i, t in enumerate(tokens) if t.start >= content_start), 0)
    source = _subject(tokens, begin + _after_intro(tokens[begin:], k - 1 - begin, lex), lex)
    if k >= 3 and tokens[k - 2].low in lex.cue_forms and \
            lex.lemma_of.get(tokens[k].low) not in lex.stance_verbs:
        # "…,” Lewandowski added, saying it should be …": the speaker of the cue before.
        source = left_noun_phrase(tokens, k - 2, lex) or source
    if source is None or source[1] > tokens[k].start:
        return None
    start = k + 1
    if lex.lemma_of.get(tokens[k].low) in lex.object_verbs:
        start = _skip_addressee(tokens, start, lex)
    if start >= len(tokens):
        return None
    end_tok = _content_end(tokens, start, lex)
    if end_tok - start < 2:
        return None
    content = _trim_content(text, tokens[start].start, tokens[end_tok - 1].end)
    if content is None:
        return None
    return Attribution(content=content, source=source, cue=(tokens[k].start, tokens[k].end),
                       type="indirect", confidence=0.65)


VERB_FOLLOWERS = frozenset({"the", "a", "an", "for", "to", "with", "on", "in", "at", "that",
                            "his", "her", "its", "their", "our", "him", "them", "it", "up",
                            "out", "down", "back", "into", "over", "about", "this", "these"})


def _subject(tokens: list[Token], start: int, lex: Lexicon) -> Span | None:
    """The subject at the start of a clause: the noun phrase, cut before the first word that
    reads as its verb ("The minister spoke for an hour" → "The minister")."""
    span = right_noun_phrase(tokens, start, lex)
    if span is None or lex.lang != "en":
        return span
    inside = [i for i in range(start, len(tokens)) if tokens[i].start < span[1]]
    for i in inside[1:]:
        tok = tokens[i]
        nxt = tokens[i + 1].low if i + 1 < len(tokens) else ""
        if tok.text.islower() and tok.low not in NP_JOINERS and (
                nxt in VERB_FOLLOWERS or tok.low.endswith("ed") or tok.low in lex.cue_forms):
            end = tokens[i - 1]
            return (span[0], end.end) if end.end > span[0] else None
    return span


def _after_intro(tokens: list[Token], limit: int, lex: Lexicon) -> int:
    """Index where the subject starts: after an opening adverbial ("Here in Columbia,",
    "On Thursday,", "Late last month,", "Speaking at a town hall in Salem, New Hampshire,")
    when the sentence has one."""
    if not tokens:
        return 0
    first = tokens[0]
    opens_with_adverbial = first.low in lex.clause_stops or first.low in INTRO_WORDS or \
        first.low in lex.sentence_adverbs or \
        first.low in TEMPORAL or (first.low.endswith("ing") and first.text[:1].isupper())
    if not opens_with_adverbial:
        return 0
    for comma in (j for j in range(1, min(limit, 16)) if tokens[j].text == ","):
        # The subject follows the comma that is followed by a phrase and then a verb.
        end = _np_end(tokens, comma + 1, lex)
        if end > comma + 1 and end < len(tokens) and tokens[end].text[:1].islower():
            return comma + 1
    return 0


AS_PASSIVES = frozenset({"seen", "viewed", "regarded", "perceived", "considered", "described",
                         "painted", "portrayed", "characterized", "billed", "touted"})
TIME_MODIFIERS = frozenset({"this", "past", "last", "next", "on", "earlier", "later", "early",
                            "late", "that", "the", "same", "every", "each", "previous"})
INTRO_WORDS = frozenset({"in", "on", "at", "here", "there", "during", "after", "before", "on",
                         "since", "for", "with", "by", "from", "meanwhile", "still", "now",
                         "later", "earlier", "then", "yet", "also", "instead", "today", "late",
                         "early", "last", "this", "next", "separately", "elsewhere"})


def _postposed(text: str, tokens: list[Token], k: int, content_start: int,
               lex: Lexicon) -> Attribution | None:
    """CONTENT, SOURCE said. / CONTENT, said SOURCE. / CONTENT, so SOURCE."""
    if lex.lemma_of.get(tokens[k].low) in lex.stance_verbs:
        return None
    tail = [t for t in tokens[k + 1:] if t.text not in ".!?”\"“»"]
    if len(tail) > MAX_TAIL_AFTER_CUE and tail[0].text != ",":
        return None
    # find the comma that opens the attribution clause
    j = k - 1
    while j >= 0 and tokens[j].text not in ",—–" and k - j <= MAX_SOURCE_TOKENS:
        j -= 1
    if j < 0 or tokens[j].text not in ",—–":
        return None
    between = tokens[j + 1:k]
    # "…, as police have said": "as" introduces the source.
    if between and between[0].low in lex.as_markers:
        between = between[1:]
    # ",'' said Mr. Sperling": the closing quote mark between comma and cue.
    while between and (between[0].text in QUOTE_CHARS or between[0].text in "'’"):
        between = between[1:]
    source: Span | None
    if between:
        while between and between[-1].low in lex.auxiliaries:
            between = between[:-1]
        if between and between[0].low in ("a", "an", "the", "who", "ein", "eine", "der", "die",
                                          "das") and j > 0:
            # "…, Jim Clyburn, a Democratic congressman from South Carolina, said."
            j2 = j - 1
            while j2 >= 0 and tokens[j2].text not in ",—–" and j - j2 <= 8:
                j2 -= 1
            name = tokens[j2 + 1:j] if j2 >= 0 and tokens[j2].text in ",—–" else []
            if name and name[0].text[:1].isupper() and all(t.text[:1].isupper() or
                                                             t.text in ".-" for t in name):
                between = tokens[j2 + 1:k]
                while between and between[-1].low in lex.auxiliaries:
                    between = between[:-1]
                j = j2
        if not between or not _is_source_with_appositive(between, lex):
            return None
        source = (between[0].start, between[-1].end)
    else:
        source = right_noun_phrase(tokens, k + 1, lex)
        if source is None:
            return None
        after = next((t for t in tokens if t.start >= source[1]), None)
        if lex.lang == "en" and after is not None and after.text[:1].isalpha() and \
                after.low not in INVERTED_SOURCE_FOLLOWERS and after.low not in TEMPORAL:
            return None  # "…, said Chile must respond": a clause follows, not "…, said Chile."
        # "…, sagte der Minister am Montag." — the inverted source ends the sentence; in
        # "Stoiber, warf der SPD eine Fehlentwicklung vor" the phrase after the verb is its
        # object and the sentence goes on.
        rest = [t for t in tokens if t.start >= source[1] and t.text not in ".!?”\"“»"]
        if tokens[k].low in lex.particle_verbs and rest:
            return None
        before = [t for t in tokens[:j] if t.start >= content_start]
        if lex.np_starters and all(t.text[:1].isupper() or t.low in lex.np_starters or
                                   t.text in ",-" or t.low.endswith(("e", "en", "er", "es", "em"))
                                   for t in before):
            return None  # "Die Regierungspartei Palästinas, die Hamas, bezeichnete …": a subject
    content = _trim_content(text, content_start, tokens[j].start)
    resumed = _resumed_content(text, tokens, k, source, lex)
    short_before = sum(1 for t in tokens[:j] if t.start >= content_start) <= 5
    if resumed is not None and (content is None or (
            short_before and resumed[1] - resumed[0] > content[1] - content[0])):
        content = resumed  # "In the early 1990s, Ms. Ripert said, when she was earning …"
    if content is None:
        return None
    return Attribution(content=content, source=source, cue=_cue_span(tokens, k, lex),
                       type="indirect", confidence=0.8)


def _resumed_content(text: str, tokens: list[Token], k: int, source: Span,
                     lex: Lexicon) -> Span | None:
    """"There was, she said, “an implicit bargain.”": what follows a parenthetical cue."""
    after = next((i for i in range(k + 1, len(tokens)) if tokens[i].start >= source[1]), k + 1)
    if after < len(tokens) and tokens[after].low in lex.auxiliaries:
        after += 1
    if after >= len(tokens) or tokens[after].text != ",":
        return None
    rest = tokens[after + 1:]
    if len(rest) < 3 or rest[0].low in ("and", "but", "or", "while", "und", "aber") or \
            (rest[0].low.endswith("ing") and lex.lang == "en") or \
            any(t.low in lex.cue_forms for t in rest[:MAX_SOURCE_TOKENS]):
        return None
    return _trim_content(text, rest[0].start, _sentence_end(tokens))


def _preposed(text: str, tokens: list[Token], k: int, lex: Lexicon) -> Attribution | None:
    """SOURCE said (that) CONTENT. / SOURCE told X (that) CONTENT. / Er sagte, (dass) …"""
    source = left_noun_phrase(tokens, k, lex)
    start = k + 1
    if lex.lang == "de" and k + 1 < len(tokens) and tokens[k + 1].low in lex.pronouns \
            and tokens[k + 1].low != "es":
        # "Dabei lobte er …", "Zudem erklärte sie, …": a pronoun after the verb is its subject.
        source = (tokens[k + 1].start, tokens[k + 1].end)
        start = k + 2
        comma = next((j for j in range(start, min(len(tokens), start + 8))
                      if tokens[j].text in ",:"), None)
        if comma is not None:
            start = comma
    elif source is not None and lex.fronted and _is_fronted(tokens, source, lex):
        source = None  # "Am Montag sagte der Minister …": the subject follows the verb
    elif source is not None and lex.np_starters and tokens[k - 1].text.islower() and \
            tokens[k - 1].low not in lex.pronouns:
        source = None  # "An die Gewerkschaften gewandt sagte Köhler": an adverbial first
    if source is None and lex.lang == "de":
        # Verb-second: "Am Montag sagte der Minister, dass …"
        np_end = _np_end(tokens, k + 1, lex)
        # "… sagte der Minister am Montag in Berlin, dass …": a short adverbial may follow.
        comma = next((j for j in range(np_end, min(len(tokens), np_end + 9))
                      if tokens[j].text in ",:" or tokens[j].low in ("dass", "daß")), None)
        if np_end > k + 1 and comma is not None and not any(
                t.low in lex.cue_forms for t in tokens[np_end:comma]):
            source = (tokens[k + 1].start, tokens[np_end - 1].end)
            start = comma
            # "… der Vorsitzende des Verbandes, Phillip Urban, einen Anstieg …": the name.
            name_end = next((j for j in range(comma + 2, min(len(tokens), comma + 6))
                             if tokens[j].text == ","), None)
            if name_end is not None and _is_proper_name(tokens[comma + 1:name_end]):
                source = (tokens[k + 1].start, tokens[name_end - 1].end)
                start = name_end
    if source is None and lex.lang == "en":
        source = _coordinated_subject(tokens, k, lex)
    if source is None:
        return None
    lemma = lex.lemma_of.get(tokens[k].low, "")
    if lemma in lex.object_verbs:
        start = _skip_addressee(tokens, start, lex)
    while start < len(tokens) and tokens[start].text in ",:":
        start += 1
    if start + 1 < len(tokens) and tokens[start].low in TEMPORAL and \
            _opens_clause(tokens, start + 1, lex):
        start += 1  # "Mr. Clinton said Thursday he would leave …"
    if start >= len(tokens):
        return None
    cue_end = _cue_span(tokens, k, lex)[1]
    while start < len(tokens) and tokens[start].end <= cue_end:
        start += 1  # "said in a statement …": the content comes after the whole cue
    if start + 1 < len(tokens) and tokens[start].low in ("released", "issued", "published",
                                                         "posted") and tokens[start + 1].low == "by":
        start = _np_end(tokens, start + 2, lex)  # "… released by the Trump campaign"
    if lemma in lex.intention_verbs:
        start = _infinitive_after(tokens, k) or start
    elif lex.lang == "en" and start < len(tokens) and tokens[start].text in PREPOSITIONS and \
            not any(t.low == "that" for t in tokens[start:start + 10]):
        # "said to a crowd of about 500.": only a setting follows — the content was a quote
        # before, or is missing.
        after = _np_end(tokens, start + 1, lex)
        if len(tokens) - after < 3:
            return None
    end_tok = _content_end(tokens, start, lex)
    shortest = 2 if lemma in lex.intention_verbs else 3  # "declined to comment"
    if end_tok - start < shortest or tokens[start].low in TEMPORAL:
        return None  # "Hollande said Tuesday in Paris": the content came before
    nominal = _nominal_source(text, tokens, k, source, lex)
    content_end = tokens[end_tok - 1].end
    if nominal != source:
        # "… “actions to revive militarism” in an editorial published by …": stop before it.
        cut = text.rfind(" in ", tokens[start].start, nominal[0])
        if cut > 0:
            content_end = min(content_end, cut)
        source = nominal
    content = _trim_content(text, tokens[start].start, content_end)
    if content is None:
        return None
    return Attribution(content=content, source=source, cue=_cue_span(tokens, k, lex),
                       type="indirect", confidence=0.75)


def _coordinated_subject(tokens: list[Token], k: int, lex: Lexicon) -> Span | None:
    """"Reid caucused in Nevada and says he voted …": a cue in the second of two joined
    predicates shares the sentence's subject."""
    j = k - 1
    while j >= 0 and tokens[j].low in lex.auxiliaries:
        j -= 1
    if j <= 0 or tokens[j].low not in ("and", "but"):
        return None
    begin = _after_intro(tokens, j, lex)  # "In a brief interview, Ms. Conway rejected … and said"
    first = tokens[begin]
    if _CONTRACTION_RE.sub("", first.low) in lex.pronouns:
        # "She's a Sanders supporter but concedes …": the pronoun without its verb.
        return first.start, first.start + len(_CONTRACTION_RE.sub("", first.text))
    end = begin
    while end + 1 < j and (tokens[end + 1].text[:1].isupper() or (
            tokens[end + 1].text == "." and _abbreviation_dot(tokens, end + 1))):
        end += 1
    if not first.text[:1].isupper() or first.low in lex.clause_stops:
        return None
    return first.start, tokens[end].end


def _antecedent(tokens: list[Token], comma: int) -> Span | None:
    """"… the claims from Jessica Leeds, who told …" → "Jessica Leeds"; "the committee,
    which said …" → "the committee" (a name, or a short phrase from its determiner)."""
    end = comma - 1
    if end < 0:
        return None
    start = end
    if tokens[end].text[:1].isupper():
        while start - 1 >= 0 and (tokens[start - 1].text[:1].isupper() or (
                tokens[start - 1].text == "." and _abbreviation_dot(tokens, start - 1))):
            start -= 1
        return tokens[start].start, tokens[end].end
    for j in range(end, max(-1, end - 6), -1):
        if tokens[j].low in ("the", "a", "an") or tokens[j].low in POSSESSIVES:
            return tokens[j].start, tokens[end].end
        if tokens[j].text in ",;:.!?" or tokens[j].text in QUOTE_CHARS:
            break
    return None


def _is_fronted(tokens: list[Token], source: Span, lex: Lexicon) -> bool:
    """German: the phrase before the verb is an adverbial ("In einem Interview", "Am
    Montag"), so the subject comes after the verb."""
    index = next(i for i, t in enumerate(tokens) if t.start >= source[0])
    last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i].end <= source[1]), index)
    return tokens[index].low in lex.fronted or \
        any(tokens[i].low in lex.fronted for i in range(max(0, index - 2), index)) or \
        tokens[last].low in TEMPORAL  # "Für das kommende Jahr prognostizierte …"


def _skip_addressee(tokens: list[Token], start: int, lex: Lexicon) -> int:
    """told parliament earlier this month that … → start at "that"."""
    for j in range(start, min(len(tokens), start + 9)):
        if tokens[j].low in ("that", "dass", "daß"):
            return j
    end = _np_end(tokens, start, lex)
    return end if end > start else start


def _content_end(tokens: list[Token], start: int, lex: Lexicon) -> int:
    """The content runs to the sentence's end, or to a comma that opens another attribution
    ("…, China’s official Xinhua news agency reported.") or "according to"."""
    end = len(tokens)
    while end > start and tokens[end - 1].text in ".!?;":
        end -= 1
    for j in range(start, end):
        if tokens[j].low in ("and", "but") and j > start and j + 1 < end:
            nxt = j + 1
            while nxt < end - 1 and tokens[nxt].low in lex.auxiliaries:
                nxt += 1
            if tokens[nxt].low in lex.cue_forms and tokens[nxt].text.islower() and \
                    lex.lemma_of.get(tokens[nxt].low) not in lex.stance_verbs:
                return j  # "… rejected the idea and said that …": the next report starts
        if tokens[j].text == "," and j + 1 < end:
            rest = tokens[j + 1:end]
            if any(t.low in lex.cue_forms for t in rest[:MAX_SOURCE_TOKENS]) and \
                    len(rest) <= MAX_SOURCE_TOKENS + MAX_TAIL_AFTER_CUE and \
                    _postposed_shape(rest, lex):
                return j
            if lex.according_to_re.match(" ".join(t.text for t in rest[:3])):
                return j
    return end


def _postposed_shape(rest: list[Token], lex: Lexicon) -> bool:
    """", China’s official Xinhua news agency reported" — an NP and a cue, and little else."""
    for k, tok in enumerate(rest):
        if tok.low in lex.cue_forms:
            before = rest[:k]
            after = [t for t in rest[k + 1:] if t.text not in ".!?”\"“»"]
            return bool(before) and len(after) <= MAX_TAIL_AFTER_CUE \
                and all(t.low not in lex.clause_stops - NP_JOINERS for t in before) \
                and all(t.text not in ",;:" for t in before)
    return False


def _nominal_source(text: str, tokens: list[Token], k: int, source: Span,
                    lex: Lexicon) -> Span:
    """"China urged … in an editorial published by the newspaper …": the document is the
    source the article names."""
    if lex.published_re is None:
        return source
    named = [t for t in tokens if source[0] <= t.start < source[1] and t.text[:1].isupper()]
    if len(named) >= 2:
        return source  # "Mike Pence said in a statement released by the campaign": he spoke
    rest = text[tokens[k].end:tokens[-1].end]
    match = lex.published_re.search(rest)
    if not match:
        return source
    np_start = tokens[k].end + match.start(1)
    np_text = match.group(1)
    # Stop before a trailing time phrase ("… Party on Thursday").
    cut = re.search(r"\s+(?:on|last|this|earlier)\s+\w+$", np_text)
    np_end = np_start + (cut.start() if cut else len(np_text))
    return np_start, np_end


def _according_to(text: str, tokens: list[Token], content_start: int,
                  lex: Lexicon) -> list[Attribution]:
    found = []
    sentence_text_start = tokens[0].start
    body = text[sentence_text_start:tokens[-1].end]
    for match in lex.according_to_re.finditer(body):
        phrase_start = sentence_text_start + match.start()
        phrase_end = sentence_text_start + match.end()
        k = next((i for i, t in enumerate(tokens) if t.start >= phrase_end), None)
        if k is None:
            continue
        # "nach"/"wie" alone are too common in German: need a capitalised NP right after.
        if lex.lang == "de" and match.group(0).lower() in ("nach", "wie") and \
                not tokens[k].text[:1].isupper():
            continue
        source = right_noun_phrase(tokens, k, lex)
        if source is None:
            continue
        before = text[content_start:phrase_start].rstrip(" ,—–-")
        if len(before.split()) >= 3:
            content = _trim_content(text, content_start, content_start + len(before))
        else:
            after_start = source[1]
            after = text[after_start:tokens[-1].end]
            lead = len(after) - len(after.lstrip(" ,"))
            content = _trim_content(text, after_start + lead, _sentence_end(tokens))
        if content is None:
            continue
        found.append(Attribution(content=content, source=source, cue=(phrase_start, phrase_end),
                                 type="indirect", confidence=0.85))
    if lex.according_after_re is not None:
        for k, tok in enumerate(tokens):
            if tok.text != "zufolge" or k == 0:
                continue
            source = left_noun_phrase(tokens, k, lex)
            if source is None:
                continue
            content = _trim_content(text, content_start, tokens[-1].end)
            if content:
                found.append(Attribution(content=content, source=source,
                                         cue=(tok.start, tok.end), type="indirect",
                                         confidence=0.8))
    return found


def _german_wie(text: str, tokens: list[Token], k: int, content_start: int,
                lex: Lexicon) -> Attribution | None:
    """"…, wie die Polizei mitteilte." / "Wie der Sprecher sagte, …": the source sits in a
    verb-final "wie" clause; the content is the rest of the sentence."""
    w = k - 1
    while w >= 0 and k - w <= MAX_SOURCE_TOKENS and tokens[w].low != "wie":
        if tokens[w].text in ",;:":
            return None
        w -= 1
    if w < 0 or tokens[w].low != "wie" or w + 1 >= k:
        return None
    first = w + 1
    if tokens[first].low in ("aus", "in") and first + 1 < k:
        first += 1  # "wie aus einer Mitteilung der Polizei hervorgeht"
    source = (tokens[first].start, tokens[k - 1].end)
    if w == 0 or tokens[w - 1].text == ",":
        if w == 0:
            after = k + 1
            while after < len(tokens) and tokens[after].low in lex.particles:
                after += 1
            if after < len(tokens) and tokens[after].text == ",":
                after += 1
            if after >= len(tokens):
                return None
            content = _trim_content(text, tokens[after].start, _sentence_end(tokens))
        else:
            content = _trim_content(text, content_start, tokens[w - 1].start)
    else:
        return None
    if content is None:
        return None
    return Attribution(content=content, source=source, cue=(tokens[k].start, tokens[k].end),
                       type="indirect", confidence=0.8)


def _reference_clause(text: str, tokens: list[Token], lex: Lexicon) -> list[Attribution]:
    """"… einen Bericht der Zeitung, wonach die Rücklagen aufgebraucht seien": the report
    named before the comma is the source of the clause after "wonach"."""
    found = []
    for k in range(1, len(tokens) - 2):
        if tokens[k].low not in lex.reference_cues or tokens[k - 1].text != ",":
            continue
        antecedent = _antecedent(tokens, k - 1)
        start = antecedent[0] if antecedent else tokens[k].start
        found.extend(_reported(text, tokens[k + 1].start, _sentence_end(tokens),
                               (start, tokens[k].end), (tokens[k].start, tokens[k].end), 0.6))
    return found


def _impersonal(text: str, tokens: list[Token], k: int, content_start: int) -> list[Attribution]:
    """"…, hieß es.", "Weiter hieß es, dass …", "Aus Paris hieß es, …": said, by nobody the
    article names (or only by a place)."""
    if k + 1 < len(tokens) and tokens[k + 1].low == "es":
        cue = (tokens[k].start, tokens[k + 1].end)
        after = k + 2
    elif k > 0 and tokens[k - 1].low == "es":
        cue = (tokens[k - 1].start, tokens[k].end)
        after = k + 1
    else:
        return []
    while after < len(tokens) and (tokens[after].text in ",:" or tokens[after].low in ("dass", "daß")):
        after += 1
    rest_words = [t for t in tokens[after:] if t.text[:1].isalnum()]
    if len(rest_words) >= 3:
        content = _trim_content(text, tokens[after].start, _sentence_end(tokens))
    else:
        comma = max((j for j in range(k) if tokens[j].text == ","), default=None)
        content = _trim_content(text, content_start, tokens[comma].start) if comma else None
    if content is None:
        return []
    source = None
    if tokens[0].low in ("aus", "von") and k > 1 and tokens[0].start >= content_start:
        source = (tokens[0].start, tokens[k - 1].end)  # "Aus Paris hieß es"
    return [Attribution(content=content, source=source, cue=cue, type="indirect",
                        confidence=0.6)]


GERMAN_PASSIVE_AUXILIARIES = frozenset({"wird", "werden", "wurde", "wurden"})


def _german_passive_report(tokens: list[Token], k: int) -> bool:
    """A cue participle after "wird"/"wurde" and before a comma: reported, by nobody named."""
    return k + 2 < len(tokens) and tokens[k + 1].text == "," and \
        any(t.low in GERMAN_PASSIVE_AUXILIARIES for t in tokens[max(0, k - 3):k]) and \
        (tokens[k].low.startswith("ge") or tokens[k].low.endswith(("t", "en")))


def _german_perfect(text: str, tokens: list[Token], k: int, lex: Lexicon) -> Attribution | None:
    """"Die Regierung hat am Montag angekündigt, dass …", "Am Montag hat der Minister
    erklärt, …": the auxiliary stands where the verb would, the cue participle ends the
    clause, and the content follows the comma."""
    if k + 2 >= len(tokens) or tokens[k + 1].text not in ",:" and tokens[k + 1].low not in (
            "dass", "daß"):
        return None
    aux = next((a for a in range(k - 1, max(-1, k - 12), -1)
                if tokens[a].low in lex.perfect_auxiliaries), None)
    if aux is None or any(t.text in ",;:" for t in tokens[aux:k]):
        return None
    source = left_noun_phrase(tokens, aux, lex)
    if source is None or _is_fronted(tokens, source, lex):
        end = _np_end(tokens, aux + 1, lex)  # "Am Montag hat der Minister erklärt"
        source = (tokens[aux + 1].start, tokens[end - 1].end) if end > aux + 1 else None
    if source is None:
        return None
    start = k + 1 if tokens[k + 1].low in ("dass", "daß") else k + 2
    content = _trim_content(text, tokens[start].start, _sentence_end(tokens))
    if content is None:
        return None
    cue_start = tokens[aux].start if aux == k - 1 else tokens[k].start
    return Attribution(content=content, source=source, cue=(cue_start, tokens[k].end),
                       type="indirect", confidence=0.7)


def _german_nach(text: str, tokens: list[Token], content_start: int,
                 lex: Lexicon) -> list[Attribution]:
    """"… sind nach jüngsten Untersuchungen … festgestellt worden": nach + a source noun."""
    found = []
    for k, tok in enumerate(tokens):
        if tok.low != "nach" or k + 1 >= len(tokens):
            continue
        window = [t.low for t in tokens[k + 1:k + 4]]
        if not any(w in lex.source_nouns or w.endswith(lex.source_noun_suffixes)
                   for w in window):
            continue
        source = right_noun_phrase(tokens, k + 1, lex)
        content = _trim_content(text, content_start, _sentence_end(tokens))
        if source and content:
            found.append(Attribution(content=content, source=source, cue=(tok.start, tok.end),
                                     type="indirect", confidence=0.75))
    return found


def _german_so(text: str, tokens: list[Token], content_start: int,
               lex: Lexicon) -> list[Attribution]:
    """"Die Lage sei ernst, so der Minister." """
    found = []
    for k in range(1, len(tokens) - 1):
        if tokens[k].low != "so" or tokens[k - 1].text != ",":
            continue
        end = _np_end(tokens, k + 1, lex)
        rest = [t for t in tokens[end:] if t.text not in ".!?"]
        parenthetical = bool(rest) and rest[0].text == ","
        if end <= k + 1 or (len(rest) > 3 and not parenthetical):
            continue
        content = _trim_content(text, content_start, tokens[k - 1].start)
        if parenthetical and (content is None or len(text[content[0]:content[1]].split()) < 4):
            # "Vom 2. April bis zum 20. Juni, so die Ergebnisse, …": the claim is the sentence.
            content = _trim_content(text, content_start, _sentence_end(tokens))
        if content:
            found.append(Attribution(content=content,
                                     source=(tokens[k + 1].start, tokens[end - 1].end),
                                     cue=(tokens[k].start, tokens[k].end), type="indirect",
                                     confidence=0.8))
    return found


MAX_COLON_SPEAKER_TOKENS = 5
MAX_POLL_PHRASE_TOKENS = 8


def _speaker_line(name: list[Token], after: list[Token], lex: Lexicon) -> bool:
    """Is "NAME: …" somebody speaking rather than a label ("Compatibility: …", "Nothing
    Ear: This set has …")? A transcript's capitals, a title-case headline, a quotation or
    the speaker's own "I"/"we" say so."""
    letters = [t for t in name if t.text[:1].isalpha()]
    if letters and all(t.text.isupper() and len(t.text) > 1 for t in letters):
        return True  # "PENCE: …", "KATE BOULDUAN: …"
    words = [t for t in after if t.text[:1].isalpha()]
    if len(words) >= 3 and sum(t.text[:1].isupper() for t in words) >= 0.7 * len(words):
        return True  # "Graham: Trump’s ‘Hateful Rhetoric’ Destroying GOP’s Chance"
    if after and (after[0].text in QUOTE_CHARS or after[0].text in "‘'"):
        return True
    # "Governor Lee: We will not …": a two-word name speaking in the first person.
    return len(letters) >= 2 and bool(after) and after[0].low in FIRST_PERSON_SPEECH


def _in_poll(text: str, tokens: list[Token], content_start: int,
             lex: Lexicon) -> list[Attribution]:
    """"Clinton held a 24-point lead … in a CNN national poll", "In a Des Moines Register
    poll last month, Mr. Cruz had a 10-point lead": the poll is the source of the finding."""
    found: list[Attribution] = []
    if not any(t.low in lex.poll_nouns for t in tokens):
        return found
    for k, tok in enumerate(tokens):
        if tok.low != "in":
            continue
        head = next((j for j in range(k + 1, min(len(tokens), k + 1 + MAX_POLL_PHRASE_TOKENS))
                     if tokens[j].low in lex.poll_nouns), None)
        if head is None or tokens[head].low.endswith("s") or tokens[k + 1].low not in (
                "a", "an", "the", "this", "that", "one"):
            continue  # "ahead in New Hampshire polls" is standing; "in a CNN poll" a finding
        if head is None or any(t.text in ",.;:" or t.low in lex.clause_stops
                               for t in tokens[k + 1:head]):
            continue
        source = (tokens[k + 1].start, tokens[head].end)
        at_start = k == 0 or tokens[k].start <= content_start
        if not at_start and not any(t.text[:1].isupper() for t in tokens[k + 1:head]):
            continue  # "ahead in the polls" is standing, not a finding somebody published
        if at_start:
            comma = next((j for j in range(head + 1, min(len(tokens), head + 6))
                          if tokens[j].text == ","), None)
            if comma is None:
                continue
            content = _trim_content(text, tokens[comma + 1].start, _sentence_end(tokens))
        else:
            content = _trim_content(text, content_start, tokens[k].start)
        if content is not None:
            found.append(Attribution(content=content, source=source,
                                     cue=(tok.start, tok.end), type="indirect", confidence=0.6))
    return found


def _speaker_colon(text: str, tokens: list[Token], content_start: int, quotes: list[Quote],
                   lex: Lexicon) -> list[Attribution]:
    """"Graham: Trump’s ‘Hateful Rhetoric’ …", "PENCE: Gennifer Flowers will not …": a
    short capitalised name, a colon, and what the name said (headlines, transcripts)."""
    first = next((i for i, t in enumerate(tokens) if t.start >= content_start), None)
    if first is None:
        return []
    colon = next((i for i in range(first, min(len(tokens), first + MAX_COLON_SPEAKER_TOKENS + 1))
                  if tokens[i].text == ":"), None)
    if colon is None or colon == first or colon + 2 >= len(tokens):
        return []
    name = tokens[first:colon]
    words = [t for t in name if t.text not in (".", "&", "-", "’", "'")]
    if not words or any(not t.text[:1].isupper() and t.low not in ("and", "of") for t in words):
        return []
    dash = max((i for i, t in enumerate(name) if t.text in "-–—"), default=None)
    if dash is not None:
        name = name[dash + 1:]  # "INDIANA FAVORS CRUZ - David Wasserman: …"
    if not name or name[0].low in lex.colon_non_sources or \
            any(t.text[:1].isdigit() for t in name):
        return []
    if len(name) == 1 and name[0].low.endswith("ed"):
        return []  # "Revealed:", "BUSTED:" — a teaser, not a speaker
    after = tokens[colon + 1:]
    if not _speaker_line(name, after, lex):
        return []
    if sum(1 for t in after if t.text == ",") >= 3 and \
            sum(1 for t in after if t.text[:1].isupper()) > len(after) // 2:
        return []  # "Iowa: Tim Albrecht, Brad Anderson, …": a list
    if any(s < tokens[colon].start < e for s, e in (q.outer for q in quotes)):
        return []
    return _reported(text, tokens[colon + 1].start, tokens[-1].end,
                     (name[0].start, name[-1].end), (tokens[colon].start, tokens[colon].end), 0.6)


def _phrasal(text: str, sentence: Sentence, lex: Lexicon) -> list[Attribution]:
    """"Clinton talked about …", "Sanders called for …": a verb and its preposition."""
    found = []
    tokens = sentence.tokens
    lows = [t.low for t in tokens]
    for k in range(len(tokens) - 1):
        if lows[k] not in lex.phrasal_heads:
            continue
        size = next((n for n in (4, 3, 2) if tuple(lows[k:k + n]) in lex.phrasal), 0)
        if not size:
            continue
        after = k + size
        if after >= len(tokens) or (k and lows[k - 1] in lex.block_before):
            continue
        source = left_noun_phrase(tokens, k, lex)
        if source is None and lows[k].endswith("ing") and k > 1 and tokens[k - 1].text == ",":
            # "…, referring to faith-driven voters": the participle's subject is the
            # sentence's.
            source = _subject(tokens, 0, lex)
            if source is not None and source[1] > tokens[k - 1].start:
                source = None
        if source is None:
            continue
        end_tok = _content_end(tokens, after, lex)
        if end_tok - after < 1:
            continue
        found.append(Attribution(content=(tokens[after].start, tokens[end_tok - 1].end),
                                 source=source, cue=(tokens[k].start, tokens[after - 1].end),
                                 type="indirect", confidence=0.6))
    return found


def _sentence_end(tokens: list[Token]) -> int:
    end = len(tokens)
    while end > 1 and tokens[end - 1].text in ".!?":
        end -= 1
    return tokens[end - 1].end


def _passive_by(text: str, sentence: Sentence, lex: Lexicon) -> list[Attribution]:
    """"Trump’s request … was first reported by the Wall Street Journal." """
    found = []
    tokens = sentence.tokens
    body = text[sentence.start:sentence.end]
    for match in lex.passive_by_re.finditer(body):
        cue_start = sentence.start + match.start()
        cue_end = sentence.start + match.end()
        k = next((i for i, t in enumerate(tokens) if t.start >= cue_end), None)
        if k is None:
            continue
        source = right_noun_phrase(tokens, k, lex)
        content = _trim_content(text, _content_start(text, tokens), cue_start)
        if source and content:
            found.append(Attribution(content=content, source=source, cue=(cue_start, cue_end),
                                     type="indirect", confidence=0.8))
    return found


# ---------------------------------------------------------------- noun phrases
def left_noun_phrase(tokens: list[Token], k: int, lex: Lexicon) -> Span | None:
    """The subject noun phrase ending right before token ``k`` (auxiliaries skipped)."""
    j = k - 1
    while j >= 0 and (tokens[j].low in lex.auxiliaries or _is_adverb(tokens[j], lex)):
        j -= 1
    # "Reince Priebus, the GOP chairman, this past week announced": a time phrase between
    # the subject and its verb.
    t = j
    while t >= 0 and tokens[t].low in TEMPORAL:
        t -= 1
    if t < j:
        while t >= 0 and tokens[t].low in TIME_MODIFIERS:
            t -= 1
        if t >= 0 and tokens[t].text == "," and t < j:
            j = t
    if j < 0:
        return None
    if tokens[j].low in lex.pronouns and lex.lang == "en" and tokens[j].low != "it":
        # "countries he said had sent …", "which he said has increased": the pronoun alone.
        return tokens[j].start, tokens[j].end
    relativizer = None
    # "… readout of the call which stated": the relative clause's antecedent is the source
    # (the span keeps the relative pronoun, which is the grammatical subject).
    if tokens[j].low in ("which", "who", "that", "der", "die", "das") and j > 0:
        relativizer = tokens[j]
        j -= 1
    end = j
    start = j
    while start >= 0 and end - start < MAX_SOURCE_TOKENS:
        tok = tokens[start]
        if tok.text == "." and start > 0 and _abbreviation_dot(tokens, start):
            start -= 1
            continue
        if tok.text == ")":
            # "Rep. Hank Johnson (D-Ga.)": a short parenthesis inside the name.
            opening = _matching_open(tokens, start)
            if opening is not None and start - opening <= 8:
                start = opening - 1
                continue
        if tok.text in "“”" and start <= end:
            # "Moritz Wohlrab von der „Aktion Deutschland hilft“": a quoted name.
            opening = next((i for i in range(start - 1, max(-1, start - 8), -1)
                            if tokens[i].text in "„“"), None)
            if opening is not None and opening > 0 and \
                    tokens[opening - 1].low in NP_JOINERS | DETERMINER_JOINERS:
                start = opening - 1
                continue
        if tok.text in ",;:()[]'" or tok.text in QUOTE_CHARS or tok.text in ".!?—–":
            break
        low = tok.low
        if low in lex.clause_stops and not _joins_names(tokens, start):
            if low not in NP_JOINERS or start == end:
                break
        if low in lex.cue_forms and start != end and low != lex.lemma_of.get(low, low):
            break  # another reporting verb ("said"), but not a bare noun-like form ("call")
        if low in (POSSESSIVES | {"a", "an", "the"}) and start > 0 and (
                (tokens[start - 1].low == "to" and start - 2 > 0) or (
                tokens[start - 1].text[:1].islower() and tokens[start - 1].low not in NP_JOINERS)):
            start -= 1
            break  # "referred Reuters to its readout": the noun phrase starts at "its"
        start -= 1
    start += 1
    if start > end:
        # "Taiwan, which rejects …, has said" / "Donald Trump, her Republican opponent, said"
        if start - 1 >= 0 and tokens[start - 1].text == ",":
            if relativizer is not None:
                if lex.lemma_of.get(tokens[k].low) in lex.np_content_verbs and \
                        not _opens_clause(tokens, k + 1, lex):
                    return None  # "Taiwan, which rejects Beijing's claim, …": a description
                # "Jessica Leeds, who told …": the antecedent and the relative pronoun.
                antecedent = _antecedent(tokens, start - 1)
                return (antecedent[0] if antecedent else relativizer.start), relativizer.end
            return _skip_parenthetical(tokens, start - 1, lex)
        if relativizer is not None:
            return relativizer.start, relativizer.end
        return None
    span_tokens = tokens[start:end + 1]
    while span_tokens and span_tokens[0].low in NP_JOINERS - DETERMINER_JOINERS:
        span_tokens = span_tokens[1:]
    if lex.np_starters:
        # German: "soll Anelka …" — a verb swept into the phrase is not part of the name.
        while len(span_tokens) > 1 and span_tokens[0].text[:1].islower() and \
                span_tokens[0].low not in lex.np_starters and \
                not span_tokens[0].low.endswith(("e", "en", "er", "es", "em")):
            span_tokens = span_tokens[1:]
    if not span_tokens or not _looks_like_np(span_tokens, lex):
        return None
    return span_tokens[0].start, (relativizer or span_tokens[-1]).end


def _is_adverb(tok: Token, lex: Lexicon) -> bool:
    """"specifically", "repeatedly": an English -ly adverb between subject and verb."""
    return lex.lang == "en" and tok.text.islower() and tok.low.endswith("ly") and len(tok.low) > 4


def _matching_open(tokens: list[Token], close: int) -> int | None:
    for j in range(close - 1, max(-1, close - 10), -1):
        if tokens[j].text == "(":
            return j
    return None


RELATIVIZERS = frozenset({"which", "who", "whose", "where", "welche", "welcher", "welches"})
APPOSITIVE_STARTS = frozenset({"a", "an", "the", "her", "his", "their", "its", "our", "der",
                               "die", "das", "ein", "eine", "like", "including", "wie"})


def _skip_parenthetical(tokens: list[Token], comma: int, lex: Lexicon) -> Span | None:
    """NP, which/who …, CUE → NP; NAME, an appositive, CUE → NAME, an appositive; and
    NAME, 31, a photographer, CUE → all of it (up to three appositives)."""
    found = _one_parenthetical(tokens, comma, lex)
    if found is not None or lex.lang != "en":
        return found
    # "Ramil Carr, 31, a Philadelphia photographer, said": peel appositives from the right.
    commas = [i for i in range(comma - 1, max(-1, comma - MAX_APPOSITIVE_SOURCE_TOKENS), -1)
              if tokens[i].text == ","]
    for inner in commas[:2]:
        if inner <= 0 or not _describes_anyone(tokens[inner + 1:comma], lex):
            return None
        found = _one_parenthetical(tokens, inner, lex)
        if found is not None:
            return found[0], tokens[comma - 1].end
    return None


def _describes_anyone(appositive: list[Token], lex: Lexicon) -> bool:
    """An appositive that describes a person: an age, a determiner-led description, a
    possessive role, a party code, a place ("of Flint", "Mich.")."""
    if not appositive:
        return False
    first = appositive[0]
    return first.low in APPOSITIVE_STARTS or first.low in ("of", "from") or \
        _describes_person(appositive, lex) or _is_proper_name(appositive) or \
        all(t.text[:1].isupper() or t.text == "." for t in appositive)


def _one_parenthetical(tokens: list[Token], comma: int, lex: Lexicon) -> Span | None:
    j = comma - 1
    while j >= 0 and tokens[j].text != ",":
        j -= 1
    if j <= 0:
        return None
    clause_first = tokens[j + 1] if j + 1 < len(tokens) else None
    if clause_first is None:
        return None
    if clause_first.low in RELATIVIZERS or clause_first.low in ("der", "die", "das"):
        return _np_before(tokens, j, lex)
    name = _np_before(tokens, j, lex)
    if name is None:
        return None
    if clause_first.low.endswith("ing") and clause_first.text.islower() and lex.lang == "en":
        # "Texas, leading a coalition of 13 states, asked …": a participle describes it.
        return name[0], tokens[comma - 1].end
    name_tokens = [t for t in tokens[:j] if name[0] <= t.start < name[1]]
    is_name = sum(1 for t in name_tokens if t.text[:1].isupper()) >= 2
    appositive = tokens[j + 1:comma]
    if clause_first.low in APPOSITIVE_STARTS or (is_name and clause_first.text[:1].islower()) \
            or (is_name and _describes_person(appositive, lex)) or _is_proper_name(appositive) \
            or (is_name and lex.np_starters and _german_role(appositive, lex)):
        return name[0], tokens[comma - 1].end
    return None


def _describes_person(appositive: list[Token], lex: Lexicon) -> bool:
    """"Trump's campaign manager", "Sanders' senior adviser", "31", "R-Ky.": what a named
    person is, how old, or which party and state."""
    first = appositive[0]
    if any(t.low in lex.cue_forms or t.low in lex.clause_stops - NP_JOINERS - {"and", "or"}
           for t in appositive):
        return False
    if first.text.isdigit() and len(appositive) == 1:
        return True  # an age
    possessive = first.text.endswith(("’s", "'s")) or (
        len(appositive) > 1 and appositive[1].text in ("'", "’"))
    party_code = re.fullmatch(r"[RDI]-[A-Z][\w.]*", "".join(t.text for t in appositive))
    return possessive or party_code is not None


def _german_role(appositive: list[Token], lex: Lexicon) -> bool:
    """"Frank Biermann, Vorsitzender der Deutschen Journalisten-Union für das Münsterland,":
    German role nouns are capitalised; an appositive with no verb and no cue describes."""
    return appositive[0].text[:1].isupper() and not any(
        t.low in lex.not_in_source or t.low in lex.cue_forms for t in appositive)


def _is_proper_name(tokens: list[Token]) -> bool:
    """"John Podesta", "Jean-Claude Juncker": two to four capitalised words."""
    words = [t for t in tokens if t.text != "."]
    return 2 <= len(words) <= 4 and all(t.text[:1].isupper() for t in words)


def _np_before(tokens: list[Token], comma: int, lex: Lexicon) -> Span | None:
    end = comma - 1
    start = end
    while start >= 0 and end - start < MAX_SOURCE_TOKENS:
        tok = tokens[start]
        if tok.text == ")":
            opening = _matching_open(tokens, start)  # "Sen. Rob Dean (R-Ohio), …"
            if opening is not None and start - opening <= 8 and opening > 0:
                start = opening - 1
                continue
        if tok.text == "." and start > 0 and _abbreviation_dot(tokens, start):
            start -= 1
            continue
        if tok.text in ",;:()" or tok.text in QUOTE_CHARS or tok.text in ".!?—–":
            break
        if tok.low in lex.clause_stops and tok.low not in NP_JOINERS:
            break
        start -= 1
    start += 1
    if start > end:
        return None
    span = tokens[start:end + 1]
    return (span[0].start, span[-1].end) if _looks_like_np(span, lex) else None


def _abbreviation_dot(tokens: list[Token], j: int) -> bool:
    """The "." of "Mr." or of an initial ("John F. Kennedy") belongs to the name."""
    prev = tokens[j - 1]
    return prev.low in ABBREVIATIONS or (len(prev.text) == 1 and prev.text.isupper()) or (
        ROMAN_NUMERAL_RE.fullmatch(prev.text) is not None and j > 1 and
        tokens[j - 2].text[:1].isupper())  # "Benedikt XVI.", "Henry VIII."


def _joins_names(tokens: list[Token], j: int) -> bool:
    """"Takaichi and Trump", "Hawkins and others": a conjunction inside one phrase."""
    if tokens[j].low not in ("and", "und", "&") or not 0 < j < len(tokens) - 1:
        return False
    nxt = tokens[j + 1]
    return tokens[j - 1].text[:1].isupper() and (nxt.text[:1].isupper() or
                                                  nxt.low in ("others", "other", "andere"))


def right_noun_phrase(tokens: list[Token], k: int, lex: Lexicon) -> Span | None:
    """The noun phrase starting at token ``k`` (after "according to", "by", "said")."""
    if k < len(tokens) and tokens[k].text in "„“\"":
        # "Laut „Welt“ soll er …": a quoted name.
        closing = next((j for j in range(k + 1, min(len(tokens), k + 8))
                        if tokens[j].text in "“”\""), None)
        if closing is not None and closing > k + 1:
            return tokens[k].start, tokens[closing].end
    end = _np_end(tokens, k, lex)
    if end <= k:
        return None
    span = tokens[k:end]
    return (span[0].start, span[-1].end) if _looks_like_np(span, lex) else None


def _np_end(tokens: list[Token], k: int, lex: Lexicon) -> int:
    j = k
    while j < len(tokens) and j - k < MAX_SOURCE_TOKENS:
        tok = tokens[j]
        low = tok.low
        if tok.text == "." and j > k and _abbreviation_dot(tokens, j) and j + 1 < len(tokens) \
                and tokens[j + 1].text[:1].isupper():
            j += 1
            continue
        if tok.text in ",;:.!?()—–" or tok.text in QUOTE_CHARS:
            break
        if low in lex.clause_stops and low not in NP_JOINERS and not _joins_names(tokens, j) \
                and not (j == k and low in DETERMINER_JOINERS):
            break  # (an article may open the phrase: "die Hoover Institution")
        if low in lex.cue_forms and j > k and (lex.lang != "en" or tok.text.islower()):
            break
        if lex.lang == "en" and j > k and (low in lex.not_in_source or
                                           low.endswith(("n’t", "n't"))):
            break  # "he hadn’t thought …": the verb ends the subject
        if lex.lang == "en" and low in ("the", "a", "an") and j > k and \
                tokens[j - 1].low not in NP_JOINERS:
            break  # "the Trump campaign | the AP report": a second noun phrase starts
        # German: a lowercase word that is not an adjective before a noun ends the phrase
        # ("laut Polizei wurden …").
        if lex.lang == "de" and j > k and low == tok.text and low not in NP_JOINERS and \
                not (tokens[j - 1].low in DETERMINER_JOINERS and
                     low.endswith(("e", "en", "er", "es", "em")) and low not in lex.not_in_source) \
                and (low in lex.not_in_source or
                 not (j + 1 < len(tokens) and tokens[j + 1].text[:1].isupper())):
            break  # ("wurde Alexander Kozulin …": a verb, though a name follows)
        # "… Party on Thursday": a time phrase ends the noun phrase.
        if low in ("on", "last", "this", "earlier", "am", "vergangenen", "letzten") and \
                j + 1 < len(tokens) and tokens[j + 1].low in TEMPORAL:
            break
        j += 1
    while j > k and tokens[j - 1].low in NP_JOINERS:
        j -= 1
    return j


def _looks_like_np(span: list[Token], lex: Lexicon) -> bool:
    """A source is a name, a pronoun or a description — not a clause or a stray word."""
    if not span or len(span) > MAX_SOURCE_TOKENS:
        return False
    if lex.np_starters:
        # German nouns and names are capitalised: a source starts with one, or with an
        # article, a pronoun or a number word — never with a verb ("hat", "spricht").
        first = span[0]
        adjective = first.low.endswith(("e", "en", "er", "es", "em")) and \
            any(t.text[:1].isupper() for t in span[1:])
        if not (first.text[:1].isupper() or first.low in lex.np_starters or adjective or
                first.text[:1].isdigit()):
            return False
    if len(span) == 1:
        word = span[0]
        return word.low in lex.pronouns or word.text[:1].isupper() or word.low in (
            "officials", "experts", "sources", "critics", "analysts", "aides", "people",
            "researchers", "scientists", "police", "witnesses", "residents", "others", "many",
            "some", "both")
    return any(t.text[:1].isalpha() for t in span)


def _trim_content(text: str, start: int, end: int) -> Span | None:
    start, end = _trim(text, start, end)
    while end > start and text[end - 1] in ",;:—–-":
        end -= 1
    start, end = _trim(text, start, end)
    if end - start < 8:
        return None
    return start, end


# ---------------------------------------------------------------- typing and clean-up
def _type_of(text: str, content: Span, quotes: list[Quote]) -> str:
    """direct when the content is a quotation, mixed when it contains one, else indirect."""
    for q in quotes:
        if q.inner == content:
            return "direct"
    for q in quotes:
        if content[0] <= q.outer[0] and q.outer[1] <= content[1] + 1:
            return "mixed"
    return "indirect"


def deduplicate(found: list[Attribution]) -> list[Attribution]:
    """One attribution per cue; when two share a cue, the more confident wins."""
    taken: set[int] = set()  # character offsets covered by the cues kept so far
    out = []
    for a in sorted(found, key=lambda a: -a.confidence):
        if a.cue is not None:
            cue = range(a.cue[0], max(a.cue[1], a.cue[0] + 1))
            if any(i in taken for i in cue):
                continue
            taken.update(cue)
        out.append(a)
    return out
