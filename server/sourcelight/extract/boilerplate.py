"""Stages around readability-lxml: remove page furniture before it, and what it leaves behind after.

``prune_boilerplate`` runs on the whole page before the article is looked for: hidden elements,
navigation landmarks, and blocks whose class or id names them furniture (share bars, "most read"
lists, cookie banners, ads, newsletters) go. ``prune_leftovers`` runs on the article readability
found and removes what sits inside it: link lists under "Popular"/"Related" headings, "Related:"
lead-ins, ad labels, credit lines, a repeated headline.

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
# Blocks under a "Related"/"Popular" heading are removed only when they are mostly links.
LINK_LIST_DENSITY = 0.5
# Byline/date/reading-time lines are short; longer text starting "By 2030, ..." is prose.
META_LINE_MAX_CHARS = 40
# A block named by a weak furniture word is furniture when this much of its text is links...
WEAK_WORD_LINK_DENSITY = 0.3
# ... or when it holds less running text than this.
WEAK_WORD_MAX_PROSE = 300
# A page whose running text is (almost) all inside <noscript> is read from there.
NOSCRIPT_MIN_PROSE = 300
# A nested <article> shorter than this, titled by a link, is a teaser for another story.
TEASER_MAX_CHARS = 800
# ... unless such cards make up this share of the article: then they are what it lists.
TEASER_MAX_SHARE = 0.5
# A section repeated whole (one copy per layout) is dropped when it has this much text.
REPEATED_SECTION_MIN_CHARS = 200
# Ids with more words than this are heading slugs, not names of page parts.
MAX_ID_WORDS = 3
_DISPLAY_NONE_RE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)", re.I)
_CAMEL_RE = re.compile(r"([a-z0-9])([A-Z])")
_TOKEN_SPLIT_RE = re.compile(r"[\s_\-]+")
_NEVER_DROP = frozenset({"html", "body", "main", "article"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# What a class or id part says (bits, or-ed over the parts): a whole name is a furniture name,
# a word is a furniture word that is not weak, a word is a furniture word.
_NAMED, _STRONG_WORD, _ANY_WORD = 4, 2, 1
_CONTAINER_TAGS = ("div", "section", "aside", "ul", "ol", "p", "span", "figure", "table", "dl",
                   "header", "footer", "nav")


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
        if _holds_the_article(el, page_prose, lengths):
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
    for el in body.iterdescendants(lxml.etree.Element):
        get = el.get
        if (get("style") is not None or get("hidden") is not None
                or get("aria-hidden") is not None) and is_hidden(el):
            hidden.append(el)
        tag = el.tag
        if tag in _NEVER_DROP:
            continue
        if tag in drop_tags:
            furniture.append((el, 0))
            continue
        role = get("role")
        if role is not None and role.lower() in drop_roles:
            furniture.append((el, 0))
        elif tag in landmark_tags and not _inside_article(el):
            furniture.append((el, 0))
        else:
            cls, ident = get("class"), get("id")
            verdict = _part_verdict(cls, False) if cls else 0
            if ident:
                verdict |= _part_verdict(ident, True)
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
    return _tokens_of(el.get("class", ""), el.get("id", ""))


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
        lowered = _CAMEL_RE.sub(r"\1 \2", part).lower()
    words = set(_TOKEN_SPLIT_RE.split(lowered))
    words.discard("")
    return names, frozenset(words)


@lru_cache(maxsize=8192)
def _part_verdict(part: str, is_id: bool) -> int:
    """What a class attribute or an id says about furniture (``_NAMED`` … bits): what
    :func:`_part_tokens` reads, without building its sets (most parts of a page are new)."""
    r = rules()
    lowered = part.lower()
    verdict = 0 if r.class_names.isdisjoint(lowered.split()) else _NAMED
    if is_id and len(_TOKEN_SPLIT_RE.split(part)) > MAX_ID_WORDS:
        return verdict
    if lowered != part:  # only a capital letter can start a camelCase word
        lowered = _CAMEL_RE.sub(r"\1 \2", part).lower()
    # _TOKEN_SPLIT_RE's split, without its empty strings (\s is what str.split splits on).
    words = lowered.replace("_", " ").replace("-", " ").split()
    if any(word in words and not partners.isdisjoint(words) for word, partners in r.word_pairs):
        verdict |= _NAMED  # "author-bio": a word that names furniture only with its partner
    if r.class_words.isdisjoint(words):
        return verdict
    matched = r.class_words.intersection(words)
    if matched:
        verdict |= _ANY_WORD
        if matched - r.weak_words:
            verdict |= _STRONG_WORD
    return verdict


def is_furniture_by_name(el: HtmlElement, r: Rules | None = None) -> bool:
    """True when the element's class or id names it page furniture.

    A weak word ("ranking", "social") counts only for blocks that are mostly links or carry
    little running text: listicles call their sections "section-ranking-content".
    """
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
    return link_density(el, lengths) >= WEAK_WORD_LINK_DENSITY \
        or prose_length(el, lengths) < WEAK_WORD_MAX_PROSE


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
    return link_density(el) >= WEAK_WORD_LINK_DENSITY or prose_length(el) < WEAK_WORD_MAX_PROSE


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
    words = [w for w in _TOKEN_SPLIT_RE.split(_CAMEL_RE.sub(r"\1 \2", feature).lower()) if w]
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
    return not any(ancestor is root for ancestor in el.iterancestors())


def _holds_the_article(el: HtmlElement, page_prose: int,
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
        return sum(map(len, map(str.strip, el.itertext())))
    n = lengths.get(el)
    if n is None:
        n = lengths[el] = sum(map(len, map(str.strip, el.itertext())))
    return n


def link_density(el: HtmlElement, lengths: dict[HtmlElement, int] | None = None) -> float:
    """Share of the element's text that sits inside links."""
    total = text_length(el, lengths)
    if not total:
        return 0.0
    linked = sum(text_length(a, lengths) for a in el.iter("a"))
    return min(1.0, linked / total)


