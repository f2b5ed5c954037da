"""`POST .../enroll/` and `POST .../drop/`: the seed's answers, the waitlist, and every refusal."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.academics.models import TermKind
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from tests import factories
from tests.conftest import LoginFn
from tests.enrollment.support import assert_consistent
from tests.portal.student_portal import world as w

ENROLL = "/api/student-portal/courses/enroll/"
DROP = "/api/student-portal/courses/drop/"


def _cs302(database: Database, *, capacity: int = 60, waitlist_limit: int = 10) -> dict[str, Any]:
    """The seed's CS302 taught by Dr. Jane Doe; the term has no credit minimum (no warning)."""
    with database.session() as s:
        world = w.build(s)
        world.term.min_credits = 0
        jane = factories.faculty(s, world.inst, world.dept)
        cs302 = factories.course(
            s, world.inst, world.dept, "CS302", credits=3, title="Database Management Systems"
        )
        section = factories.section(
            s,
            world.inst,
            cs302,
            world.term,
            capacity=capacity,
            waitlist_limit=waitlist_limit,
            teacher=jane,
        )
        return {"world": world, "course": cs302, "section": section}


def _status(database: Database, enrollment_id: str) -> EnrollmentStatus:
    with database.session(write=False) as s:
        found = s.scalar(select(Enrollment.status).where(Enrollment.id == uuid.UUID(enrollment_id)))
    assert found is not None
    return found


