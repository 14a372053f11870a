"""Shared by several test modules: loading a bench script as a module, and a sample story."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from flask.testing import FlaskClient

BENCH_DIR = Path(__file__).resolve().parents[1] / "bench"

# The pairing token of every test app (the shape of secrets.token_urlsafe(32)).
TEST_TOKEN = "sourcelight-test-token-0123456789abcdefghij"


class AuthorizedClient(FlaskClient):
    """A test client that sends ``Authorization: Bearer <test token>``, as the paired extension
    does. A request's own ``headers={"Authorization": …}`` still wins."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TEST_TOKEN}"

# Four paragraphs of an ordinary news story, for pages built around it.
STORY = [
    "The city council voted on Tuesday to expand the bus network, adding twelve new routes "
    "that will connect the eastern suburbs with the hospital district by next spring.",
    "Officials said the new routes would cost 4.2 million euros a year, paid for from the "
    "regional transport fund and from higher parking fees in the city centre.",
    "Residents of the eastern suburbs have long complained that the only direct line runs once "
    "an hour and stops before eight in the evening, leaving night-shift workers stranded.",
    "“This changes daily life for thousands of families,” said the mayor, who has championed "
    "the plan since her election two years ago and promised more routes in 2027.",
]


def story_page(inserted: str = "", title: str = "Council expands the bus network") -> str:
    """A whole news page around :data:`STORY`, with ``inserted`` (HTML) in the middle of the
    third paragraph, where the extractor keeps it as article text."""
    paragraphs = [f"<p>{text}</p>" for text in STORY]
    cut = STORY[2].index(" ", 60)
    paragraphs[2] = f"<p>{STORY[2][:cut]} {inserted} {STORY[2][cut + 1:]}</p>"
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title></head><body><header><nav><a href=\"/\">Home</a> "
            "<a href=\"/city\">City</a></nav></header><main><article>"
            f"<h1>{title}</h1>{''.join(paragraphs)}</article></main>"
            "<footer><p>© City News</p></footer></body></html>")


def load_bench(name: str) -> ModuleType:
    """``bench/<name>.py`` as a module, so tests use the benchmark's own metric."""
    if str(BENCH_DIR) not in sys.path:  # bench scripts import their siblings (_speed)
        sys.path.insert(0, str(BENCH_DIR))
    spec = importlib.util.spec_from_file_location(f"_sourcelight_bench_{name}",
                                                  BENCH_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


def spans(text: str, lang: str = "en") -> list[dict]:
    """The attribution finder's answer for ``text`` as readable strings (for assertions)."""
    from sourcelight.attribution.finder import find_attributions

    out = []
    for a in find_attributions(text, lang):
        part = lambda s: text[s[0]:s[1]] if s else None  # noqa: E731
        out.append({"source": part(a.source), "cue": part(a.cue), "content": part(a.content),
                    "type": a.type})
    return out


def only(text: str, lang: str = "en") -> dict:
    """The one attribution the finder reads in ``text`` (fails when it reads 0 or several)."""
    found = spans(text, lang)
    assert len(found) == 1, found
    return found[0]


def stop_process(process: subprocess.Popen | None, timeout: float = 10.0) -> None:
    """Ask a child process to end, and kill it if it has not within ``timeout`` seconds."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
