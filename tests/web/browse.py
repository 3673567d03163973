#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Loads a page of lersd in headless Chromium, logs in through the page's
own form when it shows one, and prints the DOM once the page has settled.

Chromium is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4), so
nothing but Debian's chromium and Python's standard library is needed.

  browse.py URL            (env: LERS_CHROMIUM, LERS_WEB_LOGIN,
                            LERS_WEB_PASSWORD; LANGUAGE and TZ are the
                            browser's)

The credentials come from the environment, never from the command line.
Exit status 0 and the DOM on stdout, or 1 and the reason on stderr.
"""
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 30.0


class Browser:
    def __init__(self, chromium, lang):
        self.profile = tempfile.mkdtemp(prefix="lers-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # the child gets our pipe ends as its fds 3 (reads) and 4 (writes)
        def child_fds():
            # via fds above 4, so that neither end overwrites the other
            high_r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)
        self.proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--user-data-dir=" + self.profile, "--lang=" + lang,
             "--remote-debugging-pipe", "about:blank"],
            preexec_fn=child_fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def close(self):
        try:
            self.call("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self):
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_chrome, 65536)
            if not chunk:
                raise RuntimeError("chromium closed its DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method, params=None, session=True):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            msg["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            self.events.append(reply)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True,
                                                "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError("page script failed: %s" % result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression, what):
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.1)
        raise RuntimeError("timed out waiting for " + what)


# The page is settled when it shows no "loading" text and no request is in
# flight (the page counts them in document.body.dataset.pending).
SETTLED = ("document.readyState === 'complete' && !document.querySelector('#loading')"
           " && !(document.body && document.body.dataset.pending > 0)")


def main():
    url = sys.argv[1]
    chromium = os.environ.get("LERS_CHROMIUM", "chromium")
    lang = os.environ.get("LANGUAGE", "ru")
    browser = Browser(chromium, lang)
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"}, session=False)
        attached = browser.call("Target.attachToTarget",
                                {"targetId": target["targetId"], "flatten": True}, session=False)
        browser.session = attached["sessionId"]
        browser.call("Page.enable")
        browser.call("Page.navigate", {"url": url})
        browser.wait_for(SETTLED, "the page to load")
        login = os.environ.get("LERS_WEB_LOGIN")
        if login and browser.evaluate("!!document.querySelector('#login-form')"):
            browser.evaluate(
                "(() => { const f = document.querySelector('#login-form');"
                " f.elements.login.value = %s; f.elements.password.value = %s;"
                " f.requestSubmit(); return true; })()"
                % (json.dumps(login), json.dumps(os.environ.get("LERS_WEB_PASSWORD", ""))))
            browser.wait_for("!document.querySelector('#login-form') || "
                             "!!document.querySelector('#login-form .error')", "the login")
            browser.wait_for(SETTLED, "the page after login")
        sys.stdout.write(browser.evaluate("document.documentElement.outerHTML"))
    finally:
        browser.close()


if __name__ == "__main__":
    try:
        main()
    except Exception as e:  # the C test prints this and fails
        print("browse.py: %s" % e, file=sys.stderr)
        sys.exit(1)
