#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The store's sync API as scripts see it, through GObject Introspection: the
# generic calls keyed by type, queries with keyset pages, transactions, the
# archive. Expected values are worked out by hand in the comments and checked
# in the database through a second, plain libpq connection (psql).
import subprocess
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402


def psql(uri, sql):
    """One value, as psql (a program that is not ours) prints it."""
    out = subprocess.run(["psql", "-XAtq", "-d", uri, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def expect_error(code, fn, *args):
    try:
        fn(*args)
    except GLib.Error as e:
        assert e.matches(Lers.error_quark(), code), e
        return e
    raise AssertionError("expected error %s" % code)


def main():
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    try:
        uri = cluster.get_uri()
        store = Lers.Store.new(uri)
        store.open_sync(None)

        # generic save / get / list / delete, keyed by the type
        node = Lers.Node.new()
        node.props.title = "Котельная"
        node.props.groups = ["north", "school"]
        assert store.save_sync(node, None)
        assert node.props.id > 0
        got = store.get_sync(Lers.Node, node.props.id, None)
        assert isinstance(got, Lers.Node), got
        assert got.props.title == "Котельная"
        assert list(got.props.groups) == ["north", "school"]

        point = Lers.MeasurePoint.new()
        point.props.node_id = node.props.id
        point.props.resource = Lers.Resource.HOT_WATER
        store.save_sync(point, None)
        # LERS_RESOURCE_HOT_WATER is 1
        assert psql(uri, "SELECT resource FROM measure_points") == "1"

        e = expect_error(Lers.Error.NOT_FOUND, store.get_sync, Lers.Node, 12345, None)
        assert "12345" in e.message, e.message

        # the typed wrappers still work
        assert [n.props.title for n in store.list_nodes_sync(None)] == ["Котельная"]
        assert store.get_node_sync(node.props.id, None).props.title == "Котельная"

        # 25 more nodes numbered 01..25; pages of 10 by number descending:
        # 25..16, 15..06, 05..01, then no cursor
        for i in range(1, 26):
            n = Lers.Node.new()
            n.props.title = "Дом"
            n.props.number = "%02d" % i
            store.save_sync(n, None)
        query = Lers.StoreQuery.new()
        query.add_filter_string("title", Lers.StoreOp.EQ, "Дом")
        query.add_order("number", True)
        query.set_limit(10)
        pages = []
        while True:
            page = store.list_sync(Lers.Node, query, None)
            pages.append([n.props.number for n in page])
            if query.get_cursor() is None:
                break
        assert [len(p) for p in pages] == [10, 10, 5], pages
        assert pages[0][0] == "25" and pages[1][0] == "15" and pages[2] == ["05", "04", "03", "02", "01"]
        flat = sum(pages, [])
        assert len(set(flat)) == 25

        bad = Lers.StoreQuery.new()
        bad.add_order("colour", False)
        e = expect_error(Lers.Error.INVALID_ARGUMENT, store.list_sync, Lers.Node, bad, None)
        assert "colour" in e.message, e.message

        # a transaction that commits three objects
        before = int(psql(uri, "SELECT count(*) FROM nodes"))
        tx = store.begin_sync(None)
        for title in ("Первый", "Второй", "Третий"):
            n = Lers.Node.new()
            n.props.title = title
            tx.save_sync(n, None)
        assert psql(uri, "SELECT count(*) FROM nodes WHERE title = 'Второй'") == "0"
        tx.commit_sync(None)
        assert psql(uri, "SELECT string_agg(title, ',' ORDER BY id) FROM nodes"
                         " WHERE title IN ('Первый', 'Второй', 'Третий')") == "Первый,Второй,Третий"
        expect_error(Lers.Error.INVALID_ARGUMENT, tx.save_sync, Lers.Node.new(), None)

        # and one that rolls back: nothing stored
        tx = store.begin_sync(None)
        for title in ("Откат1", "Откат2", "Откат3"):
            n = Lers.Node.new()
            n.props.title = title
            tx.save_sync(n, None)
        tx.rollback()
        assert psql(uri, "SELECT count(*) FROM nodes WHERE title LIKE 'Откат%'") == "0"
        assert int(psql(uri, "SELECT count(*) FROM nodes")) == before + 3

        # a failed step fails the transaction until rollback
        tx = store.begin_sync(None)
        orphan = Lers.MeasurePoint.new()
        orphan.props.node_id = 987654
        expect_error(Lers.Error.INVALID_ARGUMENT, tx.save_sync, orphan, None)
        expect_error(Lers.Error.FAILED, tx.commit_sync, None)
        tx.rollback()

        # the archive, as before
        start = GLib.DateTime.new_utc(2026, 11, 1, 0, 0, 0)
        records = []
        for hour in range(48):
            record = Lers.Record.new(start.add_hours(hour), Lers.ArchiveKind.HOUR)
            record.set_value(Lers.Parameter.T_IN, 70.0 + hour, Lers.ValueFlags.NONE)
            record.set_value(Lers.Parameter.Q_IN, 0.25, Lers.ValueFlags.CALCULATED)
            records.append(record)
        store.write_records_sync(point.props.id, records, None)
        store.write_records_sync(point.props.id, records, None)
        got = store.query_archive_sync(point.props.id, Lers.ArchiveKind.HOUR,
                                       start.add_hours(24), start.add_hours(30), None)
        # a columnar batch: 6 rows, 24:00..29:00 after start; T_in = 70 + hour
        assert got.get_n_rows() == 6, got.get_n_rows()
        assert got.get_point_id() == point.props.id
        unix0 = start.add_hours(24).to_unix()
        assert list(got.get_timestamps()) == [(unix0 + 3600 * h) * 1000000 for h in range(6)]
        assert list(got.get_parameters()) == [Lers.Parameter.T_IN, Lers.Parameter.Q_IN]
        assert list(got.get_values(Lers.Parameter.T_IN)) == [94.0, 95.0, 96.0, 97.0, 98.0, 99.0]
        assert list(got.get_flags(Lers.Parameter.Q_IN)) == [int(Lers.ValueFlags.CALCULATED)] * 6
        value, flags = got.get_value(0, Lers.Parameter.T_IN)
        assert value == 94.0 and flags == Lers.ValueFlags.NONE, (value, flags)
        assert got.dup_timestamp(5).equal(start.add_hours(29))
        assert not got.has_parameter(Lers.Parameter.M_IN)
        value, flags = got.get_value(0, Lers.Parameter.M_IN)
        assert value != value and flags == Lers.ValueFlags.MISSING, (value, flags)

        batches = store.query_archive_points_sync([point.props.id, 999], Lers.ArchiveKind.HOUR,
                                                  None, None, None)
        assert [b.get_n_rows() for b in batches] == [48, 0]
        assert [b.get_point_id() for b in batches] == [point.props.id, 999]

        last = store.get_last_timestamp_sync(point.props.id, Lers.ArchiveKind.HOUR, None)
        assert last.equal(start.add_hours(47))
        assert store.get_last_timestamp_sync(point.props.id, Lers.ArchiveKind.DAY, None) is None

        # delete by type: the point's archive goes with it
        assert store.delete_sync(Lers.MeasurePoint, point.props.id, None)
        assert psql(uri, "SELECT count(*) FROM archive") == "0"
    finally:
        cluster.stop()
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
