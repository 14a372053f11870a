"""A batch run on this machine: ``-j`` worker processes that each read, clean and encode pages.

Why not the service's :class:`~sourcelight.workers.WorkerPool`: it hands a worker one page
and waits for its answer before the next, through a thread per page in work, and ships the
page's HTML in and a whole :class:`~sourcelight.model.Result` back. Between two pages a
worker then waits for the parent to wake, take its answer and send the next page (5 ms a page
measured on a busy 2-core machine, against ~35 ms of work). Here each worker holds the next
page in its pipe while it works on one (:data:`PAGES_AHEAD`), a saved page travels as its file
name (the worker reads and gunzips it), and the worker sends back the page's encoded output
lines, so the parent only writes bytes. One thread in the parent does it all, with
:func:`multiprocessing.connection.wait` over the workers' pipes.

The limits are the service's: workers come from the same fork server
(:func:`~sourcelight.workers.pool_context`, models loaded once), cap their address space, are
replaced when they retire (memory), and a page over ``request_timeout`` seconds has its
worker killed and becomes a ``timeout`` line. A page's clock starts when its worker starts it:
when it is sent to an idle worker (so the handover counts), or when the worker's answer for
the page before it arrives.
"""

from __future__ import annotations

import json
import logging
import pickle
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import NamedTuple

from ..errors import WorkerFailed
from ..memory import trim_heap
from ..settings import Settings
from ..worker_process import (CRASH, ERROR, OK, READY, Job, clean_one, memory_error,
                              near_memory_limit, resident_bytes, start_worker)
from ..workers import (FAILED_MESSAGE, Watchdog, is_stopped, pool_context, kill_and_reap,
                       timeout_error)
from .inputs import Page, load_page
from .output import encode_record, page_record

log = logging.getLogger(__name__)

# Pages a worker holds at once: the one in work and the next, waiting in its pipe.
PAGES_AHEAD = 2
# A page message larger than this goes only to an idle worker: a large send to a busy worker
# would block the parent until the worker reads it, while the worker may wait to send its
# answer to the parent. File names and small pages are far below it.
QUEUED_MESSAGE_BYTES = 32 * 1024
# Seconds an idle worker gets to exit on its own at the end before it is killed.
CLOSE_GRACE_SECONDS = 1.0


class PageOutput(NamedTuple):
    """One page's outcome: its input bytes (for the progress bar), the output it adds (one
    JSON line or its CSV rows; None when the page was already in the output) and its error
    code (None when annotated)."""

    size: int
    data: bytes | None
    error: str | None

    def record(self) -> dict | None:
        """The JSONL record (for tests and callers in Python)."""
        return None if self.data is None else json.loads(self.data)


# ---------------------------------------------------------------------- in a worker
def batch_worker_main(conn: Connection, settings: Settings, fmt: str,
                      article_html: bool) -> None:
    """A batch worker's life: warm up, say ready, then per page message read the page if it
    is a file name, clean it and send back ``(data, error code, retire)``; stop on ``None``
    or when asked to retire."""
    start_worker(conn, settings)
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        page = pickle.loads(message)
        if page is None:
            return
        reply = page_output(page, settings, fmt, article_html)
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        if reply[2]:
            return


def page_output(page: Page, settings: Settings, fmt: str,
                article_html: bool) -> tuple[bytes, str | None, bool]:
    """``(encoded output, error code, retire)`` for one page, as the service's worker does
    it: the pipeline's typed errors are the page's error, a page that fails near the memory
    cap is ``too_complex``, anything else is ``internal_error`` and retires the worker."""
    from .run import record_of  # run imports this module

    load_page(page, settings)
    retire = out_of_memory = False
    if page.error is not None:
        record = page_record(page, error=page.error)
    else:
        kind, value = clean_one(Job(page.html, page.url), settings)
        out_of_memory = near_memory_limit(settings.worker_memory_limit)
        if out_of_memory and kind != OK:
            kind, value = ERROR, memory_error(settings)
        if kind == OK:
            record = record_of(page, value, article_html)
        elif kind == ERROR:
            record = page_record(page, error=value)
        else:
            record = page_record(page, error=WorkerFailed(FAILED_MESSAGE))
            retire = kind == CRASH  # a bug: the worker is replaced, as the service's
    data, error = encode_record(record, fmt), record.get("error")
    page.html = value = record = None  # freed before the memory check
    return data, error, retire or out_of_memory or holds_too_much(settings)


