"""Drive the real extension in Debian's Firefox ESR through Marionette, Firefox's own remote
protocol (shared by tests/browser/ and bench/browser.py).

Playwright cannot drive a stock Firefox; Marionette is built into every Firefox and speaks
length-prefixed JSON over a TCP socket (``<length>:[0, id, "Command", {params}]``). The few
commands used here need no client library: the ``marionette_driver`` package would bring
mozrunner, mozprofile, mozlog and mozdevice for the same twenty lines of socket code.

The add-on is installed as a temporary add-on from the checkout (``Addon:Install``), and the
toolbar button is pressed through Firefox's own action code (``browserActionFor(extension)
.triggerAction(window)``, what a click and the ``_execute_action`` shortcut run), which grants
activeTab as a click does.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import harness

FIREFOX = Path(os.environ.get("SOURCELIGHT_FIREFOX", "/usr/bin/firefox-esr"))
ADDON_ID = json.loads((harness.ROOT / "manifest.json").read_text("utf-8"))[
    "browser_specific_settings"]["gecko"]["id"]
START_TIMEOUT = 30.0
COMMAND_TIMEOUT = 30.0
# Profile preferences: Marionette on a free port (written to MarionetteActivePort), downloads to
# a known folder without asking, and none of Firefox's own background traffic.
PREFS = {
    "marionette.port": 0,
    "browser.shell.checkDefaultBrowser": False,
    "browser.download.folderList": 2,
    "browser.download.useDownloadDir": True,
    "browser.download.always_ask_before_handling_new_types": False,
    "browser.download.panel.shown": True,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "app.update.auto": False,
    "extensions.update.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "browser.newtabpage.enabled": False,
    "intl.locale.requested": "en-GB",
    # Every address but loopback goes to a proxy that is not there, so a page's remote images,
    # fonts and scripts fail at once (Chromium's --host-resolver-rules does the same).
    "network.proxy.type": 1,
    "network.proxy.http": "127.0.0.1",
    "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1",
    "network.proxy.ssl_port": 9,
    "network.proxy.no_proxies_on": "localhost, 127.0.0.1",
    "network.proxy.allow_hijacking_localhost": False,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
}


def require_firefox() -> None:
    """Fail with what to do when Debian's Firefox ESR is missing (.ci/run installs it)."""
    if not FIREFOX.exists():
        raise RuntimeError(f"{FIREFOX} not found: install Debian's package with "
                           "`apt-get install firefox-esr` (.ci/run does this in CI).")


class MarionetteError(RuntimeError):
    """An error answer from Marionette: its WebDriver error code and message."""


