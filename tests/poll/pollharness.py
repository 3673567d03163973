# SPDX-License-Identifier: LGPL-2.1-or-later
"""Real processes for the polling fault tests and the polling benchmark.

A throwaway PostgreSQL cluster that a test may stop, start and restart
(pg_ctl, as the operator would), `lers-sim` buses, `lersd --role=poller`
processes with their stderr kept, `lers` commands, and psql for checking
rows: a program that is not ours reads what ours stored.

Everything runs on this machine: Unix sockets for PostgreSQL, 127.0.0.1 for
the meters. Every wait is bounded and fails with what it was waiting for.
"""
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import tempfile
import time

PG_BINDIR = "/usr/lib/postgresql/15/bin"

# archive kinds (LersArchiveKind) and job states (LersPollJobState)
HOUR = 1
QUEUED, RUNNING, DONE, FAILED, CANCELLED = range(5)


def build_root():
    return os.environ["LERS_BUILD_ROOT"]


def tool(*path):
    return os.path.join(build_root(), *path)


def is_root():
    return os.geteuid() == 0


def utc_hour(offset_hours=0):
    now = datetime.datetime.now(datetime.timezone.utc)
    hour = now.replace(minute=0, second=0, microsecond=0)
    return hour + datetime.timedelta(hours=offset_hours)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def wait_for(what, predicate, timeout, interval=0.2):
    """Polls @predicate until it returns a true value (returned), or fails
    naming @what after @timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %d s waiting for %s" % (timeout, what))
        time.sleep(interval)


class Cluster:
    """A PostgreSQL 15 cluster in a temporary directory, reachable only on
    its Unix socket; as root the server runs as the postgres user."""

    def __init__(self, work):
        self.dir = os.path.join(work, "pg")
        self.datadir = os.path.join(self.dir, "data")
        self.logfile = os.path.join(self.dir, "postmaster.log")
        os.makedirs(self.datadir)
        if is_root():
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.datadir, "postgres", "postgres")
            os.chmod(self.dir, 0o755)
        os.chmod(self.datadir, 0o700)
        # a port of its own, though only the socket's name carries it
        self.port = str(20000 + os.getpid() % 20000)
        self._pg("initdb", "-D", self.datadir, "-A", "trust", "-E", "UTF8", "--locale", "C",
                 "-U", "lers", "--no-sync")
        with open(os.path.join(self.datadir, "postgresql.conf"), "a") as conf:
            conf.write("\nlisten_addresses = ''\nunix_socket_directories = '%s'\n"
                       "port = %s\nmax_connections = 200\nfsync = off\n"
                       "full_page_writes = off\nsynchronous_commit = off\n"
                       % (self.dir, self.port))
        self.running = False
        self.start()
        self.psql("CREATE DATABASE lers", db="postgres")
        self.uri = "postgresql:///lers?host=%s&port=%s&user=lers" % (self.dir, self.port)

    def _pg(self, program, *args):
        argv = [os.path.join(PG_BINDIR, program), *args]
        if is_root():
            argv = ["runuser", "-u", "postgres", "--"] + argv
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       cwd="/")

    def start(self):
        self._pg("pg_ctl", "start", "-D", self.datadir, "-w", "-t", "60", "-s", "-l",
                 self.logfile)
        self.running = True

    def stop(self, mode="fast"):
        self._pg("pg_ctl", "stop", "-D", self.datadir, "-m", mode, "-w", "-t", "60", "-s")
        self.running = False

    def restart(self, mode="fast"):
        self._pg("pg_ctl", "restart", "-D", self.datadir, "-m", mode, "-w", "-t", "60", "-s",
                 "-l", self.logfile)
        self.running = True

    def psql(self, sql, db="lers"):
        """Rows of @sql as lists of strings (psql's unaligned output)."""
        out = subprocess.run(["psql", "-XAtq", "-v", "ON_ERROR_STOP=1", "-F", "\t", "-h",
                              self.dir, "-p", self.port, "-U", "lers", "-d", db, "-c", sql],
                             check=True, capture_output=True, text=True, timeout=120)
        return [line.split("\t") for line in out.stdout.splitlines() if line != ""]

    def value(self, sql):
        rows = self.psql(sql)
        return rows[0][0] if rows else None

    def int(self, sql):
        return int(self.value(sql))

    def close(self):
        if self.running:
            try:
                self.stop("immediate")
            except subprocess.CalledProcessError:
                pass


class Process:
    """A program of this build, its stderr in a file."""

    def __init__(self, work, name, argv, env=None):
        self.name = name
        self.errpath = os.path.join(work, name + ".stderr")
        self.outpath = os.path.join(work, name + ".stdout")
        self._err = open(self.errpath, "w")
        self._out = open(self.outpath, "w")
        self.proc = subprocess.Popen(argv, stdout=self._out, stderr=self._err,
                                     stdin=subprocess.DEVNULL, env=env)

    @property
    def pid(self):
        return self.proc.pid

    def alive(self):
        return self.proc.poll() is None

    def stderr(self):
        with open(self.errpath, errors="replace") as f:
            return f.read()

    def stdout(self):
        with open(self.outpath, errors="replace") as f:
            return f.read()

    def kill(self, sig=signal.SIGKILL):
        if self.alive():
            os.kill(self.proc.pid, sig)
        self.proc.wait(timeout=60)

    def stop(self):
        """SIGTERM, then SIGKILL if it has not gone in 20 s."""
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=20)
        self._err.close()
        self._out.close()


