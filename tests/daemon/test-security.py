# SPDX-License-Identifier: LGPL-2.1-or-later
"""Every operation of the OpenAPI document attacked, against a real lersd.

Generated from the served document: a new route is covered as soon as its
operation is there (test-openapi.py makes sure it is).

  test-security.py --auth   credentials and rights: no credentials → 401
                            (unless public); a subscriber on a staff,
                            operate or admin route → 403; subscriber sub2
                            asking for the example's ids (objects of node 1,
                            sub1's) on a read route → 404.  Needs the
                            `lers user` CLI (exit 77, skipped, without it).
  test-security.py          hostile input: malformed JSON and wrong-typed
                            bodies → 400; SQL injection, NUL, 5,000
                            characters, invalid UTF-8 escapes in every path
                            id, query parameter and body string → never 5xx
                            (4xx for path ids, for bodies unless stored
                            literally); oversized body → 413; oversized
                            header → 431; a client sending one byte a second
                            is cut off; lersd's descriptors and RSS flat over
                            10,000 hostile requests; the data's row counts
                            and the users table unchanged.

Every failure is collected and printed with the operation it concerns.
"""
import json
import socket
import sys
import time
import urllib.parse

import lersdharness
from lersdharness import fill_path, operations

INJECTIONS = [
    "' OR 1=1 --",
    "1;DROP TABLE users",
    "1' ; DROP TABLE users; --",
    "%00",
    "\\x00",
    "x" * 5000,
    "Robert'); DELETE FROM nodes; --",
    "\u0000",
]
# raw (already percent-encoded) values for targets: invalid UTF-8, NUL
RAW_ESCAPES = ["%FF%FE", "%C3%28", "%E2%82", "%00", "%ED%A0%80", "%27%20OR%201%3D1%20--"]
MALFORMED = [b"{", b"{\"points\": [1", b"[1, 2", b"\xff\xfe{}", b"{\"a\": \"\xc3\x28\"}", b"nul",
             b"{\"a\": 1,}", b"\x00"]
WRONG_TOP = ["[]", "null", "\"text\"", "42", "true"]

failures = []
stats = {"requests": 0, "5xx": 0}


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, flush=True)


def send(world, method, target, body=None, as_user="admin", headers=None):
    stats["requests"] += 1
    try:
        r = world.request(method, target, body, as_user=as_user, headers=headers)
    except (OSError, ValueError) as e:  # http.client errors are OSError/HTTPException
        fail("%s %s: no answer (%s)" % (method, target[:120], e))
        return None
    except Exception as e:  # noqa: BLE001 - BadStatusLine and friends
        fail("%s %s: no valid answer (%s)" % (method, target[:120], e))
        return None
    if r.status >= 500:
        stats["5xx"] += 1
        fail("%s %s: %s" % (method, target[:120], r))
    return r


def example_target(path, op, path_values=None):
    ex = op.get("x-lers-example") or {}
    values = dict(ex.get("path", {}))
    values.update(path_values or {})
    target = fill_path(path, values)
    if ex.get("query"):
        target += "?" + urllib.parse.urlencode(ex["query"])
    return target


def example_body(method, op):
    ex = op.get("x-lers-example") or {}
    body = ex.get("body")
    if body is None and method in ("POST", "PUT", "PATCH"):
        body = {}
    return body


def real_ops(doc):
    return sorted(((m, p, o) for m, p, o in operations(doc) if m != "HEAD"),
                  key=lambda x: (x[1], x[0]))


# ---------------------------------------------------------------- auth

def check_auth(world, doc):
    n = 0
    for method, path, op in real_ops(doc):
        access = op.get("x-lers-access")
        name = "%s %s (%s)" % (method, path, access)
        target = example_target(path, op)
        body = example_body(method, op)
        if access != "public":
            r = send(world, method, target, body, as_user=None)
            n += 1
            if r is not None and r.status != 401:
                fail("%s without credentials: %s, expected 401" % (name, r))
            elif r is not None and "Bearer" not in (r.header("WWW-Authenticate") or ""):
                fail("%s: 401 without WWW-Authenticate: Bearer" % name)
            r = send(world, method, target, body, as_user=None,
                     headers={"Authorization": "Bearer " + "A" * 43})
            n += 1
            if r is not None and r.status != 401:
                fail("%s with an unknown token: %s, expected 401" % (name, r))
        if access in ("staff", "operate", "admin"):
            for login in ("sub1", "sub2"):
                r = send(world, method, target, body, as_user=login)
                n += 1
                if r is not None and r.status != 403:
                    fail("%s as subscriber %s: %s, expected 403" % (name, login, r))
        if access in ("operate", "admin"):
            r = send(world, method, target, body, as_user="viewer")
            n += 1
            if r is not None and r.status != 403:
                fail("%s as viewer: %s, expected 403" % (name, r))
        if access == "admin":
            r = send(world, method, target, body, as_user="operator")
            n += 1
            if r is not None and r.status != 403:
                fail("%s as operator: %s, expected 403" % (name, r))
        # x-lers-own: the caller's own data (its settings), no object of node 1
        if access == "read" and "{" in path and not op.get("x-lers-own"):
            r = send(world, method, target, body, as_user="sub2")
            n += 1
            if r is not None and r.status != 404:
                fail("%s as sub2 for node 1's object: %s, expected 404" % (name, r))
    print("auth: %d requests" % n)


