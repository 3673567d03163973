#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Turns a serial-port-monitor log (tab-separated: number, time, process,
IRP, port, status, "Length n: hex …") into replay lines: "> hex" for what
the program wrote, "< hex" for what it read; consecutive writes or reads
are joined into one line.

    devlog-to-replay.py DEVELOPER.LOG > replay-943-devlog.txt
"""
import sys


def main(path):
    out = []
    last = None
    with open(path, encoding="latin-1") as f:
        for line in f:
            cols = line.rstrip("\r\n").split("\t")
            if len(cols) < 7 or cols[3] not in ("IRP_MJ_WRITE", "IRP_MJ_READ"):
                continue
            if not cols[6].startswith("Length"):
                continue
            data = cols[6].split(":", 1)[1].split()
            way = ">" if cols[3] == "IRP_MJ_WRITE" else "<"
            if way == last:
                out[-1][1].extend(data)
            else:
                out.append((way, list(data)))
            last = way
    for way, data in out:
        print(way, " ".join(data))


if __name__ == "__main__":
    main(sys.argv[1])
