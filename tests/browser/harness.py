"""Drive the real extension in Debian's Chromium: shared by tests/browser/ and bench/browser.py.

No pytest here: plain functions and context managers that start the real service, serve pages
from ``../shared/corpus`` (read in place) over HTTP, launch Chromium with the unpacked extension
and click its toolbar button through CDP, exactly as a reader's click.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import http.server
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

from helpers import stop_process  # noqa: F401  (tests/helpers.py; firefox.py calls it here)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
CHROMIUM = Path(os.environ.get("SOURCELIGHT_CHROMIUM", "/usr/bin/chromium"))
SOURCELIGHT = Path(sys.executable).with_name("sourcelight")
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,256}")
OVERLAY_PATH = "/extension/overlay.html"
SEED_PATH = "/corpus/seed/trump-takaichi.html"
# The launch recipe of issue 5: without --disable-extensions-except the extension does not
# load; the resolver rule keeps Chromium's own background traffic off the closed network.
CHROMIUM_ARGS = [
    f"--disable-extensions-except={ROOT}",
    f"--load-extension={ROOT}",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]


def extension_id(manifest: Path = ROOT / "manifest.json") -> str:
    """Chromium's id for the extension: the manifest ``key`` (DER public key) hashed with
    SHA-256, first 32 hex digits spelled with the letters a-p."""
    key = json.loads(manifest.read_text("utf-8"))["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(ch, 16)) for ch in digest)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def require_chromium() -> None:
    """Fail with what to do when Debian's Chromium is missing (CI installs it in .ci/run)."""
    if not CHROMIUM.exists():
        raise RuntimeError(
            f"{CHROMIUM} not found: install Debian's packages with "
            "`apt-get install chromium chromium-driver` (.ci/run does this in CI)."
        )


