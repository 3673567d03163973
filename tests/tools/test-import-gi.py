#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# LersImporter as a Python script (or lersd) would use it, through GObject
# Introspection: load, check, run in one transaction with progress, the
# counts; a bad file's error. Stored rows are checked with psql, a program
# that is not ours; expected values are worked out by hand in the comments.
import subprocess
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402

# two houses, three meters behind one gateway (10.0.0.7:4001)
HOUSES = """{"nodes": [
 {"number": "A-1", "title": "Дом 1", "type": "house", "points": [
   {"title": "Ввод 1", "channel": 1, "device": {"protocol": "mbus", "serial_number": "111",
    "connection": {"host": "10.0.0.7", "port": 4001}}},
   {"title": "Ввод 2", "channel": 1, "device": {"protocol": "mbus", "serial_number": "112",
    "connection": {"host": "10.0.0.7", "port": 4001}}}]},
 {"number": "A-2", "title": "Дом 2", "points": [
   {"title": "Ввод", "device": {"protocol": "mbus", "serial_number": "221",
    "connection": {"host": "10.0.0.7", "port": 4001}}}]}]}""".encode()


def psql(uri, sql):
    out = subprocess.run(["psql", "-XAtq", "-d", uri, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def counts(importer, how):
    get = getattr(importer, "get_n_" + how)
    return [get(t) for t in (Lers.Node, Lers.MeasurePoint, Lers.Device, Lers.Connection)]


def main():
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    try:
        uri = cluster.get_uri()
        store = Lers.Store.new(uri)
        store.open_sync(None)
        engine = Lers.Engine.new()

        # a bad file: one error code, the place in the file, nothing kept
        importer = Lers.Importer.new(engine)
        try:
            importer.load_data(b'{"nodes": [{"number": "1", "points": [5]}]}')
            raise AssertionError("a bad file was accepted")
        except GLib.Error as e:
            assert e.matches(Lers.error_quark(), Lers.Error.INVALID_DATA), e
            assert e.message == "nodes[0].points[0]: expected an object, got an integer", e.message
        assert importer.get_n_nodes() == 0

        importer.load_data(HOUSES)
        assert (importer.get_n_nodes(), importer.get_n_points()) == (2, 3)
        progress = Lers.Progress.new()
        seen = []
        progress.connect("notify::fraction", lambda p, _: seen.append(p.props.fraction))
        assert importer.run_sync(store, progress, None)
        assert seen == sorted(seen) and seen[-1] == 1.0, seen
        # created: 2 nodes, 3 points, 3 devices, 1 shared connection
        assert counts(importer, "created") == [2, 3, 3, 1]
        assert psql(uri, "SELECT count(*) FROM devices d JOIN connections c"
                         " ON c.id = d.connection_id WHERE c.port = 4001") == "3"
        state = psql(uri, "SELECT string_agg(xmin::text || title, ',' ORDER BY id) FROM nodes")

        # the same file again: everything left as it was, not even rewritten
        assert importer.run_sync(store, None, None)
        assert counts(importer, "created") == [0, 0, 0, 0]
        assert counts(importer, "unchanged") == [2, 3, 3, 1]
        assert psql(uri, "SELECT string_agg(xmin::text || title, ',' ORDER BY id)"
                         " FROM nodes") == state
    finally:
        cluster.stop()
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
