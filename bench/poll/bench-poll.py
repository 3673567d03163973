#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Polling at scale (issue 13, item 8): 10,000 simulated M-Bus meters on
loopback, read in one hourly cycle by 1, then 2, then 4 `lersd
--role=poller` services sharing the job queue in PostgreSQL.

The meters: four lers-sim processes, 200 TCP links (gateways) with a bus of 50
meters each, secondary addressing (each meter is selected by its serial
number), every byte paced as on a 9600-baud M-Bus line (11 bits a byte:
8E1) and every answer delayed 20-60 ms (drawn per answer). Points, devices
and connections come from `lers import` of the file lers-sim writes (poll
interval 0, so that the pollers' own planners add nothing).

A cycle: the 10,000 routine jobs of one hourly slot, each reading the hour
archive of [H-1h, H) (H the start of this hour), inserted in one statement
as the planner inserts routine jobs (priority 3, the slot, one poll_links
row per link). Before each run the archive rows of that hour, the jobs and
the link sessions of the previous run are deleted, so every run reads the
same bytes. The pollers are started first (max-links 50 each, lease 60 s)
and claim on their own timer.

Printed per run, from the database and /proc:
  cycle      first claim -> last job done: max(finished_at) - min(started_at)
  longest    the longest link session (link_sessions.ended_at - started_at)
  ideal      ceil(links / (pollers * max_links)) * longest: the waves of
             holds the link limit allows, each as long as the longest hold
  ratio      cycle / ideal (goal <= 1.2)
  wire       the bytes-on-the-wire time of the longest hold:
             (bytes_in + bytes_out) * 11 / 9600 s, the reference; the
             hold's ratio to it shows what answer delays and our work add
  RSS        each poller's VmHWM (goal <= 300 MB)
  CPU/read   (utime + stime of all pollers) / jobs done
  twice      jobs done more than once for one point/kind/range, and
             link sessions overlapping on one link (both must be 0)
  speed-up   cycle(1) / cycle(N) (goals 1.8x for 2, 3.2x for 4)

Environment: LERS_BENCH_QUICK=1 for 20 links of 10 meters, max-links 5;
LERS_BENCH_POLLERS="1 2 4" to choose the runs. Not run in CI:
`meson test -C build --benchmark poll-10000 --verbose`.
"""
import datetime
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.environ.get("LERS_SOURCE_ROOT", ""), "tests", "poll"))
import pollharness as h  # noqa: E402

QUICK = os.environ.get("LERS_BENCH_QUICK") == "1"
LINKS = 20 if QUICK else 200
PER_BUS = 10 if QUICK else 50
MAX_LINKS = 5 if QUICK else 50
BAUD = 9600
POLLERS = [int(x) for x in os.environ.get("LERS_BENCH_POLLERS", "1 2 4").split()]
# lers-sim processes (one main loop each): the meters' side must not be what
# limits the pollers
SIMS = 2 if QUICK else 4
TICKS = os.sysconf("SC_CLK_TCK")


def proc_cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # after the command: state is field 3; utime 14 and stime 15 (1-based)
    return (int(fields[11]) + int(fields[12])) / TICKS


def proc_hwm_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def plan_cycle(lab, start, end):
    """The slot's routine jobs, as the planner writes them."""
    lab.cluster.psql(
        "BEGIN; "
        "INSERT INTO poll_links (connection_id) SELECT DISTINCT d.connection_id FROM "
        "measure_points p JOIN devices d ON d.id = p.device_id ON CONFLICT DO NOTHING; "
        "INSERT INTO poll_jobs (connection_id, point_id, kind, from_at, to_at, priority, slot) "
        "SELECT d.connection_id, p.id, %d, '%s', '%s', 3, '%s' FROM measure_points p "
        "JOIN devices d ON d.id = p.device_id; COMMIT"
        % (h.HOUR, h.iso(start), h.iso(end), h.iso(end)))
    return lab.cluster.int("SELECT count(*) FROM poll_jobs WHERE state = 0")


def reset(lab, start):
    lab.cluster.psql("DELETE FROM poll_jobs; DELETE FROM link_sessions; "
                     "DELETE FROM archive WHERE kind = %d AND ts >= '%s'"
                     % (h.HOUR, h.iso(start)))


def run(lab, sims, n_pollers, start, end, n_points):
    reset(lab, start)
    sim_cpu0 = sum(proc_cpu_seconds(s.pid) for s in sims)
    pollers = [lab.poller("bench-%d-%d" % (n_pollers, i), lease=60, max_links=MAX_LINKS)
               for i in range(n_pollers)]
    cpu0 = [proc_cpu_seconds(p.pid) for p in pollers]
    jobs = plan_cycle(lab, start, end)
    assert jobs == n_points, jobs
    h.wait_for("the cycle to end", lambda: lab.cluster.int(
        "SELECT count(*) FROM poll_jobs WHERE state < 2") == 0, 3600, interval=1.0)
    cpu = sum(proc_cpu_seconds(p.pid) - c for p, c in zip(pollers, cpu0))
    sim_cpu = sum(proc_cpu_seconds(s.pid) for s in sims) - sim_cpu0
    rss = [proc_hwm_mb(p.pid) for p in pollers]
    for p in pollers:
        p.stop()
        lab.processes.remove(p)
    c = lab.cluster
    cycle = float(c.value("SELECT extract(epoch FROM max(finished_at) - min(started_at)) "
                          "FROM poll_jobs"))
    done = c.int("SELECT count(*) FROM poll_jobs WHERE state = 2")
    failed = c.int("SELECT count(*) FROM poll_jobs WHERE state = 3")
    longest, bytes_io, n_sessions = c.psql(
        "SELECT extract(epoch FROM ended_at - started_at), bytes_in + bytes_out, "
        "(SELECT count(*) FROM link_sessions) FROM link_sessions "
        "ORDER BY ended_at - started_at DESC LIMIT 1")[0]
    longest = float(longest)
    mean, busy, first_start, last_start = [float(x) for x in c.psql(
        "SELECT extract(epoch FROM avg(ended_at - started_at)), "
        "extract(epoch FROM sum(ended_at - started_at)), "
        "extract(epoch FROM min(started_at)), extract(epoch FROM max(started_at)) "
        "FROM link_sessions")[0]]
    wire = int(bytes_io) * 11 / BAUD
    waves = math.ceil(LINKS / (n_pollers * MAX_LINKS))
    ideal = waves * longest
    twice_jobs = c.int("SELECT count(*) FROM (SELECT 1 FROM poll_jobs WHERE state = 2 "
                       "GROUP BY point_id, kind, from_at, to_at HAVING count(*) > 1) t")
    twice_sessions = c.int(
        "SELECT count(*) FROM link_sessions a JOIN link_sessions b ON "
        "a.connection_id = b.connection_id AND a.id < b.id AND "
        "a.started_at < b.ended_at AND b.started_at < a.ended_at")
    stored = c.int("SELECT count(DISTINCT point_id) FROM archive WHERE kind = %d AND ts = '%s'"
                   % (h.HOUR, h.iso(start)))
    print("poll-10000: %d poller(s), max-links %d: %d jobs done, %d failed, %d of %d points "
          "stored the hour, %s link sessions"
          % (n_pollers, MAX_LINKS, done, failed, stored, n_points, n_sessions))
    print("  cycle (first claim -> last job done): %.1f s" % cycle)
    print("  longest session: %.1f s; ideal = ceil(%d links / (%d pollers x %d max-links)) "
          "x %.1f s = %.1f s" % (longest, LINKS, n_pollers, MAX_LINKS, longest, ideal))
    print("  ratio = cycle / ideal = %.2f (goal <= 1.2)" % (cycle / ideal))
    print("  sessions: mean %.1f s; ports busy %.0f%% of the cycle (sum of sessions / (cycle x "
          "%d ports)); last hold started %.1f s after the first"
          % (mean, 100.0 * busy / (cycle * n_pollers * MAX_LINKS), n_pollers * MAX_LINKS,
             last_start - first_start))
    print("  longest hold vs reference (its bytes on the wire, %s bytes x 11 bits / %d baud = "
          "%.1f s): ratio %.2f" % (bytes_io, BAUD, wire, longest / wire))
    print("  peak RSS (VmHWM): %s (goal <= 300 MB)"
          % ", ".join("%.0f MB" % r for r in rss))
    print("  CPU time (utime + stime, all pollers): %.1f s, %.2f ms per read"
          % (cpu, 1000.0 * cpu / max(done, 1)))
    print("  CPU time of the %d lers-sim processes meanwhile: %.1f s" % (len(sims), sim_cpu))
    print("  read twice: %d jobs, %d overlapping link sessions (must be 0)"
          % (twice_jobs, twice_sessions), flush=True)
    return cycle, done, failed, twice_jobs + twice_sessions


def main():
    lab = h.Lab("bench-poll")
    try:
        t = time.monotonic()
        sims = []
        per_sim = LINKS * PER_BUS // SIMS
        for k in range(SIMS):
            sims.append(lab.sim("meters-%d" % k, per_sim, bus_size=PER_BUS, seed=1 + k * per_sim,
                                args=["--baud=%d" % BAUD, "--answer-delay-ms=20",
                                      "--answer-delay-max-ms=60"]))
            lab.import_sim(sims[-1])
        n_points = len(lab.points())
        print("poll-10000: %d simulated M-Bus meters in %d lers-sim processes, %d TCP links x %d "
              "meters a bus, %d baud (11 bits a byte), answers after 20-60 ms; set up in %.1f s; "
              "%d cores on this machine (shared with the simulators and PostgreSQL; load "
              "average %.1f before the runs)"
              % (n_points, SIMS, LINKS, PER_BUS, BAUD, time.monotonic() - t, os.cpu_count(),
                 os.getloadavg()[0]), flush=True)
        end = h.utc_hour(0)
        start = end - datetime.timedelta(hours=1)
        results = {}
        for n in POLLERS:
            results[n] = run(lab, sims, n, start, end, n_points)
        bad = sum(r[2] + r[3] for r in results.values())
        if 1 in results:
            for n in POLLERS:
                if n > 1:
                    goal = {2: 1.8, 4: 3.2}.get(n)
                    print("  speed-up of %d pollers vs 1: %.2fx%s"
                          % (n, results[1][0] / results[n][0],
                             " (goal >= %.1fx)" % goal if goal else ""))
        return 1 if bad else 0
    finally:
        lab.close()


if __name__ == "__main__":
    sys.exit(main())