class Sim(Process):
    """lers-sim: @count M-Bus meters, in buses of @bus_size, paced with
    @args (e.g. --baud=9600 --answer-delay-ms=20 --answer-delay-max-ms=60);
    its import file in self.config, each meter's port in self.ports."""

    def __init__(self, work, name, count, bus_size=0, seed=1, args=()):
        self.config = os.path.join(work, name + ".json")
        argv = [tool("tools", "lers-sim"), "--count=%d" % count, "--port=0",
                "--seed=%d" % seed, "--config=" + self.config, *args]
        if bus_size:
            argv.append("--bus-size=%d" % bus_size)
        super().__init__(work, name, argv)
        self.count = count
        wait_for("lers-sim to write " + self.config,
                 lambda: os.path.exists(self.config) and self._complete(), 60)
        self.ports = [int(p) for p in re.findall(r"127\.0\.0\.1:(\d+)", self.stdout())]
        assert len(self.ports) == count, self.stdout()

    def _complete(self):
        try:
            with open(self.config) as f:
                json.load(f)
            return True
        except ValueError:
            return False

    def import_file(self, path, poll_interval=0, extra_points=()):
        """Writes the import file with every point's poll_interval set
        (0: no schedule, so that no planner adds jobs of its own), and
        @extra_points (dicts for `points` of a node of their own)."""
        with open(self.config) as f:
            data = json.load(f)
        for node in data["nodes"]:
            for point in node["points"]:
                point["poll_interval"] = poll_interval
        if extra_points:
            data["nodes"].append({"number": "extra-" + self.name, "title": "Extra",
                                  "type": "house", "points": list(extra_points)})
        with open(path, "w") as f:
            json.dump(data, f)
        return path


