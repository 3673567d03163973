# SPDX-License-Identifier: LGPL-2.1-or-later
"""lersd against a throwaway PostgreSQL with the demo data of
daemon/openapi/README.md, for test-openapi.py and test-security.py.

A cluster (tests/poll/pollharness.py's), `lersd --role=api` on 127.0.0.1
port 0, the demo rows seeded through SQL, users and their API tokens made
with the `lers user` CLI, and a small HTTP client that sends exactly what
it is given (any method, raw bodies, raw targets) and reads one answer.
"""
import http.client
import json
import os
import re
import socket
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.environ["LERS_SOURCE_ROOT"], "tests", "poll"))
import pollharness  # noqa: E402
from pollharness import lers, tool, wait_for  # noqa: E402,F401

# login → (role, node the subscriber sees)
USERS = {
    "admin": ("admin", None),
    "operator": ("operator", None),
    "viewer": ("viewer", None),
    "sub1": ("subscriber", 1),
    "sub2": ("subscriber", 2),
}

# every table of data, for "row counts unchanged" (not audit_log and
# login_throttle: refused logins are recorded there, as they should be)
TABLES = ("territories", "node_groups", "nodes", "connections", "devices", "measure_points",
          "archive", "meter_events", "poll_jobs", "poll_services", "users", "user_scopes",
          "user_sessions")


def archive_blob(values):
    """The archive's packed record: per value a parameter byte, a flags
    byte and a little-endian float8 (lers_archive_unpack in 0001)."""
    return b"".join(struct.pack("<BBd", param, 0, value) for param, value in values)


DEMO_SQL = r"""
INSERT INTO territories (id, title, timezone) VALUES (1, 'Город', 'Europe/Moscow');
INSERT INTO territories (id, title, parent_id) VALUES (2, 'Район', 1);
INSERT INTO node_groups (id, title) VALUES (1, 'Группа А'), (2, 'Группа Б');
INSERT INTO nodes (id, territory_id, title, address, groups) VALUES
  (1, 2, 'Дом 1', 'ул. Первая, 1', '{Группа А}'),
  (2, 1, 'Дом 2', 'ул. Вторая, 2', '{Группа Б}'),
  (3, 1, 'Дом 3', 'ул. Третья, 3', '{}');
INSERT INTO connections (id, title, kind, host, port) VALUES (1, 'Линия 1', 0, '127.0.0.1', 9);
INSERT INTO devices (id, protocol, serial_number, network_address, connection_id) VALUES
  (1, 'mbus', '10000001', '1', 1), (2, 'mbus', '10000002', '2', 1);
INSERT INTO measure_points (id, node_id, title, resource, device_id, poll_interval) VALUES
  (1, 1, 'Отопление 1', 0, 1, 0), (2, 2, 'Отопление 2', 0, 2, 0),
  (3, 3, 'Без прибора', 0, NULL, 0);
SELECT lers_archive_ensure_partition ('2026-11-23T00:00:00Z');
INSERT INTO archive (point_id, kind, ts, data)
  SELECT p, 1, h, decode(%(blob)s, 'hex')
    FROM generate_series(1, 2) p,
         generate_series('2026-11-23T00:00:00Z'::timestamptz, '2026-11-23T23:00:00Z', '1 hour') h;
INSERT INTO meter_events (point_id, device_id, code, text, started_at, severity) VALUES
  (1, 1, 'other', 'Демо-событие', '2026-11-23T05:00:00Z', 1);
INSERT INTO poll_jobs (id, connection_id, point_id, kind, from_at, to_at, requested_by) VALUES
  (1, 1, 1, 1, '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z', 'demo');
INSERT INTO poll_services (name, token_hash, authorised, max_links) VALUES
  ('demo', sha256(convert_to('demo-token', 'UTF8')), true, 4);
"""

# identity columns seeded with explicit ids: move their sequences past them
SEQUENCES = ("territories", "node_groups", "nodes", "connections", "devices", "measure_points",
             "meter_events", "poll_jobs")


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "%d %s" % (self.status, self.body[:300])


