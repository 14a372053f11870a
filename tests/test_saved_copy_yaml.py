"""The extension's saved Markdown copy: its front matter is read by a real YAML parser (PyYAML)
whatever the title holds (issue 10, item 6). Runs extension/save.js in Node on the seed page."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = {"title": "A\u0080B\u0085C\u009fD\u007fE\u0007F\ufffeG \"q\" \\ #x: - y\nz",
           "byline": "x\u0081\u009b[1m", "site_name": "- [not a list]"}

SCRIPT = """
const S = require("./extension/save.js");
const { seedResult } = require("./tests/js/seed.js");
const result = seedResult();
Object.assign(result.article, JSON.parse(process.argv[1]));
process.stdout.write(S.buildMarkdown(result, "2026-01-02T03:04:05.000Z"));
"""


def test_front_matter_is_yaml_that_reads_back_the_metadata() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed for the extension's JS tests: install nodejs.")
    env = {**os.environ, "SOURCELIGHT_BIN": str(Path(sys.executable).with_name("sourcelight"))}
    done = subprocess.run([node, "-e", SCRIPT, json.dumps(HOSTILE)], capture_output=True,
                          cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    markdown = done.stdout.decode("utf-8")
    front = markdown.split("---\n")[1]
    meta = yaml.safe_load(front)
    assert meta["title"] == HOSTILE["title"]
    assert meta["byline"] == HOSTILE["byline"]
    assert meta["site"] == HOSTILE["site_name"]
    assert isinstance(meta["sources"], list) and meta["sources"]
