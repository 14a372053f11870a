"""Driving a batch run: inputs in, one record per page out, on this machine or on Dask.

Locally the pages go to ``-j`` worker processes (:mod:`sourcelight.batch.local`) with the
service's limits: ``request_timeout`` seconds (then the worker is replaced and the page is a
``timeout`` line), ``max_html_chars``, ``max_elements`` and the rest of
:class:`~sourcelight.settings.Settings`; the workers send back each page's encoded output,
which the calling thread writes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourcelightError, WorkerFailed
from ..settings import Settings
from .inputs import InputError, InputStats, Page, expand_inputs, read_pages
from .local import PageOutput, run_local
from .output import ResultWriter, encode_record, page_record
from .progress import Progress, Summary

log = logging.getLogger(__name__)

FAILED_MESSAGE = ("Sourcelight failed on this page because of a bug on our side; the log above "
                  "has the details — please report it with the page.")

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

            results = encoded(run_on_dask(options.dask, files, settings, writer.done,
                                          options.article_html), options.fmt)
        else:
            results = run_local(read_pages(files, settings, stats, defer_files=True),
                                settings, options.jobs, writer.done, options.article_html,
                                options.fmt)
        for size, data, error in results:
            if data is not None:
                writer.write_encoded(data)
            summary.add_page(data is not None, error)
            progress.update(size, summary)
    except KeyboardInterrupt:
        summary.interrupted = True
    finally:
        summary.seconds = time.monotonic() - started
        summary.skipped_records += stats.skipped_records
        progress.close()
        writer.close()
    return summary


def encoded(results: Iterable[tuple[int, dict | None]], fmt: str) -> Iterator[PageOutput]:
    """``(input bytes, record)`` pairs as page outputs (:class:`PageOutput`) in ``fmt``."""
    for size, record in results:
        if record is None:
            yield PageOutput(size, None, None)
        else:
            yield PageOutput(size, encode_record(record, fmt), record.get("error"))


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
