"""The ``sourcelight`` command, in-process and as a real process, with the real pipeline."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

import sourcelight
from sourcelight import cli
from sourcelight.pipeline import clean
from sourcelight.settings import Settings

SERVER_DIR = Path(cli.__file__).resolve().parents[1]


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def seed_result(seed_page, seed_expected):
    """What the pipeline itself makes of the seed page."""
    return clean(seed_page.read_bytes(), seed_expected["url"])


def test_clean_json_prints_the_full_result(capsys, seed_page, seed_expected, seed_result):
    code, out, err = run_cli(capsys, "clean", str(seed_page), "--url", seed_expected["url"],
                             "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out) == seed_result.to_dict()
    assert out.startswith("{\n  ")  # pretty-printed for people


def test_clean_defaults_to_json(capsys, seed_page, seed_result):
    code, out, _ = run_cli(capsys, "clean", str(seed_page))
    assert code == 0
    assert set(json.loads(out)) == set(seed_result.to_dict())


@pytest.mark.parametrize("fmt", ["html", "text"])
def test_clean_html_and_text_print_the_article(capsys, seed_page, seed_expected, seed_result,
                                               fmt):
    code, out, err = run_cli(capsys, "clean", str(seed_page), "--url", seed_expected["url"],
                             "--format", fmt)
    assert (code, err) == (0, "")
    assert out.rstrip("\n") == getattr(seed_result.article, fmt).rstrip("\n")


def test_clean_markdown_has_front_matter(capsys, seed_page, seed_expected):
    code, out, err = run_cli(capsys, "clean", str(seed_page), "--url", seed_expected["url"],
                             "--format", "markdown")
    assert (code, err) == (0, "")
    assert out.startswith("---\n")
    front, _, body = out[4:].partition("\n---\n")
    fields = {line.split(":", 1)[0]: line.split(":", 1)[1] for line in front.splitlines()
              if ":" in line and not line.startswith(" ")}
    assert seed_expected["metadata"]["title"] in fields["title"]
    assert seed_expected["url"] in fields["url"]
    assert seed_expected["metadata"]["published"] in fields["published"]
    assert seed_expected["must_keep"][1] in body


def test_clean_reads_standard_input(capsys, monkeypatch, seed_page, seed_result):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(seed_page.read_bytes())))
    code, out, _ = run_cli(capsys, "clean", "-", "--format", "text")
    assert code == 0
    assert out.rstrip("\n") == seed_result.article.text.rstrip("\n")


def test_missing_file_is_a_usage_error(capsys, tmp_path):
    missing = tmp_path / "no-such-page.html"
    code, out, err = run_cli(capsys, "clean", str(missing))
    assert code == 2
    assert out == ""
    assert err.startswith("sourcelight: ")
    assert str(missing) in err and "No such file" in err


def test_page_that_is_not_html_fails_with_exit_1(capsys, tmp_path):
    page = tmp_path / "data.json"
    page.write_text(json.dumps({"title": "A story", "body": "Words " * 50}))
    code, out, err = run_cli(capsys, "clean", str(page))
    assert code == 1
    assert out == ""
    assert err.startswith("sourcelight: ") and len(err) > len("sourcelight: ") + 20
    assert "Traceback" not in err


@pytest.mark.parametrize("url", ["ftp://example.com/a", "example.com/story", "javascript:x"])
def test_bad_url_is_a_usage_error(capsys, seed_page, url):
    code, out, err = run_cli(capsys, "clean", str(seed_page), "--url", url)
    assert (code, out) == (2, "")
    assert err.startswith("sourcelight: --url")


def test_version(capsys):
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0
    assert out.strip() == f"sourcelight {sourcelight.__version__}"


@pytest.mark.parametrize("argv", [[], ["clean"], ["clean", "x.html", "--format", "pdf"],
                                  ["serve", "--port", "70000"], ["frobnicate"]])
def test_usage_errors_exit_2(capsys, argv):
    code, _, err = run_cli(capsys, *argv)
    assert code == 2
    assert "usage:" in err


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.5", "example.com"])
def test_serve_refuses_non_loopback_hosts(capsys, monkeypatch, host):
    import waitress

    def never(*args, **kwargs):  # the refusal must come before any socket is opened
        raise AssertionError("waitress.serve called")

    monkeypatch.setattr(waitress, "serve", never)
    monkeypatch.setattr(waitress, "create_server", never)
    code, _, err = run_cli(capsys, "serve", "--host", host)
    assert code == 2
    assert err.startswith("sourcelight: refusing to listen on")
    assert "127.0.0.1" in err


def test_serve_passes_limits_to_waitress(capsys, monkeypatch, tmp_path):
    import waitress

    real_create_server = waitress.create_server
    calls = []

    def create_server(app, **kwargs):
        # The real server, bound to a free port; it stops at once instead of serving.
        server = real_create_server(app, **{**kwargs, "port": 0})
        server.run = lambda: None
        calls.append((app, kwargs, server))
        return server

    monkeypatch.setenv("SOURCELIGHT_CONFIG_DIR", str(tmp_path))
    monkeypatch.setattr(waitress, "create_server", create_server)
    code, out, _ = run_cli(capsys, "serve", "--host", "127.0.0.1", "--port", "9999")
    assert code == 0
    (app, kwargs, server), = calls
    settings = Settings()
    threads = cli.serve_threads(settings)
    assert kwargs == {"host": "127.0.0.1", "port": 9999, "threads": threads,
                      "max_request_body_size": settings.max_body_bytes,
                      "connection_limit": 2 * settings.max_waiting_connections + threads}
    # Connections get the request deadline and the waiting budget (serving.py).
    assert server.channel_class.read_timeout == settings.request_read_timeout
    assert server.channel_class.waiting_budget == settings.max_waiting_connections
    assert app.config["MAX_CONTENT_LENGTH"] == settings.max_body_bytes
    # The banner names the real address and the token now in the config dir.
    token = (tmp_path / "token").read_text().strip()
    assert f"http://127.0.0.1:{server.effective_port}" in out
    assert f"Pairing token: {token}" in out


def subprocess_env(config_dir: Path) -> dict:
    # Works whether or not the package is installed in the interpreter running the tests;
    # the pairing token goes to a temporary config dir, never the real ~/.config.
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SERVER_DIR), env.get("PYTHONPATH")]))
    env["SOURCELIGHT_CONFIG_DIR"] = str(config_dir)
    return env


def test_clean_as_a_process(seed_page, seed_expected, seed_result, tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "sourcelight.cli", "clean", str(seed_page),
         "--url", seed_expected["url"], "--format", "text"],
        capture_output=True, env=subprocess_env(tmp_path), timeout=120, check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    assert completed.stdout.decode("utf-8").rstrip("\n") == seed_result.article.text.rstrip("\n")


def test_missing_file_as_a_process(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "sourcelight.cli", "clean", str(tmp_path / "nope.html")],
        capture_output=True, text=True, env=subprocess_env(tmp_path), timeout=60, check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr.startswith("sourcelight: cannot read")
    assert "Traceback" not in completed.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_answers_health_on_loopback(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "sourcelight.cli", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=subprocess_env(tmp_path),
    )
    try:
        body = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=2) as r:
                    body = json.load(r)
                    headers = r.headers
                break
            except OSError:
                time.sleep(0.1)
        assert server.poll() is None, server.stderr.read().decode(errors="replace")
        assert body == {"name": "sourcelight", "version": sourcelight.__version__}
        assert headers["X-Content-Type-Options"] == "nosniff"
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()


def test_clean_terminal_view_marks_sources_cues_and_contents(capsys, seed_page, seed_expected):
    # Captured output is not a terminal: the view falls back to brackets instead of colour.
    assert cli.main(["clean", str(seed_page), "--url", seed_expected["url"],
                     "--format", "terminal"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert "[[the White House]] <said in a statement>" in out
    assert "{that the two leaders discussed U.S.-China relations}" in out
    assert "Sources:" in out and "[anonymous] × 3" in out
    assert "state media" in out


def test_terminal_view_uses_colour_when_asked(seed_page, seed_expected):
    from sourcelight.terminal import render_terminal
    out = render_terminal(clean(seed_page.read_bytes(), seed_expected["url"]), colour=True)
    assert "\x1b[4msaid in a statement\x1b[0m" in out


def test_serve_on_a_taken_port_says_so_without_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        completed = subprocess.run(
            [sys.executable, "-m", "sourcelight.cli", "serve", "--port", str(port),
             "--workers", "1"],
            capture_output=True, text=True, env=subprocess_env(tmp_path), timeout=120,
            check=False,
        )
    assert completed.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in completed.stderr
    assert "--port" in completed.stderr and "Traceback" not in completed.stderr


def test_terminal_view_marks_a_shared_source_once():
    from sourcelight.pipeline import clean
    from sourcelight.terminal import render_terminal

    # Konjunktiv I goes on without a cue: the continuation shares its speaker's source span.
    page = ("<html lang='de'><body><article><p>Der Sprecher der Polizei sagte am Abend, die "
            "Lage in der Innenstadt sei ruhig. Es gebe keine Hinweise auf weitere Täter aus "
            "der Region.</p></article></body></html>")
    # Every attribution, uncertain ones too: this test is about the view, not the threshold.
    result = clean(page, None, Settings(min_confidence=0.0))
    sources = [a.source for a in result.attributions if a.source]
    assert len(sources) > len(set(sources))
    view = render_terminal(result, colour=False)
    assert view.count("[[") == len(set(sources)) == view.count("]]")
    assert "[[[[" not in view
