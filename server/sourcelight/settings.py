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
DEFAULT_WORKERS = 4


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
    workers: int = DEFAULT_WORKERS
    extra: dict = field(default_factory=dict)

    def with_overrides(self, **changes) -> "Settings":
        """A copy with some fields changed (unknown names raise TypeError)."""
        return replace(self, **changes)