# ---------------------------------------------------------------- after readability
def prune_leftovers(article: HtmlElement, title: str | None = None) -> None:
    """Remove furniture readability kept inside the article, in place."""
    r = rules()
    drop_repeated_headline(article, title)
    # Nothing changes until the doomed blocks go: each text length is read once.
    lengths: dict[HtmlElement, int] = {}
    article_prose = prose_length(article, lengths)
    doomed: list[HtmlElement] = []
    for el in article.iter(*_CONTAINER_TAGS, *_HEADING_TAGS):
        if el is article:
            continue
        if is_link_list_block(el, r, lengths) or _is_short_leftover(el, r, lengths):
            doomed.append(el)
        elif is_furniture_by_name(el, r) and not _holds_the_article(el, article_prose, lengths):
            doomed.append(el)
    doomed.extend(teaser_cards(article, lengths))
    doomed.extend(repeated_figures(article))
    doomed.extend(repeated_sections(article))
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    drop_empty_containers(article)


def repeated_figures(article: HtmlElement) -> list[HtmlElement]:
    """A second copy of a figure whose caption the article already shows (pages ship one per
    layout): the later copies, so the caption is read — and attributed — once."""
    seen: set[str] = set()
    repeats = []
    for figure in article.iter("figure"):
        caption = next(figure.iter("figcaption"), None)
        if caption is None:
            continue
        key = " ".join(caption.text_content().split()).lower()
        if not key:
            continue
        if key in seen:
            repeats.append(figure)
        seen.add(key)
    return repeats


