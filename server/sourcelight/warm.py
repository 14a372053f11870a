"""Imported once by the worker pool's fork server, and nowhere else: it loads the pipeline's
lexicons and language profiles at import, so that every worker forked from the server starts
warm (in milliseconds) and the workers share that memory instead of each loading its own.

See :mod:`sourcelight.workers`. A worker warms itself up again on start (a no-op when this
worked), so a failure here only costs time; it is logged, never raised into the fork server.
"""

from __future__ import annotations

import gc
import logging
import os

from .attribution.given_names import given_name_gender
from .memory import trim_heap
from .pipeline import warm_up


def cache_tables_apart() -> None:
    """Let a short-lived child build the derived tables the cache lacks (the given-name table,
    :mod:`sourcelight.data_cache`), so that this process only reads them back.

    Built here, gender-guesser's 4 MB list leaves ~16 MiB of freed but unreturnable memory
    behind (Python's allocator keeps an arena while any object in it lives), which every
    worker would inherit. With the table cached the child only reads it (~30 ms). This
    process is single-threaded while it imports this module, so forking it is safe.
    """
    if not hasattr(os, "fork"):
        return
    pid = os.fork()
    if pid == 0:  # the child: build (and cache) the table, then leave at once
        code = 1
        try:
            given_name_gender("Maria")
            code = 0
        finally:
            os._exit(code)
    os.waitpid(pid, 0)


try:
    cache_tables_apart()
    warm_up()
except Exception:  # noqa: BLE001 - the fork server must keep running; workers warm themselves
    logging.getLogger(__name__).exception("warm-up in the worker fork server failed")
# Every worker inherits this process's pages: the warm-up's garbage and free heap pages must
# go first, or each worker counts them again.
gc.collect()
trim_heap()
# What is loaded now lives as long as the workers: keep it out of their garbage collections,
# which would otherwise walk it on every full collection and copy the shared pages it touches.
gc.freeze()
