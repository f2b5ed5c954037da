"""`POST /api/sections/{id}/complete` and what may change after it."""

from __future__ import annotations

from decimal import Decimal

from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment.models import EnrollmentStatus
from registrar.institutions.models import Institution
from tests import factories
from tests.conftest import LoginFn
from tests.enrollment.support import assert_consistent
from tests.gradebook import world as w


def _grade(client: TestClient, headers: dict[str, str], book: w.Gradebook, i: int, g: str) -> None:
    url = book.url(f"grades/{book.enrollment_ids[i]}")
    response = client.put(url, headers=headers, json={"grade": g})
    assert response.status_code == 200, response.text


def test_ungraded_enrollments_block_completion(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    teacher = w.headers_of(login, book, book.teacher)
    _grade(client, teacher, book, 0, "A")

    response = client.post(book.url("complete"), headers=teacher)

    assert response.status_code == 409, response.text
    ungraded = response.json()["ungraded"]
    assert [u["roll_number"] for u in ungraded] == book.rolls[1:]
    assert [u["enrollment_id"] for u in ungraded] == [str(i) for i in book.enrollment_ids[1:]]
    assert set(w.statuses(database, book).values()) == {EnrollmentStatus.ENROLLED}


def test_completion_records_passes_and_fails_and_keeps_the_seats(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s, students=4, with_others=True)
    teacher = w.headers_of(login, book, book.teacher)
    _grade(client, teacher, book, 0, "A+")
    _grade(client, teacher, book, 1, "F")
    _grade(client, teacher, book, 2, "C")
    seats = w.counters(database, book)

    response = client.post(book.url("complete"), headers=teacher, json={"allow_incomplete": True})

    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["completed_count"], report["passed_count"], report["failed_count"]) == (3, 2, 1)
    assert [c["roll_number"] for c in report["incomplete"]] == [book.rolls[3]]
    assert [c["passing"] for c in report["completed"]] == [True, False, True]
    stored = w.rows(database, book)
    ids = book.enrollment_ids
    assert [stored[i][0] for i in ids] == [EnrollmentStatus.COMPLETED] * 3 + [
        EnrollmentStatus.ENROLLED
    ]
    assert stored[ids[1]][1:3] == ("F", Decimal("0.00"))  # a fail is a COMPLETED F
    assert stored[book.others["DROPPED"]][0] is EnrollmentStatus.DROPPED
    assert stored[book.others["WAITLISTED"]][0] is EnrollmentStatus.WAITLISTED
    assert w.counters(database, book) == seats
    assert_consistent(database, book.section_id)
    completed = [e for e in w.audit_events(database, book) if e.action == "enrollment.completed"]
    assert {e.entity_id for e in completed} == set(ids[:3])

    again = client.post(book.url("complete"), headers=teacher, json={"allow_incomplete": True})
    assert again.json()["completed_count"] == 0
    assert again.json()["incomplete_count"] == 1


def test_after_completion_only_a_registrar_changes_a_grade_and_it_is_audited(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s, students=1)
        inst = s.get(Institution, book.institution_id)
        assert inst is not None
        admin_name = factories.user(s, inst, factories.unique("admin"), Role.ADMIN).username
    teacher = w.headers_of(login, book, book.teacher)
    registrar = w.headers_of(login, book, book.registrar)
    admin = w.headers_of(login, book, admin_name)
    url = book.url(f"grades/{book.enrollment_ids[0]}")
    client.put(url, headers=teacher, json={"grade": "B", "attendance_percentage": 80})
    assert client.post(book.url("complete"), headers=teacher).status_code == 200

    by_faculty = client.put(url, headers=teacher, json={"grade": "A"})
    by_admin = client.put(url, headers=admin, json={"grade": "A"})
    by_registrar = client.put(url, headers=registrar, json={"grade": "A"})

    assert by_faculty.status_code == 403, by_faculty.text
    assert by_admin.status_code == 403, by_admin.text
    assert by_registrar.status_code == 200, by_registrar.text
    assert (by_registrar.json()["status"], by_registrar.json()["grade"]) == ("COMPLETED", "A")
    changes = [
        e for e in w.audit_events(database, book) if e.action == "grade.changed_after_completion"
    ]
    assert len(changes) == 1
    assert changes[0].details["before"] == {
        "status": "COMPLETED",
        "grade": "B",
        "grade_points": 6.0,
        "attendance_percentage": 80.0,
    }
    assert changes[0].details["after"] == {
        "status": "COMPLETED",
        "grade": "A",
        "grade_points": 8.0,
        "attendance_percentage": 80.0,
    }
    stored = w.rows(database, book)[book.enrollment_ids[0]]
    assert stored == (EnrollmentStatus.COMPLETED, "A", Decimal("8.00"), Decimal("80.00"))
    roster = client.get(book.url("roster"), headers=teacher).json()
    assert [(e["status"], e["grade"]) for e in roster["students"]] == [("COMPLETED", "A")]