# ---------------------------------------------------------------- input

def string_paths(value, prefix=()):
    """Paths (tuples of keys/indexes) of every string and every member."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield prefix + (k,), v
            yield from string_paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield prefix + (i,), v
            yield from string_paths(v, prefix + (i,))


def replaced(value, path, new):
    value = json.loads(json.dumps(value))
    node = value
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = new
    return value


def wrong_values(v):
    if isinstance(v, bool):
        return ["yes", 2, None]
    if isinstance(v, int):
        return ["1", 1.5, [], {}, True, 99999999999999999999999]
    if isinstance(v, float):
        return ["1.5", []]
    if isinstance(v, str):
        return [12345, [], {}, True]
    if isinstance(v, list):
        return ["x", {}, 1]
    if isinstance(v, dict):
        return ["x", [], 1]
    return []


def is_secret(member_path):
    last = str(member_path[-1]) if member_path else ""
    return last == "password" or last.endswith("_password")


def check_secret_stored(world, name, member_path, value):
    if "\0" in value:
        return  # refused by the JSON parser before it could be stored
    plain = world.cluster.int("SELECT count(*) FROM users WHERE password_hash = %s"
                              % sql_literal(value))
    bad = world.cluster.int("SELECT count(*) FROM users WHERE password_hash IS NOT NULL "
                            "AND password_hash NOT LIKE '$argon2id$%'")
    if plain or bad:
        fail("%s with %s = %r: a password stored other than as an Argon2id hash"
             % (name, "/".join(map(str, member_path)), value[:30]))


def sql_literal(value):
    return "'" + value.replace("'", "''") + "'"


def check_bodies(world, method, path, op, writes):
    name = "%s %s" % (method, path)
    target = example_target(path, op)
    body = example_body(method, op)
    for raw in MALFORMED:
        r = send(world, method, target, raw)
        if r is not None and r.status != 400:
            fail("%s with malformed JSON %r: %s, expected 400" % (name, raw[:20], r))
    # x-lers-any-json: the body is a value of any JSON type (a setting)
    for top in ([] if op.get("x-lers-any-json") else WRONG_TOP):
        r = send(world, method, target, top)
        if r is not None and r.status != 400:
            fail("%s with the body %s: %s, expected 400" % (name, top, r))
    if not isinstance(body, dict) or op.get("x-lers-any-json"):
        return
    for p, v in list(string_paths(body)):
        for w in wrong_values(v):
            r = send(world, method, target, replaced(body, p, w))
            if r is not None and r.status != 400:
                fail("%s with %s = %s: %s, expected 400"
                     % (name, "/".join(map(str, p)), json.dumps(w)[:30], r))
        if isinstance(v, str):
            for s in INJECTIONS:
                r = send(world, method, target, replaced(body, p, s))
                if r is None or r.status < 300:
                    if r is not None and is_secret(p):
                        # a password is never given back: it must be stored
                        # as an Argon2id hash, never as the string
                        check_secret_stored(world, name, p, s)
                    # accepted: only as data, the string given back as sent
                    elif r is not None and json.dumps(s)[1:-1] not in r.body and s not in r.body:
                        fail("%s with %s = %r: %s (accepted, but not stored as sent)"
                             % (name, "/".join(map(str, p)), s[:30], r))
                    writes.append(name)


def check_params(world, method, path, op):
    name = "%s %s" % (method, path)
    body = example_body(method, op)
    ex = op.get("x-lers-example") or {}
    ids = dict(ex.get("path", {}))
    for key in ids:
        # a template that is a name (a setting's key), not an id: numbers are fine
        named = any(p.get("in") == "path" and p.get("name") == key
                    and p.get("schema", {}).get("type") == "string"
                    for p in op.get("parameters", []))
        numbers = [] if named else ["0", "-1", "99999999999999999999", "1.5"]
        for s in INJECTIONS + numbers:
            vals = dict(ids)
            vals[key] = urllib.parse.quote(s, safe="")
            r = send(world, method, example_target(path, op, vals), body)
            if r is not None and not 400 <= r.status < 500:
                fail("%s with {%s} = %r: %s, expected 4xx" % (name, key, s[:30], r))
        for raw in RAW_ESCAPES:
            vals = dict(ids)
            vals[key] = raw
            r = send(world, method, example_target(path, op, vals), body)
            if r is not None and not 400 <= r.status < 500:
                fail("%s with {%s} = %s: %s, expected 4xx" % (name, key, raw, r))
    base = example_target(path, op).split("?")[0]
    query = dict(ex.get("query", {}))
    params = [p for p in op.get("parameters", []) if "$ref" not in p and p.get("in") == "query"]
    params += [{"name": n} for n in ("limit", "after", "order")
               if any(p.get("$ref", "").endswith("/" + n) for p in op.get("parameters", []))]
    for p in params:
        for s in INJECTIONS:
            q = dict(query)
            q[p["name"]] = s
            r = send(world, method, base + "?" + urllib.parse.urlencode(q), body)
            if r is not None and method != "GET" and r.status < 400:
                fail("%s with ?%s=%r: %s, expected 4xx" % (name, p["name"], s[:30], r))
        for raw in RAW_ESCAPES:
            qs = urllib.parse.urlencode(query)
            r = send(world, method, base + "?" + (qs + "&" if qs else "") + p["name"] + "=" + raw,
                     body)
            if r is not None and raw in ("%FF%FE", "%C3%28", "%00") and not 400 <= r.status < 500:
                fail("%s with ?%s=%s: %s, expected 4xx" % (name, p["name"], raw, r))


def check_sizes(world, doc):
    posts = [(m, p, o) for m, p, o in real_ops(doc) if m in ("POST", "PUT", "PATCH")]
    for method, path, op in posts[:3] or [("POST", "/api/v1/poll/jobs", {})]:
        target = example_target(path, op) if op else path
        big = b"{\"pad\": \"" + b"x" * (1024 * 1024) + b"\"}"
        r = send(world, method, target, big)
        if r is not None and r.status != 413:
            fail("%s %s with a 1 MB body: %s, expected 413" % (method, path, r))
        # declared, never sent: refused before it is read, whether the
        # client waits for 100 Continue (curl does) or not
        for expect in ("Expect: 100-continue\r\n", ""):
            head = ("%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    "Content-Length: 1000000000\r\n%s%s\r\n"
                    % (method, target, expect,
                       "".join("%s: %s\r\n" % kv for kv in world.auth("admin").items())))
            out = world.raw(head.encode(), timeout=15)
            if not out.startswith(b"HTTP/1.1 413"):
                fail("%s %s declaring a 1 GB body%s: %r after 15 s, expected 413"
                     % (method, path, " (Expect: 100-continue)" if expect else "", out[:80]))
    head = ("GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: %s\r\n\r\n"
            % ("a" * (128 * 1024)))
    out = world.raw(head.encode(), timeout=15)
    if not out.startswith(b"HTTP/1.1 431"):
        fail("a 128 KB header: %r, expected 431" % out[:80])
    head = ("GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n"
            % "".join("X-H%05d: v\r\n" % i for i in range(10000)))
    out = world.raw(head.encode(), timeout=15)
    if not (out.startswith(b"HTTP/1.1 431") or out.startswith(b"HTTP/1.1 400")):
        fail("10,000 header lines (130 KB): %r, expected 431" % out[:80])


def check_slow_client(world, limit=25):
    """One byte a second of a request head: lersd must close the connection
    before @limit seconds (its head timeout)."""
    s = socket.create_connection(("127.0.0.1", world.port), timeout=5)
    head = b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"s" * 200
    start = time.monotonic()
    closed = None
    try:
        for i in range(len(head)):
            if time.monotonic() - start > limit:
                break
            try:
                s.send(head[i:i + 1])
                s.settimeout(1.0)
                data = s.recv(4096)
                if data == b"" or data:
                    closed = time.monotonic() - start
                    break
            except socket.timeout:
                continue
            except OSError:
                closed = time.monotonic() - start
                break
    finally:
        s.close()
    if closed is None:
        fail("a client sending one byte a second was still connected after %d s" % limit)
    else:
        print("slow client cut off after %.1f s" % closed)


def hostile_batch(world, doc, n):
    """@n quick hostile requests across the operations (raw sockets, one
    connection each, the answer read whole)."""
    ops = real_ops(doc)
    auth = "".join("%s: %s\r\n" % kv for kv in world.auth("admin").items())
    reqs = []

    def req(method, target, body=None, headers=auth):
        text = "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n" % (
            method, target, headers)
        if body is not None:
            text += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        reqs.append(text + "\r\n" + (body or ""))

    inj = urllib.parse.quote("' OR 1=1 --", safe="")
    for method, path, op in ops:
        target = example_target(path, op).split("?")[0]
        body = "{}" if method in ("POST", "PUT", "PATCH") else None
        # reach the route: an id, a query parameter and the body of the wrong kind
        req(method, target.replace("/1", "/" + inj), body)
        for p in op.get("parameters", []):
            if p.get("in") == "query":
                req(method, "%s?%s=%s" % (target, p["name"], inj), body)
        if body is not None:
            req(method, target, "{\"a\": [1,")
            req(method, target, "[\"" + "x" * 2000 + "\"]")
        # stopped before the route: bad escapes, an unknown token
        req(method, target + "?x=%FF%FE", body)
        req(method, target, body, headers="Authorization: Bearer " + "B" * 43 + "\r\n")
    req("GET", "/api/v1/..%2F..%2Fetc%2Fpasswd")
    req("GET", "/api/v1/%00")
    bad = 0
    statuses = {}
    for i in range(n):
        out = world.raw(reqs[i % len(reqs)].encode(), timeout=30)
        stats["requests"] += 1
        status = out[9:12].decode("ascii", "replace") if out.startswith(b"HTTP/1.1 ") else "none"
        statuses[status] = statuses.get(status, 0) + 1
        if status == "none" or status >= "500":
            stats["5xx"] += status != "none"
            bad += 1
            if bad <= 5:
                fail("hostile request %r: %r" % (reqs[i % len(reqs)][:80], out[:120]))
    print("%d hostile requests answered: %s" % (n, ", ".join(
        "%s × %d" % kv for kv in sorted(statuses.items()))))
    return bad


def check_flat(world, doc):
    hostile_batch(world, doc, 1000)  # warm-up: caches, pools, the thread pool
    time.sleep(1)
    fd0, rss0 = world.fd_count(), world.rss_kib()
    t0 = time.monotonic()
    hostile_batch(world, doc, 10000)
    dt = time.monotonic() - t0
    time.sleep(1)
    fd1, rss1 = world.fd_count(), world.rss_kib()
    print("10,000 hostile requests in %.1f s: lersd fds %d → %d, RSS %d → %d KiB (%+d KiB)"
          % (dt, fd0, fd1, rss0, rss1, rss1 - rss0))
    if fd1 > fd0:
        fail("lersd's descriptors grew from %d to %d over 10,000 requests" % (fd0, fd1))
    if world.sanitized:
        # ASan's allocator keeps every allocation's stack and its own
        # caches: RSS says little there; LeakSanitizer's report at lersd's
        # exit (world.stop()) is the check
        print("(AddressSanitizer build: RSS not judged, LeakSanitizer is)")
    elif rss1 - rss0 > 2048:
        fail("lersd's RSS grew by %d KiB over 10,000 requests (more than 2 MB)" % (rss1 - rss0))


def check_input(world, doc):
    before = world.counts()
    writes = []
    for method, path, op in real_ops(doc):
        if method in ("POST", "PUT", "PATCH"):
            check_bodies(world, method, path, op, writes)
        check_params(world, method, path, op)
    check_sizes(world, doc)
    check_slow_client(world)
    check_flat(world, doc)
    after = world.counts()
    if before["users-digest"] != after["users-digest"] or before["users"] != after["users"]:
        fail("the users table changed: %s → %s" % (before["users"], after["users"]))
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    if changed and not writes:
        fail("rows changed though no hostile request was accepted: %s" % changed)
    elif changed:
        print("rows written by accepted (literal) requests %s: %s" % (sorted(set(writes)), changed))
    else:
        print("row counts unchanged: %s" % ", ".join("%s %s" % kv for kv in sorted(after.items())
                                                      if kv[0] != "users-digest"))


def main():
    auth_mode = "--auth" in sys.argv
    world = lersdharness.Lersd("security")
    try:
        if auth_mode and not world.accounts:
            print("SKIP: this build has no `lers user` CLI (the accounts have not landed)")
            sys.exit(77)
        doc = world.document()
        start = time.monotonic()
        if auth_mode:
            check_auth(world, doc)
        else:
            check_input(world, doc)
        if not world.alive():
            fail("lersd died: %s" % world.proc.stderr()[-2000:])
        for line in world.stop():
            fail("lersd: " + line)
        print("%d requests, %d answered 5xx, %.0f s" % (stats["requests"], stats["5xx"],
                                                       time.monotonic() - start))
    finally:
        world.close()
    if failures:
        print("\n%d failures:" % len(failures))
        for f in failures:
            print("  " + f)
        sys.exit(1)


if __name__ == "__main__":
    main()
