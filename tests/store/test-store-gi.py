#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The store's sync API as scripts see it, through GObject Introspection.
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402


def main():
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    try:
        store = Lers.Store.new(cluster.get_uri())
        store.open_sync(None)

        node = Lers.Node.new()
        node.props.title = "Котельная"
        node.props.groups = ["north", "school"]
        store.save_node_sync(node, None)
        assert node.props.id > 0

        point = Lers.MeasurePoint.new()
        point.props.node_id = node.props.id
        store.save_measure_point_sync(point, None)

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

        nodes = store.list_nodes_sync(None)
        assert [n.props.title for n in nodes] == ["Котельная"]
        assert list(nodes[0].props.groups) == ["north", "school"]

        try:
            store.get_node_sync(12345, None)
            raise AssertionError("expected NOT_FOUND")
        except GLib.Error as e:
            assert e.matches(Lers.error_quark(), Lers.Error.NOT_FOUND), e
    finally:
        cluster.stop()
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