def repeated_sections(article: HtmlElement) -> list[HtmlElement]:
    """Later copies of a whole section the article already shows: pages ship the same
    block once per layout (desktop and mobile, a tab and its accordion), and readability keeps
    both. A copy is a block of two or more non-empty blocks with the same text, at least
    ``REPEATED_SECTION_MIN_CHARS`` long; a paragraph that repeats stays (a refrain, a
    question asked twice)."""
    seen: dict[str, HtmlElement] = {}
    repeats: list[HtmlElement] = []
    gone: set[int] = set()
    for el in article.iter("div", "section", "ul", "ol", "table", "article"):
        if el is article or len(el) < 2 or gone and any(id(a) in gone for a in el.iterancestors()):
            continue
        # The raw text is the key (copies of one template are identical; normalising every
        # block's text would cost a big page a tenth of its time).
        key = el.text_content()
        if len(key) < REPEATED_SECTION_MIN_CHARS or not _two_blocks_with_text(el):
            continue
        first = seen.setdefault(key, el)
        if first is not el and not any(a is first for a in el.iterancestors()):
            repeats.append(el)
            gone.add(id(el))
    return repeats


def _two_blocks_with_text(el: HtmlElement) -> bool:
    """True when at least two of the element's children hold text."""
    found = 0
    for child in el:
        if isinstance(child.tag, str) and child.text_content().strip():
            found += 1
            if found == 2:
                return True
    return False


def teaser_cards(article: HtmlElement,
                 lengths: dict[HtmlElement, int] | None = None) -> list[HtmlElement]:
    """Nested ``<article>`` cards of other stories ("more from the blog" carousels): short,
    titled by a link, and more than one of them."""
    cards = []
    for el in article.iter("article"):
        if el is article or text_length(el, lengths) >= TEASER_MAX_CHARS:
            continue
        heading = next(el.iter(*_HEADING_TAGS), None)
        if heading is not None and heading.find(".//a") is not None:
            cards.append(el)
    if len(cards) < 2:
        return []
    # A guide made of cards ("the restaurants that got a star") is the article itself.
    if sum(text_length(c, lengths) for c in cards) >= TEASER_MAX_SHARE * text_length(article, lengths):
        return []
    return cards


def first_text(el: HtmlElement, limit: int = 80) -> str:
    """The opening words of an element, case-folded, whitespace collapsed."""
    out: list[str] = []
    size = 0
    for piece in el.itertext():
        out.append(piece)
        size += len(piece)
        if size >= limit:
            break
    return " ".join("".join(out).split())[:limit].casefold()


def is_link_list_block(el: HtmlElement, r: Rules,
                       lengths: dict[HtmlElement, int] | None = None) -> bool:
    """A block that opens with a "Popular"/"Related"/"Ranking" heading and is mostly links."""
    if el.tag not in ("div", "section", "aside", "ul", "ol", "nav", "footer", "header"):
        return False
    opening = first_text(el)
    if not opening:
        return False
    if not (r.link_list_heading_re.search(opening) or _heading_mentions_list(el, r)):
        return False
    return link_density(el, lengths) >= LINK_LIST_DENSITY or not _has_prose(el, lengths)


