#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The transport core from Python, through GObject Introspection: an
# in-memory line answered from a "written" handler, a frame scanner written
# in Python, the leftover after a frame, and the first-byte timeout on a
# manual clock (no sleeps). Frames are STX (0x02), a length byte, the data.
import sys

import gi

gi.require_version("Lers", "1.0")
gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib, Lers  # noqa: E402


def scan_stx(data, *rest):
    """Where a frame ends: the same rule as tests/protocol/test-transport.c.
    PyGObject 3.42 passes the array's length and the scanner's data after
    the bytes (rest)."""
    data = bytes(data)
    i = 0
    while i < len(data) and data[i] != 0x02:
        i += 1
    if i > 0:
        return -i
    if len(data) < 2 or len(data) < 2 + data[1]:
        return 0
    return 2 + data[1]


def settle(context):
    for _ in range(100):
        if not context.iteration(False):
            break


def run(transport, request, scanner, cancellable=None):
    """Runs one exchange to its end and returns (answer bytes, GLib.Error)."""
    context = GLib.MainContext.default()
    box = {}

    def done(source, result, *_rest):
        try:
            box["answer"] = source.exchange_finish(result).get_data()
        except GLib.Error as e:
            box["error"] = e

    # By keyword: given positionally, PyGObject 3.42 wants the scanner's
    # data as a tuple of varargs ("expected tuple for callback user_data").
    transport.exchange_async(request=request, scanner=scanner, cancellable=cancellable,
                             callback=done)
    guard = GLib.get_monotonic_time() + 10 * 1000000
    while not box and GLib.get_monotonic_time() < guard:
        context.iteration(True)
    assert box, "no result within 10 s"
    return box.get("answer"), box.get("error")


def start(transport, request, scanner):
    """Starts an exchange; returns the dict its result will land in."""
    box = {}

    def done(source, result, *_rest):
        try:
            box["answer"] = source.exchange_finish(result).get_data()
        except GLib.Error as e:
            box["error"] = e

    transport.exchange_async(request=request, scanner=scanner, callback=done)
    return box


def main():
    context = GLib.MainContext.default()
    clock = Lers.Clock.new_manual()
    assert clock.is_manual()
    line = Lers.MemoryTransport.new()
    line.set_clock(clock)
    assert line.open_sync(None)
    assert line.is_open()

    # noise (2 bytes), one frame (5), the start of the next (3)
    def answer(transport, request):
        assert request.get_data() == b"\x10\x5b"
        transport.push_input(GLib.Bytes.new(b"\xff\xfe\x02\x03ABC\x02\x01Z"))

    handler = line.connect("written", answer)
    got, error = run(line, GLib.Bytes.new(b"\x10\x5b"), scan_stx)
    assert error is None, error
    assert got == b"\x02\x03ABC", got
    assert line.get_bytes_sent() == 2
    assert line.props.bytes_received == 10
    line.disconnect(handler)

    # listening only: the leftover is the next frame
    got, error = run(line, None, scan_stx)
    assert error is None, error
    assert got == b"\x02\x01Z", got

    # no scanner: the answer ends at 50 ms of silence (Modbus RTU)
    line.set_inter_byte_timeout_ms(50)
    handler = line.connect(
        "written", lambda t, r: t.push_input(GLib.Bytes.new(b"\x01\x03\x02\x00\x0a\x38\x43")))
    box = start(line, GLib.Bytes.new(b"\x01\x03\x00\x00\x00\x01\x84\x0a"), None)
    settle(context)
    clock.advance(49)
    settle(context)
    assert not box, box
    clock.advance(1)
    settle(context)
    assert box.get("answer") == b"\x01\x03\x02\x00\x0a\x38\x43", box
    line.disconnect(handler)

    # nobody answers: the first-byte timeout at exactly 500 ms
    line.set_first_byte_timeout_ms(500)
    box = start(line, GLib.Bytes.new(b"\x10\x5b"), scan_stx)
    settle(context)
    clock.advance(499)
    settle(context)
    assert not box, box
    clock.advance(1)
    settle(context)
    error = box.get("error")
    assert error is not None, box
    assert error.matches(Lers.error_quark(), Lers.Error.TIMED_OUT), error
    assert error.message == "memory: no answer within 500 ms", error.message
    assert clock.get_monotonic_ms() == 550  # 49 + 1 (Modbus) + 499 + 1

    assert line.close_sync(None)
    assert not line.is_open()

    gprs(context)
    print("ok")
    return 0


def wait(context, done):
    guard = GLib.get_monotonic_time() + 10 * 1000000
    while not done() and GLib.get_monotonic_time() < guard:
        context.iteration(True)
    assert done(), "nothing happened within 10 s"


def gprs(context):
    """A modem calls the GPRS server on loopback and is read from Python."""
    rule = Lers.GprsHandshake.new_from_string("id")
    # 22 bytes with CR LF; the identity is the IMEI
    assert rule.match(b"IMEI:356938035643809\r\n") == (22, "356938035643809")
    assert rule.match(b"IMEI:3569") == (0, None)
    try:
        Lers.GprsHandshake.new_from_string("regex:no-group")
        raise AssertionError("a pattern without a group was accepted")
    except GLib.Error as e:
        assert e.matches(Lers.error_quark(), Lers.Error.INVALID_ARGUMENT), e

    server = Lers.GprsServer.new()
    server.props.clock = Lers.Clock.new_manual()
    server.add_modem("356938035643809")
    seen = []
    server.connect("modem-connected", lambda s, identity, t: seen.append((identity, t)))
    assert server.listen("127.0.0.1", 0)
    port = server.get_port()
    assert port != 0
    modem = Gio.SocketClient.new().connect_to_host("127.0.0.1", port, None)
    modem.get_output_stream().write_all(b"IMEI:356938035643809\r\n", None)
    wait(context, lambda: seen)
    identity, transport = seen[0]
    assert identity == "356938035643809"
    assert transport.get_description() == "gprs:356938035643809"

    box = start(transport, GLib.Bytes.new(b"\x10\x5b"), scan_stx)
    # the modem reads the request and answers with one frame
    data = b""
    guard = GLib.get_monotonic_time() + 10 * 1000000
    while len(data) < 2 and GLib.get_monotonic_time() < guard:
        context.iteration(False)
        if modem.get_socket().condition_check(GLib.IOCondition.IN):
            data += modem.get_input_stream().read_bytes(2 - len(data), None).get_data()
    assert data == b"\x10\x5b", data
    modem.get_output_stream().write_all(b"\x02\x02OK", None)
    wait(context, lambda: box)
    assert box.get("answer") == b"\x02\x02OK", box
    server.stop()


if __name__ == "__main__":
    sys.exit(main())
