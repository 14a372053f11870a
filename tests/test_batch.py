"""``sourcelight batch`` on real pages: every input kind, failure lines, JSONL and CSV output.

The pages are WCXB corpus pages read in place; WARC and JSONL files are built in tmp folders
(WARCs with warcio's writer). Expected values come from the pipeline itself on the same bytes.
"""

from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pytest
from batch_pages import (by_id, page_bytes, read_jsonl, run_batch_cli, wcxb_pages,
                         write_warc)

from sourcelight.batch.inputs import InputError, expand_inputs, page_id
from sourcelight.batch.output import CSV_COLUMNS, read_done
from sourcelight.pipeline import clean
from sourcelight.settings import Settings


@pytest.fixture(scope="module")
def pages() -> list[Path]:
    return wcxb_pages(6)


@pytest.fixture(scope="module")
def expected(pages) -> dict[Path, dict]:
    """The pipeline's own answer for each page, in this process."""
    return {path: clean(page_bytes(path), None).to_dict() for path in pages}


def assert_same_result(record: dict, result: dict) -> None:
    """A batch record carries the pipeline's answer, and quoted words that are its spans."""
    assert "error" not in record, record.get("message")
    assert record["article"] == result["article"]
    assert record["sources"] == result["sources"]
    text = result["article"]["text"]
    for key, marked in (("attributions", True), ("candidates", False)):
        theirs = result.get(key, [])
        assert len(record[key]) == len(theirs)
        for ours, attribution in zip(record[key], theirs):
            assert {k: v for k, v in ours.items() if k not in ("quoted", "marked")} \
                == attribution
            assert ours["marked"] is marked
            start, end = attribution["content"]
            assert ours["quoted"]["content"] == text[start:end] != ""
            if attribution["source"]:
                start, end = attribution["source"]
                assert ours["quoted"]["source"] == text[start:end]


