#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Meter events, connection link settings and device options through the
# Framework (GObject Introspection), as a Python script sees them. Expected
# values are worked out by hand in the comments and checked through psql.
import subprocess

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


def utc(hour, minute=0):
    return GLib.DateTime.new_utc(2026, 11, 24, hour, minute, 0)


def event(code, device_code, start_hour, end_hour=None, text=None,
          severity=Lers.MeterEventSeverity.INFO):
    e = Lers.MeterEvent.new(code, utc(start_hour))
    e.props.device_code = device_code
    e.props.text = text
    e.props.severity = severity
    if end_hour is not None:
        e.props.end = utc(end_hour)
    return e


def check_connection(store, uri):
    c = Lers.Connection.new()
    c.props.kind = Lers.ConnectionKind.SERIAL
    c.props.serial_port = "/dev/ttyS1"
    c.props.baud_rate = 2400
    c.props.parity = Lers.Parity.EVEN
    c.props.stop_bits = 1
    c.props.data_bits = 8
    c.props.flow_control = Lers.FlowControl.SOFTWARE
    c.props.first_byte_timeout_ms = 2000
    c.props.retries = 2
    assert store.save_sync(c, None)
    # 2400 8E1, XON/XOFF (2), serial (kind 2)
    row = psql(uri, "SELECT concat_ws(' ', kind, serial_port, baud_rate, data_bits,"
                    " parity, stop_bits, flow_control, first_byte_timeout_ms, retries)"
                    " FROM connections WHERE id = %d" % c.props.id)
    assert row == "2 /dev/ttyS1 2400 8 2 1 2 2000 2", row
    back = store.get_connection_sync(c.props.id, None)
    assert back.props.parity == Lers.Parity.EVEN
    assert back.props.baud_rate == 2400
    assert back.props.flow_control == Lers.FlowControl.SOFTWARE
    assert back.props.retries == 2
    # the stored line, as a transport: 2400 8E1 with XON/XOFF, retries 2
    line = Lers.Transport.new_for_connection(back)
    assert isinstance(line, Lers.SerialTransport), line
    assert line.get_baud_rate() == 2400
    assert line.get_parity() == Lers.Parity.EVEN
    assert line.get_flow_control() == Lers.FlowControl.SOFTWARE
    assert line.get_first_byte_timeout_ms() == 2000
    assert line.get_retries() == 2
    # a GPRS modem is not opened from here
    gprs = Lers.Connection.new()
    gprs.props.kind = Lers.ConnectionKind.GPRS_SERVER
    expect_error(Lers.Error.NOT_SUPPORTED, Lers.Transport.new_for_connection, gprs)
    tcp = Lers.Connection.new()
    tcp.props.host = "127.0.0.1"
    tcp.props.port = 4001
    tcp.props.answer_timeout_ms = 12000
    t = Lers.Transport.new_for_connection(tcp)
    assert isinstance(t, Lers.TcpTransport), t
    assert t.get_answer_timeout_ms() == 12000


def check_device_options(store, uri):
    d = Lers.Device.new()
    d.props.serial_number = "30000003"
    d.set_options('{"address": 5, "password": "0000"}')
    assert store.save_sync(d, None)
    assert psql(uri, "SELECT options->>'address' FROM devices WHERE id = %d"
                % d.props.id) == "5"
    back = store.get_device_sync(d.props.id, None)
    assert back.get_option("password") == "0000"
    assert back.get_option("address") == "5"
    expect_error(Lers.Error.INVALID_ARGUMENT, d.set_options, "[1, 2]")
    expect_error(Lers.Error.INVALID_ARGUMENT, d.set_options, "{not json")


def check_events(store, uri):
    point = Lers.MeasurePoint.new()
    point.props.title = "Отопление"
    store.save_sync(point, None)
    pid = point.props.id
    events = [
        event("tamper", 7, 10, text="Вскрытие корпуса",
              severity=Lers.MeterEventSeverity.ALARM),
        event("power-off", 3, 2, 3, text="Нет питания",
              severity=Lers.MeterEventSeverity.WARNING),
    ]
    assert store.write_meter_events_sync(pid, events, None) == 2
    # the same events again: nothing new
    assert store.write_meter_events_sync(pid, events, None) == 0
    assert psql(uri, "SELECT count(*) FROM meter_events WHERE point_id = %d" % pid) == "2"

    # the tamper ends at 12:00: one changed
    events[0].props.end = utc(12)
    assert store.write_meter_events_sync(pid, events, None) == 1
    assert psql(uri, "SELECT to_char(ended_at AT TIME ZONE 'UTC', 'HH24:MI')"
                     " FROM meter_events WHERE device_code = 7") == "12:00"

    # [00:00, 10:00): the power cut only (the tamper starts at `to`)
    got = store.list_meter_events_sync(pid, utc(0), utc(10), None)
    assert [e.props.code for e in got] == ["power-off"], got
    # all, by start
    got = store.list_meter_events_sync(pid, None, None, None)
    assert [e.props.code for e in got] == ["power-off", "tamper"]
    assert got[1].props.text == "Вскрытие корпуса"
    assert got[1].props.severity == Lers.MeterEventSeverity.ALARM
    assert got[1].props.end.equal(utc(12))
    assert got[0].props.start.equal(utc(2))

    # an event without a start is refused, nothing stored
    bad = Lers.MeterEvent.new("other", None)
    expect_error(Lers.Error.INVALID_ARGUMENT, store.write_meter_events_sync, pid, [bad], None)
    expect_error(Lers.Error.NOT_FOUND, store.list_meter_events_sync, pid + 1, None, None, None)
    assert psql(uri, "SELECT count(*) FROM meter_events") == "2"

    # deleting the point deletes its events
    assert store.delete_measure_point_sync(pid, None)
    assert psql(uri, "SELECT count(*) FROM meter_events") == "0"


def main():
    cluster = Lers.Cluster.new_temporary()
    cluster.start(None)
    try:
        uri = cluster.get_uri()
        store = Lers.Store.new(uri)
        store.open_sync(None)
        check_connection(store, uri)
        check_device_options(store, uri)
        check_events(store, uri)
    finally:
        cluster.stop()
    print("ok")


if __name__ == "__main__":
    main()
