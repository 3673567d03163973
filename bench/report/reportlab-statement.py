#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The reference of bench/report: python3-reportlab rendering the heat
statement's table from the same rows LERS renders (a CSV the benchmark
writes: a header line, then one line a row, values already formatted),
with what our template has too: landscape A4, DejaVu Sans (Cyrillic), the
title and the point's caption, the header repeated on every page, a total
row and "Стр. N из M" on each page.

  reportlab-statement.py one ROWS.csv OUT.pdf
      one statement
  reportlab-statement.py batch ROWS.csv OUT.zip
      ROWS.csv's first column names the point: one statement a point,
      each a PDF in OUT.zip

Prints "seconds: S", the time spent rendering (after Python and reportlab
have loaded), so the benchmark can compare rendering with rendering.
"""
import csv
import io
import itertools
import sys
import time
import zipfile

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.lib.styles import ParagraphStyle

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
pdfmetrics.registerFont(TTFont("DejaVuSans", FONT_DIR + "DejaVuSans.ttf"))
pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", FONT_DIR + "DejaVuSans-Bold.ttf"))

TITLE = ParagraphStyle("title", fontName="DejaVuSans-Bold", fontSize=12, alignment=1)
INFO = ParagraphStyle("info", fontName="DejaVuSans", fontSize=9)


class NumberedCanvas(canvas.Canvas):
    """Two passes over the pages so each can say "Стр. N из M"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont("DejaVuSans", 7)
            self.drawRightString(landscape(A4)[0] - 10 * mm, 6 * mm,
                                 f"Стр. {self._pageNumber} из {total}")
            super().showPage()
        super().save()


def number(text):
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def total_row(header, rows):
    """Sums (means for temperatures and pressures) of the numeric columns."""
    out = ["Итого"]
    for c in range(1, len(header)):
        values = [v for v in (number(r[c]) for r in rows) if v is not None]
        if not values:
            out.append("")
            continue
        mean = header[c].startswith(("t", "P", "dt"))
        value = sum(values) / len(values) if mean else sum(values)
        out.append(f"{value:.3f}".replace(".", ","))
    return out


def statement(point, header, rows, stream):
    doc = SimpleDocTemplate(stream, pagesize=landscape(A4), leftMargin=12 * mm,
                            rightMargin=10 * mm, topMargin=10 * mm, bottomMargin=10 * mm)
    table = Table([header] + rows + [total_row(header, rows)], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "DejaVuSans", 7),
        ("FONT", (0, 0), (-1, 0), "DejaVuSans-Bold", 7),
        ("FONT", (0, -1), (-1, -1), "DejaVuSans-Bold", 7),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    story = [
        Paragraph("ВЕДОМОСТЬ УЧЁТА ПАРАМЕТРОВ ТЕПЛОПОТРЕБЛЕНИЯ", TITLE),
        Paragraph(f"Точка учёта: {point}", INFO),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 6 * mm),
        Paragraph("Представитель потребителя: ______________ / ______________ /", INFO),
        Paragraph("Представитель теплоснабжающей организации: ______________ / ______________ /",
                  INFO),
    ]
    doc.build(story, canvasmaker=NumberedCanvas)


def main():
    mode, rows_path, out_path = sys.argv[1:4]
    with open(rows_path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    start = time.perf_counter()
    if mode == "one":
        with open(out_path, "wb") as out:
            statement("Отопление", header, rows, out)
    else:
        with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as archive:
            for point, group in itertools.groupby(rows, key=lambda r: r[0]):
                buf = io.BytesIO()
                statement(point, header[1:], [r[1:] for r in group], buf)
                archive.writestr(f"{point}.pdf", buf.getvalue())
    print(f"seconds: {time.perf_counter() - start:.6f}")


if __name__ == "__main__":
    main()
