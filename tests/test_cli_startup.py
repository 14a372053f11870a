"""Quick start (issue 14, item 4): a ``sourcelight`` process loads only what its command needs,
and the given-name table comes from a compact cache (sourcelight.data_cache) with exactly the
gender-guesser package's answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sourcelight import cli, data_cache
from sourcelight.attribution import given_names

SERVER_DIR = Path(cli.__file__).resolve().parents[1]
PAGE = """<!doctype html><html lang="en"><head><title>Council vote</title></head><body>
<article><h1>Council votes on the bus network</h1>
<p>The city council voted on Tuesday to extend the bus network to the northern suburbs,
after a year of debate about the cost of the new routes and the drivers they need.</p>
<p>"We have waited long enough," said Maria Lopez, who chairs the transport committee.
She said the first routes would open in the spring, and that the fares would not rise.</p>
<p>Officials said the plan would cost about twelve million over three years, most of it
for new buses and the wages of the drivers the routes will need.</p>
</article></body></html>"""


def run_sourcelight(code: str, cache: Path) -> dict:
    """Run ``code`` in a fresh Python with the server package, return the JSON it prints."""
    env = {**os.environ, "PYTHONPATH": str(SERVER_DIR), data_cache.CACHE_DIR_ENV: str(cache)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


MODULES_AFTER = """
import contextlib, io, json, sys
from sourcelight.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main({argv!r})
print(json.dumps({{"code": code, "modules": sorted(sys.modules)}}))
"""


def test_help_loads_no_pipeline(tmp_path):
    seen = run_sourcelight(MODULES_AFTER.format(argv=["--help"]), tmp_path)
    assert seen["code"] == 0
    loaded = set(seen["modules"])
    for heavy in ("sourcelight.pipeline", "lxml", "readability", "langdetect", "flask",
                  "waitress", "gender_guesser", "warcio", "tqdm"):
        assert heavy not in loaded, heavy


def test_clean_loads_no_service_and_reads_the_cached_name_table(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    cache = tmp_path / "cache"
    argv = ["clean", str(page), "--format", "text"]
    first = run_sourcelight(MODULES_AFTER.format(argv=argv), cache)
    assert first["code"] == 0
    assert list(cache.glob("given-names-v*.json")), "the first run stores the table"
    second = run_sourcelight(MODULES_AFTER.format(argv=argv), cache)
    assert second["code"] == 0
    loaded = set(second["modules"])
    assert "sourcelight.pipeline" in loaded
    # The service (Flask, waitress), batch-only readers and the progress bar are not loaded,
    # and with the table cached the package's 4 MB list is not parsed again.
    for heavy in ("flask", "waitress", "warcio", "tqdm", "gender_guesser.detector"):
        assert heavy not in loaded, heavy


@pytest.fixture
def fresh_table(tmp_path, monkeypatch):
    """The given-name table built afresh with its cache in ``tmp_path``."""
    monkeypatch.setenv(data_cache.CACHE_DIR_ENV, str(tmp_path))
    given_names._table.cache_clear()
    given_names.given_name_gender.cache_clear()
    yield tmp_path
    given_names._table.cache_clear()
    given_names.given_name_gender.cache_clear()


def package_answers() -> dict[str, str]:
    import gender_guesser.detector as detector

    names = detector.Detector(case_sensitive=False)
    return {name: given_names._ANSWERS[names.get_gender(name)] for name in names.names}


def test_cached_table_gives_the_packages_answers(fresh_table):
    expected = package_answers()
    built = given_names._table()
    assert built == expected
    assert len(expected) > 40_000
    given_names._table.cache_clear()
    assert given_names._table() == expected  # read back from the cache file
    for word, answer in (("Maria", "female"), ("John", "male"), ("Jean-Pierre", "male"),
                         ("Smith", None), ("Maria's", None), ("maria", None)):
        assert given_names.given_name_gender(word) == answer, word


def test_damaged_or_foreign_cache_is_rebuilt(fresh_table):
    given_names._table()
    (stored,) = fresh_table.glob("given-names-v*.json")
    for damage in (b'{"male": ["jo', b'{"male": "not a list"}', b'[1, 2]'):
        stored.write_bytes(damage)
        given_names._table.cache_clear()
        assert given_names._table()["maria"] == "female"
        assert json.loads(stored.read_bytes())["female"], "the rebuilt table is stored again"


def test_stale_tables_are_removed(fresh_table):
    stale = fresh_table / "given-names-v1-123-456.json"
    stale.write_text('{"male": ["zzz"]}')
    other = fresh_table / "other-v1-1-2.json"
    other.write_text("{}")
    assert given_names._table().get("zzz") is None
    assert not stale.exists() and other.exists()
    assert len(list(fresh_table.glob("given-names-v*.json"))) == 1


def test_unwritable_cache_still_answers(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(data_cache.CACHE_DIR_ENV, str(blocker / "cache"))
    given_names._table.cache_clear()
    try:
        assert given_names._table()["john"] == "male"
    finally:
        given_names._table.cache_clear()
    assert blocker.read_text() == "not a folder"


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv(data_cache.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert data_cache.cache_dir() == tmp_path / "sourcelight"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data_cache.cache_dir() == tmp_path / ".cache" / "sourcelight"