def holds_too_much(settings: Settings) -> bool:
    """True when this worker keeps more than ``settings.worker_max_rss`` after a page, even
    with its free heap given back to the system: it must be replaced.

    The service's worker gives the heap back after every page (it may then sit idle); a
    batch worker never idles, and doing so cost ~1 ms a page (2.7 % of clean(), most of it
    page faults on the next page, which takes the memory back), so it trims only when its
    resident memory is over the limit (a warm worker after WCXB pages: ~105 MiB of 320).
    """
    if resident_bytes() <= settings.worker_max_rss:
        return False
    trim_heap()
    return resident_bytes() > settings.worker_max_rss


# ---------------------------------------------------------------------- in the parent
@dataclass(eq=False)
class BatchWorker:
    """One worker process, the parent's end of its pipe and the pages it holds, in order."""

    process: BaseProcess
    conn: Connection
    pages: deque = field(default_factory=deque)
    deadline: float = 0.0  # when the first of ``pages`` runs over the time limit
    broken: bool = False  # a page could not be sent: it takes no more (its end is read)


class BatchPool:
    """``jobs`` batch workers and the pages each holds."""

    def __init__(self, settings: Settings, jobs: int, fmt: str, article_html: bool):
        self.settings, self.jobs, self.fmt = settings, jobs, fmt
        self._context = pool_context()
        self._args = (settings, fmt, article_html)
        self.workers: list[BatchWorker] = []

    def start(self) -> None:
        """Start every worker and wait until each is warm; :class:`WorkerFailed` if one
        cannot start."""
        starting = [self._spawn() for _ in range(self.jobs)]
        self.workers.extend(starting)
        for worker in starting:
            self._await_ready(worker)

    def replace(self, worker: BatchWorker) -> list[Page]:
        """Stop ``worker`` and start another in its place; the pages it still holds (none of
        them started: the caller took off the one it was on), to be handed out again."""
        kill(worker)
        self.workers.remove(worker)
        fresh = self._spawn()
        self.workers.append(fresh)
        self._await_ready(fresh)
        return list(worker.pages)

    def _spawn(self) -> BatchWorker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(target=batch_worker_main,
                                        args=(child_end, *self._args),
                                        name="sourcelight-batch-worker", daemon=True)
        process.start()
        child_end.close()
        return BatchWorker(process, parent_end)

    def _await_ready(self, worker: BatchWorker) -> None:
        try:
            if worker.conn.poll(self.settings.worker_start_timeout):
                kind, _, _ = worker.conn.recv()
                if kind == READY:
                    return
        except (EOFError, OSError):
            pass
        log.error("worker %s did not start (exit code %s)", worker.process.pid,
                  worker.process.exitcode)
        raise WorkerFailed(FAILED_MESSAGE)

    def taker(self, message_bytes: int) -> BatchWorker | None:
        """The worker that should take a page message of this size now, if any: the one
        holding fewest pages, if it has room (a large message only to an idle worker)."""
        limit = PAGES_AHEAD if message_bytes <= QUEUED_MESSAGE_BYTES else 1
        open_workers = [worker for worker in self.workers if not worker.broken]
        if not open_workers:
            return None
        worker = min(open_workers, key=lambda w: len(w.pages))
        return worker if len(worker.pages) < limit else None

    def send(self, worker: BatchWorker, page: Page, message: bytes) -> bool:
        """Hand ``page`` to ``worker``; False when the worker is gone (the page is not
        taken; a worker that holds pages is marked broken, and its end is read as a death).
        A large message goes only to an idle worker, which reads it at once; a stopped one
        is killed at the deadline by a watchdog, which ends the send."""
        if not worker.pages:
            if not worker.process.is_alive() or is_stopped(worker.process.pid):
                return False
            worker.deadline = time.monotonic() + self.settings.request_timeout
        watchdog = (Watchdog(worker, self.settings.request_timeout)
                    if len(message) > QUEUED_MESSAGE_BYTES else None)
        try:
            worker.conn.send_bytes(message)
        except (EOFError, OSError):
            worker.broken = bool(worker.pages)
            return False
        finally:
            if watchdog is not None:
                watchdog.cancel()
        worker.pages.append(page)
        return True

    def close(self, finished: bool) -> None:
        """Stop every worker: a finished run lets idle workers exit, an interrupted one
        kills them at once."""
        if finished:
            for worker in self.workers:
                try:
                    worker.conn.send_bytes(pickle.dumps(None))
                except (OSError, ValueError):
                    pass
            deadline = time.monotonic() + CLOSE_GRACE_SECONDS
            for worker in self.workers:
                worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in self.workers:
            kill(worker)
        self.workers.clear()


