"""Runs the extension's pure JavaScript tests (tests/js/*.test.js) with Node's own test runner,
so `make test` covers them too. They load extension/*.js as CommonJS modules and use the real
pipeline's answer for the seed page (`sourcelight clean`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
JS_TESTS = sorted((ROOT / "tests" / "js").glob("*.test.js"))


def test_js_tests_are_found() -> None:
    assert len(JS_TESTS) >= 4, f"expected the extension's JS tests in {ROOT / 'tests' / 'js'}"


@pytest.mark.parametrize("test_file", JS_TESTS, ids=[p.name for p in JS_TESTS])
def test_extension_js(test_file: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the extension's JS tests: install nodejs.")
    env = {**os.environ, "SOURCELIGHT_BIN": str(Path(sys.executable).with_name("sourcelight"))}
    done = subprocess.run([node, "--test", str(test_file)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout
