#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A whole LERS for the browser tests: a throwaway PostgreSQL cluster,
`lers-sim` with 4 simulated M-Bus heat meters imported as node "a", the rows
the web pages need (territories in two time zones, node groups, a year of
archive, current values, meter events), five users with passwords and API
tokens, and lersd in its full role (API + polling) on 127.0.0.1, port 0.

  /usr/bin/python3 tests/web/stack.py [--nodes=N] [--listen=ADDR]
                                      [--web-root=DIR] [--keep]

When everything is up it prints ONE line of JSON on stdout (see
docs/web-testing.md for every member), then stays up until its standard
input closes or it gets SIGTERM/SIGINT, and stops everything it started
(lersd, lers-sim, PostgreSQL) and removes its temporary folder (kept with
--keep or LERS_KEEP_WORK=1, for reading the logs). Messages go to stderr.

Outside `meson test` the environment defaults to the build tree `build/`
next to this source tree (LERS_BUILD_ROOT, LERS_PLUGIN_PATH).

The seeded values follow simple rules, so that a test can work out what a
page must show by hand (docs/web-testing.md, "The year point"):
hourly record of the local hour h (0-23, in the node's zone) on local day
number d (0 for the first seeded day):
  T_in = 70 + 0.5 (h mod 12) °C        T_out = 45 + 0.25 (h mod 12) °C
  T_delta = T_in − T_out (flag calculated)
  M_in = 2.5 + 0.125 (d mod 8) t       M_out = M_in − 0.125 t
  Q_in = 0.0625 (1 + d mod 4) Gcal
daily: T_in 72.75, T_out 46.375, T_delta 26.375 (calculated), M_in, M_out
and Q_in 24 times the day's hourly value; monthly: T_in 72.75, T_out
46.375, M_in and Q_in 100 times the month number (1-12) in t and Gcal,
M_out = M_in − 10.
"""
import argparse
import ctypes
import datetime
import json
import os
import re
import secrets
import signal
import struct
import subprocess
import sys
import time
import zoneinfo

SOURCE_ROOT = os.environ.setdefault(
    "LERS_SOURCE_ROOT", os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILD_ROOT = os.environ.setdefault("LERS_BUILD_ROOT", os.path.join(SOURCE_ROOT, "build"))
os.environ.setdefault("LERS_PLUGIN_PATH", ":".join(
    os.path.join(BUILD_ROOT, "plugins", d) for d in ("devices", "notifiers", "reports")))
os.environ.setdefault("LERS_LOCALEDIR", os.path.join(BUILD_ROOT, "po"))

sys.path.insert(0, os.path.join(SOURCE_ROOT, "tests", "poll"))
import pollharness  # noqa: E402
from pollharness import lers, tool, wait_for  # noqa: E402

# LersArchiveKind
CURRENT, HOUR, DAY, MONTH = 0, 1, 2, 3
# LersValueFlags
CALCULATED = 2
# LersParameter
T_IN, T_OUT, T_DELTA, M_IN, M_OUT, V_IN, Q_IN = 1, 2, 6, 7, 8, 12, 15
HEAT_POWER, FLOW_V_IN, V = 22, 23, 29
AP, POWER_P, U = 37, 61, 73

MOSCOW = "Europe/Moscow"
YEKATERINBURG = "Asia/Yekaterinburg"
SERVER_TIME_ZONE = YEKATERINBURG

# login → (role, the node a subscriber sees, the name people see)
USERS = {
    "admin": ("admin", None, "Администратор"),
    "operator": ("operator", None, "Оператор Иванов"),
    "viewer": ("viewer", None, "Наблюдатель Петров"),
    "sub1": ("subscriber", "a", "Абонент дома 1"),
    "sub2": ("subscriber", "b", "Абонент дома 2"),
}


def log(*args):
    print("stack:", *args, file=sys.stderr, flush=True)


def pack(values):
    """The archive's packed record (lers_archive_unpack in migration 0001):
    per value a parameter byte, a flags byte and a little-endian float8;
    @values: (parameter, value) or (parameter, value, flags)."""
    out = b""
    for v in values:
        param, value, flags = (v + (0,))[:3]
        out += struct.pack("<BBd", param, flags, value)
    return out


def sql_literal(s):
    return "'" + str(s).replace("'", "''") + "'"


def iso(t):
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Stack:
    def __init__(self, args):
        self.args = args
        self.lab = pollharness.Lab("web-stack")
        self.cluster = self.lab.cluster
        self.uri = self.lab.uri
        self.nodes = {}
        self.points = {}
        self.users = {}
        self.extra = {}

    # -- the world ---------------------------------------------------------

    def build(self):
        log("work folder", self.lab.work)
        self.sim = self.lab.sim("sim", 4)
        # no schedule: the pages' tests read on demand, nothing polls by itself
        self.lab.import_sim(self.sim, poll_interval=0)
        self.seed_objects()
        self.seed_archive()
        self.seed_events()
        if self.args.nodes:
            self.seed_bulk_nodes(self.args.nodes)
        self.make_users()
        self.start_lersd()

    def q(self, sql):
        return self.cluster.psql(sql)

    def seed_objects(self):
        sim_points = [int(r[0]) for r in self.q(
            "SELECT p.id FROM measure_points p JOIN nodes n ON n.id = p.node_id "
            "WHERE n.number = 'demo-1' ORDER BY p.id")]
        assert len(sim_points) == 4, sim_points
        rows = self.q("""
WITH ty AS (INSERT INTO territories (title, timezone) VALUES ('Екатеринбург', '%s') RETURNING id),
     tm AS (INSERT INTO territories (title, timezone) VALUES ('Москва', '%s') RETURNING id),
     g AS (INSERT INTO node_groups (title, comment) VALUES
             ('Жилой фонд', 'Многоквартирные дома'), ('Котельные', NULL) RETURNING id)
SELECT (SELECT id FROM ty), (SELECT id FROM tm)""" % (YEKATERINBURG, MOSCOW))
        self.territories = {"yekaterinburg": int(rows[0][0]), "moscow": int(rows[0][1])}
        self.groups = {r[1]: int(r[0]) for r in self.q(
            "SELECT id, CASE title WHEN 'Жилой фонд' THEN 'housing' ELSE 'boilers' END "
            "FROM node_groups WHERE title IN ('Жилой фонд', 'Котельные')")}
        ty, tm = self.territories["yekaterinburg"], self.territories["moscow"]
        # node a: the simulated meters' node, in Yekaterinburg (UTC+5)
        self.q("UPDATE nodes SET title = 'Жилой дом №1', address = 'ул. Ленина, 1', "
               "territory_id = %d, latitude = 56.8380, longitude = 60.5970, node_type = 1, "
               "customer = 'ТСЖ «Ленина, 1»', contract = 'Д-101', "
               "groups = '{Жилой фонд}' WHERE number = 'demo-1'" % ty)
        for i, p in enumerate(sim_points):
            self.q("UPDATE measure_points SET title = %s WHERE id = %d"
                   % (sql_literal("Тепловой ввод %d" % (i + 1)), p))
        self.q("""
INSERT INTO nodes (number, title, address, territory_id, latitude, longitude, node_type,
                   customer, contract, groups) VALUES
  ('web-b', 'Жилой дом №2', 'ул. Мира, 2', %(tm)d, 56.8500, 60.6100, 1,
   'ТСЖ «Мира, 2»', 'Д-102', '{Жилой фонд}'),
  ('web-c', 'Котельная «Северная»', 'ул. Заводская, 10', %(ty)d, 56.8700, 60.5800, 2,
   'МУП «Теплосеть»', 'Д-103', '{Котельные}'),
  ('web-d', 'Школа №5', 'ул. Школьная, 5', %(tm)d, 56.8200, 60.6300, 0, NULL, NULL, '{}');
INSERT INTO connections (title, kind, host, port, timeout)
  VALUES ('Линия без ответа', 0, '127.0.0.1', 9, 2);
INSERT INTO devices (protocol, model, serial_number, network_address, connection_id)
  SELECT 'mbus', 'Test', s, s, (SELECT max(id) FROM connections)
    FROM unnest(ARRAY['90000001', '90000002', '90000003', '90000004']) s;
INSERT INTO measure_points (node_id, title, resource, device_id, poll_interval) VALUES
  ((SELECT id FROM nodes WHERE number = 'web-b'), 'Отопление', 0,
   (SELECT id FROM devices WHERE serial_number = '90000001'), 0),
  ((SELECT id FROM nodes WHERE number = 'web-b'), 'ГВС', 1,
   (SELECT id FROM devices WHERE serial_number = '90000002'), 0),
  ((SELECT id FROM nodes WHERE number = 'web-c'), 'Электроэнергия', 4,
   (SELECT id FROM devices WHERE serial_number = '90000003'), 0),
  ((SELECT id FROM nodes WHERE number = 'web-d'), 'ХВС', 2,
   (SELECT id FROM devices WHERE serial_number = '90000004'), 0);
""" % {"ty": ty, "tm": tm})
        for key, number in (("a", "demo-1"), ("b", "web-b"), ("c", "web-c"), ("d", "web-d")):
            self.nodes[key] = self.cluster.int("SELECT id FROM nodes WHERE number = '%s'" % number)
        titles = {r[1]: int(r[0]) for r in self.q(
            "SELECT id, title FROM measure_points WHERE node_id <> %d" % self.nodes["a"])}
        self.points = {
            "live": sim_points[0],
            "sim": sim_points,
            "year": titles["Отопление"],
            "hot_water": titles["ГВС"],
            "electricity": titles["Электроэнергия"],
            "cold_water": titles["ХВС"],
        }

    def copy_archive(self, rows):
        """COPY of (point, kind, ts, data bytes) rows, after making their
        months' partitions."""
        months = sorted({(ts.astimezone(datetime.timezone.utc).year,
                          ts.astimezone(datetime.timezone.utc).month) for _, _, ts, _ in rows})
        self.q("; ".join("SELECT lers_archive_ensure_partition('%04d-%02d-01T00:00:00Z')" % m
                         for m in months))
        text = "".join("%d\t%d\t%s\t\\\\x%s\n" % (p, k, iso(ts), data.hex())
                       for p, k, ts, data in rows)
        subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-h", self.cluster.dir, "-p",
                        self.cluster.port, "-U", "lers", "-d", "lers", "-c",
                        "COPY archive (point_id, kind, ts, data) FROM STDIN"],
                       input=text, check=True, capture_output=True, text=True, timeout=300)

    def seed_archive(self):
        zone = zoneinfo.ZoneInfo(MOSCOW)
        now = datetime.datetime.now(datetime.timezone.utc)
        this_hour = now.replace(minute=0, second=0, microsecond=0)
        first_hour = this_hour - datetime.timedelta(hours=8760)
        today = now.astimezone(zone).date()
        first_day = first_hour.astimezone(zone).date()
        year = self.points["year"]
        rows = []
        # 8760 hours: [this hour − 8760 h, this hour)
        for i in range(8760):
            ts = first_hour + datetime.timedelta(hours=i)
            local = ts.astimezone(zone)
            h, d = local.hour, (local.date() - first_day).days
            t_in, t_out = 70 + 0.5 * (h % 12), 45 + 0.25 * (h % 12)
            m_in, q_in = 2.5 + 0.125 * (d % 8), 0.0625 * (1 + d % 4)
            rows.append((year, HOUR, ts, pack([(T_IN, t_in), (T_OUT, t_out),
                                               (T_DELTA, t_in - t_out, CALCULATED),
                                               (M_IN, m_in), (M_OUT, m_in - 0.125),
                                               (Q_IN, q_in)])))
        # 365 days: the local days [today − 365, today)
        for i in range(365):
            day = today - datetime.timedelta(days=365 - i)
            ts = datetime.datetime(day.year, day.month, day.day, tzinfo=zone)
            d = (day - first_day).days
            m_in, q_in = 24 * (2.5 + 0.125 * (d % 8)), 24 * 0.0625 * (1 + d % 4)
            rows.append((year, DAY, ts, pack([(T_IN, 72.75), (T_OUT, 46.375),
                                              (T_DELTA, 26.375, CALCULATED),
                                              (M_IN, m_in), (M_OUT, m_in - 3), (Q_IN, q_in)])))
        # 12 months: the local months before this one
        months = []
        y, m = today.year, today.month
        for _ in range(12):
            y, m = (y, m - 1) if m > 1 else (y - 1, 12)
            months.append((y, m))
        for y, m in reversed(months):
            ts = datetime.datetime(y, m, 1, tzinfo=zone)
            rows.append((year, MONTH, ts, pack([(T_IN, 72.75), (T_OUT, 46.375),
                                                (M_IN, 100.0 * m), (M_OUT, 100.0 * m - 10),
                                                (Q_IN, 100.0 * m)])))
        # current values of every point, a minute ago
        at = now.replace(second=0, microsecond=0) - datetime.timedelta(minutes=1)
        heat = pack([(T_IN, 71.5), (T_OUT, 46.25), (T_DELTA, 25.25, CALCULATED),
                     (M_IN, 2.75), (M_OUT, 2.625), (Q_IN, 0.125), (HEAT_POWER, 0.125)])
        for p in self.points["sim"] + [year]:
            rows.append((p, CURRENT, at, heat))
        rows.append((self.points["hot_water"], CURRENT, at,
                     pack([(T_IN, 60.5), (V_IN, 1234.5), (FLOW_V_IN, 0.75)])))
        rows.append((self.points["cold_water"], CURRENT, at, pack([(V, 876.25)])))
        rows.append((self.points["electricity"], CURRENT, at,
                     pack([(AP, 15000.5), (POWER_P, 12.5), (U, 230.5)])))
        self.copy_archive(rows)
        self.extra["archive"] = {
            "hour_from": iso(first_hour), "hour_to": iso(this_hour),
            "day_from": iso(datetime.datetime(*(today - datetime.timedelta(days=365)).timetuple()[:3],
                                              tzinfo=zone)),
            "day_to": iso(datetime.datetime(today.year, today.month, today.day, tzinfo=zone)),
            "month_from": iso(datetime.datetime(*months[-1], 1, tzinfo=zone)),
            "month_to": iso(datetime.datetime(today.year, today.month, 1, tzinfo=zone)),
            "current_at": iso(at),
        }

    def seed_events(self):
        now = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0,
                                                                   microsecond=0)
        def t(hours):
            return sql_literal(iso(now - datetime.timedelta(hours=hours)))
        self.q("""
INSERT INTO meter_events (point_id, device_id, code, device_code, text, started_at, ended_at,
                          severity) VALUES
  (%(year)d, NULL, 'power-off', 3, 'Отключение питания', %(t5)s, NULL, 2),
  (%(year)d, NULL, 'flow-out-of-range', 7, 'Расход вне диапазона', %(t30)s, %(t28)s, 1),
  (%(live)d, (SELECT device_id FROM measure_points WHERE id = %(live)d), 'sensor-fault', 2,
   'Неисправность датчика температуры', %(t3)s, NULL, 1),
  (%(elec)d, NULL, 'clock-set', 0, 'Коррекция часов', %(t50)s, %(t50)s, 0);
""" % {"year": self.points["year"], "live": self.points["live"],
       "elec": self.points["electricity"], "t3": t(3), "t5": t(5), "t28": t(28), "t30": t(30),
       "t50": t(50)})

    def seed_bulk_nodes(self, n):
        """@n plain nodes (no points) in one statement, spread around
        Yekaterinburg, every third one in "Жилой фонд"."""
        self.q("""
INSERT INTO nodes (number, title, address, territory_id, latitude, longitude, node_type, groups)
  SELECT 'bulk-' || i, 'Объект ' || i, 'ул. Тестовая, ' || i,
         CASE WHEN i %% 2 = 0 THEN %(ty)d ELSE %(tm)d END,
         56.8 + ((i * 7919) %% 1000 - 500) / 5000.0,
         60.6 + ((i * 104729) %% 1000 - 500) / 2500.0,
         1, CASE WHEN i %% 3 = 0 THEN '{Жилой фонд}'::text[] ELSE '{}' END
    FROM generate_series(1, %(n)d) i""" % {"n": n, "ty": self.territories["yekaterinburg"],
                                            "tm": self.territories["moscow"]})

    def make_users(self):
        for login, (role, node, name) in USERS.items():
            password = "%s-%s" % (login, secrets.token_urlsafe(9))
            path = os.path.join(self.lab.work, login + ".password")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(password + "\n")
            lers(self.uri, "user", "add", login, "--role=" + role, "--name=" + name,
                 "--password-file=" + path)
            os.unlink(path)
            user = {"login": login, "password": password, "role": role, "name": name}
            if node is not None:
                lers(self.uri, "user", "scope", "add", login, "--node=%d" % self.nodes[node])
                user["node_id"] = self.nodes[node]
            out = lers(self.uri, "user", "token", "add", login, "web-tests").stdout
            tokens = [line for line in out.splitlines()
                      if re.fullmatch(r"[A-Za-z0-9_-]{43}", line)]
            assert len(tokens) == 1, out
            user["token"] = tokens[0]
            self.users[login] = user

    def start_lersd(self):
        work = self.lab.work
        argv = [tool("daemon", "lersd"), "--db=" + self.uri, "--listen=" + self.args.listen,
                "--name=web-stack", "--token-file=" + os.path.join(work, "poller-token"),
                "--spool-dir=" + os.path.join(work, "spool")]
        if self.args.web_root:
            argv.append("--web-root=" + os.path.abspath(self.args.web_root))
        # the server's zone: not the browsers' (UTC) nor Moscow, so that a
        # page showing the server's time shows it in the server's zone
        env = dict(os.environ, TZ=SERVER_TIME_ZONE)
        self.lersd = pollharness.Process(work, "lersd", argv, env=env)
        self.lab.processes.append(self.lersd)

        def listening():
            if not self.lersd.alive():
                raise AssertionError("lersd exited: %s" % self.lersd.stderr())
            return re.search(r"(http://[^\s/]+/)\s*$", self.lersd.stdout(), re.M)
        self.url = wait_for("lersd to listen", listening, 60).group(1)
        # the polling half registered: its service row has a heartbeat
        wait_for("lersd's polling service to start",
                 lambda: self.cluster.value(
                     "SELECT count(*) FROM poll_services WHERE name = 'web-stack' "
                     "AND heartbeat_at IS NOT NULL") == "1", 30)

    def pids(self):
        with open(os.path.join(self.cluster.datadir, "postmaster.pid")) as f:
            postgres = int(f.readline())
        return {"stack": os.getpid(), "lersd": self.lersd.pid, "sim": self.sim.pid,
                "postgres": postgres}

    def describe(self):
        return {"url": self.url, "db": self.uri, "work": self.lab.work, "pids": self.pids(),
                "server_time_zone": SERVER_TIME_ZONE, "users": self.users,
                "nodes": self.nodes, "points": self.points, "territories": self.territories,
                "groups": self.groups, **self.extra}

    def close(self):
        """Stops everything; returns what went wrong in lersd (sanitizer
        reports, an exit status other than 0 after SIGTERM)."""
        problems = []
        lersd = getattr(self, "lersd", None)
        if lersd is not None:
            lersd.stop()
            marks = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
            text = lersd.stderr()
            problems += [line for line in text.splitlines() if any(m in line for m in marks)]
            if lersd.proc.returncode != 0:
                problems.append("lersd exited with %s after SIGTERM" % lersd.proc.returncode)
            if problems:
                log("lersd's stderr:\n" + text[-6000:])
        keep = self.args.keep or os.environ.get("LERS_KEEP_WORK") == "1"
        self.lab.close(keep=keep)
        if keep:
            log("kept", self.lab.work)
        return problems