def test_enroll_answers_the_seed_shape(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _cs302(database)
    world, section = made["world"], made["section"]
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    response = client.post(
        ENROLL,
        json={
            "course_section_id": str(section.id),
            "enrollment_type": "REGULAR",
            "notes": "Elective course selection",
        },
        headers=headers,
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body == {
        "enrollment": {
            "id": body["enrollment"]["id"],
            "student": {"id": str(world.student.id), "roll_number": "22CS001", "name": "John Doe"},
            "course_section": {
                "id": str(section.id),
                "course": {"code": "CS302", "title": "Database Management Systems"},
                "section_type": "LECTURE",
                "faculty": {"name": "Dr. Jane Doe"},
            },
            "enrollment_date": datetime.now(UTC).date().isoformat(),
            "status": "ENROLLED",
            "enrollment_type": "REGULAR",
            "notes": "Elective course selection",
        },
        "message": "Successfully enrolled in CS302 - Database Management Systems",
    }
    assert _status(database, body["enrollment"]["id"]) is EnrollmentStatus.ENROLLED
    assert assert_consistent(database, section.id)["enrolled_count"] == 1
    listed = client.get("/api/student-portal/courses/enrolled/", headers=headers).json()
    assert [i["enrollment_id"] for i in listed["enrolled_courses"]] == [body["enrollment"]["id"]]


def test_enroll_defaults_and_credit_minimum_warning(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _cs302(database)
    with database.session() as s:
        s.get(type(made["world"].term), made["world"].term.id).min_credits = 15  # type: ignore[union-attr]
    headers = login("22CS001", factories.PASSWORD, made["world"].tenant)

    response = client.post(
        ENROLL, json={"course_section_id": str(made["section"].id)}, headers=headers
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["enrollment"]["enrollment_type"] == "REGULAR"
    assert body["enrollment"]["notes"] == ""
    assert [warning["code"] for warning in body["warnings"]] == ["CREDIT_MINIMUM"]
    assert body["warnings"][0]["details"] == {"total_credits": 3, "min_credits": 15}


def test_a_full_section_with_waitlist_room_waitlists(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _cs302(database, capacity=1)
    with database.session() as s:
        world = made["world"]
        factories.enrollment(s, world.inst, w.other_student(s, world), made["section"])
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    response = client.post(
        ENROLL, json={"course_section_id": str(made["section"].id)}, headers=headers
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["enrollment"]["status"] == "WAITLISTED"
    assert body["enrollment"]["waitlist_position"] == 1
    assert body["message"] == (
        "Course section is full: added to the waitlist for "
        "CS302 - Database Management Systems at position 1"
    )
    assert assert_consistent(database, made["section"].id)["waitlisted_count"] == 1


def test_enroll_refusals_carry_the_seeds_bodies(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _cs302(database, capacity=1, waitlist_limit=0)
    world = made["world"]
    with database.session() as s:
        cs201 = factories.course(
            s, world.inst, world.dept, "CS201", title="Programming Fundamentals"
        )
        cs401, needs_cs201 = w.course_with_section(s, world, "CS401")
        factories.prerequisites_of(s, cs401, cs201)
        _, open_section = w.course_with_section(s, world, "CS390")
        factories.enrollment(s, world.inst, world.student, open_section)
        factories.enrollment(s, world.inst, w.other_student(s, world), made["section"])
        later = factories.term(s, world.inst, world.year, TermKind.EVEN, registration_open=False)
        _, made["closed"] = w.course_with_section(s, world, "CS402", term=later)
        elsewhere = w.build(s)
        _, made["foreign"] = w.cs301(s, elsewhere)
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    def enroll(section_id: object) -> Any:
        return client.post(ENROLL, json={"course_section_id": str(section_id)}, headers=headers)

    already = enroll(open_section.id)
    assert already.status_code == 409
    assert already.json()["error"] == "Student is already enrolled in this course section"

    missing = enroll(needs_cs201.id)
    assert missing.status_code == 400
    assert missing.json()["error"] == "Prerequisites not met"
    assert missing.json()["missing_prerequisites"] == [
        {"course_code": "CS201", "course_title": "Programming Fundamentals"}
    ]

    full = enroll(made["section"].id)
    assert full.status_code == 409
    body = full.json()
    assert (body["error"], body["available_seats"], body["waitlist_available"]) == (
        "Course section is full",
        0,
        False,
    )

    unknown = enroll(w.new_id())
    assert (unknown.status_code, unknown.json()) == (404, {"error": "Course section not found"})
    foreign = enroll(made["foreign"].id)  # another institution's section is not there at all
    assert (foreign.status_code, foreign.json()) == (404, {"error": "Course section not found"})
    closed = enroll(made["closed"].id)
    assert (closed.status_code, closed.json()["code"]) == (400, "WINDOW_CLOSED")
    for bad in (
        {},
        {"course_section_id": "nope"},
        {"course_section_id": str(open_section.id), "enrollment_type": "FREE"},
    ):
        assert client.post(ENROLL, json=bad, headers=headers).status_code == 422
    assert assert_consistent(database, made["section"].id)["enrolled_count"] == 1


def test_only_a_student_may_enroll_or_drop(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _cs302(database)
    with database.session() as s:
        factories.user(s, made["world"].inst, "registrar", Role.REGISTRAR)
    registrar = login("registrar", factories.PASSWORD, made["world"].tenant)
    payload = {"course_section_id": str(made["section"].id)}

    assert client.post(ENROLL, json=payload).status_code == 401
    assert client.post(ENROLL, json=payload, headers=registrar).status_code == 403
    drop = {"enrollment_id": str(w.new_id())}
    assert client.post(DROP, json=drop).status_code == 401
    assert client.post(DROP, json=drop, headers=registrar).status_code == 403


def test_drop_answers_with_the_dropped_enrollment(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _cs302(database)
    world = made["world"]
    with database.session() as s:
        mine = factories.enrollment(s, world.inst, world.student, made["section"])
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    response = client.post(
        DROP,
        json={
            "enrollment_id": str(mine.id),
            "reason": "Schedule conflict",
            "notes": "Will retake in next semester",
        },
        headers=headers,
    )

    assert response.status_code == 200, response.text
    assert response.json() == {
        "enrollment": {
            "id": str(mine.id),
            "student": {"id": str(world.student.id), "roll_number": "22CS001", "name": "John Doe"},
            "course_section": {
                "id": str(made["section"].id),
                "course": {"code": "CS302", "title": "Database Management Systems"},
                "section_type": "LECTURE",
                "faculty": {"name": "Dr. Jane Doe"},
            },
            "enrollment_date": mine.enrollment_date.isoformat(),
            "status": "DROPPED",
            "enrollment_type": "REGULAR",
            "notes": "Will retake in next semester",
            "drop_reason": "Schedule conflict",
        },
        "message": "Successfully dropped CS302 - Database Management Systems",
        "promoted": None,
    }
    assert _status(database, str(mine.id)) is EnrollmentStatus.DROPPED
    assert assert_consistent(database, made["section"].id)["enrolled_count"] == 0

    again = client.post(DROP, json={"enrollment_id": str(mine.id)}, headers=headers)
    assert again.status_code == 400
    assert again.json()["error"] == "Enrollment is not active"

    back = client.post(ENROLL, json={"course_section_id": str(made["section"].id)}, headers=headers)
    assert back.status_code == 201, back.text
    assert back.json()["enrollment"]["id"] == str(mine.id)  # reactivated, not duplicated


def test_drop_promotes_the_head_of_the_waitlist(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _cs302(database, capacity=1)
    world = made["world"]
    with database.session() as s:
        mine = factories.enrollment(s, world.inst, world.student, made["section"])
        first = w.other_student(s, world)
        second = w.other_student(s, world)
        waiting = factories.enrollment(s, world.inst, first, made["section"], "WAITLISTED")
        factories.enrollment(s, world.inst, second, made["section"], "WAITLISTED")
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    response = client.post(DROP, json={"enrollment_id": str(mine.id)}, headers=headers)

    assert response.status_code == 200, response.text
    assert response.json()["promoted"] == {
        "enrollment_id": str(waiting.id),
        "student_id": str(first.id),
        "from_position": 1,
    }
    assert _status(database, str(waiting.id)) is EnrollmentStatus.ENROLLED
    state = assert_consistent(database, made["section"].id)
    assert (state["enrolled_count"], state["waitlist"]) == (1, [second.id])


def test_after_the_drop_deadline_a_drop_is_a_withdrawal(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _cs302(database)
    world = made["world"]
    with database.session() as s:
        term = s.get(type(world.term), world.term.id)
        assert term is not None
        term.drop_deadline = datetime.now(UTC) - timedelta(days=1)
        mine = factories.enrollment(s, world.inst, world.student, made["section"])
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    response = client.post(DROP, json={"enrollment_id": str(mine.id)}, headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["enrollment"]["status"] == "WITHDRAWN"
    assert body["message"] == "Successfully withdrawn from CS302 - Database Management Systems"


def test_another_students_enrollment_is_not_found(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _cs302(database)
    world = made["world"]
    with database.session() as s:
        theirs = factories.enrollment(s, world.inst, w.other_student(s, world), made["section"])
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    response = client.post(DROP, json={"enrollment_id": str(theirs.id)}, headers=headers)

    assert (response.status_code, response.json()) == (404, {"error": "Enrollment not found"})
    assert _status(database, str(theirs.id)) is EnrollmentStatus.ENROLLED
    unknown = client.post(DROP, json={"enrollment_id": str(w.new_id())}, headers=headers)
    assert (unknown.status_code, unknown.json()) == (404, {"error": "Enrollment not found"})
    assert client.post(DROP, json={"reason": "x"}, headers=headers).status_code == 422
