"""Worker processes that run the pipeline: a hard time limit per page and bounded concurrency.

Why processes: a page can keep the pipeline busy for a long time (readability on a huge page,
the annotation stage on megabytes of text), and Python cannot stop a thread. Each page goes to
a worker process of its own; one that overruns ``Settings.request_timeout`` is killed and
replaced, and the caller gets 504 ``timeout``. At most ``Settings.workers`` pages are in work
and ``Settings.queue_size`` more may wait for a worker; past that the caller gets 503 ``busy``
with ``Retry-After``.

Typed errors raised in a worker (``NoArticle``, ``TooComplex``, ``NotHtml``, …) arrive in the
caller as the same errors. Anything else a worker raises, or a worker that dies, is a bug: the
caller gets :class:`~sourcelight.errors.WorkerFailed` (500, no details) and the worker is
replaced.

The time limit covers everything a page costs: a watchdog kills the worker at the deadline
whether the page is still being handed over (a stopped worker does not read its pipe), being
cleaned, or its answer being sent back; the API's answer is encoded as JSON in the worker
(:mod:`sourcelight.worker_process`), so the service process only passes bytes on. A worker
found dead or stopped before a page is replaced and the page goes to another; one that asks
to retire after a page (memory, see worker_process) is replaced by a fresh one.

Workers are started by multiprocessing's fork server where the system has one (spawn
elsewhere). The fork server imports :mod:`sourcelight.warm`, which loads the pipeline's models
once, so a replacement worker is ready in milliseconds and the workers share that memory.

The pool starts its workers on first use (``start()`` starts them at once); ``close()`` stops
them, and a pool that is garbage-collected or still open at exit stops them too.
"""

from __future__ import annotations

import collections
import logging
import math
import multiprocessing
import threading
import time
import weakref
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

from .errors import Busy, SourcelightError, Timeout, WorkerFailed
from .model import Result
from .settings import Settings
from .worker_process import CRASH, ERROR, OK, READY, Answer, Job, worker_main

log = logging.getLogger(__name__)

# Imported by the fork server before it forks any worker (see sourcelight.warm).
PRELOAD_MODULES = ["sourcelight.warm"]
# Seconds an idle worker gets to exit on its own at close before it is killed.
CLOSE_GRACE_SECONDS = 1.0
# Seconds to wait for a killed worker to be gone.
KILL_WAIT_SECONDS = 5.0

FAILED_MESSAGE = (
    "Sourcelight failed on this page because of a bug on our side. Nothing was changed; "
    "the service log has the details — please report it with the page's URL."
)



def pool_context() -> BaseContext:
    """The fork server where the system has one (Linux, macOS), else spawn (Windows).

    Never plain fork: the service runs threads (waitress), and forking a threaded process can
    copy a lock another thread holds.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(PRELOAD_MODULES)
        return context
    return multiprocessing.get_context("spawn")


@dataclass(eq=False)
class Worker:
    """One worker process and the parent's end of its pipe."""

    process: BaseProcess
    conn: Connection
    ready: bool = False
    pages: int = 0
    released: bool = False  # killed and its handles closed (see kill_worker)

    @property
    def pid(self) -> int | None:
        return self.process.pid


@dataclass
class PoolStatus:
    """What the pool is doing right now (for logs, tests and the load bench)."""

    workers: int
    in_work: int
    waiting: int
    pids: list[int] = field(default_factory=list)