def lers(uri, *args, check=True, timeout=600):
    r = subprocess.run([tool("tools", "lers"), "--db=" + uri, *args], capture_output=True,
                       text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("lers %s: exit %d\n%s%s" % (" ".join(args), r.returncode, r.stdout,
                                                          r.stderr))
    return r


class Lab:
    """One test's world: a cluster, simulators, pollers; close() ends them
    all, whatever happened."""

    def __init__(self, name):
        self.work = tempfile.mkdtemp(prefix="lers-%s-" % name)
        # the server (the postgres user, when we are root) reaches its directory
        os.chmod(self.work, 0o755)
        self.processes = []
        self.cluster = Cluster(self.work)
        self.uri = self.cluster.uri

    def sim(self, name, count, **kw):
        s = Sim(self.work, name, count, **kw)
        self.processes.append(s)
        return s

    def import_sim(self, sim, **kw):
        path = sim.import_file(os.path.join(self.work, sim.name + "-import.json"), **kw)
        lers(self.uri, "import", path)

    def cli_has_poll_queue(self):
        """Whether this build's `lers poll` has the queue's commands (they
        land apart from the pollers; without them the rows are written as
        those commands write them)."""
        if not hasattr(self, "_cli_queue"):
            r = lers(self.uri, "poll", "add-service", "--help", check=False)
            self._cli_queue = r.returncode == 0 and "--token-file" in r.stdout
        return self._cli_queue

    def add_service(self, name):
        """An authorised polling service with a fresh token in a file."""
        token_file = os.path.join(self.work, name + ".token")
        if self.cli_has_poll_queue():
            lers(self.uri, "poll", "add-service", name, "--token-file=" + token_file)
        else:
            token = secrets.token_urlsafe(32)
            fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(token + "\n")
            self.cluster.psql("INSERT INTO poll_services (name, token_hash, authorised, "
                              "authorised_at) VALUES ('%s', sha256(convert_to('%s', 'UTF8')), "
                              "true, now())" % (name, token))
        st = os.stat(token_file)
        assert st.st_mode & 0o077 == 0, oct(st.st_mode)
        return token_file

    def poller(self, name, lease=3, max_links=8, spool_dir=None, retry_delay=None, args=()):
        token_file = self.add_service(name)
        argv = [tool("daemon", "lersd"), "--role=poller", "--db=" + self.uri, "--name=" + name,
                "--token-file=" + token_file, "--lease=%d" % lease,
                "--max-links=%d" % max_links,
                "--spool-dir=" + (spool_dir or os.path.join(self.work, name + "-spool"))]
        if retry_delay is not None:
            argv.append("--retry-delay=%s" % retry_delay)
        p = Process(self.work, name, argv + list(args))
        self.processes.append(p)
        # registered and running: its heartbeat is in the table
        wait_for("poller %s to register" % name,
                 lambda: not p.alive() or self.cluster.value(
                     "SELECT count(*) FROM poll_services WHERE name = '%s' "
                     "AND heartbeat_at IS NOT NULL AND stopped_at IS NULL" % name) == "1", 30)
        assert p.alive(), "%s exited: %s" % (name, p.stderr())
        return p

    def points(self, where="true"):
        return [int(r[0]) for r in self.cluster.psql(
            "SELECT p.id FROM measure_points p JOIN devices d ON d.id = p.device_id "
            "WHERE %s ORDER BY p.id" % where)]

    def read(self, point_ids, start, end, kind="hour"):
        """Manual jobs through the CLI (`lers poll read`); their ids, as it
        printed them ("Queued job 12: point 3, hour")."""
        if not self.cli_has_poll_queue():
            return self._read_sql(point_ids, start, end)
        r = lers(self.uri, "poll", "read", *[str(p) for p in point_ids], "--kind=" + kind,
                 "--from=" + iso(start), "--to=" + iso(end))
        ids = [int(x) for x in re.findall(r"^Queued job (\d+): point", r.stdout, re.M)]
        assert len(ids) == len(point_ids), r.stdout
        return ids

    def _read_sql(self, point_ids, start, end):
        """Manual hour jobs as the queue's enqueue writes them: one per
        point, its link's row, a notification per link."""
        points = ",".join(str(p) for p in point_ids)
        rows = self.cluster.psql(
            "WITH l AS (INSERT INTO poll_links (connection_id) SELECT DISTINCT d.connection_id "
            "FROM measure_points p JOIN devices d ON d.id = p.device_id WHERE p.id IN (%s) "
            "ON CONFLICT DO NOTHING), "
            "j AS (INSERT INTO poll_jobs (connection_id, point_id, kind, from_at, to_at, "
            "priority, requested_by) SELECT d.connection_id, p.id, %d, '%s', '%s', 0, 'test' "
            "FROM measure_points p JOIN devices d ON d.id = p.device_id WHERE p.id IN (%s) "
            "RETURNING id, point_id, connection_id), "
            "n AS (SELECT pg_notify('lers_poll_jobs', connection_id::text) FROM j "
            "GROUP BY connection_id) "
            "SELECT id, point_id FROM j, (SELECT count(*) FROM n) AS c ORDER BY id"
            % (points, HOUR, iso(start), iso(end), points))
        by_point = {int(r[1]): int(r[0]) for r in rows}
        return [by_point[p] for p in point_ids]

    def jobs(self, ids):
        """id → dict of the job's columns (times as Unix seconds)."""
        rows = self.cluster.value(
            "SELECT coalesce(jsonb_agg(t), '[]') FROM (SELECT id, point_id, state, attempts, "
            "max_attempts, records, coalesce(error, '') AS error, "
            "coalesce(error_code, '') AS error_code, log, coalesce(service_id, 0) AS service_id, "
            "extract(epoch FROM due_at)::float8 AS due_at_epoch, "
            "coalesce(extract(epoch FROM started_at), 0)::float8 AS started_at_epoch, "
            "coalesce(extract(epoch FROM finished_at), 0)::float8 AS finished_at_epoch "
            "FROM poll_jobs WHERE id IN (%s)) t" % ",".join(str(i) for i in ids))
        return {j["id"]: j for j in json.loads(rows)}

    def wait_finished(self, ids, timeout):
        def finished():
            jobs = self.jobs(ids)
            return all(j["state"] >= DONE for j in jobs.values()) and jobs
        return wait_for("jobs %s to finish (now %s)" % (ids, self._states(ids)), finished,
                        timeout, interval=0.5)

    def _states(self, ids):
        try:
            return {i: (j["state"], j["attempts"]) for i, j in self.jobs(ids).items()}
        except subprocess.CalledProcessError as e:
            return "unknown (%s)" % e.stderr.strip()

    def hours_missing(self, point_id, start, end):
        """The hours of [start, end) with no hourly record of the point."""
        return [r[0] for r in self.cluster.psql(
            "SELECT h FROM generate_series('%s'::timestamptz, '%s'::timestamptz - "
            "interval '1 hour', interval '1 hour') h WHERE NOT EXISTS (SELECT 1 FROM archive a "
            "WHERE a.point_id = %d AND a.kind = %d AND a.ts = h)"
            % (iso(start), iso(end), point_id, HOUR))]

    def close(self, keep=False):
        for p in reversed(self.processes):
            try:
                p.stop()
            except Exception:  # noqa: BLE001 - closing whatever is left
                pass
        self.cluster.close()
        if not keep:
            shutil.rmtree(self.work, ignore_errors=True)
