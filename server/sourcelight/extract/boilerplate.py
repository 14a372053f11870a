"""Stages around readability-lxml: remove page furniture before it, and what it leaves behind after.

``prune_boilerplate`` runs on the whole page before the article is looked for: hidden elements,
navigation landmarks, and blocks whose class or id names them furniture (share bars, "most read"
lists, cookie banners, ads, newsletters) go. What readability keeps inside the article is
removed after it by ``leftovers.prune_leftovers``, with the rules and measures of this module.

The words and phrases are data (``data/boilerplate.json``), compiled once at import.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import lxml.etree
from lxml.html import HtmlElement

DATA_FILE = Path(__file__).with_name("data") / "boilerplate.json"
# A furniture-looking block that holds this share of the page's prose is the article's wrapper
# (WordPress puts "comments-open" on <article>, themes "has-sidebar" on the content column,
# ASP.NET wraps whole pages in <form>): keep it.
PROTECT_PROSE_SHARE = 0.4
# A paragraph this long reads as running text, not a label or a link.
PROSE_MIN_CHARS = 80
# A block whose class says "content"/"article" is kept despite a furniture word past this prose.
KEEP_NAMED_CONTENT_PROSE = 1000
# A block named by a weak furniture word is furniture when this much of its text is links...
WEAK_WORD_LINK_DENSITY = 0.3
# ... or when it holds less running text than this, unless it has at least this much text
# with under this share of links (bullet points and short lines are text, not links).
WEAK_WORD_MAX_PROSE = 300
WEAK_WORD_CARD_MIN_TEXT = 600
WEAK_WORD_CARD_LINK_DENSITY = 0.1
# A page whose running text is (almost) all inside <noscript> is read from there.
NOSCRIPT_MIN_PROSE = 300
# Ids with more words than this are heading slugs, not names of page parts.
MAX_ID_WORDS = 3
_DISPLAY_NONE_RE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)
# Where a camelCase word starts: a space goes there. (A match is empty: the replacement is a
# plain string, not a template expanded in Python for every match.)
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_TOKEN_SPLIT_RE = re.compile(r"[\s_\-]+")
_NEVER_DROP = frozenset({"html", "body", "main", "article"})
# What a class or id part says (bits, or-ed over the parts): a whole name is a furniture name,
# a word is a furniture word that is not weak, a word is a furniture word.
_NAMED, _STRONG_WORD, _ANY_WORD = 4, 2, 1


@dataclass(frozen=True)
class Rules:
    """The compiled contents of ``boilerplate.json``."""

    drop_tags: frozenset[str]
    drop_roles: frozenset[str]
    landmark_tags: frozenset[str]
    class_words: frozenset[str]
    class_names: frozenset[str]
    link_list_heading_re: re.Pattern
    lead_in_re: re.Pattern
    ad_label_re: re.Pattern
    credit_line_re: re.Pattern
    boilerplate_paragraph_re: re.Pattern
    keep_words: frozenset[str]
    weak_words: frozenset[str]
    meta_line_re: re.Pattern
    shown_hidden_id_re: re.Pattern
    not_restored_words: frozenset[str]
    word_pairs: tuple[tuple[str, frozenset[str]], ...]
    pair_words: frozenset[str]  # the first words of word_pairs
    score_negative: tuple[str, ...]
    score_positive: tuple[str, ...]


def _phrases_re(phrases: list[str], whole: bool) -> re.Pattern:
    alternatives = "|".join(re.escape(p.casefold()) for p in sorted(phrases, key=len, reverse=True))
    if whole:
        return re.compile(rf"^\W*(?:{alternatives})\W*$")
    return re.compile(rf"^\W*(?:{alternatives})(?!\w)")


@lru_cache(maxsize=1)
def rules() -> Rules:
    """Load and compile the boilerplate rules once."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return Rules(
        drop_tags=frozenset(data["drop_tags"]),
        drop_roles=frozenset(data["drop_roles"]),
        landmark_tags=frozenset(data["page_landmark_tags"]),
        class_words=frozenset(data["drop_class_words"]),
        class_names=frozenset(data["drop_class_names"]),
        link_list_heading_re=_phrases_re(data["link_list_headings"], whole=False),
        lead_in_re=re.compile(
            "^\\s*(?:" + "|".join(re.escape(p) for p in data["lead_in_phrases"]) + ")", re.I),
        ad_label_re=_phrases_re(data["ad_labels"], whole=True),
        credit_line_re=_phrases_re(data["credit_lines"], whole=False),
        boilerplate_paragraph_re=_phrases_re(data["boilerplate_paragraphs"], whole=False),
        keep_words=frozenset(data["keep_class_words"]),
        weak_words=frozenset(data["weak_class_words"]),
        meta_line_re=re.compile("|".join(f"(?:{p})" for p in data["meta_line_patterns"])),
        shown_hidden_id_re=re.compile("|".join(data["hidden_but_shown_ids"])),
        not_restored_words=frozenset(data["not_restored_class_words"]),
        word_pairs=tuple((word, frozenset(partners))
                         for word, partners in data["furniture_word_pairs"].items()),
        pair_words=frozenset(data["furniture_word_pairs"]),
        score_negative=tuple(data["score_negative_stems"]),
        score_positive=tuple(data["score_positive_stems"]),
    )


