#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The planner, schedules and link statistics as scripts see them, through
# GObject Introspection. Expected values are worked out by hand in the
# comments (Moscow is UTC+3 all year; Unix times with GNU date) and checked
# in the database through psql, a program that is not ours.
import subprocess
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402


def psql(uri, sql):
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


def at(iso):
    dt = GLib.DateTime.new_from_iso8601(iso, None)
    assert dt is not None, iso
    return dt


def main():
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    try:
        uri = cluster.get_uri()
        store = Lers.Store.new(uri)
        store.open_sync(None)
        psql(uri, "INSERT INTO territories (id, title, timezone) VALUES (1, 'М', 'Europe/Moscow');"
                  "INSERT INTO nodes (id, territory_id, title) VALUES (1, 1, 'n');"
                  "INSERT INTO connections (id, kind, host, port) VALUES (1, 0, 'gw', 4001);"
                  "INSERT INTO devices (id, protocol, connection_id) VALUES (1, 'mbus', 1);"
                  "INSERT INTO measure_points (id, node_id, device_id, title, poll_interval)"
                  " VALUES (1, 1, 1, 'p', 3600)")
        queue = Lers.PollQueue.new(store)
        now = at("2026-11-30T10:07:00Z")  # 13:07 MSK

        # current values every 15 minutes; a bad schedule is refused
        assert queue.set_schedule_sync(1, Lers.ArchiveKind.CURRENT, True, 15, 0, None)
        expect_error(Lers.Error.INVALID_ARGUMENT, queue.set_schedule_sync, 1,
                     Lers.ArchiveKind.HOUR, True, 7, 0, None)
        expect_error(Lers.Error.NOT_FOUND, queue.set_schedule_sync, 99,
                     Lers.ArchiveKind.HOUR, True, 60, 5, None)

        schedules = {s["kind"]: s for s in queue.list_schedules_sync(1, now, None).unpack()}
        # next current 13:15 MSK = 10:15Z = 1796033700; next hour 14:05 MSK =
        # 11:05Z = 1796036700
        assert schedules["current"]["every_minutes"] == 15, schedules
        assert schedules["current"]["next"] == 1796033700, schedules
        assert not schedules["current"]["default"]
        assert schedules["hour"]["next"] == 1796036700, schedules
        assert not schedules["totals"]["enabled"] and "next" not in schedules["totals"]

        # current 13:00 MSK = 10:00Z, hour 13:05 MSK = 10:05Z, day 00:30 MSK
        # = 21:30Z on the 29th, month 1 Nov 01:00 MSK = 22:00Z on 31 Oct
        assert queue.plan_sync(now, None) == 4
        assert queue.plan_sync(now, None) == 0
        slots = psql(uri, "SELECT string_agg(kind || ' ' || to_char(slot AT TIME ZONE 'UTC',"
                          " 'MM-DD HH24:MI'), ', ' ORDER BY kind) FROM poll_jobs")
        assert slots == "0 11-30 10:00, 1 11-30 10:05, 2 11-29 21:30, 3 10-31 22:00", slots

        # a session of 90 s today, 1000 bytes in and 200 out, ended by an error
        session = Lers.LinkSession.new(1, at("2026-11-30T09:00:00Z"))
        session.set_ended(at("2026-11-30T09:01:30Z"))
        session.set_bytes(1000, 200)
        session.set_end_reason("error")
        assert queue.record_session_sync(session, None)
        assert session.get_id() > 0
        listed = queue.list_sessions_sync(0, None, None, 0, None)
        assert [s.get_id() for s in listed] == [session.get_id()]
        traffic = queue.get_traffic_sync(0, GLib.TimeZone.new_identifier("Europe/Moscow"),
                                         now, None).unpack()
        assert len(traffic) == 1 and traffic[0]["address"] == "tcp:gw:4001", traffic
        assert traffic[0]["today"] == {"sessions": 1, "failed": 1, "seconds": 90,
                                       "bytes_in": 1000, "bytes_out": 200}, traffic
        assert traffic[0]["yesterday"]["sessions"] == 0
    finally:
        cluster.stop()
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
