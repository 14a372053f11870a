"""Driving a batch run: inputs in, one record per page out, on this machine or on Dask.

Locally the pages go to the service's own :class:`~sourcelight.workers.WorkerPool` (``-j``
processes), so a batch page has exactly the service's limits: ``request_timeout`` seconds
(then the worker is replaced and the page is a ``timeout`` line), ``max_html_chars``,
``max_elements`` and the rest of :class:`~sourcelight.settings.Settings`. One feeder thread
per worker reads the next page and waits for its worker; the calling thread writes.
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
    try:
        record = page_record(page, clean(page.html, page.url).to_dict())
    except SourcelightError as error:
        return page_record(page, error=error)
    except Exception:  # noqa: BLE001 - a bug on one page must not end a million-page run
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
    order they finish."""
    from ..workers import WorkerPool

    # As many pages may wait as there are feeders, so the pool never answers "busy".
    pool = WorkerPool(settings.with_overrides(workers=jobs, queue_size=jobs))
    results: queue.Queue = queue.Queue(maxsize=jobs * 4)
    stop = threading.Event()
    source_lock = threading.Lock()
    finished = object()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                results.put(item, timeout=HANDOVER_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def feed() -> None:
        try:
            while not stop.is_set():
                with source_lock:  # the readers are generators: one thread at a time
                    page = next(pages, None)
                if page is None:
                    return
                record = annotate(page, pool.clean, done, article_html)
                if not hand_over((page.size, record)):
                    return
        except BaseException as error:  # noqa: BLE001 - a reader bug ends the run loudly
            hand_over(error)
        finally:
            hand_over(finished)

    try:
        pool.start(wait=True)
    except WorkerFailed:
        pool.close()
        raise
    feeders = [threading.Thread(target=feed, name=f"batch-feeder-{n}", daemon=True)
               for n in range(jobs)]
    for thread in feeders:
        thread.start()
    running = len(feeders)
    try:
        while running:
            item = results.get()
            if item is finished:
                running -= 1
            elif isinstance(item, BaseException):
                raise item
            else:
                yield item
    finally:
        stop.set()
        pool_log = logging.getLogger(WorkerPool.__module__)
        level = pool_log.level
        if running:  # stopped early: the pool's "worker died" for the pages cut off is no news
            pool_log.setLevel(logging.CRITICAL)
        try:
            pool.close()  # pages in work end at once (their feeders see a closed pool)
            for thread in feeders:
                thread.join(HANDOVER_POLL_SECONDS * 2)
        finally:
            pool_log.setLevel(level)