# ---------------------------------------------------------------- before readability
def prune_boilerplate(doc: HtmlElement) -> None:
    """Remove hidden elements, navigation landmarks and furniture blocks from the whole page."""
    r = rules()
    body = doc.find("body")
    if body is None:
        return
    open_noscript_fallback(body)
    hidden, furniture = _hidden_and_furniture(body, r)
    # What a reader never sees goes first and whatever it holds: its prose must not count
    # towards protecting a block below.
    for el in hidden:
        if el.getparent() is not None:
            el.drop_tree()
    # Text lengths are read once per element for the whole stage: the furniture is dropped in
    # document order, so the blocks still to be weighed never held what went before them.
    lengths: dict[HtmlElement, int] = {}
    page_prose = prose_length(body, lengths)
    for el, verdict in furniture:
        if el.getparent() is None or _is_detached(el):
            continue  # inside a block already gone (a hidden one among them)
        if verdict and not _is_named_furniture(el, verdict, lengths):
            continue  # a weak word, on a block with running text
        if holds_the_article(el, page_prose, lengths):
            continue
        el.drop_tree()


def _hidden_and_furniture(body: HtmlElement, r: Rules) -> tuple[list[HtmlElement],
                                                                list[tuple[HtmlElement, int]]]:
    """The hidden elements under ``body`` (:func:`is_hidden`), and those that their tag (the
    data's drop and landmark tags), role, class or id may name furniture, each with what its
    class and id say (0 when the tag or role names it), all in document order.

    One walk over the elements, each asked only for the attributes it needs: the page's
    elements cost as much as parsing it when every one is asked for all its attributes. A
    block named by a weak word is weighed later, once the hidden elements are gone."""
    hidden = []
    furniture = []
    drop_tags, landmark_tags, drop_roles = r.drop_tags, r.landmark_tags, r.drop_roles
    class_verdicts, id_verdicts = _class_verdicts, _id_verdicts
    for el in body.iterdescendants(lxml.etree.Element):
        # Its attribute names in one call, and a value read only when it is there: six
        # look-ups per element, most of them for attributes it does not have, took twice
        # as long (many elements have no attribute at all).
        names = el.keys()
        if names and ("style" in names or "hidden" in names or "aria-hidden" in names) \
                and is_hidden(el):
            hidden.append(el)
        tag = el.tag
        if tag in _NEVER_DROP:
            continue
        if tag in drop_tags:
            furniture.append((el, 0))
            continue
        get = el.get
        role = get("role") if "role" in names else None
        if role is not None and role.lower() in drop_roles:
            furniture.append((el, 0))
        elif tag in landmark_tags and not _inside_article(el):
            furniture.append((el, 0))
        elif names:
            # (_part_verdict's look-ups, inlined: most strings were seen before.)
            cls = get("class") if "class" in names else None
            verdict = 0
            if cls:
                verdict = class_verdicts.get(cls)
                if verdict is None:
                    verdict = _part_verdict(cls, False)
            ident = get("id") if "id" in names else None
            if ident:
                known = id_verdicts.get(ident)
                verdict |= _part_verdict(ident, True) if known is None else known
            if verdict:
                furniture.append((el, verdict))
    return hidden, furniture


def open_noscript_fallback(body: HtmlElement) -> None:
    """Read a page's ``<noscript>`` version when that is where its text is.

    Forums such as Discourse render posts with scripts and ship the same posts inside
    ``<noscript>`` for readers without them; a saved copy of such a page has its text only
    there. (The extension sends the live DOM, where the posts are already rendered.)
    """
    blocks = body.findall(".//noscript")
    if not blocks:
        return
    inside = sum(prose_length(n) for n in blocks)
    if inside >= NOSCRIPT_MIN_PROSE and prose_length(body) - inside < NOSCRIPT_MIN_PROSE:
        for block in blocks:
            block.tag = "div"


