"""Open the executive summary in a real headless Chromium (DevTools protocol over a
pipe, stdlib only): save a screenshot under target/test-artifacts/, and fail if the page
requests anything but itself and data: URLs, or logs a console error / exception.
In CI (CI=true) a missing chromium is a failure, never a skip."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from iapt_tools.publication import release
from test_publication_support import build_warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "target" / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    "--remote-debugging-pipe",
]  # fmt: skip


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail("chromium is not installed (CI=true): .ci/run must install it")
    pytest.skip("chromium is not installed (install the Debian package `chromium`)")
    raise AssertionError("unreachable")


def _high_fd(fd: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class DevTools:
    """A minimal Chrome DevTools Protocol client over --remote-debugging-pipe
    (fd 3: commands to the browser, fd 4: replies and events, NUL-separated JSON)."""

    def __init__(self, binary: str, profile: Path) -> None:
        profile.mkdir(parents=True, exist_ok=True)
        self._log = profile / "chromium-stderr.log"
        self._log_handle = self._log.open("wb")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The child's ends must not be 3 or 4 themselves (bash moves them there).
        to_browser_r, from_browser_w = (_high_fd(to_browser_r), _high_fd(from_browser_w))
        self.proc = subprocess.Popen(
            ["bash", "-c", f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}',
             binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(to_browser_r, from_browser_w),
            stdout=subprocess.DEVNULL,
            stderr=self._log_handle,  # a file: an unread pipe could fill and block
        )  # fmt: skip
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None,
             timeout: float = 30) -> dict:  # fmt: skip
        self._next_id += 1
        message: dict = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read(deadline)
            self.events.append(event)
            if event.get("method") == method:
                return event

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no reply from chromium")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    self.proc.kill()
                    log = self._log.read_text(errors="replace")
                    raise RuntimeError(f"chromium closed the pipe: {log[-2000:]}")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.send("Browser.close", timeout=10)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._log_handle.close()


def load_page(page: Path, screenshot: Path, profile: Path) -> dict[str, list[str]]:
    """Open `page`, save a full-page screenshot, return the requests and errors seen."""
    browser = DevTools(chromium_path(), profile)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Network", "Runtime", "Log", "Page"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1100, "height": 900, "deviceScaleFactor": 1, "mobile": False},
                     session=session)  # fmt: skip
        browser.send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
        browser.wait_for("Page.loadEventFired")
        time.sleep(0.5)  # let late console messages and requests arrive
        options = {"format": "png", "captureBeyondViewport": True}
        shot = browser.send("Page.captureScreenshot", options, session=session)
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        screenshot.write_bytes(base64.b64decode(shot["data"]))
    finally:
        browser.close()
    requests, errors = [], []
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(json.dumps(params.get("args"))[:300])
        elif method == "Runtime.exceptionThrown":
            errors.append(json.dumps(params.get("exceptionDetails"))[:300])
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            errors.append(params["entry"].get("text", "") + " " + params["entry"].get("url", ""))
    external = [u for u in requests if u != page.resolve().as_uri() and not u.startswith("data:")]
    return {"requests": requests, "external": external, "errors": errors}


def test_executive_summary_in_headless_chromium(tmp_path):
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    folder = release.publish(warehouse, tmp_path / "out", None, None, PROJECT_ROOT).folder
    page = folder / "executive_summary.html"
    screenshot = ARTIFACTS / "executive_summary.png"
    seen = load_page(page, screenshot, tmp_path / "profile")
    assert seen["requests"], "the page itself was not requested: the check saw nothing"
    assert seen["external"] == []
    assert seen["errors"] == []
    png = screenshot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 50_000  # a rendered page, not blank


def test_browser_check_catches_external_requests_and_console_errors(tmp_path):
    """The check must be able to fail: a page with an external image and a script error."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>bad</title></head><body>'
        '<img src="http://example.invalid/logo.png" alt="x">'
        "<script>console.error('boom'); undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    seen = load_page(page, tmp_path / "bad.png", tmp_path / "profile")
    assert seen["external"] == ["http://example.invalid/logo.png"]
    assert len(seen["errors"]) >= 2
