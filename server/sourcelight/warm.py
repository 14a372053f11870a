"""Imported once by the worker pool's fork server, and nowhere else: it loads the pipeline's
lexicons and language profiles at import, so that every worker forked from the server starts
warm (in milliseconds) and the workers share that memory instead of each loading its own.

See :mod:`sourcelight.workers`. A worker warms itself up again on start (a no-op when this
worked), so a failure here only costs time; it is logged, never raised into the fork server.
"""

from __future__ import annotations

import gc
import logging

from .memory import trim_heap
from .pipeline import warm_up

try:
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
