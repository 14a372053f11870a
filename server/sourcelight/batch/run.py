"""Driving a batch run: inputs in, one record per page out, on this machine or on Dask.

Locally the pages go to the service's own :class:`~sourcelight.workers.WorkerPool` (``-j``
processes), so a batch page has exactly the service's limits: ``request_timeout`` seconds
(then the worker is replaced and the page is a ``timeout`` line), ``max_html_chars``,
``max_elements`` and the rest of :class:`~sourcelight.settings.Settings`. One feeder thread
per worker hands pages read ahead by a reader thread to its worker; the calling thread makes
the records and writes them.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourcelightError, WorkerFailed
from ..settings import Settings
from .inputs import InputError, InputStats, Page, expand_inputs, read_pages
from .output import ResultWriter, page_record
from .progress import Progress, Summary

log = logging.getLogger(__name__)

FAILED_MESSAGE = ("Sourcelight failed on this page because of a bug on our side; the log above "
                  "has the details — please report it with the page.")
# Seconds a feeder waits to hand over a result before checking whether the run stopped.
HANDOVER_POLL_SECONDS = 0.5


@dataclass
class BatchOptions:
    """What ``sourcelight batch`` was asked to do."""

    inputs: list[str]
    out: str
    fmt: str = "jsonl"
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    resume: bool = False
    overwrite: bool = False
    progress: bool | None = None  # None: a bar when stderr is a terminal
    article_html: bool = True  # False: leave article.html out of the records (--no-html)
    dask: str | None = None  # a scheduler address: run there instead of here


def run_batch(options: BatchOptions, settings: Settings) -> Summary:
    """Annotate every page ``options`` names into ``options.out``; the run's summary.

    Raises :class:`InputError` or :class:`~sourcelight.batch.output.OutputError` before any
    page is read when the inputs or the output cannot be used. Ctrl-C stops the run with
    every finished page written (``summary.interrupted``).
    """
    stats = InputStats()
    files = expand_inputs(options.inputs, stats)
    files = _without_output(files, options.out)
    if not files:
        raise InputError("no pages to read: the inputs hold no .html/.htm, WARC or JSONL "
                         "files.")
    writer = ResultWriter(options.out, options.fmt, options.resume, options.overwrite)
    summary = Summary(skipped_files=stats.skipped_files)
    progress = Progress(sum(_size(path) for path in files), options.progress)
    started = time.monotonic()
    try:
        if options.dask:
            from .dask import run_on_dask

            results = run_on_dask(options.dask, files, settings, writer.done,
                                  options.article_html)
        else:
            results = run_local(read_pages(files, settings, stats), settings, options.jobs,
                                writer.done, options.article_html)
        for size, record in results:
            if record is not None:
                writer.write(record)
            summary.add(record)
            progress.update(size, summary)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        summary.seconds = time.monotonic() - started
        summary.skipped_records += stats.skipped_records
        progress.close()
        writer.close()
    return summary


def _without_output(files: list[Path], out: str) -> list[Path]:
    """The input files less the output file (an output inside an input folder, as on a
    resumed run, must not be read back as input), each file once."""
    target = Path(out).resolve() if out != "-" else None
    seen: set[Path] = set()
    kept = []
    for path in files:
        resolved = path.resolve()
        if resolved != target and resolved not in seen:
            seen.add(resolved)
            kept.append(path)
    return kept


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# ---------------------------------------------------------------------- one page
def annotate(page: Page, clean: Callable, done: set[str] | frozenset[str],
             article_html: bool = True) -> dict | None:
    """The record for ``page``, cleaned with ``clean(html, url) -> Result``; None when the
    page is already in the output."""
    if page.id in done:
        return None
    if page.error is not None:
        return page_record(page, error=page.error)
    return record_of(page, clean_page(page, clean), article_html)


def clean_page(page: Page, clean: Callable, stopping: threading.Event | None = None):
    """``clean(page.html, page.url)``'s Result, or the error the page ends with. Once
    ``stopping`` is set (the run was interrupted and its pool is closing under the page), a
    failure is expected and not logged: the page is not written."""
    try:
        return clean(page.html, page.url)
    except SourcelightError as error:
        return error
    except Exception:  # noqa: BLE001 - a bug on one page must not end a million-page run
        if stopping is None or not stopping.is_set():
            log.exception("batch: unexpected error on page %s (%s)", page.id, page.origin)
        return WorkerFailed(FAILED_MESSAGE)


def record_of(page: Page, outcome, article_html: bool = True) -> dict:
    """The record for ``page`` from what :func:`clean_page` gave."""
    if isinstance(outcome, SourcelightError):
        return page_record(page, error=outcome)
    try:
        record = page_record(page, outcome.to_dict())
    except Exception:  # noqa: BLE001 - as in clean_page: one page's bug is one failure line
        log.exception("batch: unexpected error on page %s (%s)", page.id, page.origin)
        return page_record(page, error=WorkerFailed(FAILED_MESSAGE))
    if not article_html:
        record["article"].pop("html", None)
    return record


# ---------------------------------------------------------------------- on this machine
def run_local(pages: Iterator[Page], settings: Settings, jobs: int,
              done: set[str] | frozenset[str] = frozenset(),
              article_html: bool = True) -> Iterator[tuple[int, dict | None]]:
    """``(input bytes, record)`` for every page, cleaned by ``jobs`` worker processes, in the
    order they finish.

    A worker must never wait for the parent: a reader thread reads (and gunzips) the next
    pages ahead, ``jobs`` feeder threads only hand a ready page to their worker and its
    result back, and the records are made and written here, in the calling thread, while
    the workers clean the next pages.
    """
    from ..workers import WorkerPool

    # As many pages may wait as there are feeders, so the pool never answers "busy".
    pool = WorkerPool(settings.with_overrides(workers=jobs, queue_size=jobs))
    # One page read ahead per worker: bounded memory (max_html_chars each) and no worker idle.
    ready: queue.Queue = queue.Queue(maxsize=jobs)
    results: queue.Queue = queue.Queue(maxsize=jobs * 4)
    stop = threading.Event()
    finished = object()

    def put(target: queue.Queue, item) -> bool:
        while not stop.is_set():
            try:
                target.put(item, timeout=HANDOVER_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def take():
        while not stop.is_set():
            try:
                return ready.get(timeout=HANDOVER_POLL_SECONDS)
            except queue.Empty:
                continue
        return finished

    def read() -> None:
        """Pages to the feeders; pages done already, or that could not be read, go straight
        to the results (no worker needed)."""
        try:
            for page in pages:
                if page.id in done:
                    item = (page, None)
                elif page.error is not None:
                    item = (page, page.error)
                else:
                    if not put(ready, page):
                        return
                    continue
                if not put(results, item):
                    return
        except BaseException as error:  # noqa: BLE001 - a reader bug ends the run loudly
            put(results, error)
        finally:
            for _ in range(jobs):
                put(ready, finished)

    def feed() -> None:
        try:
            while (page := take()) is not finished:
                if not put(results, (page, clean_page(page, pool.clean, stop))):
                    return
        finally:
            put(results, finished)

    try:
        pool.start(wait=True)
    except WorkerFailed:
        pool.close()
        raise
    threads = [threading.Thread(target=read, name="batch-reader", daemon=True)]
    threads += [threading.Thread(target=feed, name=f"batch-feeder-{n}", daemon=True)
                for n in range(jobs)]
    for thread in threads:
        thread.start()
    running = jobs
    try:
        while running:
            item = results.get()
            if item is finished:
                running -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                page, outcome = item
                record = None if outcome is None else record_of(page, outcome, article_html)
                yield page.size, record
    finally:
        stop.set()
        pool_log = logging.getLogger(WorkerPool.__module__)
        level = pool_log.level
        if running:  # stopped early: the pool's "worker died" for the pages cut off is no news
            pool_log.setLevel(logging.CRITICAL)
        try:
            pool.close()  # pages in work end at once (their feeders see a closed pool)
            for thread in threads:
                thread.join(HANDOVER_POLL_SECONDS * 2)
        finally:
            pool_log.setLevel(level)
