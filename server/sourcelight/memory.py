"""The C heap's settings for the service's processes (glibc; no-ops elsewhere).

Two things Python does not do for itself:

* **Arenas.** glibc gives each thread that allocates its own malloc arena (up to eight per
  core), and memory freed in one is never reused by another. The HTTP process runs a dozen
  waitress threads that each pass megabytes of page and answer through: capped at
  ``HTTP_ARENAS`` arenas it held 48 MiB instead of 78 after a load run (the same effect as
  ``MALLOC_ARENA_MAX=2``, set here so that it holds however the service is started); and
  blocks of ``MMAP_THRESHOLD`` or more are always mapped on their own, so a page's body and
  answer go back to the system when freed.
* **Trimming.** Freed C memory (lxml's trees, large strings and lists) stays in the process
  until the heap's top is free. ``malloc_trim(0)`` hands every free page back; the fork
  server does it once after loading the models (so workers do not inherit free pages) and a
  worker after each page (so an idle worker does not keep its last page's peak).
"""

from __future__ import annotations

import ctypes
import logging
from functools import lru_cache

log = logging.getLogger(__name__)

HTTP_ARENAS = 2
# Blocks this large or larger are mapped on their own and unmapped when freed (glibc's
# default start; fixing it stops glibc from raising it to the largest block freed so far).
MMAP_THRESHOLD = 128 << 10
# mallopt's parameter numbers (glibc's malloc.h).
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8


@lru_cache(maxsize=1)
def _libc() -> ctypes.CDLL | None:
    """glibc, when this process runs on it (None on macOS, Windows, musl without the calls)."""
    try:
        # The symbols already loaded into this process (libc among them): no look-up of
        # library files, which find_library does by running ldconfig.
        libc = ctypes.CDLL(None)
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    except (OSError, AttributeError, TypeError):
        return None
    return libc


def limit_arenas(count: int = HTTP_ARENAS) -> bool:
    """Cap this process's malloc arenas at ``count`` and keep large blocks (pages, answers)
    out of them; call before threads start. True when the C library took both."""
    libc = _libc()
    if libc is None:
        return False
    taken = bool(libc.mallopt(_M_ARENA_MAX, count))
    # A page's JSON, its text and its answer are each hundreds of KiB: mapped on their own,
    # they go back to the system when freed instead of staying in an arena.
    taken = bool(libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and taken
    if not taken:
        log.debug("the C library did not take the HTTP process's heap settings")
    return taken


def trim_heap() -> bool:
    """Give the C heap's free pages back to the system. True when some were released."""
    libc = _libc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))
