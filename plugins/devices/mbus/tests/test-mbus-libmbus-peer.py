#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The libmbus peer: libmbus's own command-line tools (built by
# libmbus-peer.sh from the node-mbus package, not from our code) read our
# simulator over TCP (a gateway with two meters on one bus, by primary and
# by secondary address) and over a pseudo-terminal (libmbus opens it at its
# default 2400 baud 8E1). Our M-Bus session then reads the same meter,
# whose clock lers-sim freezes, and every numeric record libmbus prints
# must equal what the session decoded, after this unit table (libmbus's
# unit strings → LERS parameter, factor):
#
#   Energy (Wh)                          Q_in,  ÷ 1.163e6 (Wh → Gcal)
#   Power (W)                            heat power, ÷ 1.163e6 (W → Gcal/h)
#   Volume (m m^3)                       V_in,  × 1e-3 (litres → m³)
#   Volume flow (m m^3/h)                flow,  × 1e-3 (l/h → m³/h)
#   Flow temperature (1e-2 deg C)        T_in,  × 0.01
#   Return temperature (1e-2 deg C)      T_out, × 0.01
#   Temperature Difference (1e-2  deg C) ΔT,    × 0.01
#
# The record's <Device> (DIFE subunit) is the LERS channel. Two records are
# not measurements: "Fabrication number" must equal the identification
# number in <SlaveInformation>, and "Time Point (time & date)" must equal
# the meter clock our session reads. A unit missing from the table fails
# the test: the table has to cover all libmbus prints. The DIF 1F record
# ("More records follow") carries no value.
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import gi

gi.require_version("Lers", "1.0")
from gi.repository import Gio, GLib, Lers  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ["LERS_BUILD_ROOT"]
LERS_SIM = os.path.join(BUILD, "tools", "lers-sim")
# 2026-11-18T11:06:40Z: both reads see the same frozen meter
CLOCK_TIME = 1795000000

UNITS = {
    "Energy (Wh)": (Lers.Parameter.Q_IN, 1 / 1.163e6),
    "Power (W)": (Lers.Parameter.HEATPOWER, 1 / 1.163e6),
    "Volume (m m^3)": (Lers.Parameter.V_IN, 1e-3),
    "Volume flow (m m^3/h)": (Lers.Parameter.VOLUMEFLOW_IN, 1e-3),
    "Flow temperature (1e-2 deg C)": (Lers.Parameter.T_IN, 1e-2),
    "Return temperature (1e-2 deg C)": (Lers.Parameter.T_OUT, 1e-2),
    "Temperature Difference (1e-2  deg C)": (Lers.Parameter.T_DELTA, 1e-2),
}


def peer_tools():
    out = subprocess.run(
        ["bash", os.path.join(HERE, "libmbus-peer.sh"), os.path.join(BUILD, "libmbus-peer")],
        stdout=subprocess.PIPE,
        text=True,
    )
    if out.returncode == 77:
        sys.exit(77)
    assert out.returncode == 0, "libmbus-peer.sh failed"
    return out.stdout.strip()


def start_sim(*args):
    sim = subprocess.Popen(
        [LERS_SIM, "--clock-time", str(CLOCK_TIME), *args],
        stdout=subprocess.PIPE,
        text=True,
        env=dict(os.environ, LANGUAGE="en", LC_ALL="C"),
    )
    first = sim.stdout.readline().split()
    assert first and first[0] == "Meter", first
    return sim, first[-1]


def libmbus_xml(argv):
    out = subprocess.run(argv, stdout=subprocess.PIPE, timeout=60)
    assert out.returncode == 0, "%s failed" % argv
    return ET.fromstring(out.stdout)


def session_read(transport, address):
    engine = Lers.Engine.new()
    driver = engine.get_device_driver("mbus")
    device = Lers.Device.new()
    device.set_network_address(address)
    transport.open_sync(None)
    session = driver.create_session(transport, device)
    session.open_sync(None)
    records = session.read_archive_sync(Lers.ArchiveKind.CURRENT, None, None, None, None)
    clock = session.read_clock_sync(None)
    session.close_sync(None)
    transport.close_sync(None)
    return {r.get_channel(): r for r in records}, clock


