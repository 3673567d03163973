#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Print a measure point's hourly archive with the Lers Framework.

Usage: archive.py [POINT_ID] [HOURS]

The database is $LERS_DB (a libpq URI) or, without it, the embedded cluster
that lersd and lers use. Without POINT_ID the first point is shown; HOURS
defaults to 24.
"""
import math
import os
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402


def open_store():
    uri = os.environ.get("LERS_DB")
    cluster = None
    if not uri:
        cluster = Lers.Cluster.new(Lers.Cluster.get_default_datadir())
        cluster.start(None)
        uri = cluster.get_uri()
    store = Lers.Store.new(uri)
    store.open_sync(None)
    return store, cluster


def main():
    store, cluster = open_store()
    try:
        if len(sys.argv) > 1:
            point = store.get_measure_point_sync(int(sys.argv[1]), None)
        else:
            points = store.list_measure_points_sync(0, None)
            if not points:
                print("no measure points", file=sys.stderr)
                return 1
            point = points[0]
        hours = int(sys.argv[2]) if len(sys.argv) > 2 else 24
        end = GLib.DateTime.new_now_utc()
        start = end.add_hours(-hours)
        # Times as the node keeps them: its territory's zone (or the server's).
        zone = store.get_point_time_zone_sync(point.get_id(), None)
        # One batch of columns: timestamps, then per parameter values and flags.
        batch = store.query_archive_sync(point.get_id(), Lers.ArchiveKind.HOUR, start, end, None)
        parameters = batch.get_parameters()
        columns = [(p, batch.get_values(p), batch.get_flags(p)) for p in parameters]
        print(f"{point.get_title()} (point {point.get_id()}): "
              f"{batch.get_n_rows()} hourly records")
        for row, micros in enumerate(batch.get_timestamps()):
            cells = []
            for parameter, values, flags in columns:
                if flags[row] & Lers.ValueFlags.MISSING:
                    continue
                unit = Lers.unit_get_symbol(Lers.parameter_get_unit(parameter))
                bad = "!" if flags[row] & Lers.ValueFlags.BAD else ""
                value = values[row]
                text = f"{value:.4f}" if math.isfinite(value) else "—"
                cells.append(f"{Lers.parameter_get_name(parameter)}={text}{bad} {unit}")
            when = GLib.DateTime.new_from_unix_utc(micros // 1000000).to_timezone(zone)
            print(when.format("%Y-%m-%d %H:%M %:z"), "  ".join(cells))
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GLib.Error as e:
        print(e.message, file=sys.stderr)
        sys.exit(1)