class Stop(Exception):
    pass


def on_signal(signum, frame):
    raise Stop()


def become_subreaper():
    """Orphans of what we start (the PostgreSQL server that pg_ctl leaves
    behind) become our children, so that we reap them when they end
    instead of leaving zombies to an init that may be slow to."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def reap_orphans(timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=0, help="extra plain nodes")
    parser.add_argument("--listen", default="127.0.0.1:0", help="lersd's address")
    parser.add_argument("--web-root", help="serve the web application from this folder")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args()
    if args.nodes < 0:
        parser.error("--nodes must be 0 or more")
    become_subreaper()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    stack = None
    status = 0
    try:
        stack = Stack(args)
        stack.build()
        sys.stdout.write(json.dumps(stack.describe(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
        log("ready at", stack.url)
        # until stdin closes (the test that started us ended) or a signal
        while sys.stdin.buffer.read(65536):
            pass
    except Stop:
        pass
    except Exception as e:  # noqa: BLE001 - reported, then everything stopped
        log("failed:", e)
        status = 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if stack is not None:
            if status and stack.lab:
                for p in stack.lab.processes:
                    try:
                        log("%s stderr:\n%s" % (p.name, p.stderr()[-3000:]))
                    except OSError:
                        pass
            problems = stack.close()
            if problems:
                log("lersd went wrong:\n" + "\n".join(problems))
                status = status or 2
        reap_orphans()
    return status


if __name__ == "__main__":
    sys.exit(main())
