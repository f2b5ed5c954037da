"""`PUT /api/sections/{id}/grades/{enrollment_id}` on the three kinds of scale, and its refusals."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.institutions import grading
from registrar.institutions.models import InstitutionKind
from tests.conftest import LoginFn
from tests.gradebook import world as w

TEN_POINT_LETTERS = ["O", "A+", "A", "B+", "B", "C", "F"]


def _grade(
    client: TestClient, login: LoginFn, book: w.Gradebook, body: dict[str, Any], who: str = ""
) -> Any:
    headers = w.headers_of(login, book, who or book.teacher)
    return client.put(book.url(f"grades/{book.enrollment_ids[0]}"), headers=headers, json=body)


@pytest.mark.parametrize(
    ("body", "grade", "points", "passing"),
    [
        ({"grade": "O"}, "O", 10.0, True),
        ({"grade": "A+"}, "A+", 9.0, True),
        ({"grade": "b+"}, "B+", 7.0, True),
        ({"grade": " C "}, "C", 5.0, True),
        ({"grade": "F"}, "F", 0.0, False),
        ({"percent": 83.5}, "A+", 9.0, True),
        ({"percent": 70}, "A", 8.0, True),
        ({"percent": "39.99"}, "F", 0.0, False),
    ],
)
def test_ten_point_scale(
    client: TestClient,
    database: Database,
    login: LoginFn,
    body: dict[str, Any],
    grade: str,
    points: float,
    passing: bool,
) -> None:
    with database.session() as s:
        book = w.build(s)

    response = _grade(client, login, book, {**body, "attendance_percentage": 91.5})

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["enrollment_id"] == str(book.enrollment_ids[0])
    assert answer["roll_number"] == book.rolls[0]
    assert answer["status"] == "ENROLLED"
    assert (answer["grade"], answer["grade_points"], answer["passing"]) == (grade, points, passing)
    assert answer["attendance_percentage"] == 91.5
    stored = w.rows(database, book)[book.enrollment_ids[0]]
    assert stored[1:] == (grade, Decimal(str(points)), Decimal("91.5"))


def test_the_seeds_four_point_scale(client: TestClient, database: Database, login: LoginFn) -> None:
    with database.session() as s:
        book = w.build(s, scale=grading.FOUR_POINT_SCALE)

    letter = _grade(client, login, book, {"grade": "A-"})
    assert letter.status_code == 200, letter.text
    assert (letter.json()["grade"], letter.json()["grade_points"]) == ("A-", 3.7)

    percent = _grade(client, login, book, {"percent": 76})
    assert percent.status_code == 200, percent.text
    assert (percent.json()["grade"], percent.json()["grade_points"]) == ("B", 3.0)

    unknown = _grade(client, login, book, {"grade": "O"})
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["allowed_grades"] == ["A", "A-", "B+", "B", "B-", "C+", "C", "D", "F"]
    assert w.rows(database, book)[book.enrollment_ids[0]][1:3] == ("B", Decimal("3.00"))


def test_k12_percentages_take_the_mark_itself(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s, scale=[], kind=InstitutionKind.K12)

    mark = _grade(client, login, book, {"grade": "88"})
    assert mark.status_code == 200, mark.text
    assert (mark.json()["grade"], mark.json()["grade_points"], mark.json()["passing"]) == (
        "88",
        88.0,
        True,
    )

    rounded = _grade(client, login, book, {"percent": 74.6})
    assert rounded.status_code == 200, rounded.text
    assert (rounded.json()["grade"], rounded.json()["grade_points"]) == ("75", 75.0)

    failing = _grade(client, login, book, {"grade": "74"})
    assert failing.status_code == 200, failing.text
    assert failing.json()["passing"] is False

    for bad in ("A", "101", "-1", "NaN"):
        refused = _grade(client, login, book, {"grade": bad})
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["field"] == "grade"
    assert w.rows(database, book)[book.enrollment_ids[0]][1:3] == ("74", Decimal("74.00"))


def test_an_unknown_letter_lists_the_scale_and_changes_nothing(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)

    response = _grade(client, login, book, {"grade": "Z", "attendance_percentage": 80})

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == "grade"
    assert body["allowed_grades"] == TEN_POINT_LETTERS
    assert "O, A+, A, B+, B, C, F" in body["error"]
    assert w.rows(database, book)[book.enrollment_ids[0]][1:] == (None, None, None)
    assert w.audit_events(database, book) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"attendance_percentage": 100.01}, "attendance_percentage"),
        ({"attendance_percentage": -1}, "attendance_percentage"),
        ({"percent": 120}, "percent"),
        ({"grade": "A", "percent": 75}, "percent"),
        ({}, None),
    ],
)
def test_out_of_range_or_ambiguous_entries_are_422(
    client: TestClient,
    database: Database,
    login: LoginFn,
    body: dict[str, Any],
    field: str | None,
) -> None:
    with database.session() as s:
        book = w.build(s)

    response = _grade(client, login, book, body)

    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert w.rows(database, book)[book.enrollment_ids[0]][1:] == (None, None, None)


def test_attendance_alone_keeps_the_grade_and_bounds_are_inclusive(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    assert _grade(client, login, book, {"grade": "B"}).status_code == 200

    full = _grade(client, login, book, {"attendance_percentage": 100})
    none = _grade(client, login, book, {"attendance_percentage": 0})

    assert full.status_code == 200, full.text
    assert none.status_code == 200, none.text
    assert (none.json()["grade"], none.json()["attendance_percentage"]) == ("B", 0.0)


@pytest.mark.parametrize("status", ["DROPPED", "WITHDRAWN", "WAITLISTED"])
def test_inactive_enrollments_take_no_grade(
    client: TestClient, database: Database, login: LoginFn, status: str
) -> None:
    with database.session() as s:
        book = w.build(s, with_others=True)
    headers = w.headers_of(login, book, book.registrar)

    response = client.put(
        book.url(f"grades/{book.others[status]}"), headers=headers, json={"grade": "A"}
    )

    assert response.status_code == 409, response.text
    assert response.json()["status"] == status
    assert w.rows(database, book)[book.others[status]][1] is None


def test_an_enrollment_of_another_section_is_not_found(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
        elsewhere = w.build(s)
    headers = w.headers_of(login, book, book.teacher)

    response = client.put(
        book.url(f"grades/{elsewhere.enrollment_ids[0]}"), headers=headers, json={"grade": "A"}
    )

    assert response.status_code == 404, response.text
    assert response.json()["error"] == "Enrollment not found"


def test_every_entry_is_audited_with_before_and_after(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    _grade(client, login, book, {"grade": "B", "attendance_percentage": 70})

    _grade(client, login, book, {"grade": "A"})

    events = w.audit_events(database, book)
    assert [event.action for event in events] == ["grade.recorded", "grade.recorded"]
    assert all(event.entity_id == book.enrollment_ids[0] for event in events)
    assert events[1].details["before"] == {
        "status": "ENROLLED",
        "grade": "B",
        "grade_points": 6.0,
        "attendance_percentage": 70.0,
    }
    assert events[1].details["after"]["grade"] == "A"
    assert events[1].details["after"]["grade_points"] == 8.0
    assert events[1].details["after"]["attendance_percentage"] == 70.0


def test_the_roster_lists_enrolled_and_completed_students_only(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s, with_others=True)
    _grade(client, login, book, {"grade": "A+", "attendance_percentage": 88})

    response = client.get(book.url("roster"), headers=w.headers_of(login, book, book.teacher))

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["section"]["id"] == str(book.section_id)
    assert body["grades"] == TEN_POINT_LETTERS
    assert body["percentage_scale"] is False
    assert body["total"] == 3
    assert [entry["roll_number"] for entry in body["students"]] == book.rolls
    first = body["students"][0]
    assert (first["grade"], first["grade_points"], first["attendance_percentage"]) == (
        "A+",
        9.0,
        88.0,
    )
    assert body["students"][1]["grade"] is None
    assert {entry["status"] for entry in body["students"]} == {"ENROLLED"}
