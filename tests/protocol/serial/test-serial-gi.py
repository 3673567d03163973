#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# A serial line from Python through GObject Introspection: a pseudo-terminal
# pair made by Python's own os.openpty(), the far end answered by a Python
# thread, the line's settings read back with Python's termios module.
import os
import termios
import threading

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402

master, slave = os.openpty()
path = os.ttyname(slave)

# the address form, as `lers read --port` takes it: 2400 8E1 fixes the line
t = Lers.Transport.new_for_address("serial:%s?baud=2400&parity=even" % path)
assert isinstance(t, Lers.SerialTransport), t
assert t.props.baud_rate == 2400
assert t.props.parity == Lers.Parity.EVEN
assert t.get_line_configured()
t.props.inter_byte_timeout_ms = 200

assert t.open_sync(None)
# the speed as the kernel keeps it (a Linux pty keeps CS8 and no parity
# whatever is asked, so only the speed and stop bits show here)
attrs = termios.tcgetattr(slave)
assert attrs[4] == termios.B2400, attrs[4]           # ispeed
assert attrs[5] == termios.B2400, attrs[5]           # ospeed
assert not attrs[2] & termios.CSTOPB
assert not attrs[3] & termios.ECHO                    # raw


def far_end():
    """Reads the 5-byte request and answers the M-Bus ack."""
    got = b""
    while len(got) < 5:
        got += os.read(master, 64)
    far_end.request = got
    os.write(master, b"\xe5")


peer = threading.Thread(target=far_end)
peer.start()
# no scanner: the answer ends at the first silence of inter-byte-timeout-ms
answer = t.exchange_sync(GLib.Bytes.new(b"\x10\x40\x07\x47\x16"), None, None)
peer.join()
assert far_end.request == b"\x10\x40\x07\x47\x16", far_end.request
assert answer.get_data() == b"\xe5", answer.get_data()
assert t.props.bytes_sent == 5
assert t.props.bytes_received == 1

# a bad speed is a GLib.Error with Lers' domain and code
try:
    t.set_line(1234, 8, Lers.Parity.NONE, 1)
    raise AssertionError("1234 baud was taken")
except GLib.Error as e:
    assert e.matches(Lers.error_quark(), Lers.Error.INVALID_ARGUMENT), e

assert t.close_sync(None)
assert not t.is_open()
os.close(master)
os.close(slave)
print("ok")
