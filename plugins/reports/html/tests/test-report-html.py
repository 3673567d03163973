#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The HTML backend: the sample document (plugins/reports/csv/tests/
report-tabular-sample.c) written by report-tabular-write and parsed back
with python3's html.parser. What a reader sees: the page's language and
title, the column titles in <thead>, the cells' texts in <tbody> and the
total row in <tfoot>, the spans and fills, text with markup in it kept as
text (no <script> element), the chart as inline SVG, the picture as a
data: URI, @page the size of A4 landscape. Expected values are the
sample's, worked out by hand there. A closed stream gives its error.

test-report-html.py REPORT-TABULAR-WRITE LSAN-FONTS.SUPP
"""
import base64
import os
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

writer = sys.argv[1]
# the writer draws a chart: fontconfig's caches, left to the process's end,
# are named for LeakSanitizer in this file (ASan builds)
os.environ["LSAN_OPTIONS"] = "suppressions=%s:print_suppressions=0" % sys.argv[2]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # every start tag (name, attrs)
        self.stack = []
        self.title = ""
        self.style = ""
        self.heads = []
        self.sections = {"tbody": [], "tfoot": []}
        self.paragraphs = []
        self.row = None
        self.cell = None
        self.section = None
        self.svg_paths = 0
        self.svg_ids = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self.stack.append(tag)
        if tag in ("tbody", "tfoot", "thead"):
            self.section = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th"):
            self.cell = {"text": "", "attrs": attrs}
        elif tag == "p":
            self.paragraphs.append("")
        elif tag == "path" and "svg" in self.stack:
            self.svg_paths += 1
        if "svg" in self.stack and "id" in attrs:
            self.svg_ids.append(attrs["id"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop() == tag:
                break
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.section == "thead":
                self.heads = [c["text"] for c in self.row]
            else:
                self.sections[self.section].append(self.row)
            self.row = None

    def handle_data(self, data):
        top = self.stack[-1] if self.stack else None
        if self.cell is not None:
            self.cell["text"] += data
        elif top == "title":
            self.title += data
        elif top == "style":
            self.style += data
        elif top == "p":
            self.paragraphs[-1] += data


def render(language):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.html")
        subprocess.run([writer, "html", language, path], check=True)
        with open(path, "rb") as f:
            return f.read()


data = render("ru")
text = data.decode("utf-8")  # UTF-8, or this raises
check(text.startswith("<!DOCTYPE html>"), "the page starts with <!DOCTYPE html>")
page = Page()
page.feed(text)
page.close()

html_tags = [a for t, a in page.tags if t == "html"]
check(html_tags and html_tags[0].get("lang") == "ru", "html lang=ru")
check(any(t == "meta" and a.get("charset") == "utf-8" for t, a in page.tags), "meta charset utf-8")
check(page.title == "Ведомость <тепло> & «вода»", "title %r" % page.title)
check("size:297.0mm 210.0mm" in page.style, "@page is A4 landscape: %r" % page.style[:80])

# no element from a text: the signature's <script> stays text
check(not any(t == "script" for t, _ in page.tags), "no <script> element")
check('Подпись: <script>alert("x")</script>' in page.paragraphs,
      "the signature text as written: %r" % page.paragraphs)
check(page.paragraphs[:2] == ["ВЕДОМОСТЬ УЧЁТА", 'Абонент: ООО "Тепло; Сеть"'],
      "the header texts: %r" % page.paragraphs[:2])
check(b"<script>" not in data, "the bytes hold no <script> tag")

check(page.heads == ["Дата", "t1, °C", "Q, Гкал"], "column titles %r" % page.heads)
body = [[c["text"] for c in row] for row in page.sections["tbody"]]
check(body == [["01.11.2026", "65,23", "1,500"],
               ["02.11.2026", "70,00", "2,250"],
               ["Итого & <script>неделя</script>", "3,750"],
               ["03.11.2026", "", "4,000"]], "body rows %r" % body)
foot = [[c["text"] for c in row] for row in page.sections["tfoot"]]
check(foot == [["Итого", "67,62", "7,750"]], "total rows %r" % foot)
footer_label = page.sections["tbody"][2][0]["attrs"]
check(footer_label.get("colspan") == "2", "the group label spans 2 columns: %r" % footer_label)
check("font-weight:bold" in footer_label.get("style", ""), "the group label is bold")
q3 = page.sections["tbody"][3][2]["attrs"]
check("background:#ffd0d0" in q3.get("style", ""), "the highlighted Q is filled: %r" % q3)
check(q3.get("class") == "number", "a number cell has class number")

# the chart: inline SVG with a path, ids prefixed; the picture: a PNG
figures = [a.get("class") for t, a in page.tags if t == "figure"]
check("chart" in figures and "image" in figures, "a chart and a picture: %r" % figures)
check(any(t == "svg" for t, _ in page.tags), "the chart is an inline <svg>")
check(page.svg_paths > 0, "the chart's svg draws a path")
check(all(i.startswith("chart0-") for i in page.svg_ids), "svg ids prefixed: %r" % page.svg_ids)
imgs = [a["src"] for t, a in page.tags if t == "img"]
check(len(imgs) == 1 and imgs[0].startswith("data:image/png;base64,"), "one data: URI picture")
if imgs:
    png = base64.b64decode(imgs[0].split(",", 1)[1])
    check(png.startswith(b"\x89PNG\r\n\x1a\n"), "the picture decodes to a PNG")
check(any(t == "div" and a.get("class") == "page-break" for t, a in page.tags), "the page break")

# English
page = Page()
page.feed(render("en").decode("utf-8"))
html_tags = [a for t, a in page.tags if t == "html"]
check(html_tags and html_tags[0].get("lang") == "en", "html lang=en")
check(page.heads == ["Date", "t1, °C", "Q, Gcal"], "English column titles %r" % page.heads)

# a closed stream: the error, no crash
closed = subprocess.run([writer, "--closed", "html"], capture_output=True, text=True)
check(closed.returncode == 0, "a closed stream gives G_IO_ERROR_CLOSED: %s%s"
      % (closed.stdout, closed.stderr))

if failures:
    sys.exit(1)
print("ok: the HTML page reads back")
