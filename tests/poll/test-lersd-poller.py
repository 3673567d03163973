#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# lersd's polling-service options, as an operator uses them: the token file
# made on the first start (mode 0600, the token never printed), a poller
# that waits to be authorised and goes on once it is, --role=all that
# authorises itself, a clean stop, and bad options refused. Rows are read
# with psql, a program that is not ours.
import hashlib
import os
import signal
import stat
import subprocess
import sys
import tempfile
import time

import gi

gi.require_version("Lers", "1.0")
from gi.repository import Lers  # noqa: E402

LERSD = sys.argv[1]
ENV = dict(os.environ, LANG="C", LC_ALL="C", LANGUAGE="C")


def psql(uri, sql):
    out = subprocess.run(["psql", "-XAtq", "-d", uri, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def start(uri, *args, log):
    return subprocess.Popen([LERSD, "--db=" + uri, "--listen=127.0.0.1:0", *args],
                            env=ENV, stdout=log, stderr=subprocess.STDOUT)


def wait_for(path, text, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with open(path, encoding="utf-8") as f:
            if text in f.read():
                return
        time.sleep(0.1)
    with open(path, encoding="utf-8") as f:
        raise AssertionError("no %r in:\n%s" % (text, f.read()))


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


def refused(uri, *args):
    r = subprocess.run([LERSD, "--db=" + uri, *args], env=ENV, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode != 0, r
    return r.stderr


def main():
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    tmp = tempfile.TemporaryDirectory()
    try:
        uri = cluster.get_uri()
        Lers.Store.new(uri).open_sync(None)  # migrates
        token_file = os.path.join(tmp.name, "state", "poller-token")
        log_path = os.path.join(tmp.name, "p1.log")

        # first start: a token file is made; the service waits
        with open(log_path, "w") as log:
            p1 = start(uri, "--role=poller", "--name=p1", "--token-file=" + token_file,
                       "--spool-dir=" + os.path.join(tmp.name, "spool"), "--lease=9",
                       "--max-links=4", log=log)
        wait_for(log_path, "Polling service “p1” waits to be authorised: "
                           "run lers poll authorise p1")
        mode = stat.S_IMODE(os.stat(token_file).st_mode)
        assert mode == 0o600, oct(mode)
        with open(token_file) as f:
            token = f.read().strip()
        # 32 random bytes in base64url without padding: 43 characters
        assert len(token) == 43 and "=" not in token, token
        with open(log_path) as f:
            assert token not in f.read()
        digest = hashlib.sha256(token.encode()).hexdigest()
        assert psql(uri, "SELECT authorised, max_links, encode(token_hash, 'hex')"
                         " FROM poll_services WHERE name = 'p1'") == "f|4|" + digest

        # authorised: it says so within its next look (10 s)
        psql(uri, "UPDATE poll_services SET authorised = true WHERE name = 'p1'")
        wait_for(log_path, "Polling service “p1” is authorised", 20)
        assert psql(uri, "SELECT heartbeat_at IS NOT NULL AND stopped_at IS NULL"
                         " FROM poll_services WHERE name = 'p1'") == "t"
        stop(p1)
        assert psql(uri, "SELECT stopped_at IS NOT NULL FROM poll_services"
                         " WHERE name = 'p1'") == "t"

        # started again with the same token file: the same service, running
        with open(log_path, "w") as log:
            p1 = start(uri, "--role=poller", "--name=p1", "--token-file=" + token_file,
                       "--spool-dir=" + os.path.join(tmp.name, "spool"), log=log)
        wait_for(log_path, "Polling service “p1” started")
        deadline = time.monotonic() + 20
        while psql(uri, "SELECT stopped_at IS NULL FROM poll_services WHERE name = 'p1'") != "t":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        with open(log_path) as f:
            assert "waits to be authorised" not in f.read()
        assert psql(uri, "SELECT count(*) FROM poll_services") == "1"
        stop(p1)

        # --role=all authorises its own service
        all_log = os.path.join(tmp.name, "all.log")
        with open(all_log, "w") as log:
            a = start(uri, "--role=all", "--name=all-in-one",
                      "--token-file=" + os.path.join(tmp.name, "all-token"),
                      "--spool-dir=" + os.path.join(tmp.name, "spool-all"), log=log)
        deadline = time.monotonic() + 20
        while psql(uri, "SELECT count(*) FROM poll_services WHERE name = 'all-in-one'"
                        " AND authorised") != "1":
            assert time.monotonic() < deadline
            time.sleep(0.2)
        stop(a)
        with open(all_log) as f:
            assert "waits to be authorised" not in f.read()

        # bad options and a bad token file are refused before anything runs
        err = refused(uri, "--role=poller", "--retry-delay=0")
        assert "--retry-delay must be BASE or BASE:MAX" in err, err
        err = refused(uri, "--role=poller", "--retry-delay=60:x")
        assert "--retry-delay must be BASE or BASE:MAX" in err, err
        err = refused(uri, "--role=poller", "--max-links=0")
        assert "--max-links must be 1 to 100000" in err, err
        err = refused(uri, "--role=poller", "--lease=1")
        assert "--lease must be 3 to 86400 seconds" in err, err
        two_lines = os.path.join(tmp.name, "two-lines")
        with open(two_lines, "w") as f:
            f.write("one\ntwo\n")
        # a token others can read is refused, and named with its mode
        os.chmod(two_lines, 0o644)
        err = refused(uri, "--role=poller", "--name=p2", "--token-file=" + two_lines)
        assert "can be read by others (mode 644)" in err, err
        os.chmod(two_lines, 0o600)
        err = refused(uri, "--role=poller", "--name=p2", "--token-file=" + two_lines)
        assert "must hold the polling service's token on one line" in err, err
        assert psql(uri, "SELECT count(*) FROM poll_services WHERE name = 'p2'") == "0"
        print("ok")
    finally:
        cluster.stop()
        tmp.cleanup()


main()