def _heading_mentions_list(el: HtmlElement, r: Rules) -> bool:
    """The block's first heading-like child ("JN ACCESS RANKING") names a link list."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if _collapsed_longer_than(child, 60):
            return False
        text = " ".join(child.text_content().split()).casefold()
        if not text:
            continue
        if len(text) > 60:
            return False
        words = text.split()
        return any(r.link_list_heading_re.search(" ".join(words[i:])) for i in range(len(words)))
    return False


def _collapsed_longer_than(el: HtmlElement, limit: int) -> bool:
    """True when the element's text, whitespace collapsed, is longer than ``limit``, read no
    further than needed to tell (the text of an opening prefix collapses to a prefix of the
    whole's; case folding never shortens it)."""
    pieces: list[str] = []
    size = 0
    for piece in el.itertext():
        pieces.append(piece)
        size += len(piece)
        if size > 3 * limit + 20 and len(" ".join("".join(pieces).split())) > limit:
            return True
    return False


def _has_prose(el: HtmlElement, lengths: dict[HtmlElement, int] | None = None) -> bool:
    """True when some paragraph in the block reads as running text, not a link or a title."""
    for p in el.iter("p"):
        if text_length(p, lengths) > 120 and link_density(p, lengths) < 0.3:
            return True
    return False


def short_text(el: HtmlElement, limit: int) -> str | None:
    """The element's text, whitespace collapsed, or None once it runs past ``limit`` characters
    (without reading the rest: big containers are tested for short labels often)."""
    pieces: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(piece)
        pieces.append(piece)
        if size > 2 * limit + 200:  # generous: whitespace collapses below
            break
    text = " ".join("".join(pieces).split())
    return text if len(text) <= limit and size <= 2 * limit + 200 else None


def _is_short_leftover(el: HtmlElement, r: Rules, lengths: dict[HtmlElement, int]) -> bool:
    """:func:`is_lead_in_link` or :func:`is_label_only`, the element's text read once."""
    # short_text(el, 300) reads up to 800 characters; short_text(el, 250) is the same text
    # when there are at most 700 of them, None otherwise.
    if len(el):
        pieces: list[str] = []
        size = 0
        for piece in el.itertext():
            size += len(piece)
            pieces.append(piece)
            if size > 800:
                return False  # both texts are None: neither a lead-in nor a label
        raw = "".join(pieces)
    else:  # no children: the text is the element's own
        raw = el.text or ""
        size = len(raw)
        if size > 800:
            return False
    text = " ".join(raw.split())
    if len(text) > 300:
        return False
    if el.tag in ("p", "div", "span") and size <= 700 and len(text) <= 250 and text \
            and r.lead_in_re.search(text) and link_density(el, lengths) >= 0.4:
        return True
    return _is_label_text(el, r, text.casefold())


def is_lead_in_link(el: HtmlElement, r: Rules) -> bool:
    """A paragraph like "Related: <a>Other story</a>" — a link to elsewhere, not article text."""
    if el.tag not in ("p", "div", "span"):
        return False
    text = short_text(el, 250)
    return bool(text) and bool(r.lead_in_re.search(text)) and link_density(el) >= 0.4


def is_label_only(el: HtmlElement, r: Rules) -> bool:
    """An element whose whole text is an ad label, a credit line or a cookie/newsletter notice."""
    return _is_label_text(el, r, (short_text(el, 300) or "").casefold())


def _is_label_text(el: HtmlElement, r: Rules, text: str) -> bool:
    """:func:`is_label_only` for the element's short text ``text``, case-folded."""
    if not text:
        return False
    if r.ad_label_re.search(text):
        return True
    if len(text) < META_LINE_MAX_CHARS and el.tag in ("p", "span", "div", "li", "time") \
            and r.meta_line_re.search(text):
        return True
    if el.tag in _HEADING_TAGS or el.tag in ("p", "span", "div"):
        if len(text) < 80 and r.credit_line_re.search(text.strip("\"'“”")):
            return True
        if r.boilerplate_paragraph_re.search(text):
            return True
    return False


def drop_repeated_headline(article: HtmlElement, title: str | None) -> None:
    """Remove an ``<h1>`` (or first heading) that repeats the title shown above the article."""
    if not title:
        return
    wanted = _norm(title)
    for heading in article.iter("h1", "h2"):
        if _norm(heading.text_content()) == wanted:
            heading.drop_tree()
        break


def drop_empty_containers(article: HtmlElement) -> None:
    """Remove blocks left with no text and no image after pruning."""
    for el in list(article.iter("div", "section", "p", "ul", "ol", "li", "span", "figure")):
        if el is article or el.getparent() is None:
            continue
        if el.text and not el.text.isspace():
            continue  # has text (the common case: told without reading the whole block)
        text = el.text_content()
        if not text.strip() and el.find(".//img") is None \
                and el.find(".//br") is None and el.find(".//hr") is None:
            if text and el.tag == "span":  # "EcoFlow's<span>&nbsp;</span>appliance": a space
                el.tail = " " + (el.tail or "")
            el.drop_tree()


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))
