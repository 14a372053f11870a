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
# Elements prune_boilerplate looks at, found by libxml2 in one pass (asking every element of a
# page for its attributes from Python costs as much as parsing the page): those that may be
# hidden, and those a tag, role, class or id could name furniture (these in a Python walk:
# an XPath testing every element against each furniture tag name took four times longer).
_MAYBE_HIDDEN_XPATH = lxml.etree.XPath(".//*[@hidden or @aria-hidden or @style]")
_NAMING_ATTRIBUTES = ("class", "id", "role")
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
    # What a reader never sees goes first and whatever it holds: its prose must not count
    # towards protecting a block below.
    for el in [el for el in _MAYBE_HIDDEN_XPATH(body) if is_hidden(el)]:
        if el.getparent() is not None:
            el.drop_tree()
    page_prose = prose_length(body)
    doomed: list[HtmlElement] = []
    for el in _furniture_candidates(body, r):
        tag = el.tag
        if not isinstance(tag, str) or tag in _NEVER_DROP:
            continue
        if tag in r.drop_tags or el.get("role", "").lower() in r.drop_roles:
            doomed.append(el)
        elif tag in r.landmark_tags and not _inside_article(el):
            doomed.append(el)
        elif is_furniture_by_name(el, r):
            doomed.append(el)
    for el in doomed:
        if el.getparent() is None or _is_detached(el):
            continue
        if _holds_the_article(el, page_prose):
            continue
        el.drop_tree()


def _with_any_attribute(root: HtmlElement, names: tuple[str, ...],
                        tags: frozenset[str] = frozenset()) -> list[HtmlElement]:
    """The elements under ``root`` (itself excluded) carrying one of the attributes ``names``
    or with one of the ``tags``, in document order."""
    found = []
    for el in root.iterdescendants():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        if tag in tags:
            found.append(el)
            continue
        attributes = el.attrib
        for name in names:
            if name in attributes:
                found.append(el)
                break
    return found


def _furniture_candidates(body: HtmlElement, r: Rules) -> list[HtmlElement]:
    """The elements a tag (the data's drop and landmark tags), a role, a class or an id could
    name furniture, in document order."""
    return _with_any_attribute(body, _NAMING_ATTRIBUTES, r.drop_tags | r.landmark_tags)


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
    # Pages repeat the same class strings hundreds of times: split each one once.
    raw = f"{cls} {ident}".strip()
    if not raw:
        return frozenset(), frozenset()
    names = frozenset(raw.lower().split())
    if ident and len(_TOKEN_SPLIT_RE.split(ident)) > MAX_ID_WORDS:
        raw = cls
    words = set(_TOKEN_SPLIT_RE.split(_CAMEL_RE.sub(r"\1 \2", raw).lower()))
    words.discard("")
    return names, frozenset(words)


def is_furniture_by_name(el: HtmlElement, r: Rules | None = None) -> bool:
    """True when the element's class or id names it page furniture.

    A weak word ("ranking", "social") counts only for blocks that are mostly links or carry
    little running text: listicles call their sections "section-ranking-content".
    """
    r = r or rules()
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
    return any(a.tag in ("article", "main") for a in el.iterancestors())


def _is_detached(el: HtmlElement) -> bool:
    """True when an ancestor was already dropped (the element no longer reaches <html>)."""
    root = el.getroottree().getroot()
    return not any(ancestor is root for ancestor in el.iterancestors())


def _holds_the_article(el: HtmlElement, page_prose: int) -> bool:
    if el.tag in ("script", "style", "template", "svg", "noscript", "iframe") or not page_prose:
        return False
    prose = prose_length(el)
    if prose >= PROTECT_PROSE_SHARE * page_prose:
        return True
    # "toc-content-sidebar": a content column that also names its layout; keep it when it
    # holds real prose.
    return prose >= KEEP_NAMED_CONTENT_PROSE and bool(class_tokens(el)[1] & rules().keep_words)


def prose_length(el: HtmlElement) -> int:
    """Characters in the paragraphs under ``el`` that read as running text."""
    total = 0
    for p in el.iter("p"):
        n = text_length(p)
        if n >= PROSE_MIN_CHARS:
            total += n
    return total


def text_length(el: HtmlElement) -> int:
    """Characters of visible-ish text under an element (whitespace excluded)."""
    return sum(len(t.strip()) for t in el.itertext())