class WorkerPool:
    """A fixed number of worker processes that clean pages, one page per worker at a time."""

    def __init__(self, settings: Settings):
        if settings.workers < 1:
            raise ValueError("Settings.workers must be at least 1")
        self.settings = settings
        self._context = pool_context()
        self._lock = threading.Condition()
        self._idle: list[Worker] = []
        # Every live worker, idle or in work; shared with the finaliser, which must not hold
        # a reference to the pool itself.
        self._workers: set[Worker] = set()
        self._in_work = 0
        # One token per page waiting for a worker, in arrival order.
        self._queue: collections.deque[object] = collections.deque()
        self._started = False
        self._closed = False
        self._finalizer = weakref.finalize(self, stop_workers, self._workers)

    # ------------------------------------------------------------------ life cycle
    def start(self, wait: bool = False) -> None:
        """Start the workers (once); with ``wait``, return only when all are warm, raising
        :class:`WorkerFailed` if one cannot start."""
        with self._lock:
            if self._closed:
                raise RuntimeError("the worker pool is closed")
            self._start_workers_once()
            if not wait:
                return
            # Out of the idle list while they warm up: no page may be sent to them meanwhile.
            starting = [worker for worker in self._idle if not worker.ready]
            self._idle = [worker for worker in self._idle if worker.ready]
            self._in_work += len(starting)
        failed = None
        for worker in starting:
            try:
                self._await_ready(worker)
                self._give_back(worker, healthy=True)
            except WorkerFailed as error:
                self._give_back(worker, healthy=False)
                failed = error
        if failed is not None:
            raise failed

    def _start_workers_once(self) -> None:
        """Start ``settings.workers`` workers the first time (call with the lock held)."""
        if not self._started and not self._closed:
            self._started = True
            self._idle.extend(self._start_worker() for _ in range(self.settings.workers))

    def close(self) -> None:
        """Stop every worker; pages in work get 500, callers waiting for a worker get 503."""
        with self._lock:
            self._closed = True
            self._idle.clear()
            self._lock.notify_all()
        self._finalizer()

    @property
    def closed(self) -> bool:
        return self._closed

    def status(self) -> PoolStatus:
        """How many workers there are, how many pages are in work and how many wait."""
        with self._lock:
            pids = sorted(w.pid for w in self._workers if w.pid is not None)
            return PoolStatus(len(self._workers), self._in_work, len(self._queue), pids)

    # ------------------------------------------------------------------ one page
    def clean(self, html: str | bytes, url: str | None) -> Result:
        """Clean one page in a worker: :func:`sourcelight.pipeline.clean`'s result, or its
        typed error; :class:`Busy`, :class:`Timeout` or :class:`WorkerFailed` from the pool."""
        return self.run(Job(html, url))

    def clean_to_json(self, html: str | bytes, url: str | None) -> Answer:
        """Clean one page and encode its answer, both in the worker and inside the time
        limit: the API's JSON body, at most ``settings.answer_limit(len(html))`` bytes
        (else :class:`~sourcelight.errors.AnswerTooLarge`)."""
        return self.run(Job(html, url, as_json=True))

    def run(self, job: Job) -> Any:
        """Hand ``job`` to a worker and return what it made, or raise its typed error."""
        # A worker found dead or stopped before the page reached it is replaced and the page
        # goes to another: it never started there. Every worker may be such a one, once.
        attempts = self.settings.workers + 1
        for attempt in range(attempts):
            worker = self._take_worker()
            healthy = False
            try:
                kind, value, retire = self._exchange(worker, job)
                healthy = kind in (OK, ERROR) and not retire
            except _NotHandedOver:
                if attempt + 1 == attempts:
                    raise WorkerFailed(FAILED_MESSAGE) from None
                continue
            finally:
                self._give_back(worker, healthy)
            if kind == OK:
                return value
            if kind == ERROR:
                raise value
            raise WorkerFailed(FAILED_MESSAGE)
        raise WorkerFailed(FAILED_MESSAGE)  # not reached: the loop returns or raises

    def _take_worker(self) -> Worker:
        """An idle worker, waiting for one in arrival order if the queue has room (at most as
        long as the pages ahead of this one can take: :meth:`max_wait`)."""
        settings = self.settings
        with self._lock:
            self._start_workers_once()
            self._top_up()
            # First come, first served: a newcomer never takes a worker a waiting page is
            # owed, or an unlucky page could wait behind every later one.
            must_wait = not self._idle or bool(self._queue)
            if self._closed or (must_wait and len(self._queue) >= settings.queue_size):
                raise self._busy()
            if not must_wait:
                return self._hand_out()
            turn = object()
            self._queue.append(turn)
            try:
                deadline = time.monotonic() + self.max_wait()
                while not (self._idle and self._queue[0] is turn) and not self._closed:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise self._busy()
                    self._lock.wait(remaining)
                if self._closed:
                    raise self._busy()
                return self._hand_out()
            finally:
                self._queue.remove(turn)
                # The next in line may now be first, with a worker free for it.
                self._lock.notify_all()

    def _hand_out(self) -> Worker:
        """Take an idle worker for a page (call with the lock held)."""
        worker = self._idle.pop()
        self._in_work += 1
        return worker

    def max_wait(self) -> float:
        """Seconds a page may wait for a worker: every page ahead of it (a full queue) stops
        within ``request_timeout``, so it waits at most that many rounds of the workers."""
        settings = self.settings
        rounds = 1 + math.ceil(settings.queue_size / settings.workers)
        return rounds * settings.request_timeout

    def _busy(self) -> Busy:
        settings = self.settings
        if self._closed:
            return Busy("Sourcelight is shutting down. Start it again (`sourcelight serve`) "
                        "and retry.", settings.retry_after)
        return Busy(
            f"Sourcelight is busy: {self._in_work} pages are being cleaned and "
            f"{len(self._queue)} are waiting, the most it takes at once. Try again in "
            f"{settings.retry_after} seconds (or raise workers / queue_size in the settings).",
            settings.retry_after,
        )

    def _exchange(self, worker: Worker, job: Job) -> tuple[str, Any, bool]:
        """Send ``job`` to ``worker`` and return its reply, all within the time limit.

        The limit covers handing the page over as well as the work: a stopped worker (or one
        that stopped reading) would otherwise block the send of a large page for as long as
        it stays stopped. A watchdog kills the worker at the deadline, which ends whatever
        the pipe was waiting for.
        """
        if not worker.ready:
            self._await_ready(worker)
        if not worker.process.is_alive() or is_stopped(worker.pid):
            log.warning("worker %s was found dead or stopped (exit code %s) before a page; "
                        "replacing it", worker.pid, worker.process.exitcode)
            raise _NotHandedOver
        timeout = self.settings.request_timeout
        deadline = time.monotonic() + timeout
        watchdog = Watchdog(worker, timeout)
        try:
            try:
                worker.conn.send(job)
            except (EOFError, OSError):
                if watchdog.fired:
                    raise self._timeout() from None
                log.warning("worker %s died before it got a page; trying a fresh one",
                            worker.pid)
                raise _NotHandedOver from None
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())) or watchdog.fired:
                raise self._timeout()
            reply = worker.conn.recv()
        except (EOFError, OSError) as error:
            if watchdog.fired:
                raise self._timeout() from None
            log.error("worker %s died while cleaning a page (%s, exit code %s)", worker.pid,
                      type(error).__name__, worker.process.exitcode)
            raise WorkerFailed(FAILED_MESSAGE) from None
        finally:
            watchdog.cancel()
        kind, value, retire = reply
        worker.pages += 1
        if kind == ERROR and not isinstance(value, SourcelightError):
            log.error("worker %s sent an error that is not a SourcelightError", worker.pid)
            return CRASH, None, True
        if retire:
            log.info("worker %s is replaced after a page (memory)", worker.pid)
        return kind, value, retire

    def _timeout(self) -> Timeout:
        return timeout_error(self.settings.request_timeout)

    def _await_ready(self, worker: Worker) -> None:
        """Wait for a new worker's "ready" (sent once its models are loaded)."""
        try:
            if worker.conn.poll(self.settings.worker_start_timeout):
                kind, _, _ = worker.conn.recv()
                if kind == READY:
                    worker.ready = True
                    return
        except (EOFError, OSError):
            pass
        log.error("worker %s did not start (exit code %s)", worker.pid, worker.process.exitcode)
        raise WorkerFailed(FAILED_MESSAGE)

    def _give_back(self, worker: Worker, healthy: bool) -> None:
        """Return a worker after a page; an unhealthy one is stopped and a new one started."""
        with self._lock:
            self._in_work -= 1
            if healthy and not self._closed:
                self._idle.append(worker)
            else:
                self._stop(worker)
                self._top_up()
            self._lock.notify_all()

    def _top_up(self) -> None:
        """Start workers until there are ``settings.workers`` again (call with the lock held).
        A failure to start one is logged; the next page tries again."""
        while not self._closed and len(self._workers) < self.settings.workers:
            try:
                self._idle.append(self._start_worker())
            except OSError:
                log.exception("could not start a worker process")
                return

    def _start_worker(self) -> Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_main, args=(child_end, self.settings), name="sourcelight-worker",
            daemon=True)
        process.start()
        child_end.close()
        worker = Worker(process, parent_end)
        self._workers.add(worker)
        return worker

    def _stop(self, worker: Worker) -> None:
        self._workers.discard(worker)
        kill_worker(worker)


