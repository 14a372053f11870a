"""The local batch run's plumbing (sourcelight.batch.run.run_local): pages are read ahead while
the workers clean, pages already done never reach a worker, and a reader that breaks ends the
run loudly."""

from __future__ import annotations

import threading

import pytest
from batch_pages import wcxb_pages

from sourcelight.batch.inputs import read_pages
from sourcelight.batch.run import run_local
from sourcelight.settings import Settings


@pytest.fixture(scope="module")
def pages():
    return wcxb_pages(4)


class CountingPages:
    """``read_pages`` over ``files``, counting the pages handed out (from the reader thread)."""

    def __init__(self, files, settings, fail_after: int | None = None):
        self._pages = read_pages(files, settings)
        self.read = 0
        self.fail_after = fail_after
        self.threads: set[str] = set()

    def __iter__(self):
        return self

    def __next__(self):
        if self.fail_after is not None and self.read == self.fail_after:
            raise RuntimeError("the reader broke")
        page = next(self._pages)
        self.read += 1
        self.threads.add(threading.current_thread().name)
        return page


def test_the_next_page_is_read_while_a_worker_cleans(pages):
    settings = Settings()
    source = CountingPages(pages, settings)
    results = run_local(source, settings, jobs=1)
    size, first = next(results)
    # With one worker, the second page was read (and waits, gunzipped) before the first
    # page's record was made: the worker never waits for the parent to read.
    read_when_first_done = source.read
    rest = list(results)
    assert read_when_first_done >= 2
    assert size > 0 and "article" in first
    assert len(rest) == len(pages) - 1 and all("article" in r for _, r in rest)
    assert source.threads == {"batch-reader"}


def test_pages_already_done_are_skipped_without_a_worker(pages):
    settings = Settings()
    all_pages = list(read_pages(pages, settings))
    done = {all_pages[0].id, all_pages[2].id}
    results = list(run_local(iter(all_pages), settings, jobs=2, done=done))
    assert len(results) == len(pages)
    skipped = [record for _, record in results if record is None]
    written = {record["id"] for _, record in results if record is not None}
    assert len(skipped) == 2
    assert written == {page.id for page in all_pages} - done


def test_a_broken_reader_ends_the_run_with_its_error(pages):
    settings = Settings()
    source = CountingPages(pages, settings, fail_after=2)
    seen = []
    with pytest.raises(RuntimeError, match="the reader broke"):
        for _, record in run_local(source, settings, jobs=2):
            seen.append(record)
    assert len(seen) <= 2