def is_hidden(el: HtmlElement) -> bool:
    """Hidden by attribute or inline style: never shown to a reader, so never article text."""
    if el.get("hidden") is not None:
        return not rules().shown_hidden_id_re.search(el.get("id", ""))
    if el.get("aria-hidden") == "true":
        return True
    style = el.get("style")
    return bool(style and _DISPLAY_NONE_RE.search(style))


def class_tokens(el: HtmlElement) -> tuple[frozenset[str], frozenset[str]]:
    """(whole class/id names, their words) in lower case; camelCase and kebab-case split.

    A long id is a slug of a heading ("sharing-with-a-single-developer"), not a role, so
    only short ids contribute words.
    """
    names = el.keys()
    if "class" not in names and "id" not in names:
        return _NO_TOKENS  # (most elements inside an article) told without two look-ups
    return _tokens_of(el.get("class", ""), el.get("id", ""))


_NO_TOKENS: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


@lru_cache(maxsize=4096)
def _tokens_of(cls: str, ident: str) -> tuple[frozenset[str], frozenset[str]]:
    # The class and the id are split apart (no name or word spans the space between them), so
    # a page's class strings, repeated hundreds of times, are each split once.
    names, words = _part_tokens(cls, False)
    if ident:
        id_names, id_words = _part_tokens(ident, True)
        return names | id_names, words | id_words
    return names, words


@lru_cache(maxsize=8192)
def _part_tokens(part: str, is_id: bool) -> tuple[frozenset[str], frozenset[str]]:
    """The names and words of a class attribute or (``is_id``) an id."""
    lowered = part.lower()
    names = frozenset(lowered.split())
    if not names or is_id and len(_TOKEN_SPLIT_RE.split(part)) > MAX_ID_WORDS:
        return names, frozenset()
    if lowered != part:  # only a capital letter can start a camelCase word
        lowered = _CAMEL_RE.sub(" ", part).lower()
    words = set(_TOKEN_SPLIT_RE.split(lowered))
    words.discard("")
    return names, frozenset(words)


# The verdicts of the class attributes and ids seen so far (:func:`_part_verdict`): plain
# dicts, emptied when full, cost less per look-up than an LRU cache, and the furniture walk
# looks up every class and id of the page.
_VERDICTS_MAX = 16384
_class_verdicts: dict[str, int] = {}
_id_verdicts: dict[str, int] = {}


def _part_verdict(part: str, is_id: bool) -> int:
    """What a class attribute or an id says about furniture (``_NAMED`` … bits), read once
    per distinct string."""
    verdicts = _id_verdicts if is_id else _class_verdicts
    verdict = verdicts.get(part)
    if verdict is None:
        if len(verdicts) >= _VERDICTS_MAX:
            verdicts.clear()
        verdict = verdicts[part] = _read_part_verdict(part, is_id)
    return verdict


def _read_part_verdict(part: str, is_id: bool) -> int:
    """:func:`_part_verdict`: what :func:`_part_tokens` reads, without building its sets
    (most parts of a page are new)."""
    r = rules()
    lowered = part.lower()
    verdict = 0 if r.class_names.isdisjoint(lowered.split()) else _NAMED
    if is_id and len(_TOKEN_SPLIT_RE.split(part)) > MAX_ID_WORDS:
        return verdict
    if lowered != part:  # only a capital letter can start a camelCase word
        lowered = _CAMEL_RE.sub(" ", part).lower()
    # _TOKEN_SPLIT_RE's split, without its empty strings (\s is what str.split splits on).
    words = lowered.replace("_", " ").replace("-", " ").split()
    if not r.pair_words.isdisjoint(words) and any(
            word in words and not partners.isdisjoint(words) for word, partners in r.word_pairs):
        verdict |= _NAMED  # "author-bio": a word that names furniture only with its partner
    if r.class_words.isdisjoint(words):
        return verdict
    verdict |= _ANY_WORD
    if not r.weak_words.issuperset(r.class_words.intersection(words)):
        verdict |= _STRONG_WORD
    return verdict


def is_furniture_by_name(el: HtmlElement, r: Rules | None = None) -> bool:
    """True when the element's class or id names it page furniture.

    A weak word ("ranking", "social") counts only for blocks that are mostly links or carry
    little running text: listicles call their sections "section-ranking-content" (and
    their cards "ranking-card", whose text may be bullet points: see
    ``WEAK_WORD_CARD_MIN_TEXT``).
    """
    names = el.keys()
    if "class" not in names and "id" not in names:
        return False  # nothing names it
    if r is not None and r is not rules():
        return _is_furniture_by_tokens(el, r)
    cls, ident = el.get("class"), el.get("id")
    verdict = _part_verdict(cls, False) if cls else 0
    if ident:
        verdict |= _part_verdict(ident, True)
    return bool(verdict) and _is_named_furniture(el, verdict, None)


