#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Faults of issue 13, item 6, each proven with real processes: `lersd
--role=poller` services, `lers-sim` M-Bus buses paced as serial lines, a
PostgreSQL cluster that the test kills, restarts and stops, and psql (not
our code) reading what was stored. Item 7 (logs an operator can use) is
checked on lersd's stderr along the way.

The buses are paced at 2400 baud (11 bits a byte) with answer delays of
50-150 ms, so that reading six hours of a meter takes about 2 s and a hold of
a six-meter bus about 14 s: long enough to kill, restart or stop something
in the middle of it. Leases are 3 s and retry delays 2 s (doubling, at most
8 s), so that what takes minutes in production takes seconds here.

Run one test: test-faults.py kill_poller (names below); all by default.
"""
import datetime
import os
import random
import signal
import socket
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pollharness as h  # noqa: E402

PACED = ["--baud=2400", "--answer-delay-ms=50", "--answer-delay-max-ms=150"]
LEASE = 3
RETRY = "2:8"


def six_hours():
    end = h.utc_hour(0)
    return end - datetime.timedelta(hours=6), end


def assert_archive_complete(lab, points, start, end):
    for p in points:
        missing = lab.hours_missing(p, start, end)
        assert missing == [], "point %d misses hours %s" % (p, missing)
    dup = lab.cluster.int("SELECT count(*) - count(DISTINCT (point_id, kind, channel, ts)) "
                          "FROM archive")
    assert dup == 0, "%d archive rows stored twice" % dup


def service_id(lab, name):
    return lab.cluster.int("SELECT id FROM poll_services WHERE name = '%s'" % name)


def sessions(lab, connection_id):
    """(service name, started, ended) of the link's sessions, by start."""
    return lab.cluster.psql(
        "SELECT coalesce(s.name, ''), extract(epoch FROM l.started_at), "
        "extract(epoch FROM l.ended_at) FROM link_sessions l LEFT JOIN poll_services s "
        "ON s.id = l.service_id WHERE l.connection_id = %d ORDER BY l.started_at"
        % connection_id)


def assert_no_overlap(rows):
    for a, b in zip(rows, rows[1:]):
        assert float(b[1]) >= float(a[2]), "link sessions overlap: %s and %s" % (a, b)


def bus_connection(lab, points):
    return lab.cluster.int("SELECT DISTINCT d.connection_id FROM measure_points p JOIN devices "
                           "d ON d.id = p.device_id WHERE p.id IN (%s)"
                           % ",".join(str(p) for p in points))


def test_kill_poller(lab):
    """kill -9 of the poller that holds a bus in the middle of its read: the
    other takes the jobs over once the lease has run out and finishes them;
    every job done once, every hour of every point stored once."""
    sim = lab.sim("bus", 6, bus_size=6, args=PACED)
    lab.import_sim(sim)
    a = lab.poller("poller-a", lease=LEASE)
    b = lab.poller("poller-b", lease=LEASE)
    points = lab.points()
    link = bus_connection(lab, points)
    start, end = six_hours()
    ids = lab.read(points, start, end)
    assert len(ids) == 6, ids

    owner = h.wait_for("a poller to hold the bus", lambda: lab.cluster.value(
        "SELECT s.name FROM poll_links l JOIN poll_services s ON s.id = l.lease_owner "
        "WHERE l.connection_id = %d AND l.lease_until > now()" % link), 30)
    victim, survivor = (a, "poller-b") if owner == "poller-a" else (b, "poller-a")
    # well into the hold (a meter takes about 2 s), with meters left to read
    h.wait_for("the hold to be 3 s old", lambda: lab.cluster.value(
        "SELECT 1 FROM poll_jobs WHERE id IN (%s) AND state = 1 "
        "AND started_at < now() - interval '3 s'" % ",".join(map(str, ids))), 30)
    victim.kill(signal.SIGKILL)
    before = lab.jobs(ids)
    taken = [i for i, j in before.items() if j["state"] == h.RUNNING]
    assert taken, "the poller was killed after its read: %s" % before

    jobs = lab.wait_finished(ids, 120)
    print("  %s held the bus and was killed with %d of 6 jobs running; %s finished them"
          % (owner, len(taken), survivor))
    survivor_id = service_id(lab, survivor)
    for i, j in jobs.items():
        assert j["state"] == h.DONE, j
        if i in taken:
            # claimed by the dead one, then by the survivor once the lease ran out
            assert j["attempts"] == 2, j
            assert j["service_id"] == survivor_id, j
            assert owner in j["log"], "the log does not name %s: %s" % (owner, j["log"])
        else:
            assert j["attempts"] == 1, j
    assert_archive_complete(lab, points, start, end)
    # one session on the bus: the survivor's hold that read what was left
    # (the dead one's never ended, so it was never recorded)
    rows = sessions(lab, link)
    assert [r[0] for r in rows] == [survivor], rows
    # item 7: successes are counted, not logged one by one
    log = (a if survivor == "poller-a" else b).stderr()
    assert "Point " not in log, log
    assert lab.cluster.int("SELECT count(*) FROM poll_links WHERE connection_id = %d "
                           "AND lease_owner IS NOT NULL" % link) == 0


def test_postgres_restart(lab):
    """PostgreSQL restarted (pg_ctl restart -m fast) while a poller reads a
    bus: it reconnects, stores what it read, and the jobs end done."""
    sim = lab.sim("bus", 6, bus_size=6, args=PACED)
    lab.import_sim(sim)
    poller = lab.poller("poller", lease=LEASE)
    points = lab.points()
    start, end = six_hours()
    ids = lab.read(points, start, end)
    h.wait_for("the read to be 3 s old", lambda: lab.cluster.value(
        "SELECT 1 FROM poll_jobs WHERE id IN (%s) AND state = 1 "
        "AND started_at < now() - interval '3 s'" % ",".join(map(str, ids))), 30)
    boot_before = lab.cluster.value("SELECT pg_postmaster_start_time()")
    lab.cluster.restart("fast")
    assert lab.cluster.value("SELECT pg_postmaster_start_time()") != boot_before
    jobs = lab.wait_finished(ids, 120)
    for j in jobs.values():
        assert j["state"] == h.DONE, j
    assert_archive_complete(lab, points, start, end)
    assert poller.alive(), poller.stderr()


def observe(lab, job_id, until, timeout):
    """Samples the job every 0.1 s: (time, state, attempts, due_at) while it
    changes, until @until(job) holds."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = time.time()
        j = lab.jobs([job_id])[job_id]
        sample = (now, j["state"], j["attempts"], j["due_at_epoch"])
        if not seen or seen[-1][1:] != sample[1:]:
            seen.append(sample)
        if until(j):
            return j, seen
        time.sleep(0.1)
    raise AssertionError("timed out observing job %d: %s" % (job_id, seen))


def test_silent_meter(lab):
    """A meter on a bus that never answers: its job backs off (attempts,
    due_at later each time), then fails with a "no-connection" event on the
    point; the bus's other meters are read in the same holds. Its failures
    are logged once, with point, link, address and cause."""
    sim = lab.sim("bus", 4, bus_size=4, args=PACED)
    port = sim.ports[0]
    # a fifth device on the same bus, at a secondary address no meter has
    silent = {"title": "Silent", "resource": "heat", "poll_interval": 0,
              "device": {"protocol": "mbus", "serial_number": "99999999",
                         "network_address": "99999999",
                         "connection": {"host": "127.0.0.1", "port": port, "timeout": 5}}}
    lab.import_sim(sim, extra_points=[silent])
    poller = lab.poller("poller", lease=LEASE, retry_delay=RETRY)
    silent_id = lab.points("d.serial_number = '99999999'")[0]
    good = lab.points("d.serial_number <> '99999999'")
    link = bus_connection(lab, good)
    assert bus_connection(lab, [silent_id]) == link
    start, end = six_hours()
    ids = lab.read(good + [silent_id], start, end)
    silent_job = lab.cluster.int("SELECT id FROM poll_jobs WHERE point_id = %d" % silent_id)
    lab.cluster.psql("UPDATE poll_jobs SET max_attempts = 3 WHERE id = %d" % silent_job)

    first = h.wait_for("the first claim", lambda: lab.cluster.value(
        "SELECT extract(epoch FROM started_at) FROM poll_jobs WHERE id = %d" % silent_job), 30)
    j, seen = observe(lab, silent_job, lambda j: j["state"] >= h.DONE, 180)
    assert j["state"] == h.FAILED and j["attempts"] == 3, (j, seen)
    assert j["error_code"] in ("timed-out", "connection"), j
    # back-off: queued again after attempts 1 and 2, each due later than it failed
    for k in (1, 2):
        waits = [s for s in seen if s[1] == h.QUEUED and s[2] == k]
        assert waits, "no back-off seen after attempt %d: %s" % (k, seen)
        assert waits[0][3] > waits[0][0] - 0.5, (k, waits)
    due1 = [s for s in seen if s[1] == h.QUEUED and s[2] == 1][0][3]
    due2 = [s for s in seen if s[1] == h.QUEUED and s[2] == 2][0][3]
    assert due2 > due1, seen

    events = lab.cluster.psql("SELECT code, severity, coalesce(text, '') FROM meter_events "
                              "WHERE point_id = %d" % silent_id)
    assert [e[:2] for e in events] == [["no-connection", "1"]], events
    # the others: read once, in the hold that first tried the silent one
    jobs = lab.jobs(ids)
    for i in ids:
        if i == silent_job:
            continue
        assert jobs[i]["state"] == h.DONE and jobs[i]["attempts"] == 1, jobs[i]
        assert abs(jobs[i]["started_at_epoch"] - float(first)) < 0.001, (jobs[i], first)
    assert_archive_complete(lab, good, start, end)
    assert lab.cluster.int("SELECT count(*) FROM archive WHERE point_id = %d" % silent_id) == 0
    assert_no_overlap(sessions(lab, link))

    # item 7: one line for the failing meter, not one per attempt, naming the
    # point, the link, the device's address and the cause; no line per success
    log = poller.stderr().splitlines()
    about = [line for line in log if "99999999" in line]
    assert len(about) == 1, "expected one line about the silent meter:\n" + "\n".join(log)
    line = about[0]
    assert str(silent_id) in line and "127.0.0.1:%d" % port in line, line
    for p in good:
        assert not any(("Point %d " % p) in x or ("point %d " % p) in x for x in log), log


class GarbageMeter:
    """A TCP "meter" at primary address 1 that acknowledges SND_NKE and
    answers every REQ_UD2 with a long frame whose checksum is wrong."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.requests = 0
        self.stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @staticmethod
    def frame():
        rng = random.Random(7)
        user = bytes([0x08, 0x01, 0x72]) + bytes(rng.randrange(256) for _ in range(40))
        cs = (sum(user) + 1) & 0xFF  # one off: a corrupted checksum
        return bytes([0x68, len(user), len(user), 0x68]) + user + bytes([cs, 0x16])

    def _serve(self):
        self.sock.settimeout(0.5)
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            threading.Thread(target=self._client, args=(conn,), daemon=True).start()

    def _client(self, conn):
        buf = b""
        with conn:
            conn.settimeout(1.0)
            while not self.stop:
                try:
                    data = conn.recv(256)
                except socket.timeout:
                    continue
                except OSError:
                    return
                if not data:
                    return
                buf += data
                while buf:
                    if buf[0] == 0x10 and len(buf) >= 5:  # short frame
                        c, buf = buf[1], buf[5:]
                        self.requests += 1
                        conn.sendall(b"\xe5" if c & 0x4F == 0x40 else self.frame())
                    elif buf[0] == 0x68 and len(buf) >= 4 and len(buf) >= buf[1] + 6:
                        buf = buf[buf[1] + 6:]  # SND_UD: acknowledged
                        conn.sendall(b"\xe5")
                    elif buf[0] not in (0x10, 0x68):
                        buf = buf[1:]
                    else:
                        break

    def close(self):
        self.stop = True
        self.thread.join(timeout=5)
        self.sock.close()


def test_garbage_meter(lab):
    """A meter answering frames with a wrong checksum: the job's error and
    log say so (error_code checksum or invalid-data), nothing is stored for
    the point, and the poller goes on reading other links."""
    garbage = GarbageMeter()
    try:
        sim = lab.sim("bus", 2, bus_size=2, args=PACED)
        bad = {"title": "Garbage", "resource": "heat", "poll_interval": 0,
               "device": {"protocol": "mbus", "serial_number": "30000001",
                          "network_address": "1",
                          "connection": {"host": "127.0.0.1", "port": garbage.port,
                                         "timeout": 5}}}
        lab.import_sim(sim, extra_points=[bad])
        poller = lab.poller("poller", lease=LEASE, retry_delay=RETRY)
        bad_id = lab.points("d.serial_number = '30000001'")[0]
        good = lab.points("d.serial_number <> '30000001'")
        start, end = six_hours()
        bad_job = lab.read([bad_id], start, end)[0]
        lab.cluster.psql("UPDATE poll_jobs SET max_attempts = 2 WHERE id = %d" % bad_job)
        j = lab.wait_finished([bad_job], 120)[bad_job]
        assert j["state"] == h.FAILED and j["attempts"] == 2, j
        assert j["error_code"] in ("checksum", "invalid-data"), j
        assert "checksum" in (j["error"] + j["log"]).lower(), j
        assert garbage.requests > 0
        assert lab.cluster.int("SELECT count(*) FROM archive WHERE point_id = %d" % bad_id) == 0
        assert poller.alive(), poller.stderr()
        # and it reads on
        ids = lab.read(good, start, end)
        for jj in lab.wait_finished(ids, 120).values():
            assert jj["state"] == h.DONE, jj
        assert_archive_complete(lab, good, start, end)
        log = [x for x in poller.stderr().splitlines() if "30000001" in x or
               ("127.0.0.1:%d" % garbage.port) in x]
        assert len(log) == 1 and "checksum" in log[0].lower(), poller.stderr()
    finally:
        garbage.close()


def spool_files(path):
    out = []
    for root, _, files in os.walk(path):
        out += [os.path.join(root, f) for f in files]
    return out


# The issue asks for 10 minutes without the database. Scaled: 40 s with a
# lease of 3 s and a claim interval of 5 s. What the 10 minutes test is that
# (a) the outage outlasts every lease many times over (40 s = 13 leases:
# nothing of the poller's depends on a lease it could not renew), (b) the
# poller's reconnect back-off reaches its cap (5, 10, 20, then 30 s: past
# 35 s it waits its longest), and (c) the spool keeps what was read while
# bounded; the reads of one bus hold are a few kilobytes, so the bound
# (256 MiB) is not what 10 minutes would test either. After (a) and (b),
# more time changes nothing but the number of spool files.
DB_DOWN_SECONDS = 40


def test_database_away(lab):
    """The database unreachable for a long time: the poller keeps reading
    what it claimed into its spool, and when the database returns the spool
    drains into the archive and empties.

    The poller looks a device's points up in the database as its hold
    reaches the device; a device it reaches while the database is away
    fails that attempt (a database error, retried) and is read again once
    the database is back. The test counts those: what it requires is that
    every record ends in the archive, the jobs done, the spool empty."""
    sim = lab.sim("bus", 6, bus_size=6, args=PACED)
    lab.import_sim(sim)
    spool = os.path.join(lab.work, "spool")
    poller = lab.poller("poller", lease=LEASE, spool_dir=spool, retry_delay=RETRY)
    points = lab.points()
    start, end = six_hours()
    ids = lab.read(points, start, end)
    # a second into the hold: the first meter's session is under way (about
    # 2 s), so its records have somewhere to go but the spool
    h.wait_for("the read to be 1 s old", lambda: lab.cluster.value(
        "SELECT 1 FROM poll_jobs WHERE id IN (%s) AND state = 1 "
        "AND started_at < now() - interval '1 s'" % ",".join(map(str, ids))), 30)
    stopped = time.monotonic()
    lab.cluster.stop("fast")
    files = h.wait_for("spool files in " + spool, lambda: spool_files(spool),
                       DB_DOWN_SECONDS - 5)
    assert poller.alive(), poller.stderr()
    time.sleep(max(0.0, DB_DOWN_SECONDS - (time.monotonic() - stopped)))
    # the whole bus was read meanwhile: six meters at about 2 s each
    assert len(spool_files(spool)) >= len(files)
    lab.cluster.start()
    jobs = lab.wait_finished(ids, 120)
    for j in jobs.values():
        assert j["state"] == h.DONE, j
    assert_archive_complete(lab, points, start, end)
    h.wait_for("the spool to empty", lambda: not spool_files(spool), 30)
    assert poller.alive(), poller.stderr()
    retried = sum(1 for j in jobs.values() if j["attempts"] > 1)
    print("  %d spool file(s) while the database was away; %d of 6 jobs took another attempt"
          % (len(files), retried))
    # item 7: the outage is one warning and one message when it ends, not a
    # line per failed write
    log = poller.stderr()
    assert log.count("cannot reach the database") == 1, log
    assert log.count("reaches the database again") == 1, log


TESTS = [
    ("kill_poller", test_kill_poller),
    ("postgres_restart", test_postgres_restart),
    ("silent_meter", test_silent_meter),
    ("garbage_meter", test_garbage_meter),
    ("database_away", test_database_away),
]


def require(path):
    """A missing program skips the test (77) on a developer's machine and
    fails it under CI, as tests/check/lers-check.sh does."""
    if os.path.exists(path):
        return
    if os.environ.get("CI", "") not in ("", "0", "false", "FALSE", "False"):
        print("FAIL: %s is absent; CI is set, so a missing requirement is a failure" % path)
        sys.exit(1)
    print("SKIP: %s is absent" % path)
    sys.exit(77)


def main():
    for program in ("pg_ctl", "initdb"):
        require(os.path.join(h.PG_BINDIR, program))
    require("/usr/bin/psql")
    chosen = sys.argv[1:] or [name for name, _ in TESTS]
    passed = failed = 0
    for name, fn in TESTS:
        if name not in chosen:
            continue
        t = time.monotonic()
        lab = h.Lab(name)
        ok = False
        try:
            fn(lab)
            ok = True
        except Exception:  # noqa: BLE001 - report and go on with the next test
            traceback.print_exc()
            for p in lab.processes:
                print("---- %s stderr (last 40 lines)" % p.name, file=sys.stderr)
                print("\n".join(p.stderr().splitlines()[-40:]), file=sys.stderr)
        finally:
            lab.close()
        print("%s: %s (%.1f s)" % ("ok" if ok else "FAIL", name, time.monotonic() - t),
              flush=True)
        passed += ok
        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
