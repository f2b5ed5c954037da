"""Grade files made to break the reader: linear in their width, and echoed only in excerpts."""

from __future__ import annotations

import time

from registrar.gradebook.csv_upload import parse


def test_a_wide_header_is_read_in_linear_time() -> None:
    """A complexity guard, not a speed measure: the repeat check was quadratic (about 6 s of CPU
    here, against 0.5 s now). CPU time of this thread, neither the wall clock (a CI run once took
    10 s of wall time for it while the other test worker loaded the machine) nor the process's
    (threads other tests left running in the same worker count there: 5.6 s in one CI run)."""
    header = ",".join(["roll_number"] + ["grade"] * 100_001)
    started = time.thread_time()
    lines, errors = parse(f"{header}\n".encode())
    assert time.thread_time() - started < 3
    assert lines == []
    assert len(errors) == 100_000


def test_a_repeated_column_is_reported_once_per_repeat() -> None:
    _lines, errors = parse(b"roll_number,grade,grade,grade\n")
    assert [(e.line, e.column, e.reason) for e in errors] == [
        (1, "grade", "Column given twice"),
        (1, "grade", "Column given twice"),
    ]


def test_problems_echo_only_an_excerpt_of_a_cell() -> None:
    long = "9" * 100_000
    _lines, errors = parse(f"roll_number,{long}\n".encode())
    assert errors
    assert all(len(e.reason) < 300 and len(e.column or "") <= 41 for e in errors)
    _lines, errors = parse(f"roll_number,attendance_percentage\n22CS1,x{long}\n".encode())
    assert [len(e.reason) < 300 for e in errors] == [True]
