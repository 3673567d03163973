#!/usr/bin/env gjs
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Print a measure point's hourly archive with the Lers Framework (GJS).
//
// Usage: gjs archive.js [POINT_ID] [HOURS]
// The database is $LERS_DB or, without it, the embedded cluster.

imports.gi.versions.Lers = '1.0';
const {GLib, Lers} = imports.gi;

function openStore() {
    let uri = GLib.getenv('LERS_DB');
    let cluster = null;
    if (!uri) {
        cluster = Lers.Cluster.new(Lers.Cluster.get_default_datadir());
        cluster.start(null);
        uri = cluster.get_uri();
    }
    const store = Lers.Store.new(uri);
    store.open_sync(null);
    return [store, cluster];
}

function main(args) {
    const [store, cluster] = openStore();
    try {
        let point;
        if (args.length > 0) {
            point = store.get_measure_point_sync(parseInt(args[0]), null);
        } else {
            const points = store.list_measure_points_sync(0, null);
            if (points.length === 0) {
                printerr('no measure points');
                return 1;
            }
            point = points[0];
        }
        const hours = args.length > 1 ? parseInt(args[1]) : 24;
        const end = GLib.DateTime.new_now_utc();
        const start = end.add_hours(-hours);
        // Times as the node keeps them: its territory's zone (or the server's).
        const zone = store.get_point_time_zone_sync(point.get_id(), null);
        // One batch of columns: timestamps, then per parameter values and flags.
        const batch = store.query_archive_sync(point.get_id(), Lers.ArchiveKind.HOUR,
            start, end, null);
        const columns = batch.get_parameters().map(p => [p, batch.get_values(p), batch.get_flags(p)]);
        print(`${point.get_title()} (point ${point.get_id()}): ${batch.get_n_rows()} hourly records`);
        batch.get_timestamps().forEach((micros, row) => {
            const cells = [];
            for (const [parameter, values, flags] of columns) {
                if (flags[row] & Lers.ValueFlags.MISSING)
                    continue;
                const unit = Lers.unit_get_symbol(Lers.parameter_get_unit(parameter));
                const bad = flags[row] & Lers.ValueFlags.BAD ? '!' : '';
                const value = values[row];
                const text = Number.isFinite(value) ? value.toFixed(4) : '—';
                cells.push(`${Lers.parameter_get_name(parameter)}=${text}${bad} ${unit}`);
            }
            const when = GLib.DateTime.new_from_unix_utc(Math.floor(micros / 1000000)).to_timezone(zone);
            print(when.format('%Y-%m-%d %H:%M %:z'), cells.join('  '));
        });
    } finally {
        if (cluster)
            cluster.stop();
    }
    return 0;
}

try {
    imports.system.exit(main(ARGV));
} catch (e) {
    printerr(e.message);
    imports.system.exit(1);
}
