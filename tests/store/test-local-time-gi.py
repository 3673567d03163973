#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Local time as scripts see it through GObject Introspection: territories,
# a point's zone, times formatted with the node's offset, bare dates as
# local midnight, and the day archive of a reporting hour. Expected values
# are worked out by hand: Asia/Vladivostok is UTC+10 all year.
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

        territory = Lers.Territory.new()
        territory.props.title = "Приморский край"
        territory.props.time_zone = "Asia/Vladivostok"
        store.save_territory_sync(territory, None)
        assert territory.props.id > 0

        node = Lers.Node.new()
        node.props.territory_id = territory.props.id
        store.save_node_sync(node, None)
        point = Lers.MeasurePoint.new()
        point.props.node_id = node.props.id
        point.props.reporting_hour = 9
        store.save_measure_point_sync(point, None)
        assert store.get_measure_point_sync(point.props.id, None).props.reporting_hour == 9

        zone = store.get_point_time_zone_sync(point.props.id, None)
        assert zone.get_identifier() == "Asia/Vladivostok", zone.get_identifier()

        # 01:00Z is 11:00 in Vladivostok
        t = GLib.DateTime.new_utc(2026, 11, 24, 1, 0, 0)
        assert Lers.time_format(t, zone) == "2026-11-24T11:00:00+10:00"
        # a bare date is local midnight: 14:00Z the day before
        midnight = Lers.time_parse_local("2026-11-24", zone)
        assert midnight.format_iso8601() == "2026-11-23T14:00:00Z", midnight.format_iso8601()
        # reporting hour 9: the day of the 24th starts at 09:00+10 = 23:00Z on the 23rd
        start = Lers.time_get_period_start(Lers.ArchiveKind.DAY, t, zone, 9, 1)
        assert start.format_iso8601() == "2026-11-23T23:00:00Z", start.format_iso8601()

        # a zone the system does not know: a LersError, nothing stored
        bad = Lers.Territory.new()
        bad.props.title = "Атлантида"
        bad.props.time_zone = "Europe/Atlantis"
        try:
            store.save_territory_sync(bad, None)
            raise AssertionError("an unknown zone was stored")
        except GLib.Error as e:
            assert e.matches(Lers.error_quark(), Lers.Error.INVALID_ARGUMENT), e
        assert len(store.list_territories_sync(None)) == 1

        device = Lers.Device.new()
        device.props.effective_clock_zone = zone
        assert device.dup_clock_time_zone().get_identifier() == "Asia/Vladivostok"
    finally:
        cluster.stop()
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
