#!/usr/bin/env gjs
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// List a LERS server's nodes and points, and print a point's last day of
// hourly archive, over the HTTP API (Lers.Client), in GJS.
//
// Usage: gjs remote-archive.js URL [POINT_ID]
//
// The API token is read from the file named by $LERS_TOKEN_FILE, else taken
// from $LERS_TOKEN (make one with `lers user token add LOGIN TITLE`). Never put a
// password or a token on the command line: other users see it in `ps`.
// For a server with a self-signed certificate, set $LERS_CA_FILE to it.

imports.gi.versions.Lers = '1.0';
const {Gio, GLib, Lers} = imports.gi;

// Lets `await client.list_nodes_async(…)` return what _finish returns.
for (const name of ['list_nodes', 'list_measure_points', 'get_archive'])
    Gio._promisify(Lers.Client.prototype, `${name}_async`, `${name}_finish`);

function connect(url) {
    const client = Lers.Client.new(url);
    const tokenFile = GLib.getenv('LERS_TOKEN_FILE');
    if (tokenFile)
        client.set_token_from_file(tokenFile);
    else if (GLib.getenv('LERS_TOKEN'))
        client.set_token(GLib.getenv('LERS_TOKEN'));
    else
        throw new Error('set LERS_TOKEN_FILE or LERS_TOKEN to an API token');
    if (GLib.getenv('LERS_CA_FILE'))
        client.set_ca_file(GLib.getenv('LERS_CA_FILE'));
    return client;
}

async function main(args) {
    if (args.length < 1) {
        printerr('Usage: gjs remote-archive.js URL [POINT_ID]');
        return 2;
    }
    const client = connect(args[0]);

    // Every node and its points (the client follows the server's pages).
    const nodes = await client.list_nodes_async('order=title', 0, null);
    const points = await client.list_measure_points_async(0, null);
    for (const node of nodes) {
        print(`${node.get_title()} (node ${node.get_id()})`);
        for (const point of points.filter(p => p.get_node_id() === node.get_id()))
            print(`  ${point.get_title()} (point ${point.get_id()})`);
    }
    if (points.length === 0) {
        printerr('no measure points');
        return 1;
    }
    let point = points[0];
    if (args.length > 1) {
        point = points.find(p => p.get_id() === parseInt(args[1]));
        if (!point) {
            printerr(`no measure point ${args[1]}`);
            return 1;
        }
    }

    // The last day, [now − 24 h, now): the same LersArchiveBatch a local
    // Lers.Store.query_archive_sync() returns.
    const end = GLib.DateTime.new_now_utc();
    const start = end.add_hours(-24);
    const batch = await client.get_archive_async(point.get_id(), Lers.ArchiveKind.HOUR,
        start, end, null);
    const parameters = batch.get_parameters();
    const columns = parameters.map(p => [batch.get_values(p), batch.get_flags(p)]);
    print('');
    print(`${point.get_title()} (point ${point.get_id()}): ${batch.get_n_rows()} hourly records`);
    const header = ['time (UTC)      '];
    for (const parameter of parameters) {
        const unit = Lers.unit_get_symbol(Lers.parameter_get_unit(parameter));
        header.push(`${Lers.parameter_get_name(parameter)}, ${unit}`.padStart(12));
    }
    print(header.join('  '));
    batch.get_timestamps().forEach((micros, row) => {
        const when = GLib.DateTime.new_from_unix_utc(Math.floor(micros / 1000000));
        const cells = [when.format('%Y-%m-%d %H:%M')];
        for (const [values, flags] of columns) {
            let text;
            if (flags[row] & Lers.ValueFlags.MISSING)
                text = '';
            else if (!Number.isFinite(values[row]) || flags[row] & Lers.ValueFlags.BAD)
                text = 'bad';
            else
                text = values[row].toFixed(4);
            cells.push(text.padStart(12));
        }
        print(cells.join('  '));
    });
    return 0;
}

const loop = new GLib.MainLoop(null, false);
let status = 1;
main(ARGV).then(code => {
    status = code;
}).catch(e => {
    printerr(e instanceof GLib.Error ? e.message : e);
}).finally(() => loop.quit());
loop.run();
imports.system.exit(status);
