"""A minimal driver of a real headless Chromium for the report's browser test (and its screenshots).

No third-party package: Chromium is started with ``--remote-debugging-pipe`` and spoken to with the Chrome
DevTools Protocol over its two pipes (fd 3: commands to the browser, fd 4: its replies and events; JSON
messages separated by NUL). The system browser is used (Debian's ``chromium``; ``.ci/run`` installs it when
absent); :func:`find_browser` returns None where there is none, and the test then skips saying so.

Usage::

    with Browser() as b:
        page = b.open("file:///.../index.html", width=1280, height=900, offline=True)
        page.eval("document.title")
        page.screenshot("/tmp/shot.png")
        page.requests          # every URL the page asked for (network, data: and file:)
"""
from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

__all__ = ["find_browser", "Browser", "BrowserError"]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class BrowserError(RuntimeError):
    pass


def find_browser() -> str | None:
    """The path of a Chromium-family browser: ``$EARLYALIGN_BROWSER``, else the first of :data:`CANDIDATES` on
    PATH (Debian's ``/usr/bin/chromium``); None if there is none."""
    env = os.environ.get("EARLYALIGN_BROWSER")
    if env:
        return env if os.path.exists(env) else shutil.which(env)
    for name in CANDIDATES:
        p = shutil.which(name)
        if p:
            return p
    return None


class Browser:
    def __init__(self, executable: str | None = None, timeout: float = 60.0):
        self.exe = executable or find_browser()
        if not self.exe:
            raise BrowserError("no Chromium-family browser found (install Debian's `chromium`)")
        self.timeout = timeout
        self._id = 0
        self._buf = b""
        self._events: list = []
        self.proc = None

    # ------------------------------------------------------------------ process
    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="earlyalign-chromium-")
        to_child_r, self._w = os.pipe()     # we write commands; the browser reads fd 3
        self._r, from_child_w = os.pipe()   # the browser writes fd 4; we read
        args = [self.exe, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
                "--metrics-recording-only", "--mute-audio", "--hide-scrollbars",
                # nothing may leave the machine: any host name resolves nowhere
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost",
                f"--user-data-dir={self.profile}", "about:blank"]

        def _fds():  # runs in the child: put our pipe ends on fd 3 and 4 (via fresh copies: either may be 3 or 4)
            a, b = os.dup(to_child_r), os.dup(from_child_w)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        # close_fds=False: fd 3 and 4 are made by dup2 in the child (inheritable); every other descriptor of ours
        # is close-on-exec (Python's default), so nothing else leaks into the browser
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, preexec_fn=_fds, close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        try:
            self.call("Browser.getVersion")
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        if self.proc is not None:
            try:
                self._send("Browser.close")
            except OSError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            for fd in (self._w, self._r):
                try:
                    os.close(fd)
                except OSError:
                    pass
            if self.proc.stderr:
                self.proc.stderr.close()
            self.proc = None
        shutil.rmtree(getattr(self, "profile", ""), ignore_errors=True)

    # ------------------------------------------------------------------ protocol
    def _send(self, method, params=None, session=None) -> int:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        return self._id

    def _read(self, deadline):
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("timed out waiting for the browser")
            r, _, _ = select.select([self._r], [], [], left)
            if r:
                chunk = os.read(self._r, 1 << 20)
                if not chunk:
                    err = self.proc.stderr.read().decode(errors="replace")[-2000:] if self.proc.stderr else ""
                    raise BrowserError(f"the browser closed its pipe: {err}")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=None, timeout=None):
        mid = self._send(method, params, session)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            msg = self._read(deadline)
            if msg.get("id") == mid:
                if "error" in msg:
                    raise BrowserError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self._events.append(msg)

    def wait_event(self, method, session=None, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, m in enumerate(self._events):
                if m.get("method") == method and (session is None or m.get("sessionId") == session):
                    return self._events.pop(i)
            self._events.append(self._read(deadline))

    # ------------------------------------------------------------------ pages
    def open(self, url, width=1280, height=900, offline=True, timeout=None):
        """Open ``url`` in a new page of ``width`` x ``height`` CSS px, record its requests, wait for load."""
        tid = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        sid = self.call("Target.attachToTarget", {"targetId": tid, "flatten": True})["sessionId"]
        page = Page(self, sid)
        for m in ("Page.enable", "Network.enable", "Runtime.enable"):
            self.call(m, session=sid)
        if offline:
            self.call("Network.emulateNetworkConditions", {"offline": True, "latency": 0, "downloadThroughput": -1,
                                                           "uploadThroughput": -1}, session=sid)
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1,
                                                         "mobile": False}, session=sid)
        self._events = [e for e in self._events if e.get("sessionId") != sid]
        t0 = time.monotonic()
        self.call("Page.navigate", {"url": url}, session=sid)
        self.wait_event("Page.loadEventFired", session=sid, timeout=timeout)
        page.load_s = time.monotonic() - t0
        page.collect()
        return page


class Page:
    def __init__(self, browser: Browser, session: str):
        self.b, self.sid = browser, session
        self.requests: list = []
        self.failed: list = []
        self.load_s = None

    def collect(self):
        """Move this page's network events into :attr:`requests` / :attr:`failed`."""
        keep = []
        for m in self.b._events:
            if m.get("sessionId") != self.sid:
                keep.append(m)
                continue
            if m.get("method") == "Network.requestWillBeSent":
                self.requests.append(m["params"]["request"]["url"])
            elif m.get("method") == "Network.loadingFailed":
                self.failed.append(m["params"].get("errorText", ""))
        self.b._events = keep

    def eval(self, expression, timeout=None):
        r = self.b.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                        session=self.sid, timeout=timeout)
        if "exceptionDetails" in r:
            raise BrowserError(f"script failed: {r['exceptionDetails'].get('text')} "
                               f"{r['exceptionDetails'].get('exception', {}).get('description', '')}")
        self.collect()
        return r["result"].get("value")

    def screenshot(self, path, full_page=False, clip=None):
        params = {"format": "png"}
        if full_page or clip:
            if clip is None:
                h = self.eval("document.documentElement.scrollHeight")
                w = self.eval("document.documentElement.clientWidth")
                clip = {"x": 0, "y": 0, "width": w, "height": h}
            params.update(clip={**clip, "scale": 1}, captureBeyondViewport=True)
        data = self.b.call("Page.captureScreenshot", params, session=self.sid)["data"]
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(data))
        return path