def kill(worker: BatchWorker) -> None:
    """Kill a worker (if it still runs) and release its pipe."""
    kill_and_reap(worker.process, worker.conn)


def run_local(pages: Iterator[Page], settings: Settings, jobs: int,
              done: set[str] | frozenset[str] = frozenset(), article_html: bool = True,
              fmt: str = "jsonl") -> Iterator[PageOutput]:
    """A :class:`PageOutput` for every page, in the order they finish, cleaned by ``jobs``
    worker processes that each hold up to :data:`PAGES_AHEAD` pages, so none waits for the
    parent between two pages. Pages already ``done`` never reach a worker; pages that could
    not be read are encoded here."""
    pool = BatchPool(settings, jobs, fmt, article_html)
    source = iter(pages)
    again: deque[Page] = deque()  # pages a replaced worker held but had not started
    held: tuple[Page, bytes] | None = None  # the next page and its message, not yet taken
    exhausted = finished = False
    try:
        pool.start()
        while True:
            # Hand out pages while a worker has room.
            while True:
                if held is None:
                    if again:
                        page = again.popleft()
                    elif exhausted:
                        break
                    elif (page := next(source, None)) is None:
                        exhausted = True
                        break
                    if page.id in done:
                        yield PageOutput(page.size, None, None)
                        continue
                    if page.error is not None:
                        record = page_record(page, error=page.error)
                        yield PageOutput(page.size, encode_record(record, fmt),
                                         record["error"])
                        continue
                    held = page, pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL)
                page, message = held
                worker = pool.taker(len(message))
                if worker is None:
                    break
                if pool.send(worker, page, message):
                    held = None
                elif not worker.pages:
                    log.warning("worker %s was found dead or stopped before a page; "
                                "replacing it", worker.process.pid)
                    again.extendleft(reversed(pool.replace(worker)))
            busy = [worker for worker in pool.workers if worker.pages]
            if not busy:
                finished = True
                return
            now = time.monotonic()
            timeout = max(0.0, min(worker.deadline for worker in busy) - now)
            answered = wait([worker.conn for worker in busy], timeout)
            for worker in busy:
                if worker.conn in answered:
                    yield from _collect(pool, worker, again, settings)
                elif time.monotonic() >= worker.deadline:
                    yield _timed_out(pool, worker, again, settings)
    finally:
        pool.close(finished)


def _collect(pool: BatchPool, worker: BatchWorker, again: deque,
             settings: Settings) -> Iterator[PageOutput]:
    """The answer ``worker`` sent for its first page; a worker that died with it (or asked
    to retire) is replaced and the pages it had not started are handed out again."""
    page = worker.pages[0]
    try:
        data, error, retire = worker.conn.recv()
    except (EOFError, OSError) as failure:
        if time.monotonic() >= worker.deadline:
            # Over its time limit: killed by the watchdog of a large page's handover (which
            # fires at the deadline), or gone past it anyway.
            yield _timed_out(pool, worker, again, settings)
            return
        log.error("worker %s died while cleaning a page (%s, exit code %s)",
                  worker.process.pid, type(failure).__name__, worker.process.exitcode)
        worker.pages.popleft()
        again.extendleft(reversed(pool.replace(worker)))
        record = page_record(page, error=WorkerFailed(FAILED_MESSAGE))
        yield PageOutput(page.size, encode_record(record, pool.fmt), record["error"])
        return
    worker.pages.popleft()
    # The next page it holds starts now.
    worker.deadline = time.monotonic() + settings.request_timeout
    if retire:
        log.info("worker %s is replaced after a page (memory)", worker.process.pid)
        again.extendleft(reversed(pool.replace(worker)))
    yield PageOutput(page.size, data, error)


def _timed_out(pool: BatchPool, worker: BatchWorker, again: deque,
               settings: Settings) -> PageOutput:
    """The ``timeout`` line for the page ``worker`` has been on too long; the worker is
    replaced and the pages it had not started are handed out again."""
    page = worker.pages.popleft()
    again.extendleft(reversed(pool.replace(worker)))
    record = page_record(page, error=timeout_error(settings.request_timeout))
    return PageOutput(page.size, encode_record(record, pool.fmt), record["error"])
