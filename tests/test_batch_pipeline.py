"""The local batch run's plumbing (sourcelight.batch.local.run_local): each worker holds the
next page while it cleans one, saved pages are read by the workers, pages already done never
reach a worker, a worker that dies or runs over the time limit gives back the pages it had not
started, and a reader that breaks ends the run loudly."""

from __future__ import annotations

import multiprocessing
import os
import signal

import pytest
from batch_pages import wcxb_pages

from sourcelight.batch import local
from sourcelight.batch.inputs import read_pages
from sourcelight.batch.run import run_local
from sourcelight.settings import Settings


@pytest.fixture(scope="module")
def pages():
    return wcxb_pages(4)


class CountingPages:
    """``read_pages`` over ``files`` (saved pages named, read by the workers), counting the
    pages handed out."""

    def __init__(self, files, settings, fail_after: int | None = None):
        self._pages = read_pages(files, settings, defer_files=True)
        self.read = 0
        self.fail_after = fail_after

    def __iter__(self):
        return self

    def __next__(self):
        if self.fail_after is not None and self.read == self.fail_after:
            raise RuntimeError("the reader broke")
        page = next(self._pages)
        self.read += 1
        return page


def test_a_worker_holds_the_next_page_while_it_cleans_one(pages):
    settings = Settings()
    source = CountingPages(pages, settings)
    results = run_local(source, settings, jobs=1)
    first = next(results)
    # With one worker, the second page was handed to it before the first page's answer
    # came back: the worker never waits for the parent between two pages.
    read_when_first_done = source.read
    rest = [out.record() for out in results]
    assert read_when_first_done >= 2
    assert first.size > 0 and first.error is None and "article" in first.record()
    assert first.data.endswith(b"\n") and first.data.count(b"\n") == 1
    assert len(rest) == len(pages) - 1 and all("article" in r for r in rest)


def test_pages_already_done_are_skipped_without_a_worker(pages):
    settings = Settings()
    all_pages = list(read_pages(pages, settings))
    done = {all_pages[0].id, all_pages[2].id}
    results = [out.record() for out in run_local(iter(all_pages), settings, jobs=2,
                                                 done=done)]
    assert len(results) == len(pages)
    skipped = [record for record in results if record is None]
    written = {record["id"] for record in results if record is not None}
    assert len(skipped) == 2
    assert written == {page.id for page in all_pages} - done


def test_a_broken_reader_ends_the_run_with_its_error(pages):
    settings = Settings()
    source = CountingPages(pages, settings, fail_after=2)
    seen = []
    with pytest.raises(RuntimeError, match="the reader broke"):
        for out in run_local(source, settings, jobs=2):
            seen.append(out)
    assert len(seen) <= 2


def test_a_worker_killed_in_work_fails_its_page_and_gives_back_the_next(pages):
    settings = Settings()
    results = run_local(read_pages(pages, settings, defer_files=True), settings, jobs=1)
    outputs = [next(results)]
    # The worker now cleans the second page and holds the third: kill it.
    workers = [process for process in multiprocessing.active_children()
               if process.name == "sourcelight-batch-worker"]
    assert len(workers) == 1
    os.kill(workers[0].pid, signal.SIGKILL)
    outputs += list(results)
    records = [out.record() for out in outputs]
    assert sorted(record["id"] for record in records) == \
        sorted(page.id for page in read_pages(pages, settings, defer_files=True))
    assert [record.get("error") for record in records].count("internal_error") == 1
    assert sum("article" in record for record in records) == len(pages) - 1


def test_a_large_page_goes_only_to_an_idle_worker(pages, monkeypatch):
    # A send that fills the pipe of a worker busy with another page would block the parent.
    monkeypatch.setattr(local, "QUEUED_MESSAGE_BYTES", 1)
    settings = Settings()
    source = CountingPages(pages, settings)
    results = run_local(source, settings, jobs=1)
    next(results)
    read_when_first_done = source.read
    assert read_when_first_done == 2  # the second page read, but not handed over
    assert all(out.error is None for out in results)


def test_a_worker_over_its_memory_limit_is_replaced_and_gives_back_the_next_page(pages,
                                                                                 caplog):
    # Every worker holds more than 1 byte after a page, even trimmed: each page retires one.
    settings = Settings(worker_max_rss=1)
    source = CountingPages(pages, settings)
    with caplog.at_level("INFO", logger=local.__name__):
        outputs = list(run_local(source, settings, jobs=1))
    replaced = [r for r in caplog.records if "replaced after a page" in r.getMessage()]
    assert len(replaced) == len(pages)
    assert len(outputs) == len(pages) == source.read
    assert all(out.error is None for out in outputs)
    assert len({out.record()["id"] for out in outputs}) == len(pages)
