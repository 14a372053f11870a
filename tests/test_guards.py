"""Only our extension gets in: pairing token, Host, Origin, Sec-Fetch-Site, content type.

Through the real app (``guards.py`` registered by the factory) and, at the end, through a real
``sourcelight serve`` process on loopback.
"""

from __future__ import annotations

import http.client
import io
import json
import logging
import os
import queue
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask.testing import FlaskClient

import sourcelight
from helpers import story_page
from sourcelight import cli, pairing
from sourcelight.app import close_worker_pool, create_app
from sourcelight.pairing import PairingError, load_or_create
from sourcelight.settings import Settings

JSON = "application/json"
CSP = "default-src 'none'; frame-ancestors 'none'"
CHROME_ORIGIN = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"
FIREFOX_ORIGIN = "moz-extension://0b0c5b4e-7d0e-4c52-9a3b-2a0f7a8d1e55"
SERVER_DIR = Path(cli.__file__).resolve().parents[1]


def page_body() -> str:
    return json.dumps({"url": "https://news.example/city/buses", "html": story_page()})


class TrackedBody(io.BytesIO):
    """A request body that records whether anyone read it: a refused request must be refused
    before its body is read, so none of it can reach the pipeline (in this process or a
    worker)."""

    was_read = False

    def read(self, *args):
        self.was_read = True
        return super().read(*args)

    def readline(self, *args):
        self.was_read = True
        return super().readline(*args)

    def readinto(self, buffer):
        self.was_read = True
        return super().readinto(buffer)


def post_page(client: FlaskClient, headers: dict | None = None, data: str | bytes | None = None,
              content_type: str = JSON):
    """POST a page to /v1/clean; the response's ``body_read`` says whether the app read it."""
    raw = (page_body() if data is None else data)
    raw = raw.encode() if isinstance(raw, str) else raw
    body = TrackedBody(raw)
    response = client.post("/v1/clean", headers=headers or {}, input_stream=body,
                           content_length=len(raw), content_type=content_type)
    response.body_read = body.was_read
    return response


def assert_forbidden(response, *words: str) -> str:
    """403 ``forbidden`` as JSON, with an actionable message, the body (if any) unread;
    returns the message."""
    assert response.status_code == 403, response.get_data(as_text=True)[:300]
    assert not getattr(response, "body_read", False)
    assert response.mimetype == JSON
    body = response.get_json()
    assert set(body) == {"error", "message"} and body["error"] == "forbidden"
    for word in words:
        assert word.lower() in body["message"].lower()
    assert "Access-Control-Allow-Origin" not in response.headers
    assert response.headers["Content-Security-Policy"] == CSP
    return body["message"]


def assert_cleaned(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert getattr(response, "body_read", True)
    body = response.get_json()
    assert "bus network" in body["article"]["text"]
    return body


# ---------------------------------------------------------------- the token
def test_paired_request_is_cleaned(client):
    response = post_page(client)
    assert_cleaned(response)
    assert response.body_read


def test_missing_and_wrong_tokens_get_the_same_403(anonymous_client, pairing_token):
    missing = assert_forbidden(post_page(anonymous_client), "sourcelight token", "options")
    for authorization in [f"Bearer {pairing_token[:-1]}", f"Bearer {pairing_token}x",
                          f"Bearer x{pairing_token}", "Bearer ", "Bearer",
                          f"Basic {pairing_token}", pairing_token,
                          f"Bearer {pairing_token.upper()}", "Bearer \u00e9\u00e8"]:
        wrong = assert_forbidden(post_page(anonymous_client,
                                           {"Authorization": authorization}))
        # No information: a near miss is answered exactly like no token at all.
        assert wrong == missing
        assert pairing_token not in wrong


def test_bearer_scheme_is_case_insensitive(anonymous_client, pairing_token):
    assert_cleaned(post_page(anonymous_client, {"Authorization": f"bearer {pairing_token}"}))


@pytest.mark.parametrize("query", ["token={t}", "access_token={t}", "authorization=Bearer%20{t}"])
def test_token_in_the_query_string_is_not_accepted(anonymous_client, pairing_token, query):
    # URLs end up in histories and logs: the token only counts in the Authorization header.
    response = anonymous_client.post("/v1/clean?" + query.format(t=pairing_token),
                                     data=page_body(), content_type=JSON)
    assert_forbidden(response, "sourcelight token")


def test_tokens_are_compared_in_constant_time(anonymous_client, pairing_token, monkeypatch):
    compared = []
    real = pairing.hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr(pairing.hmac, "compare_digest", spy)
    post_page(anonymous_client, {"Authorization": "Bearer guess"})
    assert_cleaned(post_page(anonymous_client, {"Authorization": f"Bearer {pairing_token}"}))
    assert compared == [(b"guess", pairing_token.encode()),
                        (pairing_token.encode(), pairing_token.encode())]


def test_every_route_but_health_needs_the_token(anonymous_client):
    # An unknown path answers 403, not 404: a page learns nothing by probing.
    assert_forbidden(anonymous_client.get("/v1/nothing-here"))
    assert_forbidden(anonymous_client.get("/"))
    assert_forbidden(anonymous_client.get("/v1/clean"))
    assert_forbidden(anonymous_client.post("/v1/health"))


def test_health_answers_without_a_token_and_says_only_name_and_version(anonymous_client):
    response = anonymous_client.get("/v1/health")
    assert response.status_code == 200
    assert response.get_json() == {"name": "sourcelight", "version": sourcelight.__version__}
    assert response.headers["Content-Security-Policy"] == CSP


# ---------------------------------------------------------------- Host (DNS rebinding)
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", "127.0.0.1:8765",
                                  "localhost:8765", "[::1]:8765", "LocalHost:8765"])
