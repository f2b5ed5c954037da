"""Seed 002 writes: register (seat or reserve list), my-courses, drop with promotion."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from registrar.academics.models import Term
from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import LoginFn, make_settings
from tests.enrollment.support import assert_consistent
from tests.portal.registration.conftest import Campus


def headers_of(login: LoginFn, campus: Campus) -> list[dict[str, str]]:
    return [login(roll, factories.PASSWORD) for roll in campus.rolls]


def test_register_seat_then_reserve_then_full(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    a, b, c, _ = headers_of(login, campus)
    first = client.post(f"/courses/{campus.dbms}/register", headers=a)
    assert first.status_code == 200
    assert first.json() == {
        "course_id": str(campus.dbms),
        "status": "ENROLLED",
        "reserve_position": None,
    }
    second = client.post(f"/courses/{campus.dbms}/register", headers=b)
    assert second.status_code == 200
    assert second.json() == {
        "course_id": str(campus.dbms),
        "status": "RESERVED",
        "reserve_position": 1,
    }
    third = client.post(f"/courses/{campus.dbms}/register", headers=c)
    assert third.status_code == 409
    assert third.json() == {
        "error": "Course section is full",
        "available_seats": 0,
        "waitlist_available": False,
        "code": "CAPACITY",
    }
    assert_consistent(database, campus.dbms)

    mine = client.get(f"/semesters/{campus.open_term}/my-courses", headers=b)
    assert mine.status_code == 200
    assert mine.json() == [
        {
            "course_id": str(campus.dbms),
            "course_name": "Database Management Systems",
            "professor": "Dr. Jane Doe",
            "schedule": "MON,WED 09:00-10:30",
            "status": "RESERVED",
            "reserve_position": 1,
        }
    ]
    assert client.get(f"/semesters/{campus.open_term}/my-courses", headers=c).json() == []


def test_register_refusals(client: TestClient, login: LoginFn, campus: Campus) -> None:
    a = headers_of(login, campus)[0]
    assert client.post(f"/courses/{campus.algo}/register", headers=a).status_code == 200
    again = client.post(f"/courses/{campus.algo}/register", headers=a)
    assert again.status_code == 409
    assert again.json()["error"] == "Student is already enrolled in this course section"
    assert again.json()["code"] == "ALREADY_ENROLLED"

    closed = client.post(f"/courses/{campus.later}/register", headers=a)
    assert closed.status_code == 400
    assert closed.json()["error"] == "Registration is not open for this semester"
    assert closed.json()["code"] == "WINDOW_CLOSED"
    assert {"registration_start", "registration_end"} <= set(closed.json())

    missing = client.post(f"/courses/{uuid.uuid4()}/register", headers=a)
    assert missing.status_code == 404
    assert missing.json() == {"error": "Course section not found"}

    assert client.post(f"/courses/{campus.algo}/register").status_code == 401
    registrar = login("registrar", factories.PASSWORD)
    assert client.post(f"/courses/{campus.algo}/register", headers=registrar).status_code == 403
    unknown_term = client.get(f"/semesters/{uuid.uuid4()}/my-courses", headers=a)
    assert unknown_term.status_code == 404


def test_drop_promotes_the_head_of_the_reserve_list(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    a, b, _, _ = headers_of(login, campus)
    client.post(f"/courses/{campus.dbms}/register", headers=a)
    client.post(f"/courses/{campus.dbms}/register", headers=b)
    dropped = client.post(f"/courses/{campus.dbms}/drop", headers=a)
    assert dropped.status_code == 200
    assert dropped.json() == {
        "course_id": str(campus.dbms),
        "dropped_status": "DROPPED",
        "promoted_student_id": str(campus.students[1]),
        "promoted_from_position": 1,
    }
    mine = client.get(f"/semesters/{campus.open_term}/my-courses", headers=b).json()
    assert [(m["status"], m["reserve_position"]) for m in mine] == [("ENROLLED", None)]
    state = assert_consistent(database, campus.dbms)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (1, 0)

    again = client.post(f"/courses/{campus.dbms}/drop", headers=a)
    assert again.status_code == 404
    assert again.json() == {"error": "You are not registered for this course"}
    # Registering again reuses the dropped row: a seat is gone, so a reserve place.
    back = client.post(f"/courses/{campus.dbms}/register", headers=a)
    assert back.json() == {
        "course_id": str(campus.dbms),
        "status": "RESERVED",
        "reserve_position": 1,
    }


def test_dropping_a_reserved_place(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    a, b, _, _ = headers_of(login, campus)
    client.post(f"/courses/{campus.dbms}/register", headers=a)
    client.post(f"/courses/{campus.dbms}/register", headers=b)
    dropped = client.post(f"/courses/{campus.dbms}/drop", headers=b)
    assert dropped.status_code == 200
    assert dropped.json() == {
        "course_id": str(campus.dbms),
        "dropped_status": "DROPPED",
        "promoted_student_id": None,
        "promoted_from_position": None,
    }
    state = assert_consistent(database, campus.dbms)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (1, 0)


def test_seed_client_without_tenant_header(database: Database, campus: Campus) -> None:
    with database.session() as s:
        factories.institution(s, tag="another-school")  # two tenants: the default must decide
    settings = make_settings(database, REGISTRAR_DEFAULT_TENANT=campus.tag)
    with TestClient(create_app(settings, database)) as seed_client:
        login = seed_client.post(
            "/auth/login",
            json={"student_number": campus.rolls[0], "password": factories.PASSWORD},
        )
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        listed = seed_client.get("/semesters/", headers=headers)
        assert listed.status_code == 200
        assert len(listed.json()) == 2
        registered = seed_client.post(f"/courses/{campus.algo}/register", headers=headers)
        assert registered.status_code == 200
        assert registered.json()["status"] == "ENROLLED"


def test_my_courses_of_a_semester_not_the_students_own_is_not_found(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    """Unknown, another institution's, or no longer active: 404, as for a semester with no
    such id; an active semester where the student holds nothing yet is an empty list."""
    a = headers_of(login, campus)[0]
    with database.session() as s:
        elsewhere = factories.institution(s)
        theirs = factories.term(s, elsewhere, factories.academic_year(s, elsewhere)).id
        retired = s.get(Term, campus.closed_term)
        assert retired is not None
        retired.is_active = False
    for term in (uuid.uuid4(), theirs, campus.closed_term):
        answer = client.get(f"/semesters/{term}/my-courses", headers=a)
        assert (answer.status_code, answer.json()) == (404, {"error": "Semester not found"})
    assert client.get(f"/semesters/{campus.open_term}/my-courses", headers=a).json() == []
