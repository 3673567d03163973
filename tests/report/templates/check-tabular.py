#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Reads back the CSV and the XLSX of the Russian daily heat statement that
test-report-templates rendered, with Python's csv module and openpyxl (not
our code), and checks them against the archive the test stored:

  T1 of day d = 65.20 + 0.10 (d - 1), Q of day d = 1.200 + 0.010 (d - 1),
  d = 1..30; the Q total is 40.350 (worked out in test-report-templates.c).

In the XLSX the Q total must be a formula =SUM(...) whose cached value is
the sum. Prints "ok" when all hold; an assertion fails the test otherwise.

usage: check-tabular.py STATEMENT.csv STATEMENT.xlsx
"""
import csv
import sys

import openpyxl

DAYS = 30
T1 = [round(65.20 + 0.10 * d, 2) for d in range(DAYS)]
Q = [round(1.200 + 0.010 * d, 3) for d in range(DAYS)]
Q_TOTAL = 40.350
T1_CAPTION = "t1, °C"
Q_CAPTION = "Q, Гкал"


def number(text):
    """A number as the CSV writes it: a decimal comma or point, maybe a
    (no-break) space between thousands."""
    cleaned = str(text).replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    return float(cleaned.replace(",", "."))


def close(a, b, eps=1e-6):
    return abs(a - b) <= eps


def check_csv(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        sample = f.read()
    # the delimiter that makes the caption a field of its own
    for delimiter in ";,\t":
        rows = list(csv.reader(sample.splitlines(), delimiter=delimiter))
        if any(T1_CAPTION in row for row in rows):
            break
    else:
        raise AssertionError(f"CSV: no header field {T1_CAPTION!r}")
    header_at = next(i for i, row in enumerate(rows) if T1_CAPTION in row)
    header = rows[header_at]
    t1_col, q_col = header.index(T1_CAPTION), header.index(Q_CAPTION)
    data = [row for row in rows[header_at + 1:header_at + 1 + DAYS]]
    assert len(data) == DAYS, f"CSV: {len(data)} rows after the header"
    for d, row in enumerate(data):
        assert row[0].startswith(f"{d + 1:02d}.11.2026"), f"CSV row {d}: {row}"
        assert close(number(row[t1_col]), T1[d]), f"CSV T1 of day {d + 1}: {row[t1_col]}"
        assert close(number(row[q_col]), Q[d]), f"CSV Q of day {d + 1}: {row[q_col]}"
    total = rows[header_at + 1 + DAYS]
    assert total[0].startswith("Итого"), f"CSV total row: {total}"
    assert close(number(total[q_col]), Q_TOTAL), f"CSV Q total: {total[q_col]}"


def find_header(sheet):
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == T1_CAPTION:
                return cell.row, {c.value: c.column for c in row if c.value is not None}
    raise AssertionError(f"XLSX: no header cell {T1_CAPTION!r}")


def check_xlsx(path):
    formulas = openpyxl.load_workbook(path).active
    values = openpyxl.load_workbook(path, data_only=True).active
    header_row, columns = find_header(formulas)
    t1_col, q_col = columns[T1_CAPTION], columns[Q_CAPTION]
    for d in range(DAYS):
        r = header_row + 1 + d
        t1 = formulas.cell(row=r, column=t1_col).value
        q = formulas.cell(row=r, column=q_col).value
        assert isinstance(t1, (int, float)) and close(t1, T1[d]), f"XLSX T1 of day {d + 1}: {t1!r}"
        assert isinstance(q, (int, float)) and close(q, Q[d]), f"XLSX Q of day {d + 1}: {q!r}"
    r = header_row + 1 + DAYS
    total = formulas.cell(row=r, column=q_col).value
    assert isinstance(total, str) and total.upper().startswith("=SUM("), \
        f"XLSX Q total is not =SUM(…): {total!r}"
    cached = values.cell(row=r, column=q_col).value
    assert isinstance(cached, (int, float)) and close(cached, Q_TOTAL), \
        f"XLSX Q total's cached value: {cached!r}"


def main():
    check_csv(sys.argv[1])
    check_xlsx(sys.argv[2])
    print("ok")


if __name__ == "__main__":
    main()
