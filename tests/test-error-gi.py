#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# The GError domain of LERS as scripts see it: a caught GLib.Error names
# the domain "lers-error-quark" (it read "lers - error - quark" when
# clang-format had spaced out G_DEFINE_QUARK's argument).
import sys

import gi

gi.require_version("Lers", "1.0")
from gi.repository import GLib, Lers  # noqa: E402


def main():
    # the quark itself
    assert GLib.quark_to_string(Lers.error_quark()) == "lers-error-quark", \
        GLib.quark_to_string(Lers.error_quark())

    # an error raised by the library: no plugin of that name
    engine = Lers.Engine.new()
    try:
        engine.load_plugin("no-such-plugin")
    except GLib.Error as e:
        assert e.domain == "lers-error-quark", e.domain
        assert GLib.quark_from_string(e.domain) == Lers.error_quark()
        assert e.code == Lers.Error.NOT_FOUND, e.code
        assert e.matches(Lers.error_quark(), Lers.Error.NOT_FOUND)
        assert "no-such-plugin" in e.message, e.message
    else:
        raise AssertionError("load_plugin('no-such-plugin') did not raise")
    print("lers-error-quark: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
