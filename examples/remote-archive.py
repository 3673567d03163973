#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""List a LERS server's nodes and points, and print a point's last day of
hourly archive, over the HTTP API (Lers.Client).

Usage: remote-archive.py URL [POINT_ID]

The API token is read from the file named by $LERS_TOKEN_FILE, else taken
from $LERS_TOKEN (make one with `lers user token add LOGIN TITLE`). Never put a
password or a token on the command line: other users see it in `ps`.
For a server with a self-signed certificate, set $LERS_CA_FILE to it.
Without POINT_ID the first point is shown.
"""
import math
import os
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402


def wait(start, finish, *args):
    """Calls an _async method and returns what its _finish returns."""
    loop = GLib.MainLoop()
    outcome = {}

    def done(_client, result):
        try:
            outcome["value"] = finish(result)
        except GLib.Error as e:
            outcome["error"] = e
        loop.quit()

    start(*args, None, done)
    loop.run()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def connect(url):
    client = Lers.Client.new(url)
    token_file = os.environ.get("LERS_TOKEN_FILE")
    if token_file:
        client.set_token_from_file(token_file)
    elif os.environ.get("LERS_TOKEN"):
        client.set_token(os.environ["LERS_TOKEN"])
    else:
        raise SystemExit("set LERS_TOKEN_FILE or LERS_TOKEN to an API token")
    if os.environ.get("LERS_CA_FILE"):
        client.set_ca_file(os.environ["LERS_CA_FILE"])
    return client


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    client = connect(sys.argv[1])

    # Every node and its points (the client follows the server's pages).
    nodes = wait(client.list_nodes_async, client.list_nodes_finish, "order=title", 0)
    points = wait(client.list_measure_points_async, client.list_measure_points_finish, 0)
    for node in nodes:
        print(f"{node.get_title()} (node {node.get_id()})")
        for point in points:
            if point.get_node_id() == node.get_id():
                print(f"  {point.get_title()} (point {point.get_id()})")
    if not points:
        print("no measure points", file=sys.stderr)
        return 1

    if len(sys.argv) > 2:
        point = next((p for p in points if p.get_id() == int(sys.argv[2])), None)
        if point is None:
            print(f"no measure point {sys.argv[2]}", file=sys.stderr)
            return 1
    else:
        point = points[0]

    # The last day, [now − 24 h, now): the same LersArchiveBatch a local
    # Lers.Store.query_archive_sync() returns.
    end = GLib.DateTime.new_now_utc()
    start = end.add_hours(-24)
    batch = wait(client.get_archive_async, client.get_archive_finish,
                 point.get_id(), Lers.ArchiveKind.HOUR, start, end)
    parameters = batch.get_parameters()
    columns = [(p, batch.get_values(p), batch.get_flags(p)) for p in parameters]
    print()
    print(f"{point.get_title()} (point {point.get_id()}): "
          f"{batch.get_n_rows()} hourly records")
    header = ["time (UTC)      "]
    for parameter in parameters:
        unit = Lers.unit_get_symbol(Lers.parameter_get_unit(parameter))
        header.append(f"{Lers.parameter_get_name(parameter) + ', ' + unit:>12}")
    print("  ".join(header))
    for row, micros in enumerate(batch.get_timestamps()):
        when = GLib.DateTime.new_from_unix_utc(micros // 1000000)
        cells = [when.format("%Y-%m-%d %H:%M")]
        for _parameter, values, flags in columns:
            if flags[row] & Lers.ValueFlags.MISSING:
                text = ""
            elif not math.isfinite(values[row]) or flags[row] & Lers.ValueFlags.BAD:
                text = "bad"
            else:
                text = f"{values[row]:.4f}"
            cells.append(f"{text:>12}")
        print("  ".join(cells))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except GLib.Error as e:
        print(e.message, file=sys.stderr)
        sys.exit(1)
