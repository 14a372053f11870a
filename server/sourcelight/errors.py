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
