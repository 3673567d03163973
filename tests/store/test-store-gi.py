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
        assert len(got) == 6, len(got)
        ok, value, flags = got[0].get_value(Lers.Parameter.T_IN)
        assert ok and value == 94.0, value

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
