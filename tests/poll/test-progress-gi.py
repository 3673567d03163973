#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
# Weighted progress steps as a script sees them: a script that drives a
# long job of its own reports it in steps, and a driver's child moves the
# parent within its step. Expected fractions worked out by hand.
import gi

gi.require_version("Lers", "1.0")
from gi.repository import Lers  # noqa: E402


def close(a, b):
    return abs(a - b) < 1e-9


def main():
    seen = []
    progress = Lers.Progress.new()
    progress.connect("notify::fraction", lambda p, _: seen.append(p.get_fraction()))
    progress.add_step(5, "Connecting")
    progress.add_step(85, "Reading the device")
    progress.add_step(10, "Saving the archive")
    assert progress.get_n_steps() == 3
    assert progress.get_message() == "Connecting", progress.get_message()

    progress.step_done()
    # 5 / 100
    assert close(progress.get_fraction(), 0.05), progress.get_fraction()
    child = progress.get_child()
    child.set_fraction(0.5)
    # (5 + 0.5 × 85) / 100 = 0.475
    assert close(progress.get_fraction(), 0.475), progress.get_fraction()
    child.set_message("Telegram 2 of 4")
    assert progress.get_message() == "Telegram 2 of 4"
    progress.step_done()
    assert progress.get_message() == "Saving the archive"
    # (5 + 85) / 100 = 0.9
    assert close(progress.get_fraction(), 0.9), progress.get_fraction()
    progress.step_done()
    assert progress.get_fraction() == 1.0
    assert seen == sorted(seen), seen

    progress.reset()
    assert progress.get_n_steps() == 0
    assert progress.get_fraction() == 0.0
    assert progress.get_message() is None


if __name__ == "__main__":
    main()