def _is_named_furniture(el: HtmlElement, verdict: int,
                        lengths: dict[HtmlElement, int] | None) -> bool:
    """:func:`is_furniture_by_name` for an element whose class and id say ``verdict``."""
    if verdict & (_NAMED | _STRONG_WORD):
        return True
    if not verdict:
        return False
    return _is_weak_word_furniture(el, lengths)


def _is_weak_word_furniture(el: HtmlElement, lengths: dict[HtmlElement, int] | None) -> bool:
    """Whether a block named by a weak furniture word only is furniture by its text."""
    density = link_density(el, lengths)
    if density >= WEAK_WORD_LINK_DENSITY:
        return True
    if prose_length(el, lengths) >= WEAK_WORD_MAX_PROSE:
        return False
    # Little running text, but a card of short sentences with hardly a link (a ranked
    # school's blurb and its bullet points) is the article's, not a widget's.
    return not (density < WEAK_WORD_CARD_LINK_DENSITY
                and text_length(el, lengths) >= WEAK_WORD_CARD_MIN_TEXT)


def _is_furniture_by_tokens(el: HtmlElement, r: Rules) -> bool:
    """:func:`is_furniture_by_name` under rules other than the data's."""
    names, words = class_tokens(el)
    if names & r.class_names:
        return True
    if any(word in words and words & partners for word, partners in r.word_pairs):
        return True
    matched = words & r.class_words
    if not matched:
        return False
    if matched - r.weak_words:
        return True
    return _is_weak_word_furniture(el, None)


def class_score(el: HtmlElement) -> int:
    """Readability-style class weight: -25 per class/id naming furniture, +25 per naming content."""
    weight = 0
    for feature in (el.get("class"), el.get("id")):
        if feature:
            weight += _feature_score(feature)
    return weight


@lru_cache(maxsize=4096)
def _feature_score(feature: str) -> int:
    r = rules()
    words = [w for w in _TOKEN_SPLIT_RE.split(_CAMEL_RE.sub(" ", feature).lower()) if w]
    score = 0
    if any(w.startswith(r.score_negative) for w in words):
        score -= 25
    if any(w.startswith(r.score_positive) for w in words):
        score += 25
    return score


def _inside_article(el: HtmlElement) -> bool:
    return next(el.iterancestors("article", "main"), None) is not None


def _is_detached(el: HtmlElement) -> bool:
    """True when an ancestor was already dropped (the element no longer reaches <html>)."""
    root = el.getroottree().getroot()
    # (Only the ancestors with the root's name are handed to Python.)
    return root not in el.iterancestors(root.tag)


def holds_the_article(el: HtmlElement, page_prose: int,
                       lengths: dict[HtmlElement, int] | None = None) -> bool:
    if el.tag in ("script", "style", "template", "svg", "noscript", "iframe") or not page_prose:
        return False
    prose = prose_length(el, lengths)
    if prose >= PROTECT_PROSE_SHARE * page_prose:
        return True
    # "toc-content-sidebar": a content column that also names its layout; keep it when it
    # holds real prose.
    return prose >= KEEP_NAMED_CONTENT_PROSE and bool(class_tokens(el)[1] & rules().keep_words)


def prose_length(el: HtmlElement, lengths: dict[HtmlElement, int] | None = None) -> int:
    """Characters in the paragraphs under ``el`` that read as running text.

    ``lengths`` keeps the text lengths read (see :func:`text_length`)."""
    total = 0
    for p in el.iter("p"):
        n = text_length(p, lengths)
        if n >= PROSE_MIN_CHARS:
            total += n
    return total


def text_length(el: HtmlElement, lengths: dict[HtmlElement, int] | None = None) -> int:
    """Characters of visible-ish text under an element (whitespace excluded).

    With ``lengths``, each element's is read once and kept there: the caller vouches that
    the elements it asks about do not change meanwhile."""
    if lengths is None:
        return _text_length(el)
    n = lengths.get(el)
    if n is None:
        n = lengths[el] = _text_length(el)
    return n


def _text_length(el: HtmlElement) -> int:
    if not len(el):
        # No children (most links and many paragraphs): the element's own text is all
        # itertext() would yield, measured without a walk.
        text = el.text
        return len(text.strip()) if text else 0
    return sum(map(len, map(str.strip, el.itertext())))


def link_density(el: HtmlElement, lengths: dict[HtmlElement, int] | None = None) -> float:
    """Share of the element's text that sits inside links."""
    total = text_length(el, lengths)
    if not total:
        return 0.0
    linked = sum(text_length(a, lengths) for a in el.iter("a"))
    return min(1.0, linked / total)
