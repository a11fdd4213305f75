"""A tiny client of the Chrome DevTools Protocol over a pipe: headless
Chromium started with --remote-debugging-pipe reads commands on its fd 3
and answers on its fd 4, each message JSON ended by a NUL byte.

    with Browser(path) as browser:
        page = browser.open("file:///tmp/timeline.html")
        page.call("Input.dispatchMouseEvent", type="mouseMoved", x=10, y=20)
        page.evaluate("document.title")
"""

import json
import os
import select
import shutil
import subprocess
import tempfile
import time

TIMEOUT_S = 60


class BrowserError(Exception):
    """Chromium failed, answered with an error, or did not answer."""


class Browser:
    """Headless Chromium, ended (by its pid) when the with block ends."""

    def __init__(self, path, width=1400, height=900):
        self.path, self.size = path, (width, height)
        self.next_id, self.pending = 0, b""

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="hover-chromium-")
        cmd_r, cmd_w = os.pipe()      # commands: it reads them on fd 3
        ans_r, ans_w = os.pipe()      # answers: it writes them on fd 4

        def fds():                    # in the child, before exec
            high = [os.dup2(fd, 100 + i, inheritable=False)
                    for i, fd in enumerate((cmd_r, ans_w))]
            os.dup2(high[0], 3)       # dup2 leaves 3 and 4 inheritable;
            os.dup2(high[1], 4)       # every other fd closes at exec

        self.proc = subprocess.Popen(
            [self.path, "--headless", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-pipe", "--no-first-run",
             "--font-render-hinting=none", "--hide-scrollbars",
             f"--user-data-dir={self.profile}",
             f"--window-size={self.size[0]},{self.size[1]}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, preexec_fn=fds, close_fds=False)
        os.close(cmd_r)
        os.close(ans_w)
        self.write_fd, self.read_fd = cmd_w, ans_r
        return self

    def __exit__(self, *exc):
        for fd in (self.write_fd, self.read_fd):
            os.close(fd)
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)

    def call(self, method, session=None, **params):
        """Send one command; its result (dict), events before it dropped."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            answer = self.receive(deadline)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def receive(self, deadline):
        while b"\0" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.read_fd], [], [],
                                              left)[0]:
                raise BrowserError("chromium did not answer in time")
            chunk = os.read(self.read_fd, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed its pipe")
            self.pending += chunk
        message, self.pending = self.pending.split(b"\0", 1)
        return json.loads(message)

    def open(self, url):
        """A Page with url loaded."""
        target = self.call("Target.createTarget", url="about:blank")
        session = self.call("Target.attachToTarget", flatten=True,
                            targetId=target["targetId"])["sessionId"]
        page = Page(self, session)
        page.call("Emulation.setDeviceMetricsOverride", width=self.size[0],
                  height=self.size[1], deviceScaleFactor=1, mobile=False)
        page.call("Page.navigate", url=url)
        deadline = time.monotonic() + TIMEOUT_S
        while page.evaluate("document.readyState") != "complete":
            if time.monotonic() > deadline:
                raise BrowserError(f"{url} did not load")
            time.sleep(0.05)
        return page


class Page:
    """One tab, through its session."""

    def __init__(self, browser, session):
        self.browser, self.session = browser, session

    def call(self, method, **params):
        return self.browser.call(method, self.session, **params)

    def evaluate(self, expression):
        """The value of a JavaScript expression (JSON-able)."""
        result = self.call("Runtime.evaluate", expression=expression,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def mouse(self, kind, x, y):
        """A real mouse event at (x, y) CSS pixels of the viewport:
        "mouseMoved", or "click" (pressed and released)."""
        if kind == "click":
            for what in ("mousePressed", "mouseReleased"):
                self.call("Input.dispatchMouseEvent", type=what, x=x, y=y,
                          button="left", clickCount=1)
        else:
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y)
