#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# lersd refuses a GPRS port it cannot listen on, and --gprs-port where no
# poller would read the modems, before it opens a database or a port.
import os
import subprocess
import sys

LERSD = sys.argv[1]
ENV = dict(os.environ, LANG="C", LC_ALL="C", LANGUAGE="C")


def run(*args):
    # the database named does not exist: a run that got past the options
    # would fail later, with another message
    return subprocess.run([LERSD, "--db=postgresql://127.0.0.1:1/none", *args], env=ENV,
                          capture_output=True, text=True, timeout=60)


def main():
    for port in ("0", "-5", "65536", "70000"):
        r = run("--role=poller", "--gprs-port=" + port)
        assert r.returncode != 0, (port, r)
        assert "lersd: The GPRS port must be 1 to 65535" in r.stderr, (port, r.stderr)
    r = run("--role=api", "--gprs-port=5000")
    assert r.returncode != 0, r
    assert "lersd: --gprs-port needs the poller role (--role=all or --role=poller)" in r.stderr, \
        r.stderr
    # a good port with the poller role gets past the options (to the
    # database, which is not there)
    r = run("--role=poller", "--gprs-port=5000")
    assert r.returncode != 0, r
    assert "GPRS" not in r.stderr and "Cannot open the database" in r.stderr, r.stderr
    print("ok")


main()
