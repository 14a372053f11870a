"""The library's typed errors: what a save, search or delete can fail with, as JSON errors."""

from __future__ import annotations

import sqlite3

from ..errors import SourcelightError

DATA_DIR_ENV = "SOURCELIGHT_DATA_DIR"


class EntryNotFound(SourcelightError):
    """No entry with this id (never saved, or deleted)."""

    code = "not_found"
    status = 404


class LibraryUnavailable(SourcelightError):
    """The library cannot be opened or written (read-only or missing directory, a file where
    the directory should be, a damaged database). Cleaning pages goes on without it."""

    code = "library_unavailable"
    status = 503


class LibraryFull(SourcelightError):
    """The disk is full, or the library reached ``Settings.library_max_bytes``."""

    code = "library_full"
    status = 507


def unavailable(directory: str, error: BaseException) -> LibraryUnavailable:
    """The error for a library directory or database that cannot be used."""
    reason = getattr(error, "strerror", None) or str(error)
    return LibraryUnavailable(
        f"The library in {directory} cannot be used ({reason}). Make the directory writable, "
        f"or point {DATA_DIR_ENV} at another one and restart the service; cleaning pages still "
        "works.")


def full(directory: str) -> LibraryFull:
    """The error for a full disk or a library at its size limit."""
    return LibraryFull(
        f"The library in {directory} is full (the disk, or the library_max_bytes limit). "
        "Nothing was saved and earlier entries are intact: free some space or delete entries "
        "(`sourcelight library delete ID`), then save again.")


def from_sqlite(directory: str, error: sqlite3.Error) -> SourcelightError:
    """Turn an SQLite failure into the library error a caller can act on."""
    code = getattr(error, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL or "full" in str(error).lower():
        return full(directory)
    return unavailable(directory, error)