def link_density(el: HtmlElement) -> float:
    """Share of the element's text that sits inside links."""
    total = text_length(el)
    if not total:
        return 0.0
    linked = sum(text_length(a) for a in el.iter("a"))
    return min(1.0, linked / total)


# ---------------------------------------------------------------- after readability
def prune_leftovers(article: HtmlElement, title: str | None = None) -> None:
    """Remove furniture readability kept inside the article, in place."""
    r = rules()
    drop_repeated_headline(article, title)
    article_prose = prose_length(article)
    doomed: list[HtmlElement] = []
    for el in article.iter(*_CONTAINER_TAGS, *_HEADING_TAGS):
        if el is article:
            continue
        if is_link_list_block(el, r) or is_lead_in_link(el, r) or is_label_only(el, r):
            doomed.append(el)
        elif is_furniture_by_name(el, r) and not _holds_the_article(el, article_prose):
            doomed.append(el)
    doomed.extend(teaser_cards(article))
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
        if el is article or len(el) < 2 or any(id(a) in gone for a in el.iterancestors()):
            continue
        # The raw text is the key (copies of one template are identical; normalising every
        # block's text would cost a big page a tenth of its time).
        key = el.text_content()
        if len(key) < REPEATED_SECTION_MIN_CHARS or sum(
                1 for c in el if isinstance(c.tag, str) and c.text_content().strip()) < 2:
            continue
        first = seen.setdefault(key, el)
        if first is not el and not any(a is first for a in el.iterancestors()):
            repeats.append(el)
            gone.add(id(el))
    return repeats


def teaser_cards(article: HtmlElement) -> list[HtmlElement]:
    """Nested ``<article>`` cards of other stories ("more from the blog" carousels): short,
    titled by a link, and more than one of them."""
    cards = []
    for el in article.iter("article"):
        if el is article or text_length(el) >= TEASER_MAX_CHARS:
            continue
        heading = next(el.iter(*_HEADING_TAGS), None)
        if heading is not None and heading.find(".//a") is not None:
            cards.append(el)
    if len(cards) < 2:
        return []
    # A guide made of cards ("the restaurants that got a star") is the article itself.
    if sum(text_length(c) for c in cards) >= TEASER_MAX_SHARE * text_length(article):
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


def is_link_list_block(el: HtmlElement, r: Rules) -> bool:
    """A block that opens with a "Popular"/"Related"/"Ranking" heading and is mostly links."""
    if el.tag not in ("div", "section", "aside", "ul", "ol", "nav", "footer", "header"):
        return False
    opening = first_text(el)
    if not opening:
        return False
    if not (r.link_list_heading_re.search(opening) or _heading_mentions_list(el, r)):
        return False
    return link_density(el) >= LINK_LIST_DENSITY or not _has_prose(el)


def _heading_mentions_list(el: HtmlElement, r: Rules) -> bool:
    """The block's first heading-like child ("JN ACCESS RANKING") names a link list."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        text = " ".join(child.text_content().split()).casefold()
        if not text:
            continue
        if len(text) > 60:
            return False
        words = text.split()
        return any(r.link_list_heading_re.search(" ".join(words[i:])) for i in range(len(words)))
    return False


def _has_prose(el: HtmlElement) -> bool:
    """True when some paragraph in the block reads as running text, not a link or a title."""
    for p in el.iter("p"):
        if text_length(p) > 120 and link_density(p) < 0.3:
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


def is_lead_in_link(el: HtmlElement, r: Rules) -> bool:
    """A paragraph like "Related: <a>Other story</a>" — a link to elsewhere, not article text."""
    if el.tag not in ("p", "div", "span"):
        return False
    text = short_text(el, 250)
    return bool(text) and bool(r.lead_in_re.search(text)) and link_density(el) >= 0.4


def is_label_only(el: HtmlElement, r: Rules) -> bool:
    """An element whose whole text is an ad label, a credit line or a cookie/newsletter notice."""
    text = (short_text(el, 300) or "").casefold()
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
        text = el.text_content()
        if not text.strip() and el.find(".//img") is None \
                and el.find(".//br") is None and el.find(".//hr") is None:
            if text and el.tag == "span":  # "EcoFlow's<span>&nbsp;</span>appliance": a space
                el.tail = " " + (el.tail or "")
            el.drop_tree()


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))
