"""Every limit and option of Sourcelight in one place, with named defaults.

The service, the CLI, the tests and the benchmarks all build a :class:`Settings`
(usually ``Settings()``) and pass it down; nothing reads a limit from anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# Largest request body the HTTP layer accepts; JSON escaping makes a page a bit larger
# than its HTML, so this sits a little above the HTML limit.
DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024
# Largest page (HTML characters or bytes) the pipeline will look at.
DEFAULT_MAX_HTML_CHARS = 15 * 1024 * 1024
DEFAULT_MAX_URL_CHARS = 8192
# Pages with more elements than this are refused before any extraction work.
DEFAULT_MAX_ELEMENTS = 150_000
# An article whose plain text is shorter than this is "no article found".
DEFAULT_MIN_ARTICLE_CHARS = 1
DEFAULT_WORDS_PER_MINUTE = 230
# langdetect is probabilistic; a fixed seed makes its answer the same on every run.
DEFAULT_LANGDETECT_SEED = 0
# How much article text langdetect sees: more is slower and barely more accurate.
DEFAULT_LANGDETECT_MAX_CHARS = 1000
# Below this much text langdetect guesses; the page's <html lang> is trusted instead.
DEFAULT_LANGDETECT_MIN_CHARS = 40
# readability-lxml's own tunables (see readability.Document).
DEFAULT_READABILITY_MIN_TEXT_LENGTH = 25
DEFAULT_READABILITY_RETRY_LENGTH = 250
# Elements nested deeper than this are flattened into their ancestor at this depth (their text
# kept, their tags dropped, a note recorded): libxml2 cuts pages off at 256 levels in later
# parses and the text walk recurses once per level.
DEFAULT_MAX_DEPTH = 200
# A single text node longer than this is refused (no article has one; the annotation stage
# would run for minutes on it). libxml2 alone would silently drop a page with one over 10 MB.
DEFAULT_MAX_TEXT_NODE_CHARS = 1_000_000
# Attribute values longer than this (megabyte data: images) are dropped at parse time, with a
# note: they never reach the article (only http/https/mailto URLs do), and past 10 MB the
# later stages' parsers would drop the rest of the article with them.
DEFAULT_MAX_ATTRIBUTE_CHARS = 1_000_000
# Output bounds (a page controls its own address and <base href>, and each relative link is
# resolved against them): a base address longer than this is not used (relative links and
# images go, with a note); a link or image address longer than this after resolving goes; and
# the whole answer may be at most max_answer_ratio times the page (never under
# min_answer_bytes, never over max_answer_bytes, below Chrome's 64 MB message limit), else
# 422 answer_too_large.
DEFAULT_MAX_BASE_URL_CHARS = 2048
DEFAULT_MAX_LINK_CHARS = 8192
DEFAULT_MAX_ANSWER_RATIO = 8
DEFAULT_MIN_ANSWER_BYTES = 64 * 1024
DEFAULT_MAX_ANSWER_BYTES = 32 * 1024 * 1024
# A worker's address space (RLIMIT_AS, bytes): a page that needs more gets 422 and the worker
# is replaced, so one page cannot take the machine. A warm worker maps about 110 MiB; a
# 2.8 MB page of linked, attributed paragraphs peaked at 350 MiB (45 s, far past the time
# limit), so real pages stop at the time limit long before this. A worker left above max RSS
# after a page is replaced by a fresh one (memory a page made it take is not given back otherwise).
DEFAULT_WORKER_MEMORY_LIMIT = 1024 * 1024 * 1024
DEFAULT_WORKER_MAX_RSS = 320 * 1024 * 1024
# Slow clients: a connection must deliver a whole request (headers and body) within this many
# seconds of opening (or of its previous answer), and at most this many connections may wait
# for their request at once — past that, the one that has waited longest is closed.
DEFAULT_REQUEST_READ_TIMEOUT = 10.0
DEFAULT_MAX_WAITING_CONNECTIONS = 64
# Worker processes that run the pipeline; each page has one to itself. The work is all CPU:
# more processes than cores only add memory and switching (bench/load.py on 2 cores, c=8,
# back to back: p99 0.40 s with 2, 0.50 s with 3, 0.76 s with 4; idle RSS 327/419/512 MiB).
# `sourcelight serve --workers N` for a bigger machine.
DEFAULT_WORKERS = 2
# Pages that may wait for a free worker beyond those in work; more get 503 busy.
DEFAULT_QUEUE_SIZE = 8
# Seconds a page may take in its worker before it is stopped with 504 and the worker replaced.
DEFAULT_REQUEST_TIMEOUT = 10.0
# Seconds a caller told "busy" (503) is asked to wait before trying again (Retry-After).
DEFAULT_RETRY_AFTER = 2
# Seconds a new worker may take to load its models before the pool gives up on it.
DEFAULT_WORKER_START_TIMEOUT = 60.0
# Attributions whose calibrated confidence (attribution/confidence.py) is below this are
# offered as `candidates`, not marked. Chosen on the dev sets the weights were fitted on, never
# on the held-out half of the sources set: precision first, the highest threshold at which
# PolNeAR dev still reaches the floor for coverage (F1 0.64: 0.641 at 0.67, 0.635 at
# 0.68), provided the seed page keeps its 12 attributions; the open half's mark F1 there is
# within 0.001 of its best (0.876 vs 0.877). bench/sources.py --min-confidence X and
# bench/attribution.py show the sweep.
DEFAULT_MIN_CONFIDENCE = 0.67
# Languages without a card-level dev set get their threshold moved by this much, chosen the
# same way on their attribution set (German: the German quotation set's F1, 0.55; its evidence
# weights are learnt mostly from English, so its confidences run lower).
DEFAULT_MIN_CONFIDENCE_OFFSETS = (("de", -0.15),)
# Where the pairing token lives; None = $SOURCELIGHT_CONFIG_DIR, $XDG_CONFIG_HOME/sourcelight
# or ~/.config/sourcelight (see pairing.config_dir).
DEFAULT_CONFIG_DIR = None
# The pairing token itself; None = read (or make) <config dir>/token. Set it in tests only.
DEFAULT_TOKEN = None
# Host header names the service answers to (anything else is DNS rebinding); with a port,
# it must be the service's own (unless that is 0, "any free port").
DEFAULT_ALLOWED_HOSTS = ("127.0.0.1", "localhost", "::1")
# Origins that may call at all: browser extensions. Which extension is decided by the token.
DEFAULT_EXTENSION_ORIGIN_SCHEMES = ("chrome-extension", "moz-extension")
# How long a browser may cache the answer to an extension's CORS preflight (seconds).
DEFAULT_CORS_MAX_AGE = 600
# The service serves JSON only; should it ever serve HTML, nothing in it may load or run.
DEFAULT_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
# The library of saved articles (server/sourcelight/library/): its directory (None =
# $SOURCELIGHT_DATA_DIR, $XDG_DATA_HOME/sourcelight or ~/.local/share/sourcelight), the most a
# saved copy (the standalone HTML with its images), the reader's corrections and a whole entry
# may weigh, the most the whole library may grow to (SQLite's max_page_count: past it a save is
# 507 library_full, the rest keeps working), search paging and query length, how long a save
# waits for another writer, and how many articles "where else was this source quoted" lists.
DEFAULT_LIBRARY_DIR = None
DEFAULT_LIBRARY_MAX_COPY_BYTES = 12 * 1024 * 1024
DEFAULT_LIBRARY_MAX_CORRECTIONS_BYTES = 1024 * 1024
DEFAULT_LIBRARY_MAX_ENTRY_BYTES = 24 * 1024 * 1024
DEFAULT_LIBRARY_MAX_BYTES = 8 * 1024 * 1024 * 1024
DEFAULT_LIBRARY_PAGE_SIZE = 20
DEFAULT_LIBRARY_MAX_PAGE_SIZE = 100
DEFAULT_LIBRARY_MAX_QUERY_CHARS = 500
DEFAULT_LIBRARY_BUSY_TIMEOUT = 5.0
DEFAULT_LIBRARY_QUOTED_LIMIT = 50
# The extension's export asks for at most this many entries per request (it pages).
DEFAULT_LIBRARY_EXPORT_PAGE = 200


@dataclass(frozen=True)
class Settings:
    """Limits and options; build once and pass down (immutable)."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_html_chars: int = DEFAULT_MAX_HTML_CHARS
    max_url_chars: int = DEFAULT_MAX_URL_CHARS
    max_elements: int = DEFAULT_MAX_ELEMENTS
    min_article_chars: int = DEFAULT_MIN_ARTICLE_CHARS
    words_per_minute: int = DEFAULT_WORDS_PER_MINUTE
    langdetect_seed: int = DEFAULT_LANGDETECT_SEED
    langdetect_max_chars: int = DEFAULT_LANGDETECT_MAX_CHARS
    langdetect_min_chars: int = DEFAULT_LANGDETECT_MIN_CHARS
    readability_min_text_length: int = DEFAULT_READABILITY_MIN_TEXT_LENGTH
    readability_retry_length: int = DEFAULT_READABILITY_RETRY_LENGTH
    max_depth: int = DEFAULT_MAX_DEPTH
    max_text_node_chars: int = DEFAULT_MAX_TEXT_NODE_CHARS
    max_attribute_chars: int = DEFAULT_MAX_ATTRIBUTE_CHARS
    max_base_url_chars: int = DEFAULT_MAX_BASE_URL_CHARS
    max_link_chars: int = DEFAULT_MAX_LINK_CHARS
    max_answer_ratio: float = DEFAULT_MAX_ANSWER_RATIO
    min_answer_bytes: int = DEFAULT_MIN_ANSWER_BYTES
    max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES
    worker_memory_limit: int = DEFAULT_WORKER_MEMORY_LIMIT
    worker_max_rss: int = DEFAULT_WORKER_MAX_RSS
    request_read_timeout: float = DEFAULT_REQUEST_READ_TIMEOUT
    max_waiting_connections: int = DEFAULT_MAX_WAITING_CONNECTIONS
    workers: int = DEFAULT_WORKERS
    queue_size: int = DEFAULT_QUEUE_SIZE
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    retry_after: int = DEFAULT_RETRY_AFTER
    worker_start_timeout: float = DEFAULT_WORKER_START_TIMEOUT
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    min_confidence_offsets: tuple[tuple[str, float], ...] = DEFAULT_MIN_CONFIDENCE_OFFSETS
    config_dir: str | None = DEFAULT_CONFIG_DIR
    # Kept out of repr so a logged Settings never shows the secret.
    token: str | None = field(default=DEFAULT_TOKEN, repr=False)
    allowed_hosts: tuple[str, ...] = DEFAULT_ALLOWED_HOSTS
    extension_origin_schemes: tuple[str, ...] = DEFAULT_EXTENSION_ORIGIN_SCHEMES
    cors_max_age: int = DEFAULT_CORS_MAX_AGE
    content_security_policy: str = DEFAULT_CONTENT_SECURITY_POLICY
    library_dir: str | None = DEFAULT_LIBRARY_DIR
    library_max_copy_bytes: int = DEFAULT_LIBRARY_MAX_COPY_BYTES
    library_max_corrections_bytes: int = DEFAULT_LIBRARY_MAX_CORRECTIONS_BYTES
    library_max_entry_bytes: int = DEFAULT_LIBRARY_MAX_ENTRY_BYTES
    library_max_bytes: int = DEFAULT_LIBRARY_MAX_BYTES
    library_page_size: int = DEFAULT_LIBRARY_PAGE_SIZE
    library_max_page_size: int = DEFAULT_LIBRARY_MAX_PAGE_SIZE
    library_max_query_chars: int = DEFAULT_LIBRARY_MAX_QUERY_CHARS
    library_busy_timeout: float = DEFAULT_LIBRARY_BUSY_TIMEOUT
    library_quoted_limit: int = DEFAULT_LIBRARY_QUOTED_LIMIT
    library_export_page: int = DEFAULT_LIBRARY_EXPORT_PAGE
    extra: dict = field(default_factory=dict)

    def min_confidence_for(self, lang: str | None) -> float:
        """The marking threshold for an article in ``lang`` (its primary subtag)."""
        primary = (lang or "").split("-")[0].lower()
        offset = dict(self.min_confidence_offsets).get(primary, 0.0)
        return min(1.0, max(0.0, round(self.min_confidence + offset, 4)))

    def with_overrides(self, **changes) -> "Settings":
        """A copy with some fields changed (unknown names raise TypeError)."""
        return replace(self, **changes)

    def answer_limit(self, page_chars: int) -> int:
        """Bytes an answer to a page of ``page_chars`` characters may have."""
        scaled = int(self.max_answer_ratio * page_chars)
        return min(self.max_answer_bytes, max(self.min_answer_bytes, scaled))
