"""Typed errors: each carries a stable code, an HTTP status and a message a person can act on."""

from __future__ import annotations


class SourcelightError(Exception):
    """Base of every error Sourcelight reports to a caller on purpose."""

    code = "error"
    status = 500

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict:
        return {"error": self.code, "message": self.message}

    def headers(self) -> dict[str, str]:
        """HTTP headers the error's response carries besides the JSON body (none by default)."""
        return {}


class BadRequest(SourcelightError):
    code = "bad_request"
    status = 400


class TooLarge(SourcelightError):
    code = "too_large"
    status = 413


class UnsupportedMediaType(SourcelightError):
    code = "unsupported_media_type"
    status = 415


class NotHtml(SourcelightError):
    """The input is something other than an HTML page (JSON, PDF, plain text, binary)."""

    code = "not_html"
    status = 422


class NoArticle(SourcelightError):
    """The page is HTML but holds no article text we could find."""

    code = "no_article"
    status = 422


class TooComplex(SourcelightError):
    """The page is past the element-count or nesting limits."""

    code = "too_complex"
    status = 422


class AnswerTooLarge(SourcelightError):
    """The answer would be far larger than the page (links resolved against a huge address,
    say): refused rather than sent, so a page cannot make the service build gigabytes."""

    code = "answer_too_large"
    status = 422


class Forbidden(SourcelightError):
    """The caller is not our paired extension (wrong Host, a web page's Origin, no token)."""

    code = "forbidden"
    status = 403


class Busy(SourcelightError):
    """Every worker is in work and the queue is full: try again in ``retry_after`` seconds."""

    code = "busy"
    status = 503

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after

    def __reduce__(self):  # pickled with both arguments, not only the message
        return (type(self), (self.message, self.retry_after))

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


class Timeout(SourcelightError):
    """The page took longer than the time limit; its worker was stopped."""

    code = "timeout"
    status = 504


class WorkerFailed(SourcelightError):
    """A worker process crashed or raised something unexpected (a bug): 500, worker replaced."""

    code = "internal_error"
    status = 500
