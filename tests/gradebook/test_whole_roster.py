"""`PUT /api/sections/{id}/grades`: the whole roster at once, all or nothing."""

from __future__ import annotations

import uuid
from decimal import Decimal

from fastapi.testclient import TestClient

from registrar.db import Database
from tests.conftest import LoginFn
from tests.gradebook import world as w


def test_the_whole_roster_by_enrollment_id_or_roll_number(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    body = [
        {"enrollment_id": str(book.enrollment_ids[0]), "grade": "O", "attendance_percentage": 95},
        {"roll_number": book.rolls[1], "percent": 55},
        {
            "enrollment_id": str(book.enrollment_ids[2]),
            "roll_number": book.rolls[2],
            "attendance_percentage": 61.25,
        },
    ]

    response = client.put(
        book.url("grades"), headers=w.headers_of(login, book, book.teacher), json=body
    )

    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["updated_count"] == 3
    assert [s["roll_number"] for s in answer["students"]] == book.rolls
    stored = w.rows(database, book)
    assert stored[book.enrollment_ids[0]][1:] == ("O", Decimal("10.00"), Decimal("95.00"))
    assert stored[book.enrollment_ids[1]][1:] == ("B", Decimal("6.00"), None)
    assert stored[book.enrollment_ids[2]][1:] == (None, None, Decimal("61.25"))
    assert len(w.audit_events(database, book)) == 3


def test_every_bad_row_is_reported_and_nothing_changes(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s, with_others=True)
    body = [
        {"roll_number": book.rolls[0], "grade": "A"},  # fine on its own
        {"roll_number": book.rolls[1], "grade": "Q"},
        {"roll_number": "NOBODY", "grade": "A"},
        {"enrollment_id": str(book.enrollment_ids[2]), "attendance_percentage": 150},
        {"enrollment_id": str(book.others["DROPPED"]), "grade": "A"},
        {"enrollment_id": str(uuid.uuid4()), "grade": "A"},
        {"roll_number": book.rolls[0], "grade": "B"},  # the same student twice
        {"grade": "A"},  # nobody named
        {"enrollment_id": str(book.enrollment_ids[0]), "roll_number": book.rolls[1]},
    ]

    response = client.put(
        book.url("grades"), headers=w.headers_of(login, book, book.registrar), json=body
    )

    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert sorted({e["index"] for e in errors}) == [1, 2, 3, 4, 5, 6, 7, 8]
    by_index = {e["index"]: e for e in errors if e["field"] != "grade" or e["index"] == 1}
    assert by_index[1]["field"] == "grade"
    assert "Unknown grade 'Q'" in by_index[1]["reason"]
    assert by_index[2]["field"] == "roll_number"
    assert by_index[3]["field"] == "attendance_percentage"
    assert "DROPPED" in by_index[4]["reason"]
    assert by_index[5]["field"] == "enrollment_id"
    assert "same student as row 0" in by_index[6]["reason"]
    assert "different students" in by_index[8]["reason"]
    assert all(row[1] is None for row in w.rows(database, book).values())
    assert w.audit_events(database, book) == []


def test_faculty_cannot_slip_a_completed_record_into_a_roster_entry(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    teacher = w.headers_of(login, book, book.teacher)
    client.put(book.url(f"grades/{book.enrollment_ids[0]}"), headers=teacher, json={"grade": "A"})
    complete = client.post(book.url("complete"), headers=teacher, json={"allow_incomplete": True})
    assert complete.status_code == 200, complete.text

    response = client.put(
        book.url("grades"),
        headers=teacher,
        json=[
            {"roll_number": book.rolls[0], "grade": "O"},
            {"roll_number": book.rolls[1], "grade": "B"},
        ],
    )

    assert response.status_code == 422, response.text
    assert [e["index"] for e in response.json()["errors"]] == [0]
    assert "registrar" in response.json()["errors"][0]["reason"]
    stored = w.rows(database, book)
    assert stored[book.enrollment_ids[0]][1] == "A"
    assert stored[book.enrollment_ids[1]][1] is None


def test_an_empty_list_records_nothing(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)

    response = client.put(
        book.url("grades"), headers=w.headers_of(login, book, book.teacher), json=[]
    )

    assert response.status_code == 422, response.text
