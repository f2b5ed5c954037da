"""Grade files made to break the reader: linear in their width, and echoed only in excerpts."""

from __future__ import annotations

from registrar.gradebook.csv_upload import parse
from tests.complexity import looks_linear


def _wide_header(columns: int) -> None:
    header = ",".join(["roll_number"] + ["grade"] * (columns + 1))
    lines, errors = parse(f"{header}\n".encode())
    assert lines == []
    assert len(errors) == columns


def test_a_wide_header_is_read_in_linear_time() -> None:
    """A complexity guard, not a speed measure: the repeat check was quadratic (about 6 s of CPU
    for 100,000 columns here, against 0.5 s now)."""
    assert looks_linear(_wide_header, 20_000, 100_000, budget=3)


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
