#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The XLSX backend: the sample document (plugins/reports/csv/tests/
report-tabular-sample.c) written by report-tabular-write and read back
with python3-openpyxl. The cells hold the numbers put in (not their
rounded texts) with their formats, the dates come back as datetimes in
Moscow's wall time, the totals are formulas over the detail rows whose
cached values are the sums worked out by hand, spans are merged, the
header row is frozen, Cyrillic is intact. A closed stream gives its error.

Sheet rows, by hand: 1, 2 the two text blocks; 3 empty; 4 the header;
5, 6 the days 1 and 2; 7 their group footer; 8 day 3; 9 the total.

test-report-xlsx.py REPORT-TABULAR-WRITE LSAN-FONTS.SUPP
"""
import datetime
import os
import subprocess
import sys
import tempfile

import openpyxl  # python3-openpyxl: missing, the test fails

writer = sys.argv[1]
# the writer draws a chart: fontconfig's caches, left to the process's end,
# are named for LeakSanitizer in this file (ASan builds)
os.environ["LSAN_OPTIONS"] = "suppressions=%s:print_suppressions=0" % sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def near(a, b):
    return isinstance(a, (int, float)) and abs(a - b) < 1e-9


def render(language, tmp):
    path = os.path.join(tmp, "report-%s.xlsx" % language)
    subprocess.run([writer, "xlsx", language, path], check=True)
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


with tempfile.TemporaryDirectory() as tmp:
    wb, cached = render("ru", tmp)
    check(wb.sheetnames == ["Отчёт"], "one sheet, Отчёт: %r" % wb.sheetnames)
    ws = wb.active
    wc = cached.active
    check(wb.properties.title == "Ведомость <тепло> & «вода»", "title %r" % wb.properties.title)

    check(ws["A1"].value == "ВЕДОМОСТЬ УЧЁТА", "A1 %r" % ws["A1"].value)
    check(ws["A1"].font.b, "A1 bold")
    check(ws["A2"].value == 'Абонент: ООО "Тепло; Сеть"', "A2 %r" % ws["A2"].value)
    check(ws["A3"].value is None, "row 3 empty")
    heads = [ws.cell(row=4, column=c).value for c in (1, 2, 3)]
    check(heads == ["Дата", "t1, °C", "Q, Гкал"], "header %r" % heads)
    check(all(ws.cell(row=4, column=c).font.b for c in (1, 2, 3)), "header bold")
    check(ws.freeze_panes == "A5", "the header row frozen: %r" % ws.freeze_panes)

    # numbers as put in, with their formats
    check(near(ws["B5"].value, 65.234), "B5 %r" % ws["B5"].value)
    check(ws["B5"].number_format == "0.00", "B5 format %r" % ws["B5"].number_format)
    check(near(ws["C5"].value, 1.5), "C5 %r" % ws["C5"].value)
    check(ws["C5"].number_format == "0.000", "C5 format %r" % ws["C5"].number_format)
    check(near(ws["B6"].value, 70.0) and near(ws["C6"].value, 2.25), "row 6")
    check(ws["B8"].value is None and near(ws["C8"].value, 4.0), "row 8")

    # dates: Moscow's wall clock, the date format
    for cell, day in (("A5", 1), ("A6", 2), ("A8", 3)):
        check(ws[cell].value == datetime.datetime(2026, 11, day, 0, 0),
              "%s %r" % (cell, ws[cell].value))
    check(ws["A5"].number_format == "dd.mm.yyyy", "A5 format %r" % ws["A5"].number_format)

    # the group footer: label over A:B, Q =SUM over the two days
    check("A7:B7" in {str(r) for r in ws.merged_cells.ranges}, "A7:B7 merged")
    check(ws["A7"].value == "Итого & <script>неделя</script>", "A7 %r" % ws["A7"].value)
    check(ws["C7"].value == "=SUM(C5:C6)", "C7 %r" % ws["C7"].value)
    check(near(wc["C7"].value, 1.5 + 2.25), "C7 cached %r" % wc["C7"].value)

    # the total: over the detail rows only (5, 6, 8), not the footer (7)
    check(ws["A9"].value == "Итого" and ws["A9"].font.b, "A9 bold Итого")
    check(ws["B9"].value == "=AVERAGE(B5:B6,B8)", "B9 %r" % ws["B9"].value)
    check(near(wc["B9"].value, 67.617), "B9 cached %r" % wc["B9"].value)
    check(ws["C9"].value == "=SUM(C5:C6,C8)", "C9 %r" % ws["C9"].value)
    check(near(wc["C9"].value, 1.5 + 2.25 + 4.0), "C9 cached %r" % wc["C9"].value)
    check(ws["B9"].number_format == "0.00", "B9 format")

    # the highlight's fill
    fill = ws["C8"].fill
    check(fill.fill_type == "solid" and fill.fgColor.rgb == "FFFFD0D0",
          "C8 filled #ffd0d0: %r %r" % (fill.fill_type, fill.fgColor.rgb))

    # column widths: 60, 40, 45 pt = 80, 53, 60 px at 96 dpi; the file's
    # width for Calibri 11 (maximum digit width 7 px, 5 px of padding
    # included) is trunc(px / 7 * 256) / 256 (ECMA-376 Part 1, 18.3.1.13)
    for col, px in (("A", 80), ("B", 53), ("C", 60)):
        width = ws.column_dimensions[col].width
        check(width == int(px / 7 * 256) / 256, "column %s width %r" % (col, width))

    # the chart and the picture as images; the signature below them
    check(len(ws._images) == 2, "two images: %d" % len(ws._images))
    texts = [ws.cell(row=r, column=1).value for r in range(10, ws.max_row + 1)]
    check('Подпись: <script>alert("x")</script>' in texts, "the signature: %r" % texts)

    # printing: A4 landscape (the document's page), the header row on
    # every page, a page break before the signature (the template's)
    check(ws.page_setup.orientation == "landscape", "landscape %r" % ws.page_setup.orientation)
    check(str(ws.page_setup.paperSize) == "9", "A4 (paper 9): %r" % ws.page_setup.paperSize)
    check(ws.print_title_rows == "$4:$4", "header printed on every page: %r" % ws.print_title_rows)
    sign_row = texts.index('Подпись: <script>alert("x")</script>') + 10
    breaks = [b.id for b in ws.row_breaks.brk]
    check(breaks == [sign_row - 1], "a page break above row %d: %r" % (sign_row, breaks))

    wb, cached = render("en", tmp)
    check(wb.sheetnames == ["Report"], "English sheet %r" % wb.sheetnames)
    ws = wb.active
    check(ws["A4"].value == "Date" and ws["C4"].value == "Q, Gcal", "English header")
    check(ws["C9"].value == "=SUM(C5:C6,C8)", "English total formula")

closed = subprocess.run([writer, "--closed", "xlsx"], capture_output=True, text=True)
check(closed.returncode == 0, "a closed stream gives G_IO_ERROR_CLOSED: %s%s"
      % (closed.stdout, closed.stderr))

if failures:
    sys.exit(1)
print("ok: the workbook reads back")
