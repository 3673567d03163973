#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# `lers scan mbus` as a user runs it, against lers-sim: three meters on one
# bus behind a TCP port (secondary search, with collisions) and on a
# pseudo-terminal taken as a serial line (primary probe). The table is
# compared line by line with what the simulator's meters are: serials
# 10000001… at addresses 1…, "LRS" (bytes 53 32), version 1, heat (04).
import os
import subprocess

BUILD = os.environ["LERS_BUILD_ROOT"]
LERS = os.path.join(BUILD, "tools", "lers")
LERS_SIM = os.path.join(BUILD, "tools", "lers-sim")
ENV = dict(os.environ, LANGUAGE="en", LC_ALL="C")

TABLE = [
    "Address  Secondary address  Manufacturer  Medium       Version  Model",
    "1        1000000153320104   LRS           Heat: Outlet 1        LRS heat meter v1",
    "2        1000000253320104   LRS           Heat: Outlet 1        LRS heat meter v1",
    "3        1000000353320104   LRS           Heat: Outlet 1        LRS heat meter v1",
    "3 devices found",
]


def start_sim(*args):
    sim = subprocess.Popen([LERS_SIM, "--count", "3", "--bus", *args], stdout=subprocess.PIPE, text=True, env=ENV)
    first = sim.stdout.readline().split()
    assert first and first[0] == "Meter", first
    return sim, first[-1]


def scan(*args):
    out = subprocess.run([LERS, "scan", "mbus", *args], capture_output=True, text=True, env=ENV, timeout=300)
    return out.returncode, [line.rstrip() for line in out.stdout.splitlines()], out.stderr


def main():
    sim, where = start_sim()
    try:
        rc, lines, err = scan("tcp:" + where, "--secondary", "--answer-timeout-ms", "200")
        assert rc == 0, err
        assert lines == TABLE, lines
        assert "searching secondary addresses" in err, err
        # a mask narrows the search to meter 2
        rc, lines, err = scan("tcp:" + where, "--secondary=10000002FFFFFFFF", "--answer-timeout-ms", "200")
        assert rc == 0, err
        assert lines == [TABLE[0], TABLE[2], "1 device found"], lines
        # a bad mask is refused with a message, exit 1
        rc, lines, err = scan("tcp:" + where, "--secondary=12AB")
        assert rc == 1 and lines == [], (rc, lines)
        assert "“12AB” is not an M-Bus secondary address mask" in err, err
    finally:
        sim.terminate()
        sim.wait()

    sim, pty = start_sim("--pty")
    try:
        rc, lines, err = scan(pty, "--primary", "--answer-timeout-ms", "50")
        assert rc == 0, err
        assert lines == TABLE, lines
        assert "probing primary addresses" in err, err
    finally:
        sim.terminate()
        sim.wait()

    # usage errors: exit 2
    rc, lines, err = scan("tcp:127.0.0.1:1", "--primary", "--secondary")
    assert rc == 2 and "not both" in err, (rc, err)
    print("lers scan: tcp secondary, mask, pty primary agree with the simulated bus")


if __name__ == "__main__":
    main()
