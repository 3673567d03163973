# SPDX-License-Identifier: LGPL-2.1-or-later
"""An example Python plugin: a report backend that writes records as CSV.

Loaded by libpeas's python3 loader; the class implements Lers.ReportBackend
through GObject Introspection. Copy the folder to ~/.local/share/lers/plugins
to use it.
"""
import gi

gi.require_version("Lers", "1.0")
from gi.repository import GObject, Lers  # noqa: E402


class CsvReport(GObject.Object, Lers.ReportBackend):
    __gtype_name__ = "LersExampleCsvReport"

    def do_get_format(self):
        return "csvreport"

    def do_get_content_type(self):
        return "text/csv"

    def do_render_records(self, records, stream, cancellable):
        columns = []
        for record in records:
            for i in range(record.get_n_values()):
                _, parameter, _, _ = record.get_value_at(i)
                if parameter not in columns:
                    columns.append(parameter)
        lines = [";".join(["timestamp"] + [
            "%s, %s" % (Lers.parameter_get_name(p),
                        Lers.unit_get_code(Lers.parameter_get_unit(p)))
            for p in columns])]
        for record in records:
            row = [record.get_timestamp().format_iso8601()]
            for p in columns:
                ok, value, _ = record.get_value(p)
                row.append(repr(value) if ok else "")
            lines.append(";".join(row))
        data = ("\n".join(lines) + "\n").encode("utf-8")
        ok, _ = stream.write_all(data, cancellable)
        return ok