def test_loopback_hosts_are_answered(client, host):
    assert client.get("/v1/health", headers={"Host": host}).status_code == 200
    assert_cleaned(post_page(client, {"Host": host}))


@pytest.mark.parametrize("host", [
    "evil.test", "evil.test:8765", "127.0.0.1.nip.io", "127.0.0.1.nip.io:8765",
    "localhost.evil.test", "127.0.0.2", "0.0.0.0:8765", "::1", "[::1", "localhost:1",
    "127.0.0.1:80", "[::1]:9", "localhost:", "localhost:8765:8765", "127.0.0.1@evil.test",
    "", " ", "2130706433", "[::ffff:7f00:1]",
])
def test_other_hosts_are_refused_even_with_the_token(client, host):
    message = assert_forbidden(post_page(client, {"Host": host}), "127.0.0.1", "8765")
    assert_forbidden(client.get("/v1/health", headers={"Host": host}))
    assert "evil" not in message  # the caller's own header is not echoed


def test_request_without_any_host_header_is_refused(app, pairing_token):
    from werkzeug.test import EnvironBuilder, run_wsgi_app

    environ = EnvironBuilder("/v1/health").get_environ()
    del environ["HTTP_HOST"]  # an HTTP/1.0 request may leave it out
    environ["HTTP_AUTHORIZATION"] = f"Bearer {pairing_token}"
    _, status, _ = run_wsgi_app(app, environ, buffered=True)
    assert status.startswith("403")


def test_port_zero_means_any_port_is_ours(make_app):
    client = make_app(port=0).test_client()
    assert client.get("/v1/health", headers={"Host": "127.0.0.1:40123"}).status_code == 200
    assert_forbidden(client.get("/v1/health", headers={"Host": "evil.test:40123"}))


@pytest.mark.parametrize("remote", ["192.168.1.5", "10.0.0.2", "2001:db8::1", ""])
def test_peers_off_this_machine_are_refused(client, remote):
    response = client.get("/v1/health", environ_overrides={"REMOTE_ADDR": remote})
    assert_forbidden(response, "this computer")


