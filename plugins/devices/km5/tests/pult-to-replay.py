#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Writes replay-pult-day.txt: a КМ-5 day-archive session whose line values
# are those of a real КМ-5-2 (No. 00032779) as km-5-pult printed them in
# its report UCS/bin/xreport1-032006-121012.xls (stowage/km-5-pult). The
# framing follows km-5-pult's CommandModuleImpl.java as README.md
# documents it. Written apart from the plugin: it imports nothing of it.
import struct

ADDR = bytes([0x79, 0x27, 0x03, 0x00])  # 00032779, BCD, low byte first


def bcd(n):
    return ((n // 10) << 4) | (n % 10)


def cs(b):
    x = 0
    for c in b:
        x ^= c
    return bytes(b) + bytes([x, sum(b) & 0xFF])


def request(cmd, data=()):
    d = list(data) + [0] * (9 - len(data))
    return cs(ADDR + bytes([cmd] + d))


def answer(cmd, payload, size=32):
    b = ADDR + bytes([cmd]) + bytes(payload)
    b += bytes(size - 2 - len(b))
    return cs(b)


def stamp(d, m, y, hh, mi=0, ss=0, flag=0, typ=1):  # КМ-5-2: type 1
    return [flag, bcd(d), bcd(m), bcd(y % 100), typ, bcd(hh), bcd(mi), bcd(ss)]


def u16(n):
    return [n & 0xFF, n >> 8]


# report lines: date, Q, M1, M2, T1, T2, P1, P2, Tp (stamped 21:00)
LINES = [
    ((19, 2, 2006), 1256.768, 24859.52, 24825.39, 101.61, 58.87, 5.95, 3.88, 1192.66),
    ((20, 2, 2006), 1278.848, 25360.96, 25326.44, 100.80, 56.89, 5.91, 3.84, 1216.66),
    ((21, 2, 2006), 1300.403, 25876.21, 25841.32, 95.79, 54.05, 5.94, 3.87, 1240.66),
    ((22, 2, 2006), 1320.161, 26381.80, 26346.62, 92.08, 53.08, 5.73, 3.66, 1264.66),
]

out = []


def pair(comment, req, ans):
    out.append("# " + comment)
    out.append("> " + " ".join("%02x" % c for c in req))
    out.append("< " + " ".join("%02x" % c for c in ans))


pair("command 0: address and version", request(0), answer(0, [0x52]))
pair("command 50, day archive: start 0x2000, EEPROM 0, flags 0xC0, 4 lines, last 3",
     request(50, [1]), answer(50, [0x00, 0x20, 0, 0xC0] + u16(4) + u16(3)))
(d0, *_), (d3, *_) = LINES[0], LINES[3]
pair("command 51, day archive: first line 0 19.02.06 21:00, last line 3 22.02.06 21:00",
     request(51, [1]),
     answer(51, [0] + u16(0) + stamp(*d0, 21) + u16(3) + stamp(*d3, 21) + u16(4)))
pair("command 52, day archive, 19.02.06 00 h: no line stamped so (the meter writes at 21 h)",
     request(52, [1, bcd(19), bcd(2), bcd(6), 0]), answer(52, [1]))
for n, (d, q, m1, m2, t1, t2, p1, p2, tp) in enumerate(LINES):
    # ta, P1, P2, P3/t3, t1, t2, t3/t4, M1, M2, Vi/Qгвс, V1/M3, V2/M4, Q, Tp
    values = [0.0, p1, p2, 0.0, t1, t2, 0.0, m1, m2, 0.0, 0.0, 0.0, q, tp]
    floats = list(b"".join(struct.pack("<f", v) for v in values))
    pair("command 65, day line %d: %02d.%02d.%d 21:00 Q %.3f M1 %.2f M2 %.2f T1 %.2f T2 %.2f "
         "P1 %.2f P2 %.2f Tp %.2f" % ((n,) + d + (q, m1, m2, t1, t2, p1, p2, tp)),
         request(65, [1] + u16(n)), answer(65, stamp(*d, 21) + floats + [0], 72))

with open("replay-pult-day.txt", "w") as f:
    f.write("# КМ-5 replay: a day-archive read whose lines carry the values of a real\n"
            "# КМ-5-2 (No. 00032779) as km-5-pult printed them in its report\n"
            "# UCS/bin/xreport1-032006-121012.xls (stowage/km-5-pult); framing as\n"
            "# README.md documents it; written by pult-to-replay.py.\n")
    f.write("\n".join(out) + "\n")
