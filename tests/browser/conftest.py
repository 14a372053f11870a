"""Fixtures for the browser tests: the real service, a page server and Chromium with the
unpacked extension, started once per test session (a Chromium start costs about a second).

Screenshots go to ``test-artifacts/browser/`` (gitignored); the path is printed at the end.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

import harness

ARTIFACTS = harness.ROOT / "test-artifacts" / "browser"


@pytest.fixture(scope="session")
def browser_tmp() -> Path:
    path = Path(tempfile.mkdtemp(prefix="sourcelight-browser-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def service(browser_tmp: Path) -> harness.Service:
    """``sourcelight serve`` on a free port with a temporary config directory."""
    running = harness.Service(browser_tmp / "config").start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def token(service: harness.Service) -> str:
    """The pairing token, from ``sourcelight token`` as a reader gets it."""
    return service.token()


@pytest.fixture(scope="session")
def pages_dir(browser_tmp: Path) -> Path:
    """The tests' own pages (served under /pages/); the corpus is served under /corpus/."""
    path = browser_tmp / "pages"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def origin(pages_dir: Path) -> str:
    with harness.page_server(pages_dir) as address:
        yield address


@pytest.fixture(scope="session")
def downloads(browser_tmp: Path) -> Path:
    path = browser_tmp / "downloads"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def browser(browser_tmp: Path, downloads: Path):
    """Chromium (Debian's /usr/bin/chromium) with the extension loaded; fails when missing."""
    from playwright.sync_api import sync_playwright

    harness.require_chromium()
    with sync_playwright() as playwright:
        context = harness.launch(playwright, browser_tmp / "profile", downloads)
        harness.service_worker(context)
        yield context
        context.close()


@pytest.fixture
def paired(browser, service: harness.Service, token: str):
    """The extension paired with the running service, default options."""
    harness.configure(browser, address=service.address, token=token, theme="auto",
                      categories=None, timeoutSeconds=None, corrections=None, reading=None)
    return browser


@pytest.fixture
def page(browser):
    tab = browser.new_page()
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pytest_terminal_summary(terminalreporter) -> None:
    if ARTIFACTS.is_dir() and any(ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"browser test screenshots: {ARTIFACTS}")


@pytest.fixture(scope="session")
def firefox_downloads(browser_tmp: Path) -> Path:
    path = browser_tmp / "firefox-downloads"
    path.mkdir()
    return path


@pytest.fixture(scope="session")
def firefox(browser_tmp: Path, firefox_downloads: Path):
    """Debian's Firefox ESR with the extension installed as a temporary add-on (Marionette)."""
    import firefox as ff

    ff.require_firefox()
    running = ff.Firefox(browser_tmp / "firefox-profile", firefox_downloads).start()
    yield running
    running.stop()


@pytest.fixture
def ff_paired(firefox, service: harness.Service, token: str):
    """Firefox's extension paired with the running service, default options."""
    firefox.configure(address=service.address, token=token, theme="auto", categories=None,
                      timeoutSeconds=None, corrections=None, reading=None)
    return firefox
