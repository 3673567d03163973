#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# LersStoreQuery.add_filter_in_int64 as scripts call it through GObject
# Introspection: the objects whose property is one of the values, with keyset
# pages; the expected ids come from psql, a program that is not ours.
import subprocess

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402


def psql(uri, sql):
    out = subprocess.run(["psql", "-XAtq", "-d", uri, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def ids(objects):
    return ",".join(str(o.get_property("id")) for o in objects)


def main():
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    try:
        uri = cluster.get_uri()
        store = Lers.Store.new(uri)
        store.open_sync(None)
        psql(uri, "INSERT INTO nodes (title) SELECT 'Узел ' || g FROM generate_series (1, 6) g")
        psql(uri, "INSERT INTO measure_points (node_id, title)"
                  " SELECT n.id, n.title || '/' || g FROM nodes n, generate_series (1, 3) g")
        psql(uri, "INSERT INTO measure_points (title) VALUES ('без узла')")
        n2 = int(psql(uri, "SELECT id FROM nodes WHERE title = 'Узел 2'"))
        n5 = int(psql(uri, "SELECT id FROM nodes WHERE title = 'Узел 5'"))

        # the points of nodes 2 and 5 (and of a node that does not exist)
        q = Lers.StoreQuery.new()
        q.add_filter_in_int64("node-id", [n2, n5, 424242])
        got = ids(store.list_sync(Lers.MeasurePoint, q, None))
        want = psql(uri, "SELECT string_agg(id::text, ',' ORDER BY id) FROM measure_points"
                         " WHERE node_id IN (%d, %d)" % (n2, n5))
        assert got == want and len(want.split(",")) == 6, (got, want)

        # with another filter, an order and pages of 4: 4 then 1 (5 points), no cursor after
        q = Lers.StoreQuery.new()
        q.add_filter_in_int64("node_id", [n5, n2])
        q.add_filter_string("title", Lers.StoreOp.NE, "Узел 2/1")
        q.add_order("title", True)
        q.set_limit(4)
        page1 = store.list_sync(Lers.MeasurePoint, q, None)
        assert len(page1) == 4 and q.get_cursor() is not None
        page2 = store.list_sync(Lers.MeasurePoint, q, None)
        assert len(page2) == 1 and q.get_cursor() is None, len(page2)
        want = psql(uri, "SELECT string_agg(id::text, ',' ORDER BY title DESC, id)"
                         " FROM measure_points WHERE node_id IN (%d, %d)"
                         " AND title <> 'Узел 2/1'" % (n2, n5))
        assert ids(page1) + "," + ids(page2) == want, (ids(page1), ids(page2), want)

        # "id" too; no values keep nothing (not everything)
        q = Lers.StoreQuery.new()
        q.add_filter_in_int64("id", [n5])
        assert ids(store.list_sync(Lers.Node, q, None)) == str(n5)
        q = Lers.StoreQuery.new()
        q.add_filter_in_int64("id", [])
        assert store.list_sync(Lers.Node, q, None) == []

        # a text property cannot be compared with numbers
        q = Lers.StoreQuery.new()
        q.add_filter_in_int64("title", [1])
        try:
            store.list_sync(Lers.Node, q, None)
            raise AssertionError("IN on text was accepted")
        except GLib.Error as e:
            assert e.matches(Lers.error_quark(), Lers.Error.INVALID_ARGUMENT), e
            assert "title" in e.message, e.message
    finally:
        cluster.stop()
    print("ok")


if __name__ == "__main__":
    main()
