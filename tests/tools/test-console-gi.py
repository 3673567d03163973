#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The universal console from Python: `lers read` (the program) reads a
# lers-sim meter into a file; the script loads the file with
# Lers.ReadingFile and uploads it with Lers.ReadingSync, as a server-side
# script would. Stored rows are checked with psql, a program that is not
# ours; expected counts are worked out in the comments.
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402


def psql(uri, sql):
    out = subprocess.run(["psql", "-XAtq", "-d", uri, "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def tool(name):
    return os.path.join(os.environ["LERS_BUILD_ROOT"], "tools", name)


def main():
    work = tempfile.mkdtemp(prefix="lers-console-gi-")
    config = os.path.join(work, "sim.json")
    reading = os.path.join(work, "reading.json")
    sim = subprocess.Popen([tool("lers-sim"), "--count=1", "--port=0", "--seed=3",
                            "--config", config], stdout=subprocess.PIPE, text=True)
    cluster = Lers.Cluster.new_temporary()
    try:
        line = sim.stdout.readline()
        port = re.search(r"127\.0\.0\.1:(\d+)", line).group(1)
        for _ in range(100):
            if os.path.exists(config):
                break
            time.sleep(0.05)
        time.sleep(0.1)
        with open(config, "rb") as c:
            config_data = c.read()
        serial = json.loads(config_data)["nodes"][0]["points"][0]["device"]["serial_number"]

        # the 24 whole hours before this one, read as an engineer on site would
        now = datetime.datetime.now(datetime.timezone.utc)
        hour = now.replace(minute=0, second=0, microsecond=0)
        start = hour - datetime.timedelta(hours=24)
        subprocess.run([tool("lers"), "read", "--protocol", "mbus", "--port",
                        "tcp:127.0.0.1:" + port, "--address", "1", "--serial", serial,
                        "--from", start.isoformat(), "--to", hour.isoformat(),
                        "--archives", "hour", "--out", reading],
                       check=True, capture_output=True)

        f = Lers.ReadingFile.new()
        f.load_from_file(reading)
        assert f.get_device().get_serial_number() == serial
        records = f.get_records()
        # [start, hour): 24 hourly records, one an hour
        assert len(records) == 24, len(records)
        times = [r.get_timestamp().to_unix() for r in records]
        assert times == [int(start.timestamp()) + 3600 * i for i in range(24)], times

        # a bad file: one error code, the JSON path of the fault
        bad = Lers.ReadingFile.new()
        try:
            bad.load_from_data('{"format": "lers-reading", "version": 7}', -1)
            raise AssertionError("a newer version was accepted")
        except GLib.Error as e:
            assert e.matches(Lers.error_quark(), Lers.Error.INVALID_DATA), e
            assert e.message.startswith("$.version: "), e.message

        cluster.start(None)
        uri = cluster.get_uri()
        store = Lers.Store.new(uri)
        store.open_sync(None)
        importer = Lers.Importer.new(None)
        importer.load_data(config_data)
        assert importer.run_sync(store, None, None)
        point = int(psql(uri, "SELECT id FROM measure_points"))

        sync = Lers.ReadingSync.new(store)
        assert sync.run_sync(f, None)
        assert sync.get_n_points() == 1 and sync.get_point_id(0) == point
        assert (sync.get_n_new(0), sync.get_n_changed(0), sync.get_n_unchanged(0)) == (24, 0, 0)
        assert psql(uri, f"SELECT count(*) FROM archive WHERE point_id = {point}"
                         " AND kind = 1") == "24"
        # T_in of the first hour, as the file has it
        value = records[0].get_value(Lers.Parameter.T_IN)
        stored = psql(uri, f"SELECT value FROM archive_values WHERE point_id = {point}"
                           f" AND kind = 1 AND ts = '{start.isoformat()}'"
                           f" AND param = {int(Lers.Parameter.T_IN)}")
        assert value[0] and float(stored) == value[1], (stored, value)
        state = psql(uri, "SELECT string_agg(xmin::text, ',' ORDER BY ts) FROM archive")

        # the same file again: nothing new, nothing rewritten
        assert sync.run_sync(f, None)
        assert (sync.get_n_new(0), sync.get_n_changed(0), sync.get_n_unchanged(0)) == (0, 0, 24)
        assert psql(uri, "SELECT string_agg(xmin::text, ',' ORDER BY ts) FROM archive") == state
    finally:
        sim.send_signal(signal.SIGTERM)
        sim.wait()
        try:
            cluster.stop()
        except GLib.Error:
            pass  # it was not started
        shutil.rmtree(work, ignore_errors=True)
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
