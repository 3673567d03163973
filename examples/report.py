#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Render a report of measure points to PDF with the Lers Framework.

Usage: report.py TEMPLATE POINT_ID[,POINT_ID...] FROM TO OUTPUT [LANGUAGE]

One point: OUTPUT is the PDF. Several: OUTPUT is a folder that gets a PDF
a point ("17-Building 3.pdf"), rendered on all the machine's processors.

TEMPLATE is a template file (docs/report-templates.md) or the id of a system
template (data/templates, found in $LERS_TEMPLATE_PATH or the installed
folder). FROM and TO are dates (YYYY-MM-DD), midnight in the point's zone;
TO is not included. The archive is the template's default kind. The
database is $LERS_DB (a libpq URI) or, without it, the embedded cluster
that lersd and lers use.
"""
import os
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import Gio, GLib, Lers  # noqa: E402


def open_store():
    uri = os.environ.get("LERS_DB")
    cluster = None
    if not uri:
        cluster = Lers.Cluster.new(Lers.Cluster.get_default_datadir())
        cluster.start(None)
        uri = cluster.get_uri()
    store = Lers.Store.new(uri)
    store.open_sync(None)
    return store, cluster


def find_template(name):
    """A file, else a system template's id in the template folders."""
    if os.path.exists(name):
        return Lers.ReportTemplate.new_from_file(Gio.File.new_for_path(name), None)
    folders = os.environ.get("LERS_TEMPLATE_PATH", "").split(":")
    for folder in [f for f in folders if f] or ["/usr/share/lers/templates"]:
        path = os.path.join(folder, name + ".xml")
        if os.path.exists(path):
            return Lers.ReportTemplate.new_from_file(Gio.File.new_for_path(path), None)
    raise SystemExit("no template %s" % name)


def local_midnight(text, zone):
    year, month, day = (int(x) for x in text.split("-"))
    return GLib.DateTime.new(zone, year, month, day, 0, 0, 0)


def render_many(report, backend, folder):
    """A document a point, built and drawn on worker threads; each file
    comes back here, in the points' order."""
    os.makedirs(folder, exist_ok=True)

    def write(report, index, document, name, data):
        path = os.path.join(folder, name.replace("/", "_") + ".pdf")
        with open(path, "wb") as f:
            f.write(data.get_data())
        print("%s: %s, %d page(s)" % (path, document.get_title(), document.get_n_pages()))
        return True

    report.render_documents(backend, 0, None, write)
    return 0


def main():
    if len(sys.argv) < 6:
        print(__doc__, file=sys.stderr)
        return 2
    name, point_ids, start, end, output = sys.argv[1:6]
    language = sys.argv[6] if len(sys.argv) > 6 else "ru"
    point_ids = [int(p) for p in point_ids.split(",")]
    store, cluster = open_store()
    try:
        template = find_template(name)
        # The report backends are plugins: the engine finds PDF by its name.
        backend = Lers.Engine.new().get_report_backend("pdf")
        zone = store.get_point_time_zone_sync(point_ids[0], None)
        report = Lers.Report.new(template, store)
        report.set_points(point_ids)
        report.set_period(local_midnight(start, zone), local_midnight(end, zone))
        report.set_kind(template.get_default_kind())
        report.set_language(language)
        if len(point_ids) > 1:
            return render_many(report, backend, output)
        # One document for one point; the layout runs in the library, the
        # backend writes it to the stream.
        document, _ = report.build_document_sync(0, None)
        stream = Gio.File.new_for_path(output).replace(None, False, Gio.FileCreateFlags.NONE, None)
        backend.render_document(document, stream, None)
        stream.close(None)
        print("%s: %s, %d page(s)" % (output, document.get_title(), document.get_n_pages()))
    except GLib.Error as e:
        print(e.message, file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
