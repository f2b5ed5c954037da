"""`POST /api/sections/{id}/grades/upload`: CSV; a dry run reports, a real run is all or none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from fastapi.testclient import TestClient

from registrar.db import Database
from tests.conftest import LoginFn
from tests.gradebook import world as w


def _upload(
    client: TestClient,
    login: LoginFn,
    book: w.Gradebook,
    text: str,
    *,
    dry_run: bool,
    who: str = "",
) -> Any:
    return client.post(
        book.url("grades/upload"),
        headers=w.headers_of(login, book, who or book.teacher),
        params={"dry_run": str(dry_run).lower()},
        files={"file": ("grades.csv", text.encode(), "text/csv")},
    )


def _bad_file(book: w.Gradebook) -> str:
    r = book.rolls
    return (
        "roll_number,grade,attendance_percentage\n"  # 1
        f"{r[0]},A+,91.5\n"  # 2 fine
        f"{r[1]},Z,80\n"  # 3 unknown letter
        "NOBODY,A,80\n"  # 4 unknown roll number
        f"{r[2]},B,abc\n"  # 5 attendance not a number
        f"{r[2]},B\n"  # 6 a field short
        "\n"  # 7 blank: skipped
        f'"{r[3]}",,120\n'  # 8 attendance out of range
    )


def test_a_dry_run_reports_every_bad_line_and_changes_nothing(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s, students=4)
    before = w.rows(database, book)

    response = _upload(client, login, book, _bad_file(book), dry_run=True)

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["dry_run"] is True
    assert report["valid"] is False
    found = {(e["line"], e["column"]) for e in report["errors"]}
    assert found == {
        (3, "grade"),
        (4, "roll_number"),
        (5, "attendance_percentage"),
        (6, None),
        (8, "attendance_percentage"),
    }
    assert all(e["reason"] for e in report["errors"])
    assert [e["line"] for e in report["errors"]] == sorted(e["line"] for e in report["errors"])
    assert [c["line"] for c in report["changes"]] == [2]
    assert w.rows(database, book) == before
    assert w.audit_events(database, book) == []


def test_a_clean_dry_run_shows_the_changes_without_making_them(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    r = book.rolls
    text = f"roll_number,grade,percent,attendance_percentage\n{r[0]},A,,90\n{r[1]},,64,75%\n"

    response = _upload(client, login, book, text, dry_run=True)

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["valid"], report["rows"], report["errors"]) == (True, 2, [])
    assert report["changes"][1]["before"]["grade"] is None
    assert report["changes"][1]["after"] == {
        "status": "ENROLLED",
        "grade": "B+",
        "grade_points": 7.0,
        "attendance_percentage": 75.0,
    }
    assert all(row[1] is None for row in w.rows(database, book).values())


def test_a_real_run_with_a_bad_line_records_nothing(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s, students=4)

    response = _upload(client, login, book, _bad_file(book), dry_run=False)

    assert response.status_code == 422, response.text
    assert {e["line"] for e in response.json()["errors"]} == {3, 4, 5, 6, 8}
    assert all(row[1:] == (None, None, None) for row in w.rows(database, book).values())
    assert w.audit_events(database, book) == []


def test_a_real_run_records_every_line(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    r = book.rolls
    text = (
        "\ufeffRoll_Number,Grade,Attendance_Percentage\r\n"  # a spreadsheet's BOM and casing
        f"{r[0]},O,100\r\n{r[1]},f,42.5\r\n{r[2]},,88\r\n"
    )

    response = _upload(client, login, book, text, dry_run=False, who=book.registrar)

    assert response.status_code == 200, response.text
    assert (response.json()["valid"], response.json()["rows"]) == (True, 3)
    stored = w.rows(database, book)
    assert stored[book.enrollment_ids[0]][1:] == ("O", Decimal("10.00"), Decimal("100.00"))
    assert stored[book.enrollment_ids[1]][1:] == ("F", Decimal("0.00"), Decimal("42.50"))
    assert stored[book.enrollment_ids[2]][1:] == (None, None, Decimal("88.00"))
    assert [e.action for e in w.audit_events(database, book)] == ["grade.recorded"] * 3


def test_a_bad_header_is_reported_on_line_one(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)

    response = _upload(
        client, login, book, f"roll,grade,attendance\n{book.rolls[0]},A,90\n", dry_run=True
    )

    assert response.status_code == 200, response.text
    errors = response.json()["errors"]
    assert {(e["line"], e["column"]) for e in errors} == {
        (1, "roll"),
        (1, "attendance"),
        (1, "roll_number"),
    }


def test_the_same_student_twice_and_an_empty_file(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    r = book.rolls
    twice = f"roll_number,grade\n{r[0]},A\n{r[0]},B\n"

    duplicate = _upload(client, login, book, twice, dry_run=True)
    empty = _upload(client, login, book, "", dry_run=True)
    header_only = _upload(client, login, book, "roll_number,grade\n", dry_run=False)

    assert [(e["line"], e["column"]) for e in duplicate.json()["errors"]] == [(3, "roll_number")]
    assert "same student as line 2" in duplicate.json()["errors"][0]["reason"]
    assert empty.json()["valid"] is False
    assert header_only.status_code == 422, header_only.text
