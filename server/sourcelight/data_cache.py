"""Tables derived from a package's data, kept on disk so that a new process reads them in
milliseconds instead of rebuilding them.

Why: ``sourcelight clean`` is a new process per page. gender-guesser parses its 4 MB name list
line by line (0.15–0.5 s, most of a one-page run); the table of answers Sourcelight takes
from it is 0.6 MB of JSON that loads in ~15 ms. The table is built once with the package's
own code, so its answers are the package's.

The file lives in the user's cache folder (``$SOURCELIGHT_CACHE_DIR``,
``$XDG_CACHE_HOME/sourcelight`` or ``~/.cache/sourcelight``) under a name made from what it
was built from (the source file's size and modification time, and a format version), so an
upgraded package gets a new table and the old one is removed. Nothing here may fail a page: a
cache that cannot be read, is damaged, or cannot be written is rebuilt in memory.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

CACHE_DIR_ENV = "SOURCELIGHT_CACHE_DIR"
# A cache file larger than this is not ours (the given-name table is 0.6 MB): rebuilt.
MAX_CACHE_BYTES = 16 << 20


def cache_dir() -> Path:
    """``$SOURCELIGHT_CACHE_DIR``, ``$XDG_CACHE_HOME/sourcelight`` or ``~/.cache/sourcelight``."""
    from_env = os.environ.get(CACHE_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):  # the XDG spec: a relative value is to be ignored
        return Path(xdg) / "sourcelight"
    return Path.home() / ".cache" / "sourcelight"


def cached_json(name: str, source: Path, version: int, build: Callable[[], Any],
                valid: Callable[[Any], bool]) -> Any:
    """``build()``'s JSON-able result, read from the cache when it was built from ``source``
    as it is now (and format ``version``), else built and stored for the next process.
    ``valid`` checks what was read; a cache it rejects is rebuilt."""
    try:
        stat = source.stat()
        key = f"{name}-v{version}-{stat.st_size}-{stat.st_mtime_ns}.json"
    except OSError:  # the source is missing: let build() say why
        return build()
    folder = cache_dir()
    cached = _read(folder / key)
    if cached is not None and valid(cached):
        return cached
    value = build()
    _write(folder, key, name, value)
    return value


def _read(path: Path) -> Any:
    """The JSON in ``path``, or None when it is missing, too large or not JSON."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(MAX_CACHE_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_CACHE_BYTES:
        return None
    try:
        return json.loads(data)
    except ValueError:
        log.warning("the cached table %s is damaged; rebuilding it", path)
        return None


def _write(folder: Path, key: str, name: str, value: Any) -> None:
    """Store ``value`` as ``folder/key`` atomically (a reader never sees half a file) and
    remove the tables of ``name`` built from older sources. Failures are only logged."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(json.dumps(value, ensure_ascii=False,
                                        separators=(",", ":")).encode("utf-8"))
            os.replace(temporary, folder / key)
        except BaseException:
            os.unlink(temporary)
            raise
        for old in folder.glob(f"{name}-v*.json"):
            if old.name != key:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.info("could not cache %s in %s (%s); it is rebuilt next time", name, folder, error)