class Lersd:
    """The world of one test program: cluster, demo data, users, lersd."""

    def __init__(self, name):
        self.lab = pollharness.Lab(name)
        self.cluster = self.lab.cluster
        self.uri = self.lab.uri
        # lersd migrates the database when it opens it
        env = dict(os.environ, LANGUAGE="en", LC_ALL="C.UTF-8")
        self.sanitized = self._sanitized()
        if self.sanitized:
            # freed memory is not held back for use-after-free detection,
            # so that RSS says what lersd keeps
            env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0"
                                   ":thread_local_quarantine_size_kb=0").lstrip(":")
        self.proc = pollharness.Process(self.lab.work, "lersd",
                                        [tool("daemon", "lersd"), "--role=api",
                                         "--db=" + self.uri, "--listen=127.0.0.1:0"], env=env)
        self.lab.processes.append(self.proc)
        m = wait_for("lersd to listen",
                     lambda: (not self.proc.alive() and self._died())
                     or re.search(r"http://127\.0\.0\.1:(\d+)/", self.proc.stdout()), 60)
        self.port = int(m.group(1))
        self.pid = self.proc.pid
        self.seed()
        self.tokens = {}
        self.accounts = self.cli_has_users()
        if self.accounts:
            self.make_users()

    @staticmethod
    def _sanitized():
        """Whether this build's lersd runs under AddressSanitizer."""
        out = subprocess.run(["ldd", tool("daemon", "lersd")], capture_output=True,
                             text=True).stdout
        return "libasan" in out

    def sanitizer_errors(self):
        """What ASan/UBSan/LSan reported in lersd's stderr (after stop())."""
        text = self.proc.stderr()
        marks = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:")
        return [line for line in text.splitlines() if any(m in line for m in marks)]

    def stop(self):
        """Stops lersd (SIGTERM) and returns its sanitizer errors."""
        self.proc.stop()
        errors = self.sanitizer_errors()
        if self.proc.proc.returncode != 0:
            errors.append("lersd exited with %s after SIGTERM" % self.proc.proc.returncode)
        return errors

    def _died(self):
        raise AssertionError("lersd exited: %s" % self.proc.stderr())

    def seed(self):
        blob = archive_blob([(1, 90.5), (2, 60.25), (3, 3.5)]).hex()
        self.cluster.psql(DEMO_SQL.replace("%(blob)s", "'%s'" % blob))
        for t in SEQUENCES:
            self.cluster.psql("SELECT setval(pg_get_serial_sequence('%s', 'id'), "
                              "(SELECT max(id) FROM %s))" % (t, t))

    def cli_has_users(self):
        r = lers(self.uri, "user", "list", check=False)
        return r.returncode == 0

    def make_users(self):
        for login, (role, node) in USERS.items():
            path = os.path.join(self.lab.work, login + ".password")
            with open(path, "w") as f:
                f.write(login + "-pass\n")
            lers(self.uri, "user", "add", login, "--role=" + role, "--password-file=" + path)
            if node is not None:
                lers(self.uri, "user", "scope", "add", login, "--node=%d" % node)
            out = lers(self.uri, "user", "token", "add", login, "test").stdout
            secrets = [line for line in out.splitlines() if re.fullmatch(r"[A-Za-z0-9_-]{43}", line)]
            assert len(secrets) == 1, out
            self.tokens[login] = secrets[0]

    def auth(self, login):
        """Headers that authenticate as @login (none for None)."""
        if login is None or login not in self.tokens:
            return {}
        return {"Authorization": "Bearer " + self.tokens[login]}

    def request(self, method, target, body=None, headers=None, as_user="admin", timeout=60):
        """One request on a fresh connection; @body: bytes, str or a JSON
        value (dict/list); the answer with its body as text."""
        h = dict(self.auth(as_user))
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        if isinstance(body, str):
            body = body.encode()
        if body is not None and "Content-Type" not in h:
            h["Content-Type"] = "application/json"
        h.update(headers or {})
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.putrequest(method, target, skip_accept_encoding=True)
            for k, v in h.items():
                conn.putheader(k, v)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            r = conn.getresponse()
            data = r.read()
            return Response(r.status, r.getheaders(), data.decode("utf-8", errors="replace"))
        finally:
            conn.close()

    def raw(self, data, timeout=30):
        """Sends @data (bytes) as is and returns what comes back until the
        server closes or @timeout passes."""
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        try:
            s.sendall(data)
            chunks = []
            while True:
                try:
                    c = s.recv(65536)
                except (ConnectionResetError, socket.timeout):
                    break
                if not c:
                    break
                chunks.append(c)
                if b"\r\n\r\n" in b"".join(chunks) and self._complete(b"".join(chunks)):
                    break
            return b"".join(chunks)
        finally:
            s.close()

    @staticmethod
    def _complete(data):
        head, _, rest = data.partition(b"\r\n\r\n")
        m = re.search(rb"(?i)content-length:\s*(\d+)", head)
        return m is None or len(rest) >= int(m.group(1))

    def counts(self):
        """Row counts of the demo tables and a digest of users (who they
        are, their roles and whether they may log in), for "nothing
        changed". Password hashes are left out: a password route that
        accepts a hostile string as a password sets a new hash, which is
        right (test-security checks it is a hash, not the string)."""
        out = {t: self.cluster.int("SELECT count(*) FROM %s" % t) for t in TABLES}
        out["users-digest"] = self.cluster.value(
            "SELECT md5(coalesce(string_agg(id || login || role "
            "|| enabled, ',' ORDER BY id), '')) FROM users")
        return out

    def fd_count(self):
        return len(os.listdir("/proc/%d/fd" % self.pid))

    def rss_kib(self):
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS for lersd")

    def routes(self):
        """(method, full pattern, access) of every route, from lersd-routes."""
        out = subprocess.run([tool("tests", "daemon", "lersd-routes")], check=True,
                             capture_output=True, text=True).stdout
        return [tuple(line.split()) for line in out.splitlines() if line.strip()]

    def document(self):
        r = self.request("GET", "/api/v1/openapi.json", as_user=None)
        assert r.status == 200, r
        assert r.header("Content-Type").startswith("application/json"), r.headers
        return r.json()

    def alive(self):
        return self.proc.alive()

    def close(self):
        keep = os.environ.get("LERS_KEEP_WORK") == "1"
        self.lab.close(keep=keep)


def template_to_pattern(path):
    """/api/v1/nodes/{id} → /api/v1/nodes/*"""
    return re.sub(r"\{[^}/]+\}", "*", path)


def operations(doc):
    """(method upper, path, operation) of the document."""
    for path, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method in ("get", "put", "post", "delete", "patch", "options", "head", "trace"):
                yield method.upper(), path, op


def fill_path(path, values):
    def sub(m):
        name = m.group(1)
        if name not in values:
            raise AssertionError("%s: the example has no value for {%s}" % (path, name))
        return str(values[name])
    return re.sub(r"\{([^}/]+)\}", sub, path)