def compare(xml, ours, clock, what):
    """every numeric record libmbus printed equals ours; returns how many"""
    slave = xml.find("SlaveInformation")
    ident = slave.findtext("Id")
    records, n = ours, 0
    seen = set()
    for rec in xml.findall("DataRecord"):
        unit = rec.findtext("Unit")
        value = rec.findtext("Value")
        channel = int(rec.findtext("Device") or 0)
        if rec.findtext("Function") == "More records follow":
            continue  # DIF 1F: the telegram's end, no value
        assert rec.findtext("StorageNumber") == "0", (what, unit)
        if unit == "Fabrication number":
            assert value == ident, (what, value, ident)
            continue
        if unit.startswith("Time Point"):
            assert value == clock.format("%Y-%m-%dT%H:%M:%S"), (what, value, clock.format_iso8601())
            continue
        assert unit in UNITS, "%s: libmbus prints %r, which the table lacks" % (what, unit)
        parameter, factor = UNITS[unit]
        if (channel, parameter) in seen:
            continue
        seen.add((channel, parameter))
        assert channel in records, "%s: no record for channel %d" % (what, channel)
        ok, got, _flags = records[channel].get_value(parameter)
        want = float(value) * factor
        assert ok, "%s: channel %d has no %s" % (what, channel, parameter.value_nick)
        assert abs(got - want) <= 1e-9 * abs(want), "%s: %s channel %d: ours %.12g, libmbus %s → %.12g" % (
            what,
            unit,
            channel,
            got,
            value,
            want,
        )
        n += 1
    # and we have nothing libmbus lacks
    ours_n = sum(r.get_n_values() for r in records.values())
    assert ours_n == n, "%s: our session gives %d values, libmbus %d" % (what, ours_n, n)
    return n


def main():
    tools = peer_tools()
    total = 0

    # a gateway: two two-circuit meters on one bus behind one TCP port
    sim, where = start_sim("--count", "2", "--bus", "--circuits", "2")
    try:
        host, port = where.rsplit(":", 1)
        for address in ["1", "2", "1000000253320204"]:
            xml = libmbus_xml([os.path.join(tools, "mbus-tcp-request-data"), host, port, address])
            ours, clock = session_read(Lers.TcpTransport.new(host, int(port)), address)
            n = compare(xml, ours, clock, "tcp %s" % address)
            assert n == 12, n  # 7 values of circuit 1, 5 of circuit 2
            total += n
    finally:
        sim.terminate()
        sim.wait()

    # a serial line: a pseudo-terminal
    sim, pty = start_sim("--count", "1", "--pty", "--circuits", "2")
    try:
        xml = libmbus_xml([os.path.join(tools, "mbus-serial-request-data"), pty, "1"])
        fd = os.open(pty, os.O_RDWR | os.O_NOCTTY)
        stream = Gio.SimpleIOStream.new(Gio.UnixInputStream.new(fd, True), Gio.UnixOutputStream.new(fd, False))
        ours, clock = session_read(Lers.StreamTransport.new(stream, pty), "1")
        total += compare(xml, ours, clock, "pty")
    finally:
        sim.terminate()
        sim.wait()

    # libmbus's secondary scan (digit by digit from 0FFF…) on a bus of two
    # meters on a pseudo-terminal finds both: our collisions are collisions
    # to it, and our E5 to a select is what it expects
    sim, pty = start_sim("--count", "2", "--bus", "--pty")
    try:
        scan = subprocess.run(
            [os.path.join(tools, "mbus-serial-scan-secondary"), pty],
            stdout=subprocess.PIPE,
            text=True,
            timeout=300,
        )
        found = sorted(line.split()[6] for line in scan.stdout.splitlines() if "Found a device" in line)
        assert found == ["1000000153320104", "1000000253320104"], scan.stdout
    finally:
        sim.terminate()
        sim.wait()
    print("libmbus peer: %d values agree" % total)


if __name__ == "__main__":
    main()
