"""Inside a worker process (see :mod:`sourcelight.workers` for the pool that runs them).

A worker warms up, says "ready", then cleans one page per message. Everything a page costs
happens here, inside the pool's time limit: the pipeline, and the answer's JSON, which the
worker encodes and checks against the answer limit itself (the service process only passes
the bytes on). Its memory is bounded twice: an address-space limit (``RLIMIT_AS``) turns a
page that needs too much into a 422 instead of taking the machine, and a worker left holding
more than ``Settings.worker_max_rss`` after a page asks to be replaced (CPython and glibc
keep the peak a page reached).
"""

from __future__ import annotations

import json
import logging
import os
import signal
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from .errors import AnswerTooLarge, SourcelightError, TooComplex
from .memory import trim_heap
from .settings import Settings

log = logging.getLogger(__name__)

# Replies a worker sends: ("ready", pid, False), then per page (kind, value, retire) with kind
# "ok" (a Result or an Answer), "error" (the SourcelightError it raised) or "crash" (None);
# retire asks the pool to replace this worker after the page.
READY, OK, ERROR, CRASH = "ready", "ok", "error", "crash"

MEMORY_MESSAGE = (
    "This page needs more memory than a worker may use ({limit} MiB), so it was stopped. Open "
    "the article on its own page, or raise worker_memory_limit in the settings."
)


@dataclass(frozen=True)
class Answer:
    """A page's answer, ready to send: the JSON body and what the service logs about it."""

    body: bytes
    words: int
    text_chars: int


@dataclass(frozen=True)
class Job:
    """One page for a worker. ``as_json``: answer with an :class:`Answer` (the API), else
    with the :class:`~sourcelight.model.Result` itself (callers in Python)."""

    html: str | bytes
    url: str | None
    as_json: bool = False


def start_worker(conn: Connection, settings: Settings) -> None:
    """What every worker (the service's and a batch run's) does before its first page:
    ignore Ctrl-C, log to stderr, load the models, cap its address space, say it is ready."""
    # Ctrl-C in a terminal reaches the whole process group; the parent decides when
    # workers stop, and they must not print tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not logging.getLogger().handlers:  # a worker's errors go to the parent's log (stderr)
        logging.basicConfig(
            format="%(asctime)s %(levelname)s %(name)s [worker %(process)d]: %(message)s")
    from .pipeline import warm_up

    warm_up(settings)
    limit_address_space(settings.worker_memory_limit)
    conn.send((READY, os.getpid(), False))


def worker_main(conn: Connection, settings: Settings) -> None:
    """A worker's life: warm up, say "ready", then clean one page per message until told to
    stop (``None``), asked to retire, or the service goes away."""
    start_worker(conn, settings)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        kind, value = clean_one(job, settings)
        # Under the address-space cap a page can fail in many ways (a MemoryError, a parser's
        # "unknown error", a library that swallows the MemoryError and finds no article):
        # the peak tells them apart from the page's own faults.
        out_of_memory = near_memory_limit(settings.worker_memory_limit)
        if out_of_memory and kind != OK:
            kind, value = ERROR, memory_error(settings)
        # The page's trees and strings are freed; their pages go back to the system (~0.3 ms),
        # so an idle worker does not hold its last page's peak and the check below sees what
        # the worker really keeps.
        trim_heap()
        retire = out_of_memory or resident_bytes() > settings.worker_max_rss
        try:
            conn.send((kind, value, retire))
        except (EOFError, OSError):
            return
        except Exception:  # noqa: BLE001 - a reply that cannot be pickled is our bug
            log.exception("worker: could not send the result back")
            conn.send((CRASH, None, True))
        if retire:
            return


def clean_one(job: Job, settings: Settings) -> tuple[str, Any]:
    """Run the pipeline on one job and say how it went."""
    from .pipeline import clean

    try:
        result = clean(job.html, job.url, settings)
        return OK, encode_answer(result, settings, len(job.html)) if job.as_json else result
    except SourcelightError as error:
        return ERROR, error
    except MemoryError:
        return ERROR, memory_error(settings)
    except Exception:  # noqa: BLE001 - reported as a 500; the worker is replaced
        log.exception("worker: unexpected error while cleaning a page of %d characters",
                      len(job.html) if isinstance(job.html, (str, bytes)) else -1)
        return CRASH, None


def encode_answer(result: Any, settings: Settings, page_chars: int) -> Answer:
    """The result as the API's JSON body (UTF-8, compact), refused with
    :class:`AnswerTooLarge` past ``settings.answer_limit(page_chars)`` bytes."""
    body = json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":"))
    data = body.encode("utf-8", "replace")
    limit = settings.answer_limit(page_chars)
    if len(data) > limit:
        from .render import answer_too_large_message

        raise AnswerTooLarge(answer_too_large_message(limit))
    return Answer(data, result.article.word_count, len(result.article.text))


def memory_error(settings: Settings) -> TooComplex:
    """The 422 for a page that needs more memory than a worker may use."""
    return TooComplex(MEMORY_MESSAGE.format(limit=settings.worker_memory_limit >> 20))


def near_memory_limit(limit: int) -> bool:
    """True when this process's peak address space came within 10% of ``limit``: an
    allocation near the cap failed, or soon would (read from /proc; False where it is
    missing)."""
    if limit <= 0:
        return False
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmPeak:"):
                    return int(line.split()[1]) * 1024 >= 0.9 * limit
    except (OSError, ValueError, IndexError):
        pass
    return False


def limit_address_space(limit: int) -> None:
    """Cap this process's address space at ``limit`` bytes (no cap when 0 or where the system
    has no RLIMIT_AS)."""
    try:
        import resource
    except ImportError:  # Windows
        return
    if limit <= 0 or not hasattr(resource, "RLIMIT_AS"):
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        log.warning("worker: could not limit its memory to %d MiB", limit >> 20)


def resident_bytes() -> int:
    """This process's resident memory now (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
