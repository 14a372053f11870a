"""The same batch work on a Dask cluster: a bag (or dataframe) of records, and the CLI's
``--dask ADDRESS``.

The work is split by input file: each WARC or JSONL file is one partition, and saved pages go
in groups of :data:`FILES_PER_PARTITION`. Files are read on the workers (only their names
travel), so every worker must see the inputs at the same paths (a shared or network file
system, or object storage mounted the same way) and have Sourcelight installed.

Each Dask worker process cleans its pages with the service's
:class:`~sourcelight.workers.WorkerPool` (one process per Dask thread), so the per-page time
limit holds there too. ``dask worker``'s default (nanny) processes are daemonic and may not
start processes of their own; there the pages are cleaned in the Dask worker's threads with
the size and complexity limits but without the time limit, and the worker logs a warning once.
Start workers with ``DASK_DISTRIBUTED__WORKER__DAEMON=False`` to keep the time limit.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..settings import Settings
from .inputs import expand_inputs, file_kind, read_pages
from .output import CSV_COLUMNS, csv_rows
from .run import annotate

log = logging.getLogger(__name__)

# Saved pages per partition: enough to amortise a task's overhead (~1 ms) over ~50 ms pages,
# few enough that a worker that fails loses little work.
FILES_PER_PARTITION = 50
# Seconds to wait for the scheduler at --dask ADDRESS before giving up.
CONNECT_TIMEOUT_SECONDS = 30

_cleaners: dict[str, Callable] = {}
_cleaners_lock = threading.Lock()


# ---------------------------------------------------------------------- the Python API
def annotate_bag(inputs: Iterable[str], settings: Settings | None = None, *,
                 files_per_partition: int = FILES_PER_PARTITION,
                 article_html: bool = True):
    """A ``dask.bag.Bag`` of page records (the JSONL records of ``sourcelight batch``) for
    the files, folders and globs in ``inputs``. Nothing runs until it is computed, on the
    scheduler in use (``distributed.Client(address)`` makes a cluster the one in use).
    """
    bag = results_bag(expand_inputs(list(inputs)), settings or Settings(), frozenset(),
                      article_html, files_per_partition)
    return bag.map_partitions(_records_only)


def annotate_dataframe(inputs: Iterable[str], settings: Settings | None = None, *,
                       files_per_partition: int = FILES_PER_PARTITION):
    """A ``dask.dataframe.DataFrame`` with the CSV's columns: one row per attribution or
    candidate (``marked`` tells them apart), one per page without any, one per failed page.
    ``.to_parquet(folder)`` writes it as Parquet."""
    import pandas

    bag = annotate_bag(inputs, settings, files_per_partition=files_per_partition,
                       article_html=False)
    meta = pandas.DataFrame({column: pandas.Series(dtype=_dtype(column))
                             for column in CSV_COLUMNS})
    return bag.map_partitions(_frame_rows).to_dataframe(meta=meta)


def _dtype(column: str) -> str:
    """Typed columns (nullable text and booleans), which Parquet stores as such."""
    return {"confidence": "float64", "marked": "bool",
            "anonymous": "boolean"}.get(column, "string")


def _records_only(items: list) -> list[dict]:
    return [record for _, record in items if record is not None]


def _frame_rows(records: list[dict]) -> list[dict]:
    """CSV rows as typed values: booleans for ``marked``/``anonymous``, floats, None."""
    rows = []
    for record in records:
        for row in csv_rows(record):
            typed = {column: row.get(column) for column in CSV_COLUMNS}
            typed["marked"] = row.get("marked") == "true"
            typed["anonymous"] = {"true": True, "false": False}.get(row.get("anonymous"))
            confidence = row.get("confidence")
            typed["confidence"] = float(confidence) if confidence is not None else None
            rows.append(typed)
    return rows


# ---------------------------------------------------------------------- the graph
def plan_partitions(files: list[Path], files_per_partition: int) -> list[list[str]]:
    """Groups of file names, one group per task: a WARC or JSONL file alone, saved pages
    ``files_per_partition`` at a time (in order)."""
    groups: list[list[str]] = []
    pages: list[str] = []
    for path in files:
        if file_kind(path) in ("warc", "jsonl"):
            groups.append([str(path)])
        else:
            pages.append(str(path))
            if len(pages) >= files_per_partition:
                groups.append(pages)
                pages = []
    if pages:
        groups.append(pages)
    return groups


def results_bag(files: list[Path], settings: Settings, done: frozenset[str],
                article_html: bool, files_per_partition: int = FILES_PER_PARTITION):
    """A bag of ``(input bytes, record or None)``, one partition per group of files."""
    import dask
    import dask.bag

    groups = plan_partitions(files, max(1, files_per_partition))
    if not groups:
        return dask.bag.from_sequence([], npartitions=1)
    # One object in the graph, sent once to each worker, not once per task.
    shared_done = dask.delayed(frozenset(done), pure=True)
    bag = dask.bag.from_sequence(groups, npartitions=len(groups))
    return bag.map_partitions(annotate_partition, settings, shared_done, article_html)


def annotate_partition(groups: list[list[str]], settings: Settings, done: frozenset[str],
                       article_html: bool) -> list[tuple[int, dict | None]]:
    """Run on a Dask worker: read and clean the pages of the files in ``groups``."""
    clean = process_cleaner(settings)
    results = []
    for group in groups:
        for page in read_pages([Path(name) for name in group], settings):
            results.append((page.size, annotate(page, clean, done, article_html)))
    return results


def process_cleaner(settings: Settings) -> Callable:
    """This Dask worker process's ``clean(html, url) -> Result``, made once per settings: a
    :class:`~sourcelight.workers.WorkerPool` when the process may start others, else the
    pipeline in this thread (see the module docstring)."""
    key = repr(settings)
    with _cleaners_lock:
        cleaner = _cleaners.get(key)
        if cleaner is None:
            cleaner = _cleaners[key] = _make_cleaner(settings)
    return cleaner


def _make_cleaner(settings: Settings) -> Callable:
    if multiprocessing.current_process().daemon:
        log.warning("this Dask worker is a daemonic process and cannot start Sourcelight's "
                    "worker processes: pages are cleaned without the per-page time limit "
                    "(start workers with DASK_DISTRIBUTED__WORKER__DAEMON=False to keep it)")
        from ..pipeline import clean, warm_up

        warm_up(settings)
        return lambda html, url: clean(html, url, settings)
    from ..workers import WorkerPool

    threads = _dask_threads()
    pool = WorkerPool(settings.with_overrides(workers=threads, queue_size=threads))
    pool.start(wait=True)
    return pool.clean


def _dask_threads() -> int:
    """Threads of the Dask worker this runs in (1 outside one)."""
    try:
        from distributed import get_worker

        return max(1, get_worker().state.nthreads)
    except (ImportError, ValueError, AttributeError):
        return 1


# ---------------------------------------------------------------------- the CLI's --dask
def run_on_dask(address: str, files: list[Path], settings: Settings, done: set[str],
                article_html: bool) -> Iterator[tuple[int, dict | None]]:
    """``(input bytes, record)`` for every page, computed on the cluster at ``address``,
    yielded partition by partition as they finish (so the output grows as the run goes)."""
    from distributed import Client, as_completed

    client = Client(address, timeout=CONNECT_TIMEOUT_SECONDS)
    try:
        bag = results_bag(files, settings, frozenset(done), article_html)
        futures = client.compute(bag.to_delayed())
        for future in as_completed(futures):
            items = future.result()
            future.release()  # written below: the cluster need not keep it
            yield from items
    finally:
        client.close()