def timeout_error(timeout: float) -> Timeout:
    """The error for a page that ran over ``timeout`` seconds (its worker is stopped)."""
    log.warning("a page ran over the %.1fs limit; its worker is stopped", timeout)
    return Timeout(
        f"This page took longer than {format_seconds(timeout)}, the time limit, "
        "and was stopped. Very long pages (whole books, endless feeds, huge "
        "tables) take too long: open the article on its own page and try again, "
        "or raise request_timeout in the settings."
    )


class _NotHandedOver(Exception):
    """The worker was dead before the page reached it: another worker may take the page."""


class Watchdog:
    """Kills ``worker`` after ``seconds`` unless cancelled first; ``fired`` says it did."""

    def __init__(self, worker: Worker, seconds: float):
        self.fired = False
        self._worker = worker
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        try:
            self._worker.process.kill()
        except (ValueError, AttributeError):  # already closed
            pass

    def cancel(self) -> None:
        self._timer.cancel()


def stop_workers(workers: set[Worker]) -> None:
    """Stop every worker in ``workers``: idle ones are asked to exit, the rest are killed."""
    for worker in list(workers):
        try:
            worker.conn.send(None)
        except (OSError, ValueError):
            pass
    deadline = time.monotonic() + CLOSE_GRACE_SECONDS
    for worker in list(workers):
        try:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        except ValueError:  # closed meanwhile by the page that was using it
            pass
        kill_worker(worker)
    workers.clear()