# ---------------------------------------------------------------- the service
def die_with_parent() -> None:
    """In the child, before exec: on Linux, get SIGTERM when the test process dies, so a
    killed test run leaves no service behind."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Service:
    """``sourcelight serve --port N`` in a subprocess with its own config directory."""

    def __init__(self, config_dir: Path, port: int | None = None):
        self.config_dir = config_dir
        self.port = port or free_port()
        self.address = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log_path = config_dir / "serve.log"

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "SOURCELIGHT_CONFIG_DIR": str(self.config_dir)}

    def start(self, timeout: float = 30.0) -> "Service":
        self.config_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [str(SOURCELIGHT), "serve", "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env=self.env, preexec_fn=die_with_parent,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sourcelight serve exited: {self.log_path.read_text('utf-8', 'replace')}")
            try:
                with urllib.request.urlopen(self.address + "/v1/health", timeout=2) as answer:
                    if json.load(answer).get("name") == "sourcelight":
                        return self
            except (OSError, ValueError):
                time.sleep(0.1)
        raise RuntimeError(f"sourcelight serve did not answer within {timeout} s")

    def token(self) -> str:
        """The pairing token, as the reader gets it: ``sourcelight token``."""
        done = subprocess.run([str(SOURCELIGHT), "token"], capture_output=True, text=True,
                              env=self.env, timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"`sourcelight token` failed: {done.stderr.strip()}")
        found = [w for w in done.stdout.split() if TOKEN_PATTERN.fullmatch(w)]
        if not found:
            raise RuntimeError(f"`sourcelight token` printed no token: {done.stdout!r}")
        return found[-1]

    def clean(self, html: str, url: str | None, token: str) -> tuple[int, dict]:
        """POST /v1/clean as the extension does (Bearer token, extension Origin)."""
        body = json.dumps({"url": url, "html": html}).encode("utf-8")
        request = urllib.request.Request(
            self.address + "/v1/clean", data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}",
                     "Origin": f"chrome-extension://{extension_id()}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return answer.status, json.load(answer)
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def stop(self) -> None:
        stop_process(self.process)


# ---------------------------------------------------------------- pages
class PageHandler(http.server.SimpleHTTPRequestHandler):
    """Serves ``/corpus/...`` from ../shared/corpus and ``/pages/...`` from a test directory.

    WCXB keeps its pages gzipped (``0001.html.gz``): a request for ``0001.html`` gets the
    page decompressed, as a site would serve it. Nothing is ever written to the corpus.
    """

    roots: dict[str, Path] = {}

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        try:
            self.serve_page()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser gave up on the request (navigation, closed tab)

    def serve_page(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        prefix, _, rest = path.lstrip("/").partition("/")
        root = self.roots.get(prefix)
        target = (root / rest).resolve() if root else None
        if target is None or root.resolve() not in target.parents:
            self.send_error(404)
            return
        if target.is_file():
            data = target.read_bytes()
        elif target.suffix == ".html" and target.with_name(target.name + ".gz").is_file():
            data = gzip.decompress(target.with_name(target.name + ".gz").read_bytes())
        else:
            self.send_error(404)
            return
        self.send_response(200)
        kind = "text/html" if target.suffix in (".html", ".htm") else self.guess_type(str(target))
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


@contextlib.contextmanager
def page_server(pages_dir: Path) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 for the corpus and the tests' own pages; yields its origin."""
    handler = type("Handler", (PageHandler,), {"roots": {"corpus": CORPUS, "pages": pages_dir}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers: the 'service hangs' case."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=2)
        for conn in held:
            conn.close()
        sock.close()


# ---------------------------------------------------------------- the browser
def write_download_prefs(user_data_dir: Path, download_dir: Path) -> None:
    """Chromium's profile preferences: downloads go to ``download_dir`` under their own names,
    without asking."""
    prefs_dir = user_data_dir / "Default"
    prefs_dir.mkdir(parents=True, exist_ok=True)
    prefs = {
        "download": {"default_directory": str(download_dir), "prompt_for_download": False,
                     "directory_upgrade": True},
        "savefile": {"default_directory": str(download_dir)},
    }
    (prefs_dir / "Preferences").write_text(json.dumps(prefs), "utf-8")


def launch(playwright, user_data_dir: Path, download_dir: Path):
    """Chromium with the unpacked extension (the issue's recipe); returns the context."""
    require_chromium()
    write_download_prefs(user_data_dir, download_dir)
    args = list(CHROMIUM_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run its sandbox as root
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=str(CHROMIUM),
        headless=True,
        args=args,
        accept_downloads=False,
        viewport={"width": 1280, "height": 900},
        locale="en-GB",
        timezone_id="Asia/Tokyo",
    )
    cdp = browser_cdp(context)
    cdp.send("Browser.setDownloadBehavior", {"behavior": "default"})
    return context


def browser_cdp(context):
    """A browser-level CDP session (kept on the context so each test reuses it)."""
    session = getattr(context, "_sourcelight_cdp", None)
    if session is None:
        session = context.browser.new_browser_cdp_session()
        context._sourcelight_cdp = session
    return session


def service_worker(context, timeout: float = 15.0):
    """The extension's background service worker."""
    prefix = f"chrome-extension://{extension_id()}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for worker in context.service_workers:
            if worker.url.startswith(prefix):
                return worker
        try:
            context.wait_for_event("serviceworker", timeout=500)
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; poll again
            pass
    raise RuntimeError("the extension's service worker did not start: is the extension loaded?")


def configure(context, **settings) -> None:
    """Set the extension's settings in chrome.storage.local (as the options page does);
    ``None`` removes a key."""
    worker = service_worker(context)
    removed = [key for key, value in settings.items() if value is None]
    kept = {key: value for key, value in settings.items() if value is not None}
    worker.evaluate(
        """async ([kept, removed]) => {
            if (removed.length) await chrome.storage.local.remove(removed);
            if (Object.keys(kept).length) await chrome.storage.local.set(kept);
        }""",
        [kept, removed],
    )


def tab_target_id(context, page) -> str:
    """The CDP id of ``page``'s *tab* target (Extensions.triggerAction wants the tab, not the
    page target that Playwright drives): the tab whose url is the page's."""
    session = context.new_cdp_session(page)
    try:
        page_target = session.send("Target.getTargetInfo")["targetInfo"]
    finally:
        session.detach()
    # getTargets leaves tab targets out unless a filter asks for them.
    targets = browser_cdp(context).send("Target.getTargets", {"filter": [{"type": "tab"}]})["targetInfos"]
    tabs = [t for t in targets if t["type"] == "tab" and t["url"] == page_target["url"]]
    if len(tabs) != 1:
        raise RuntimeError(f"cannot tell which tab holds {page_target['url']}: {len(tabs)} tabs match")
    return tabs[0]["targetId"]


def click_action(context, page) -> None:
    """A real toolbar click on the extension's button in ``page``'s tab (grants activeTab)."""
    browser_cdp(context).send(
        "Extensions.triggerAction", {"id": extension_id(), "targetId": tab_target_id(context, page)}
    )


def overlay_frame(page, timeout: float = 10.0):
    """The overlay's extension-origin iframe in ``page``, once it is attached."""
    prefix = f"chrome-extension://{extension_id()}{OVERLAY_PATH}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame.url.startswith(prefix):
                return frame
        page.wait_for_timeout(20)
    raise AssertionError("the Sourcelight overlay did not appear")


def wait_overlay_finished(page, timeout: float = 30.0):
    """The overlay frame once it shows a result or a failure (body data-state)."""
    frame = overlay_frame(page)
    # Polled with evaluate (CDP callFunctionOn): the extension page's CSP forbids the eval
    # that wait_for_function uses.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if frame.evaluate("() => document.documentElement.dataset.renderedAt !== undefined"):
            return frame
        time.sleep(0.01)
    raise AssertionError(f"the overlay did not finish within {timeout} s")


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------- common test steps
def open_overlay(context, page, url: str, timeout: float = 30.0):
    """Go to ``url``, click the toolbar button, and return the overlay frame once it finished."""
    page.goto(url)
    click_action(context, page)
    return wait_overlay_finished(page, timeout)


def live_html(page) -> str:
    """The page as the content script reads it (doctype + live DOM)."""
    return page.evaluate(
        """() => (document.doctype ? new XMLSerializer().serializeToString(document.doctype) + "\\n" : "")
                 + document.documentElement.outerHTML"""
    )


def overlay_host_count(page) -> int:
    return page.evaluate("() => document.querySelectorAll('[data-sourcelight]').length")


def wait_overlay_closed(page, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if overlay_host_count(page) == 0:
            return
        page.wait_for_timeout(20)
    raise AssertionError("the overlay did not close")