class Firefox:
    """Headless Firefox ESR with a fresh profile, the extension installed, one Marionette
    session. Every call is bounded by ``COMMAND_TIMEOUT`` on the socket."""

    def __init__(self, profile: Path, downloads: Path):
        require_firefox()
        self.profile = profile
        self.downloads = downloads
        self.process: subprocess.Popen | None = None
        self.sock: socket.socket | None = None
        self.reader = None
        self.next_id = 0
        self.context = "content"
        self.uuid = ""
        self.version = ""

    # ------------------------------------------------------------- life cycle
    def start(self) -> "Firefox":
        self.profile.mkdir(parents=True, exist_ok=True)
        prefs = {**PREFS, "browser.download.dir": str(self.downloads)}
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()), "utf-8")
        log = (self.profile / "firefox.log").open("wb")
        env = {**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1", "TZ": "Asia/Tokyo"}
        # --remote-allow-system-access: Firefox 138+ runs chrome-context scripts only with it.
        self.process = subprocess.Popen(
            [str(FIREFOX), "--headless", "--marionette", "--remote-allow-system-access", "--no-remote",
             "--new-instance", "--profile", str(self.profile), "--width", "1280", "--height", "900"],
            stdout=log, stderr=subprocess.STDOUT, env=env, preexec_fn=harness.die_with_parent)
        port_file = self.profile / "MarionetteActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while not (port_file.is_file() and port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Firefox did not start Marionette; see {self.profile / 'firefox.log'}")
            time.sleep(0.05)
        self.sock = socket.create_connection(("127.0.0.1", int(port_file.read_text())), timeout=COMMAND_TIMEOUT)
        self.reader = self.sock.makefile("rb")
        self._read()  # the greeting: {"applicationType": "gecko", "marionetteProtocol": 3}
        caps = self.command("WebDriver:NewSession", {"capabilities": {"alwaysMatch": {
            "acceptInsecureCerts": False, "timeouts": {"script": int(COMMAND_TIMEOUT * 1000)}}}})
        self.version = caps["capabilities"]["browserVersion"]
        self.command("Addon:Install", {"path": str(harness.ROOT), "temporary": True})
        with self.chrome():
            self.uuid = self.script(
                f"return WebExtensionPolicy.getByID({json.dumps(ADDON_ID)}).mozExtensionHostname")
        return self

    def stop(self) -> None:
        if self.sock is not None:
            try:
                self.command("Marionette:Quit", {"flags": ["eForceQuit"]})
            except (OSError, MarionetteError, ValueError):
                pass
            self.sock.close()
            self.sock = None
        harness.stop_process(self.process)

    # ------------------------------------------------------------- protocol
    def _read(self):
        length = b""
        while not length.endswith(b":"):
            ch = self.reader.read(1)
            if not ch:
                raise MarionetteError("Firefox closed the Marionette connection")
            length += ch
        return json.loads(self.reader.read(int(length[:-1])))

    def command(self, name: str, params: dict | None = None):
        self.next_id += 1
        data = json.dumps([0, self.next_id, name, params or {}]).encode("utf-8")
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        while True:
            kind, msg_id, error, result = self._read()
            if kind == 1 and msg_id == self.next_id:
                break
        if error:
            raise MarionetteError(f"{name}: {error.get('error')}: {error.get('message')}")
        return result

    def script(self, source: str, *args):
        """Run ``source`` (a function body; ``arguments`` holds ``args``) and return its value."""
        return self.command("WebDriver:ExecuteScript", {"script": source, "args": list(args)})["value"]

    def async_script(self, source: str, *args):
        """Like ``script``, for a body that calls ``arguments[arguments.length - 1](value)``."""
        return self.command("WebDriver:ExecuteAsyncScript", {"script": source, "args": list(args)})["value"]

    def set_context(self, context: str) -> None:
        if context != self.context:
            self.command("Marionette:SetContext", {"value": context})
            self.context = context

    def chrome(self):
        """``with firefox.chrome(): …`` runs scripts in the browser's own (privileged) context."""
        outer = self

        class _Chrome:
            def __enter__(self):
                outer.set_context("chrome")

            def __exit__(self, *exc):
                outer.set_context("content")

        return _Chrome()

    # ------------------------------------------------------------- reader actions
    def extension_url(self, path: str) -> str:
        return f"moz-extension://{self.uuid}/{path.lstrip('/')}"

    def goto(self, url: str) -> None:
        self.command("WebDriver:SwitchToFrame", {})  # back to the top document
        self.command("WebDriver:Navigate", {"url": url})

    def configure(self, **settings) -> None:
        """Set the extension's settings in browser.storage.local (``None`` removes a key), from
        the extension's own options page, as the reader's options do."""
        kept = {k: v for k, v in settings.items() if v is not None}
        removed = [k for k, v in settings.items() if v is None]
        here = self.script("return location.href")
        self.goto(self.extension_url("extension/options.html"))
        done = self.async_script(
            """const [kept, removed, done] = arguments;
               (async () => { if (removed.length) await browser.storage.local.remove(removed);
                              if (Object.keys(kept).length) await browser.storage.local.set(kept); })()
               .then(() => done("ok"), (e) => done(String(e)));""", kept, removed)
        assert done == "ok", done
        if here.startswith("http"):
            self.goto(here)

    def storage(self, *keys: str) -> dict:
        """The extension's browser.storage.local values (read from its options page)."""
        here = self.script("return location.href")
        self.goto(self.extension_url("extension/options.html"))
        values = self.async_script(
            "const [keys, done] = arguments; browser.storage.local.get(keys.length ? keys : null).then(done);",
            list(keys))
        if here.startswith("http"):
            self.goto(here)
        return values

    def click_action(self) -> None:
        """Press the extension's toolbar button in the selected tab."""
        with self.chrome():
            self.script(
                """const ext = WebExtensionPolicy.getByID(arguments[0]).extension;
                   const {ExtensionParent} = ChromeUtils.importESModule("resource://gre/modules/ExtensionParent.sys.mjs");
                   const win = Services.wm.getMostRecentWindow("navigator:browser");
                   ExtensionParent.apiManager.global.browserActionFor(ext).triggerAction(win);""", ADDON_ID)

    def host_count(self) -> int:
        self.command("WebDriver:SwitchToFrame", {})
        return self.script("return document.querySelectorAll('[data-sourcelight]').length")

    def enter_overlay(self, timeout: float = 10.0) -> None:
        """Switch into the overlay's iframe (inside the page's closed shadow root: WebDriver
        reaches a closed shadow root, page scripts do not)."""
        self.command("WebDriver:SwitchToFrame", {})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            hosts = self.command("WebDriver:FindElements", {"using": "css selector", "value": "[data-sourcelight]"})
            if hosts:
                shadow = self.command("WebDriver:GetShadowRoot", {"id": _ref(hosts[0])})["value"]
                frame = self.command("WebDriver:FindElementFromShadowRoot", {
                    "shadowRoot": _ref(shadow), "using": "css selector", "value": "iframe"})["value"]
                self.command("WebDriver:SwitchToFrame", {"element": _ref(frame)})
                return
            time.sleep(0.02)
        raise AssertionError("the Sourcelight overlay did not appear")

    def wait_overlay_finished(self, timeout: float = 30.0) -> None:
        """Inside the overlay once it shows a result or a failure."""
        self.enter_overlay()
        deadline = time.monotonic() + timeout
        polls = 0
        while time.monotonic() < deadline:
            polls += 1
            try:
                if self.script("return location.protocol === 'moz-extension:' && !!document.documentElement"
                               " && document.documentElement.dataset.renderedAt !== undefined"):
                    return
                stale = polls % 20 == 0
            except MarionetteError:
                stale = True
            if stale:
                # The frame may have been entered while still about:blank; its navigation to the
                # extension page gives it a new browsing context: find it again.
                self.enter_overlay()
            time.sleep(0.01)
        raise AssertionError(f"the overlay did not finish within {timeout} s")

    def open_overlay(self, url: str, timeout: float = 30.0) -> None:
        self.goto(url)
        self.click_action()
        self.wait_overlay_finished(timeout)

    def wait_overlay_closed(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.host_count() == 0:
                return
            time.sleep(0.02)
        raise AssertionError("the overlay did not close")

    def press(self, key: str, *modifiers: str) -> None:
        """A real key press (WebDriver actions) into the focused element; ``key`` is a WebDriver
        key: a character or "\\ue00c" (Escape), "\\ue004" (Tab)."""
        down = [{"type": "keyDown", "value": m} for m in modifiers]
        up = [{"type": "keyUp", "value": m} for m in reversed(modifiers)]
        actions = down + [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}] + up
        self.command("WebDriver:PerformActions", {"actions": [{"type": "key", "id": "keyboard", "actions": actions}]})
        self.command("WebDriver:ReleaseActions", {})

    def click(self, selector: str) -> None:
        found = self.command("WebDriver:FindElement", {"using": "css selector", "value": selector})["value"]
        self.command("WebDriver:ElementClick", {"id": _ref(found)})

    def type(self, selector: str, text: str) -> None:
        """Type ``text`` into the field (WebDriver's real key events; "\ue007" is Enter)."""
        found = self.command("WebDriver:FindElement", {"using": "css selector", "value": selector})["value"]
        self.command("WebDriver:ElementClear", {"id": _ref(found)})
        self.command("WebDriver:ElementSendKeys", {"id": _ref(found), "text": text})

    def screenshot(self, path: Path) -> None:
        """The whole tab as the reader sees it (the top document, overlay included)."""
        self.command("WebDriver:SwitchToFrame", {})
        data = self.command("WebDriver:TakeScreenshot", {"full": False})["value"]
        path.write_bytes(base64.b64decode(data))


KEYS = {"Escape": "\ue00c", "Tab": "\ue004", "Enter": "\ue007", "Shift": "\ue008"}


def _ref(value: dict) -> str:
    """The id inside a WebDriver element or shadow-root reference."""
    return next(iter(value.values()))


def remove_profile(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