# ---------------------------------------------------------------------- input kinds
def test_folder_is_read_recursively_and_other_files_are_skipped(tmp_path, capsys, pages,
                                                                expected):
    corpus = tmp_path / "corpus"
    (corpus / "2025" / "11").mkdir(parents=True)
    layout = [corpus / "a.html", corpus / "2025" / "b.htm", corpus / "2025" / "11" / "c.html.gz"]
    for target, source in zip(layout, pages):
        if target.suffix == ".gz":
            shutil.copyfile(source, target)
        else:
            target.write_bytes(page_bytes(source))
    (corpus / "style.css").write_text("body {}")
    (corpus / "2025" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    out = tmp_path / "out.jsonl"

    code, err = run_batch_cli(capsys, str(corpus), "--out", str(out), "-j", "2")

    assert code == 0, err
    records = by_id(read_jsonl(out))
    assert len(records) == 3
    for target, source in zip(layout, pages):
        record = records[page_id("file", str(target))]
        assert record["origin"] == {"path": str(target)}
        assert_same_result(record, expected[source])
    assert "3 pages" in err and "3 annotated, 0 failed" in err
    assert "skipped: 2 files" in err


def test_glob_and_gzip_pages_read_in_place(tmp_path, capsys, pages, expected):
    pattern = str(pages[0].parent / "000[1-4].html.gz")
    out = tmp_path / "out.jsonl"

    code, err = run_batch_cli(capsys, pattern, "--out", str(out), "-j", "1")

    assert code == 0, err
    records = read_jsonl(out)
    matched = sorted(pages[0].parent.glob("000[1-4].html.gz"))
    assert sorted(r["origin"]["path"] for r in records) == [str(p) for p in matched]
    for record in records:
        source = Path(record["origin"]["path"])
        if source in expected:
            assert_same_result(record, expected[source])


def test_warc_takes_only_successful_html_responses(tmp_path, capsys, pages, expected):
    html = [page_bytes(path) for path in pages[:3]]
    specs = [
        {"url": "https://news.example/a", "body": html[0]},
        {"url": "https://news.example/logo.png", "content_type": "image/png",
         "body": b"\x89PNG\r\n\x1a\n" + bytes(64)},
        {"url": "https://news.example/b", "body": html[1], "encoding": "gzip"},
        {"url": "https://news.example/gone", "status": 404, "body": html[2]},
        {"url": "https://news.example/c", "type": "resource", "body": html[2]},
        {"url": "https://news.example/feed", "content_type": "application/json",
         "body": b'{"items": []}'},
    ]
    plain, packed = tmp_path / "crawl.warc", tmp_path / "crawl.warc.gz"
    ids = write_warc(plain, specs, compress=False)
    packed_ids = write_warc(packed, specs, compress=True)
    out = tmp_path / "out.jsonl"

    code, err = run_batch_cli(capsys, str(plain), str(packed), "--out", str(out))

    assert code == 0, err
    records = read_jsonl(out)
    # Two HTML 200 responses per file; the image, the 404, the resource, the JSON, the
    # warcinfo records are passed over, and counted.
    assert len(records) == 4
    assert "skipped: 0 files that are not pages, WARC or JSONL; 10 WARC records" in err
    for warc, record_ids in ((plain, ids), (packed, packed_ids)):
        mine = [r for r in records if r["origin"]["path"] == str(warc)]
        assert {r["origin"]["record"] for r in mine} == {record_ids[0], record_ids[2]}
        for record in mine:
            source = pages[0] if record["url"] == "https://news.example/a" else pages[1]
            assert record["origin"]["record"] in record_ids
            expected_result = clean(page_bytes(source), record["url"]).to_dict()
            assert_same_result(record, expected_result)
            assert record["url"] in ("https://news.example/a", "https://news.example/b")


def test_jsonl_lines_with_html_or_path_and_bad_lines(tmp_path, capsys, pages, expected):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "saved.html").write_bytes(page_bytes(pages[1]))
    lines = [
        json.dumps({"id": "story-1", "url": "https://news.example/1",
                    "html": page_bytes(pages[0]).decode("utf-8")}),
        json.dumps({"url": "https://news.example/2", "path": "saved.html"}),
        "",
        "{not json",
        json.dumps({"url": "https://news.example/4"}),
        json.dumps({"url": "javascript:alert(1)", "html": "<p>x</p>"}),
        json.dumps(["a list"]),
    ]
    source = folder / "pages.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"

    code, err = run_batch_cli(capsys, str(source), "--out", str(out), "-j", "2")

    assert code == 0, err
    records = by_id(read_jsonl(out))
    assert len(records) == 6  # the blank line is no page
    first = records["story-1"]
    assert first["origin"] == {"path": str(source), "line": 1}
    assert_same_result(first, clean(page_bytes(pages[0]), "https://news.example/1").to_dict())
    second = records[page_id("jsonl", str(source), "2")]
    assert second["origin"]["file"] == str(folder / "saved.html")
    assert_same_result(second, clean(page_bytes(pages[1]), "https://news.example/2").to_dict())
    failures = {r["origin"]["line"]: r for r in records.values() if "error" in r}
    assert {line: r["error"] for line, r in failures.items()} == {
        4: "bad_request", 5: "bad_request", 6: "bad_request", 7: "bad_request"}
    assert "not JSON" in failures[4]["message"]
    assert "neither \"html\"" in failures[5]["message"]
    assert "http://" in failures[6]["message"]
    assert "4 failed (bad_request 4)" in err


# ---------------------------------------------------------------------- failures
def test_every_failure_is_a_line_with_its_code(tmp_path, capsys, pages):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.html").write_bytes(page_bytes(pages[0]))
    (folder / "binary.html").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.html").write_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body>"
                                        b"</html>")
    (folder / "broken.html.gz").write_bytes(pages[1].read_bytes()[:200])
    (folder / "zip-bomb.html.gz").write_bytes(gzip.compress(b"<p>" + b"a" * 3_000_000))
    (folder / "zipped-binary.html.gz").write_bytes(gzip.compress(bytes(range(256)) * 8))
    out = tmp_path / "out.jsonl"
    # A 2 MB limit: the 3 MB page inside the small gzip file is refused while being read.
    from sourcelight.batch.run import BatchOptions, run_batch

    summary = run_batch(BatchOptions([str(folder)], str(out), jobs=2, progress=False),
                        Settings(max_html_chars=2_000_000))
    code, err = 0, summary.text()
    assert code == 0, err
    records = {Path(r["origin"]["path"]).name: r for r in read_jsonl(out)}
    assert len(records) == 6
    assert "error" not in records["good.html"]
    assert records["binary.html"]["error"] == "not_html"
    assert records["zipped-binary.html.gz"]["error"] == "not_html"
    assert records["empty.html"]["error"] == "no_article"
    assert records["broken.html.gz"]["error"] == "not_html"
    assert "not valid gzip" in records["broken.html.gz"]["message"]
    assert records["zip-bomb.html.gz"]["error"] == "too_large"
    assert "2,000,000" in records["zip-bomb.html.gz"]["message"]
    for record in records.values():
        if "error" in record:
            assert set(record) == {"id", "origin", "url", "error", "message"}
    assert "1 annotated, 5 failed" in err


