#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# pymodbus (Debian's python3-pymodbus) as a third-party peer of the ТВ7
# simulator's framing: its own RTU framer and CRC, over lers-sim's TCP port.
#  1. A standard read (function 03) must come back as pymodbus's
#     ExceptionResponse 0x83, code 1 (illegal function): our exception
#     frame and CRC as pymodbus parses them.
#  2. The vendor function 0x48, as a pymodbus custom message laid out as the
#     public Python ТВ7 driver sends it (README.md), reads the clock and an
#     hour record; values from the simulator's documented model (README.md
#     "Simulator"): seed 3, clock 2026-11-30T14:45:15Z, TZ=UTC; the hour
#     2026-11-29 00:00 has t1 = 70, t2 = 45, M1 = 2.0 + 0.1·3 = 2.3.
# Skipped (77) without pymodbus (the CI image needs python3-pymodbus to run it).
import os
import struct
import subprocess
import sys

try:
    from pymodbus.client import ModbusTcpClient
    from pymodbus.framer.rtu_framer import ModbusRtuFramer
    from pymodbus.pdu import ExceptionResponse, ModbusRequest, ModbusResponse
    from pymodbus.register_read_message import ReadHoldingRegistersRequest
except ImportError:
    print("pymodbus not installed: skipped")
    sys.exit(77)

BUILD = os.environ["LERS_BUILD_ROOT"]
LERS_SIM = os.path.join(BUILD, "tools", "lers-sim")
ENV = dict(os.environ, LANGUAGE="en", LC_ALL="C", TZ="UTC")


class Tv7Response(ModbusResponse):
    function_code = 0x48

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.payload = b""
        self.request_id = 0

    def encode(self):
        return struct.pack(">HH", len(self.payload), self.request_id) + self.payload

    def decode(self, data):
        count, self.request_id = struct.unpack(">HH", data[:4])
        self.payload = bytes(data[4 : 4 + count])

    @classmethod
    def calculateRtuFrameSize(cls, buffer):  # noqa: N802 (pymodbus's name)
        return 1 + 1 + 4 + (buffer[2] << 8 | buffer[3]) + 2


class Tv7Request(ModbusRequest):
    function_code = 0x48

    def __init__(self, rs=0, rc=0, ws=0, wc=0, data=b"", request_id=0, **kwargs):
        super().__init__(**kwargs)
        self.rs, self.rc, self.ws, self.wc = rs, rc, ws, wc
        self.data = data
        self.request_id = request_id

    def encode(self):
        return struct.pack(">HHHHHH", self.rs, self.rc, self.ws, self.wc, len(self.data), self.request_id) + self.data

    def decode(self, data):
        pass

    def get_response_pdu_size(self):
        return 1 + 4 + 2 * self.rc


def cdab(b):
    return struct.unpack(">f", b[2:4] + b[0:2])[0]


def main():
    sim = subprocess.Popen(
        [LERS_SIM, "--protocol", "tv7", "--port", "0", "--seed", "3", "--clock-time", "1796049915"],
        stdout=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    try:
        first = sim.stdout.readline().split()
        assert first and first[0] == "Meter", first
        host, port = first[-1].rsplit(":", 1)
        client = ModbusTcpClient(host, port=int(port), framer=ModbusRtuFramer, timeout=5)
        client.register(Tv7Response)
        assert client.connect()

        r = client.execute(ReadHoldingRegistersRequest(0, 10, unit=1))
        assert isinstance(r, ExceptionResponse), r
        assert r.function_code == 0x83 and r.exception_code == 1, (r.function_code, r.exception_code)

        r = client.execute(Tv7Request(rs=0x1E88, rc=3, unit=1))
        assert isinstance(r, Tv7Response), r
        assert r.payload == bytes([11, 30, 14, 26, 15, 45]), r.payload.hex()

        r = client.execute(Tv7Request(ws=0x0063, wc=6, data=bytes([11, 29, 0, 26, 0, 0, 0, 0, 0, 0, 0, 0]), unit=1))
        assert isinstance(r, Tv7Response), r
        r = client.execute(Tv7Request(rs=0x1B88, rc=0x8E, request_id=1, unit=1))
        assert isinstance(r, Tv7Response), r
        p = r.payload
        assert len(p) == 284 and p[:4] == bytes([11, 29, 0, 26]), p[:4].hex()
        assert abs(cdab(p[4:8]) - 70.0) < 1e-6, cdab(p[4:8])
        assert abs(cdab(p[16:20]) - 2.3) < 1e-6, cdab(p[16:20])
        assert abs(cdab(p[20:24]) - 45.0) < 1e-6, cdab(p[20:24])
        client.close()
        print("ok: pymodbus framed 0x48 and 0x83 replies of the ТВ7 simulator")
    finally:
        sim.terminate()
        sim.wait()


if __name__ == "__main__":
    main()
