"""Text from files made safe to show: escaped, shortened, never a formula."""

from __future__ import annotations

import doctest

import planner.text as text


def test_the_examples_in_the_docstrings_hold():
    assert doctest.testmod(text).failed == 0


def test_escapes_and_bidi_overrides_are_written_out_and_long_values_cut():
    assert text.shown("\x1b]0;pwned\x07\x1b[2J") == "\\x1b]0;pwned\\x07\\x1b[2J"
    assert "\u202e" not in text.printable("abc\u202edef")
    assert len(text.shown("x" * 1_000_000)) < 100
    assert text.printable("two\nlines\tkept") == "two\nlines\tkept"


def test_a_long_path_keeps_its_file_name():
    shown = text.shown_path("/" + "folder/" * 40 + "impossible.json")
    assert shown.endswith("impossible.json") and shown.startswith("…") and len(shown) <= 120


def test_csv_cells_that_a_spreadsheet_would_run_get_an_apostrophe():
    for formula in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"):
        assert text.csv_cell(formula) == "'" + formula
    assert text.csv_cell("Mopti") == "Mopti"
    assert text.csv_cell(-3.5) == "-3.5"  # numbers stay numbers
