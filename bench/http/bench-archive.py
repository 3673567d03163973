#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The archive over HTTP against the same SQL straight to PostgreSQL.

One measure point with one month of hourly data (720 records of 8 values:
T_in, T_out, M_in, M_out, V_in, V_out, Q_in, Q_delta, at a heat meter's
resolution: see heat_value()) in a throwaway
cluster, `lersd --role=api` on a loopback port, and a viewer's API token
(`lers user add` / `lers user token add`).

Server: wrk (Debian's) against
  GET /api/v1/points/{id}/archive?kind=hour&from=…&to=…
with `Authorization: Bearer` (a small Lua script sets it), with 1
connection and then 100, 30 s each: requests a second, p50 and p99
latency (wrk --latency).

Reference: the statements one request runs (the token's lookup, the
point, its zone, the archive's READ ONLY cursor…), read from PostgreSQL's
log with log_statement = all during one request and written with their
parameters into a pgbench script; pgbench (PostgreSQL's own tool: one
process, no psql start-up) runs it with the same 1 and 100 clients,
extended protocol as libpq's PQexecParams: "transactions" a second, one
being one request's statements.

Printed: both rates and latencies, and server/SQL = the SQL's rate over
the server's (the time one request takes through lersd against the time
its SQL takes; goal <= 1.5); lersd's RSS at start, between the runs and at
the end (goal: flat).

Environment: LERS_BENCH_QUICK=1 for 5 s runs. Not run in CI:
  meson test -C build --benchmark http-archive --verbose
"""
import datetime
import math
import os
import re
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("LERS_SOURCE_ROOT", ""), "tests", "poll"))
import pollharness as h  # noqa: E402

import gi  # noqa: E402

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402

QUICK = os.environ.get("LERS_BENCH_QUICK") == "1"
SECONDS = 5 if QUICK else 30
CONNECTIONS = [1, 100]
HOURS = 720
FROM = datetime.datetime(2026, 10, 1, tzinfo=datetime.timezone.utc)
TO = FROM + datetime.timedelta(hours=HOURS)
PARAMETERS = ["T_in", "T_out", "M_in", "M_out", "V_in", "V_out", "Q_in", "Q_delta"]


def heat_value(p, hour):
    """bench/bench-common.c's heat hour (point 1) at a meter's resolution:
    an M-Bus heat meter sends fixed-point numbers (0.01 °C, 0.001 t,
    0.000001 Gcal), so the values are short decimals, as stored."""
    day = math.sin(2 * math.pi * (hour % 24) / 24.0)
    t_in = 75 + 8 * day + 1
    m = 4.2 + 0.3 * day + 0.1
    values = [t_in, t_in - 24.5 - 1, m, m * 0.985, m * 1.027, m * 1.011, m * t_in / 1000.0,
              m * 24.5 / 1000.0]
    digits = [2, 2, 3, 3, 3, 3, 6, 6]
    return round(values[p], digits[p])


def seed(uri):
    """A node, a point and its month of hours, through the store: the same
    bytes lersd writes."""
    store = Lers.Store.new(uri)
    store.open_sync(None)
    node = Lers.Node.new()
    node.set_title("Котельная")
    store.save_node_sync(node, None)
    point = Lers.MeasurePoint.new()
    point.set_node_id(node.get_id())
    point.set_title("Отопление")
    store.save_measure_point_sync(point, None)
    start = GLib.DateTime.new_utc(FROM.year, FROM.month, FROM.day, 0, 0, 0)
    records = []
    for hour in range(HOURS):
        record = Lers.Record.new(start.add_hours(hour), Lers.ArchiveKind.HOUR)
        for i, name in enumerate(PARAMETERS):
            ok, parameter = Lers.parameter_from_name(name)
            assert ok, name
            record.set_value(parameter, heat_value(i, hour),
                             Lers.ValueFlags.CALCULATED if i >= 6 else Lers.ValueFlags.NONE)
        records.append(record)
    store.write_records_sync(point.get_id(), records, None)
    return point.get_id()


def make_token(lab):
    """A viewer's API token made with the CLI, as an administrator would."""
    r = h.lers(lab.uri, "user", "add", "bench", "--role=viewer", "--no-password", check=False)
    if r.returncode != 0:
        # `lers user` comes with the accounts; without them lersd checks no token
        print("no `lers user` in this build (%s): the token is not checked"
              % (r.stderr.strip().splitlines() or ["?"])[-1])
        return "no-accounts"
    r = h.lers(lab.uri, "user", "token", "add", "bench", "bench-archive")
    return r.stdout.strip().splitlines()[-1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url, token, connections, work):
    script = os.path.join(work, "bearer.lua")
    with open(script, "w") as f:
        f.write('wrk.headers["Authorization"] = "Bearer %s"\n' % token)
    out = subprocess.run(["wrk", "-t", str(min(connections, 2)), "-c", str(connections),
                          "-d", "%ds" % SECONDS, "--latency", "--timeout", "30s", "-s", script,
                          url], check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(*re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)", out, re.M).groups())
    p99 = to_ms(*re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", out, re.M).groups())
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    if non2xx or errors:
        print(out)
        raise SystemExit("wrk saw failed requests")
    return rate, p50, p99


LOG_ENTRY = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \w+ \[\d+\] ")


def capture_sql(cluster, url, token):
    """The statements one request runs, read from PostgreSQL's own log
    (log_statement = all) with their parameters written in: what the
    route, the authentication and the store really send."""
    cluster.psql("ALTER SYSTEM SET log_statement = 'all'")
    cluster.psql("SELECT pg_reload_conf()")
    # the setting has reached the backends when a new statement is logged
    def logging():
        cluster.psql("SELECT 'bench-mark'")
        with open(cluster.logfile) as f:
            return "SELECT 'bench-mark'" in f.read()

    h.wait_for("log_statement = all", logging, 10)
    start = os.path.getsize(cluster.logfile)
    subprocess.run(["curl", "-sS", "-o", "/dev/null", "-H", "Authorization: Bearer " + token,
                    url], check=True)
    cluster.psql("ALTER SYSTEM RESET log_statement")
    cluster.psql("SELECT pg_reload_conf()")
    with open(cluster.logfile) as f:
        f.seek(start)
        text = f.read()
    entries = []
    for line in text.splitlines():
        if LOG_ENTRY.match(line):
            entries.append(LOG_ENTRY.sub("", line))
        elif entries:
            entries[-1] += " " + line.strip()
    statements = []
    for entry in entries:
        m = re.match(r"LOG:\s+(?:statement|execute <unnamed>|execute \S+):\s*(.*)$", entry)
        if m:
            if "ALTER SYSTEM" in m.group(1) or "pg_reload_conf" in m.group(1):
                break
            statements.append(m.group(1).strip())
            continue
        m = re.match(r"DETAIL:\s+parameters: (.*)$", entry)
        if m and statements:
            params = dict(re.findall(r"\$(\d+) = ('(?:[^']|'')*'|NULL)", m.group(1)))
            statements[-1] = re.sub(r"\$(\d+)", lambda v: params[v.group(1)], statements[-1])
    return [st for st in statements if st and "bench-mark" not in st]


def run_pgbench(cluster, statements, clients, work):
    script = os.path.join(work, "archive.sql")
    with open(script, "w") as f:
        for statement in statements:
            f.write(statement + ";\n")
    argv = ["pgbench", "-n", "-M", "extended", "-f", script, "-T", str(SECONDS),
            "-c", str(clients), "-j", str(min(clients, 2)), "-r",
            "-h", cluster.dir, "-p", cluster.port, "-U", "lers", "lers"]
    if h.is_root():
        argv = ["runuser", "-u", "postgres", "--"] + argv
    out = subprocess.run(argv, check=True, capture_output=True, text=True, cwd="/").stdout
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    latency = float(re.search(r"latency average = ([\d.]+) ms", out).group(1))
    return tps, latency


def main():
    lab = h.Lab("bench-http")
    try:
        # the schema, as every program makes it on opening the database
        h.lers(lab.uri, "points")
        point_id = seed(lab.uri)
        rows = lab.cluster.int("SELECT count(*) FROM archive WHERE point_id = %d" % point_id)
        assert rows == HOURS, rows
        token = make_token(lab)
        port = free_port()
        lersd = h.Process(lab.work, "lersd", [h.tool("daemon", "lersd"), "--role=api",
                                              "--db=" + lab.uri,
                                              "--listen=127.0.0.1:%d" % port])
        lab.processes.append(lersd)
        url = ("http://127.0.0.1:%d/api/v1/points/%d/archive?kind=hour&from=%s&to=%s"
               % (port, point_id, h.iso(FROM), h.iso(TO)))
        check = subprocess.run(["curl", "-sS", "--retry", "20", "--retry-connrefused",
                                "--retry-delay", "1", "-H", "Authorization: Bearer " + token,
                                "-o", "/dev/null", "-w", "%{http_code} %{size_download}", url],
                               capture_output=True, text=True)
        status, size = check.stdout.split()
        assert status == "200", (status, lersd.stderr())
        print("one point, %d hourly records of %d values: %s bytes of JSON a request"
              % (HOURS, len(PARAMETERS), size))
        statements = capture_sql(lab.cluster, url, token)
        print("the SQL of one request (PostgreSQL's log), pgbench's script:")
        for statement in statements:
            print("  " + (statement if len(statement) < 150 else statement[:147] + "..."))
        print("%d s a run%s" % (SECONDS, " (LERS_BENCH_QUICK)" if QUICK else ""))
        rss = [("start", rss_mb(lersd.pid))]
        results = []
        for connections in CONNECTIONS:
            rate, p50, p99 = run_wrk(url, token, connections, lab.work)
            rss.append(("after %d conn." % connections, rss_mb(lersd.pid)))
            tps, latency = run_pgbench(lab.cluster, statements, connections, lab.work)
            results.append((connections, rate, p50, p99, tps, latency))
        assert lersd.alive(), lersd.stderr()

        print()
        print("%-6s %12s %9s %9s %12s %11s %10s" % ("conn.", "server req/s", "p50 ms",
                                                    "p99 ms", "SQL req/s", "SQL avg ms",
                                                    "server/SQL"))
        for connections, rate, p50, p99, tps, latency in results:
            print("%-6d %12.1f %9.2f %9.2f %12.1f %11.2f %10.2f"
                  % (connections, rate, p50, p99, tps, latency, tps / rate))
        print()
        print("lersd RSS: " + ", ".join("%s %.1f MB" % r for r in rss))
        verdict = all(tps / rate <= 1.5 for _, rate, _, _, tps, _ in results)
        print("goal server/SQL <= 1.5: %s" % ("met" if verdict else "NOT met"))
    finally:
        lab.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