def test_a_page_over_the_time_limit_is_a_timeout_line(tmp_path, capsys, pages):
    from sourcelight.batch.inputs import read_pages
    from sourcelight.batch.run import run_local

    settings = Settings(request_timeout=0.001)
    results = [out.record() for out in run_local(read_pages(pages[:2], settings), settings,
                                                 jobs=1)]

    assert [record["error"] for record in results] == ["timeout", "timeout"]
    assert "time limit" in results[0]["message"]


def test_all_pages_failing_exits_1(tmp_path, capsys):
    page = tmp_path / "data.html"
    page.write_bytes(b"%PDF-1.7\n" + bytes(200))
    code, err = run_batch_cli(capsys, str(page), "--out", str(tmp_path / "o.jsonl"))
    assert code == 1
    assert "0 annotated, 1 failed (not_html 1)" in err


# ---------------------------------------------------------------------- usage errors
def test_missing_input_and_existing_output_are_usage_errors(tmp_path, capsys, pages):
    code, err = run_batch_cli(capsys, str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert code == 2 and "does not exist" in err
    code, err = run_batch_cli(capsys, str(tmp_path / "*.warc"), "--out", str(tmp_path / "o"))
    assert code == 2 and "no file matches" in err
    out = tmp_path / "done.jsonl"
    out.write_text('{"id": "x"}\n')
    code, err = run_batch_cli(capsys, str(pages[0]), "--out", str(out))
    assert code == 2 and "--resume" in err and "--overwrite" in err
    assert out.read_text() == '{"id": "x"}\n'  # untouched
    code, err = run_batch_cli(capsys, str(pages[0]), "--out", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_output_inside_the_input_folder_is_not_read_back(tmp_path, capsys, pages):
    (tmp_path / "a.html").write_bytes(page_bytes(pages[0]))
    out = tmp_path / "results.jsonl"
    assert run_batch_cli(capsys, str(tmp_path), "--out", str(out))[0] == 0
    code, err = run_batch_cli(capsys, str(tmp_path), "--out", str(out), "--resume")
    assert code == 0, err
    assert len(read_jsonl(out)) == 1
    assert "1 pages were already in the output" in err


def test_expand_inputs_orders_and_refuses(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.html", "b/1.html", "a.warc.gz", "c.jsonl", "d.txt"):
        (tmp_path / name).write_text("x")
    files = expand_inputs([str(tmp_path)])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == [
        "a.warc.gz", "c.jsonl", "b/1.html", "b/2.html"]
    with pytest.raises(InputError):
        expand_inputs([str(tmp_path / "missing.html")])


# ---------------------------------------------------------------------- CSV
def test_csv_has_a_row_per_attribution_with_the_quoted_words(tmp_path, capsys, pages,
                                                              expected):
    folder = tmp_path / "in"
    folder.mkdir()
    for path in pages:
        (folder / path.name).symlink_to(path)
    (folder / "bad.html").write_bytes(b"\x00\x01\x02" * 100)
    out = tmp_path / "out.csv"

    code, err = run_batch_cli(capsys, str(folder), "--out", str(out), "--format", "csv")

    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    assert len(text.splitlines()) == len(rows) + 1  # one physical line per row
    for path in pages:
        result = expected[path]
        mine = [r for r in rows if r["origin"] == str(folder / path.name)]
        marked = [r for r in mine if r["marked"] == "true"]
        unmarked = [r for r in mine if r["marked"] == "false"]
        assert len(marked) == len(result["attributions"])
        assert len(unmarked) == len(result.get("candidates", []))
        if not marked and not unmarked:
            assert len(mine) == 1 and mine[0]["attribution"] == ""
        entities = {s["id"]: s for s in result["sources"]}
        for row, attribution in zip(marked, result["attributions"]):
            start, end = attribution["content"]
            content = " ".join(result["article"]["text"][start:end].splitlines())
            assert row["content"].lstrip("'") == content
            assert row["type"] == attribution["type"]
            assert float(row["confidence"]) == attribution["confidence"]
            assert row["site"] == (result["article"]["site_name"] or "")
            entity = entities.get(attribution["entity"])
            if entity:
                assert row["source_name"].lstrip("'") == " ".join(entity["name"].split())
                assert row["anonymous"] == str(entity["category"] == "anonymous").lower()
    failed = [r for r in rows if r["error"]]
    assert len(failed) == 1 and failed[0]["error"] == "not_html"
    assert sum(r["marked"] == "true" for r in rows) > 0


def test_csv_cells_never_run_as_formulas(tmp_path, capsys):
    page = tmp_path / "formula.html"
    page.write_text(
        "<html><head><title>=HYPERLINK(\"http://evil.example\",\"x\")</title></head><body>"
        "<article><h1>Budget</h1><p>\"=1+1 is the formula we use,\" said Mary Smith, the "
        "city's finance director, on Tuesday.</p><p>The council will vote next week on the "
        "new budget, which cuts spending on roads and raises it for schools.</p>"
        "</article></body></html>", encoding="utf-8")
    out = tmp_path / "out.csv"
    code, err = run_batch_cli(capsys, str(page), "--out", str(out), "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert rows
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "@")), (column, value)
    assert rows[0]["title"].startswith("'=HYPERLINK")


def test_resume_reads_ids_and_cuts_a_torn_line(tmp_path):
    out = tmp_path / "o.jsonl"
    out.write_bytes(b'{"id": "a", "x": 1}\n{"id": "b\\"q", "x": 2}\n{"id": "c", "x"')
    assert read_done(out, "jsonl") == {"a", 'b"q'}
    assert out.read_bytes().endswith(b'"x": 2}\n')
    foreign = tmp_path / "notes.jsonl"
    foreign.write_bytes(b"my own notes\n")
    from sourcelight.batch.output import OutputError

    with pytest.raises(OutputError):
        read_done(foreign, "jsonl")
    assert foreign.read_bytes() == b"my own notes\n"  # never cut


def test_progress_bar_shows_pages_per_second_and_output_can_go_to_stdout(tmp_path, capsys,
                                                                         pages):
    from sourcelight.batch.run import BatchOptions, run_batch

    summary = run_batch(BatchOptions([str(p) for p in pages[:2]], "-", jobs=1, progress=True),
                        Settings())
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert sorted(r["origin"]["path"] for r in lines) == [str(p) for p in pages[:2]]
    assert "100%|" in captured.err and "pages/s" in captured.err and "2 pages" in captured.err
    assert summary.pages == 2 and summary.to_dict()["pages_per_second"] > 0


@pytest.mark.parametrize("compress", [False, True])
def test_a_truncated_warc_keeps_its_whole_pages_and_says_where_it_breaks(tmp_path, capsys,
                                                                         pages, compress):
    specs = [{"url": f"https://news.example/{n}", "body": page_bytes(path)}
             for n, path in enumerate(pages[:3])]
    whole = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    write_warc(whole, specs, compress)
    cut = tmp_path / ("cut-" + whole.name)
    data = whole.read_bytes()
    cut.write_bytes(data[:int(len(data) * 0.8)])  # inside the last record
    out = tmp_path / "out.jsonl"

    code, err = run_batch_cli(capsys, str(cut), "--out", str(out))

    assert code == 0, err
    records = read_jsonl(out)
    annotated = [r for r in records if "error" not in r]
    failed = [r for r in records if "error" in r]
    assert len(failed) == 1 and failed[0]["error"] == "not_html"
    assert "truncated" in failed[0]["message"]
    # Every page before the break is whole: the same answer as from the intact file.
    for record in annotated:
        source = pages[int(record["url"].rsplit("/", 1)[1])]
        assert_same_result(record, clean(page_bytes(source), record["url"]).to_dict())
    assert 1 <= len(annotated) <= 2


def test_gzipped_jsonl_is_read_line_by_line(tmp_path, capsys, pages, expected):
    source = tmp_path / "pages.jsonl.gz"
    lines = [json.dumps({"id": f"p{n}", "html": page_bytes(path).decode("utf-8")})
             for n, path in enumerate(pages[:2])]
    source.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    out = tmp_path / "out.jsonl"
    code, err = run_batch_cli(capsys, str(source), "--out", str(out), "--no-html")
    assert code == 0, err
    records = by_id(read_jsonl(out))
    assert sorted(records) == ["p0", "p1"]
    for n, path in enumerate(pages[:2]):
        record = records[f"p{n}"]
        assert record["origin"] == {"path": str(source), "line": n + 1}
        assert "html" not in record["article"]
        result = expected[path]
        assert record["article"]["text"] == result["article"]["text"]
        assert [a["content"] for a in record["attributions"]] == \
            [a["content"] for a in result["attributions"]]