@pytest.mark.parametrize("remote", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_loopback_peers_are_answered(client, remote):
    response = client.get("/v1/health", environ_overrides={"REMOTE_ADDR": remote})
    assert response.status_code == 200


# ---------------------------------------------------------------- Origin and Sec-Fetch-Site
@pytest.mark.parametrize("origin", [CHROME_ORIGIN, FIREFOX_ORIGIN])
def test_extension_origins_are_answered_with_their_own_origin(client, origin):
    response = post_page(client, {"Origin": origin, "Sec-Fetch-Site": "none"})
    assert_cleaned(response)
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "Origin" in response.vary


def test_extension_origin_without_token_is_refused_but_can_read_why(anonymous_client):
    # The extension must be able to show "pair me": its own origin is echoed on the 403.
    response = post_page(anonymous_client, {"Origin": CHROME_ORIGIN})
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"
    assert response.headers["Access-Control-Allow-Origin"] == CHROME_ORIGIN


@pytest.mark.parametrize("origin", [
    "https://evil.test", "http://evil.test", "null", "", "http://127.0.0.1:8765",
    "http://localhost:3000", "file://", "chrome-extension://", "chrome-extension://id/path",
    "moz-extension://abc def", "chrome-extension:abc", "https://chrome-extension.evil.test",
    "*",
])
def test_web_origins_are_refused_even_with_the_token(client, origin):
    assert_forbidden(post_page(client, {"Origin": origin}), "extension")
    assert_forbidden(client.get("/v1/health", headers={"Origin": origin}))


@pytest.mark.parametrize("site", ["cross-site", "same-site", "Cross-Site"])
def test_page_fetches_are_refused_by_sec_fetch_site(client, site):
    # A page's <img>, <form> or navigation sends no Origin, but the browser says where from.
    assert_forbidden(post_page(client, {"Sec-Fetch-Site": site}), "extension")
    assert_forbidden(client.get("/v1/health", headers={"Sec-Fetch-Site": site}))


@pytest.mark.parametrize("site", ["cross-site", "none", "same-origin"])
def test_extension_requests_pass_whatever_sec_fetch_site_says(client, site):
    assert_cleaned(post_page(client, {"Origin": FIREFOX_ORIGIN, "Sec-Fetch-Site": site}))


@pytest.mark.parametrize("site", ["none", "same-origin"])
def test_non_page_fetch_sites_pass(client, site):
    assert_cleaned(post_page(client, {"Sec-Fetch-Site": site}))


def test_no_response_ever_allows_every_origin(client, anonymous_client):
    responses = [
        client.get("/v1/health"), post_page(client), client.get("/v1/nothing"),
        post_page(client, {"Origin": "https://evil.test"}),
        post_page(client, {"Origin": CHROME_ORIGIN}),
        anonymous_client.options("/v1/clean", headers={"Origin": "https://evil.test",
                                                      "Access-Control-Request-Method": "POST"}),
        anonymous_client.options("/v1/clean", headers={"Origin": CHROME_ORIGIN,
                                                      "Access-Control-Request-Method": "POST"}),
    ]
    for response in responses:
        assert response.headers.get("Access-Control-Allow-Origin") in (None, CHROME_ORIGIN)
        assert "Access-Control-Allow-Credentials" not in response.headers
        assert "Access-Control-Allow-Private-Network" not in response.headers


# ---------------------------------------------------------------- CORS preflight
def test_extension_preflight_is_answered_without_a_token(anonymous_client):
    response = anonymous_client.options("/v1/clean", headers={
        "Origin": FIREFOX_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == FIREFOX_ORIGIN
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed
    assert int(response.headers["Access-Control-Max-Age"]) > 0
    assert response.headers["Content-Security-Policy"] == CSP


@pytest.mark.parametrize("origin", ["https://evil.test", "null"])
def test_web_page_preflight_is_refused(anonymous_client, origin):
    response = anonymous_client.options("/v1/clean", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST"})
    assert_forbidden(response)


def test_options_without_origin_needs_the_token(anonymous_client, client):
    assert_forbidden(anonymous_client.options("/v1/clean"))
    assert client.options("/v1/clean").status_code == 200


# ---------------------------------------------------------------- order: 403 before 415 / 413
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_page_post_with_a_simple_content_type_never_reaches_the_pipeline(
        anonymous_client, client, content_type):
    # What a page can send without a preflight (fetch no-cors, a form): refused for its
    # Origin or its lack of token before the content type is even looked at.
    page_headers = {"Origin": "https://evil.test", "Sec-Fetch-Mode": "no-cors",
                    "Sec-Fetch-Site": "cross-site"}
    assert_forbidden(post_page(client, page_headers, content_type=content_type))
    assert_forbidden(post_page(anonymous_client, content_type=content_type))
    # The paired extension sending the wrong type gets the 415 that says what to send.
    response = post_page(client, content_type=content_type)
    assert response.status_code == 415
    assert response.get_json()["error"] == "unsupported_media_type"
    assert not response.body_read


def test_refusal_comes_before_the_body_limit(make_app):
    app = make_app(max_body_bytes=1000)
    big = json.dumps({"html": "<p>" + "x" * 5000 + "</p>"})
    assert_forbidden(post_page(app.test_client(), {"Origin": "https://evil.test"}, data=big))
    anonymous = FlaskClient(app, app.response_class)
    assert_forbidden(post_page(anonymous, data=big))
    assert post_page(app.test_client(), data=big).status_code == 413


# ---------------------------------------------------------------- response headers
def test_every_response_has_the_safety_headers(client, anonymous_client):
    for response in [client.get("/v1/health"), post_page(client), client.get("/v1/nope"),
                     anonymous_client.post("/v1/clean"), client.put("/v1/clean"),
                     post_page(client, content_type="text/plain")]:
        assert response.headers["Content-Security-Policy"] == CSP
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"
        assert response.mimetype == JSON


# ---------------------------------------------------------------- the token file
def test_token_file_is_made_once_private_and_reused(tmp_path):
    folder = tmp_path / "conf" / "sourcelight"
    first = load_or_create(folder)
    assert first.created and first.notices == ()
    assert first.path == folder / "token"
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(first.token) == 43 and first.token.replace("-", "").replace("_", "").isalnum()
    assert first.path.read_text().strip() == first.token
    again = load_or_create(folder)
    assert (again.token, again.created) == (first.token, False)
    assert [p.name for p in folder.iterdir()] == ["token"]  # no temporary file left behind
    assert first.token not in repr(first)


def test_tokens_differ_between_installs(tmp_path):
    assert load_or_create(tmp_path / "a").token != load_or_create(tmp_path / "b").token


def test_token_readable_by_others_is_made_private_and_reported(tmp_path):
    token = load_or_create(tmp_path).token
    (tmp_path / "token").chmod(0o644)
    again = load_or_create(tmp_path)
    assert again.token == token
    assert stat.S_IMODE((tmp_path / "token").stat().st_mode) == 0o600
    (notice,) = again.notices
    assert "0644" in notice and "0600" in notice and "sourcelight token --new" in notice
    assert token not in notice


@pytest.mark.parametrize("content", ["", "short", "not a token at all!\n", "\x00" * 50])
def test_damaged_token_file_is_replaced_and_reported(tmp_path, content):
    (tmp_path / "token").write_text(content)
    (tmp_path / "token").chmod(0o600)
    result = load_or_create(tmp_path)
    assert result.created and len(result.token) == 43
    assert (tmp_path / "token").read_text().strip() == result.token
    assert any("damaged" in notice for notice in result.notices)


def test_symlinked_token_file_is_refused(tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("A" * 43)
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "token").symlink_to(target)
    with pytest.raises(PairingError, match="token"):
        load_or_create(tmp_path / "conf")


def test_token_path_that_is_a_directory_is_refused(tmp_path):
    (tmp_path / "token").mkdir()
    with pytest.raises(PairingError, match="not a regular file"):
        load_or_create(tmp_path)


def test_renew_replaces_the_token(tmp_path):
    old = load_or_create(tmp_path).token
    new = load_or_create(tmp_path, renew=True)
    assert new.created and new.token != old
    assert load_or_create(tmp_path).token == new.token
    assert stat.S_IMODE((tmp_path / "token").stat().st_mode) == 0o600


def test_a_token_made_meanwhile_by_another_process_wins(tmp_path):
    # Two services starting at once must agree on one token.
    theirs = load_or_create(tmp_path).token
    assert pairing.create_token_file(tmp_path / "token", pairing.new_token()) == theirs
    assert load_or_create(tmp_path).token == theirs


def test_config_dir_order(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCELIGHT_CONFIG_DIR", str(tmp_path / "env"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert pairing.config_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert pairing.config_dir() == tmp_path / "env"
    monkeypatch.delenv("SOURCELIGHT_CONFIG_DIR")
    assert pairing.config_dir() == tmp_path / "xdg" / "sourcelight"
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/path")  # invalid per the XDG spec
    assert pairing.config_dir() == tmp_path / "home" / ".config" / "sourcelight"
    monkeypatch.delenv("XDG_CONFIG_HOME")
    assert pairing.config_dir() == tmp_path / "home" / ".config" / "sourcelight"


def test_app_loads_the_token_from_its_config_dir_and_never_logs_it(tmp_path, caplog):
    with caplog.at_level(logging.DEBUG):
        app = create_app(Settings(config_dir=str(tmp_path)), {"TESTING": True})
        try:
            token = (tmp_path / "token").read_text().strip()
            client = FlaskClient(app, app.response_class)
            assert_forbidden(post_page(client))
            assert_cleaned(post_page(client, {"Authorization": f"Bearer {token}"}))
        finally:
            close_worker_pool(app)
    assert token not in caplog.text
    assert token not in repr(Settings(token=token))


def test_app_reports_a_repaired_token_file_in_its_log(tmp_path, caplog):
    load_or_create(tmp_path)
    (tmp_path / "token").chmod(0o640)
    with caplog.at_level(logging.WARNING):
        close_worker_pool(create_app(Settings(config_dir=str(tmp_path)), {"TESTING": True}))
    assert "could be read by other users" in caplog.text


# ---------------------------------------------------------------- `sourcelight token`
def test_token_command_prints_the_token(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCELIGHT_CONFIG_DIR", str(tmp_path))
    assert cli.main(["token"]) == 0
    first = capsys.readouterr()
    token = (tmp_path / "token").read_text().strip()
    assert first.out == token + "\n"
    assert "made a new pairing token" in first.err
    assert cli.main(["token"]) == 0
    second = capsys.readouterr()
    assert (second.out, second.err) == (token + "\n", "")
    assert cli.main(["token", "--new"]) == 0
    renewed = capsys.readouterr().out.strip()
    assert renewed != token and renewed == (tmp_path / "token").read_text().strip()


def test_token_command_reports_a_token_file_it_cannot_use(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCELIGHT_CONFIG_DIR", str(tmp_path))
    (tmp_path / "token").mkdir()
    assert cli.main(["token"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("sourcelight: The pairing token file")
    assert "Traceback" not in captured.err


# ---------------------------------------------------------------- a real `sourcelight serve`
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str, body: bytes | None = None, headers: dict | None = None):
    """(status, parsed JSON or raw bytes) of one request to the served app."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body,
                                     headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw


def test_served_app_prints_its_token_once_and_enforces_it(tmp_path):
    port = free_port()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SERVER_DIR), env.get("PYTHONPATH")]))
    env["SOURCELIGHT_CONFIG_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "sourcelight.cli", "serve", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )
    # stdout is read by a thread, so a server that never prints fails the test, not hangs it.
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in server.stdout],
                              daemon=True)
    reader.start()
    try:
        banner = [lines.get(timeout=60) for _ in range(3)]
        token = (tmp_path / "token").read_text().strip()
        assert banner[0].strip().endswith(f"listening on http://127.0.0.1:{port}")
        assert banner[1].strip() == f"Pairing token: {token}"
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = fetch(port, "/v1/health")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.1)
        assert (status, body) == (200, {"name": "sourcelight", "version": sourcelight.__version__})

        page = page_body().encode()
        json_type = {"Content-Type": JSON}
        auth = {"Authorization": f"Bearer {token}", **json_type}
        status, body = fetch(port, "/v1/clean", page, auth)
        assert status == 200 and "bus network" in body["article"]["text"]
        assert fetch(port, "/v1/clean", page, json_type)[1]["error"] == "forbidden"
        assert fetch(port, "/v1/clean", page, {**auth, "Host": "evil.test"})[0] == 403
        assert fetch(port, "/v1/clean", page, {**auth, "Origin": "https://evil.test"})[0] == 403
        # waitress holds the same body limit as Flask: it answers a declared length over it
        # as soon as the headers arrive, before reading the body or calling the app.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.putrequest("POST", "/v1/clean")
        for name, value in {**auth, "Content-Length": str(Settings().max_body_bytes + 1)}.items():
            connection.putheader(name, value)
        connection.endheaders()
        assert connection.getresponse().status == 413
        connection.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log = server.stderr.read()
        server.stderr.close()
        reader.join(timeout=10)
    stdout = "".join(banner) + "".join(lines.get() for _ in range(lines.qsize()))
    assert stdout.count(token) == 1  # printed once, at start
    assert "/v1/clean -> 200" in log  # the log is there…
    assert token not in log  # …and never holds the token