# kill_worker may be called for the same worker by two threads at once (a page's thread giving
# it back after a failure, close() stopping every worker): only the first may close its
# handles, or a second os.close() hits a file descriptor number already reused elsewhere.
_KILL_LOCK = threading.Lock()


def kill_worker(worker: Worker) -> None:
    """Kill a worker process (if it still runs) and release its pipe, once."""
    with _KILL_LOCK:
        if worker.released:
            return
        worker.released = True
    kill_and_reap(worker.process, worker.conn)


def kill_and_reap(process: BaseProcess, conn: Connection) -> None:
    """Kill a worker process if it still runs, reap it and close its pipe (a pool's and a
    batch run's workers alike)."""
    try:
        if process.is_alive():
            process.kill()
        process.join(KILL_WAIT_SECONDS)
        process.close()
    except ValueError:  # already closed
        pass
    conn.close()


def is_stopped(pid: int | None) -> bool:
    """True when ``pid`` is stopped (SIGSTOP, a debugger): it would take a page and never
    answer. Read from /proc; False where there is none."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] in (b"T", b"t")
    except (OSError, IndexError):
        return False


def format_seconds(seconds: float) -> str:
    """``10 seconds``, ``1 second``, ``0.5 seconds``."""
    shown = f"{seconds:g}"
    return f"{shown} second" + ("" if shown == "1" else "s")
