"""The batch work on Dask: a ``distributed.LocalCluster`` with two worker processes gives the
same records for the same 200 corpus pages as the local run, through the Python API (bag and
dataframe, Parquet) and through ``sourcelight batch --dask ADDRESS``.

Bounded in time: the cluster's calls carry timeouts, and a watchdog ends the test process
(with every thread's stack) if the module as a whole ever runs over :data:`MODULE_DEADLINE`.
"""

from __future__ import annotations

import faulthandler
import json
import sys
from pathlib import Path

import pytest
from batch_pages import assert_same_records, by_id, read_jsonl, run_batch_cli, wcxb_pages

distributed = pytest.importorskip("distributed")  # the test extra installs it

from sourcelight.batch.dask import annotate_bag, annotate_dataframe  # noqa: E402
from sourcelight.batch.inputs import read_pages  # noqa: E402
from sourcelight.batch.run import run_local  # noqa: E402
from sourcelight.settings import Settings  # noqa: E402

PAGES = 200
# Seconds for the whole module (2 cores: ~15 s per pass over 200 pages, three passes).
MODULE_DEADLINE = 420
# Seconds any one cluster call may take.
CALL_TIMEOUT = 240


@pytest.fixture(scope="module", autouse=True)
def watchdog():
    faulthandler.dump_traceback_later(MODULE_DEADLINE, exit=True, file=sys.stderr)
    yield
    faulthandler.cancel_dump_traceback_later()


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes, one thread each, on loopback; gone after the module."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      host="127.0.0.1", dashboard_address="127.0.0.1:0",
                      worker_dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    return wcxb_pages(PAGES)


@pytest.fixture(scope="module")
def local_records(pages) -> dict[str, dict]:
    """The same pages through the local worker pool (``-j 2``)."""
    settings = Settings()
    return by_id([out.record() for out in run_local(read_pages(pages, settings), settings,
                                                    2)])


def test_bag_on_a_local_cluster_matches_the_local_run(cluster, pages, local_records):
    from distributed import Client

    with Client(cluster.scheduler_address, timeout=60) as client:
        bag = annotate_bag([str(p) for p in pages], files_per_partition=25)
        assert bag.npartitions == PAGES // 25
        records = client.compute(bag).result(timeout=CALL_TIMEOUT)
        workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    assert len(records) == PAGES
    assert_same_records(by_id(records), local_records)
    assert sum(len(r.get("attributions", [])) for r in records) > 100


def test_cli_dask_address_writes_the_same_jsonl(cluster, pages, local_records, tmp_path,
                                                capsys):
    out = tmp_path / "out.jsonl"
    code, err = run_batch_cli(capsys, *[str(p) for p in pages], "--out", str(out),
                              "--dask", cluster.scheduler_address)
    assert code == 0, err
    assert f"{PAGES} pages" in err
    assert_same_records(by_id(read_jsonl(out)), local_records)


def test_dataframe_lands_in_parquet(cluster, pages, local_records, tmp_path):
    import pandas
    from distributed import Client

    subset = pages[:40]
    with Client(cluster.scheduler_address, timeout=60) as client:
        frame = annotate_dataframe([str(p) for p in subset], files_per_partition=20)
        future = client.compute(frame.to_parquet(str(tmp_path / "parquet"), compute=False))
        future.result(timeout=CALL_TIMEOUT)
    table = pandas.read_parquet(tmp_path / "parquet")
    marked = table[table["marked"]]
    expected = [a for r in local_records.values()
                if r["origin"]["path"] in {str(p) for p in subset}
                for a in r.get("attributions", [])]
    assert len(marked) == len(expected) > 0
    assert sorted(marked["content"]) == sorted(a["quoted"]["content"] for a in expected)
    assert table["confidence"].dtype == "float64"
    assert set(table["page"]) == {r["id"] for r in local_records.values()
                                  if r["origin"]["path"] in {str(p) for p in subset}}


def test_time_limit_holds_on_workers_that_may_start_processes(pages):
    """With non-daemonic Dask workers (DASK_DISTRIBUTED__WORKER__DAEMON=False), each cleans
    its pages in the service's worker pool: a page over the time limit is a timeout record."""
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}), \
            LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address="127.0.0.1:0",
                         worker_dashboard_address=None) as local, \
            Client(local.scheduler_address, timeout=60) as client:
        bag = annotate_bag([str(p) for p in pages[:3]], Settings(request_timeout=0.001))
        records = client.compute(bag).result(timeout=CALL_TIMEOUT)
    assert [record["error"] for record in records] == ["timeout"] * 3


def test_cli_dask_resume_skips_the_pages_already_written(cluster, pages, local_records,
                                                         tmp_path, capsys):
    subset = [str(p) for p in pages[:30]]
    records = {r["origin"]["path"]: r for r in local_records.values()}
    out = tmp_path / "out.jsonl"
    with open(out, "w", encoding="utf-8") as stream:  # as a run stopped after 20 pages left it
        for path in subset[:20]:
            stream.write(json.dumps(records[path], ensure_ascii=False) + "\n")

    code, err = run_batch_cli(capsys, *subset, "--out", str(out), "--resume",
                              "--dask", cluster.scheduler_address)

    assert code == 0, err
    assert "10 pages in" in err and "20 pages were already in the output" in err
    assert_same_records(by_id(read_jsonl(out)),
                        {r["id"]: r for r in (records[path] for path in subset)})
