"""An active hold refuses every way into a section (dropping stays open); released, it doesn't."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from registrar.auth.models import Role
from registrar.db import Database
from tests import factories
from tests.conftest import LoginFn

HOLD_BODY = {"error": "Registration blocked by a hold", "code": "HOLD"}


@dataclass
class Campus:
    registrar: dict[str, str]
    student: dict[str, str]
    student_id: uuid.UUID
    section_id: uuid.UUID
    course_id: uuid.UUID
    second_section_id: uuid.UUID
    batch_id: uuid.UUID
    third_course_id: uuid.UUID


@pytest.fixture
def campus(database: Database, login: LoginFn) -> Campus:
    with database.session() as s:
        inst = factories.institution(s)
        dept = factories.department(s, inst)
        year = factories.academic_year(s, inst)
        term = factories.term(s, inst, year)
        group = factories.batch(s, inst, dept=dept, year=year)
        course = factories.course(s, inst, dept)
        section = factories.section(s, inst, course, term, slots=())
        second = factories.section(s, inst, factories.course(s, inst, dept), term, slots=())
        third = factories.course(s, inst, dept)
        factories.section(s, inst, third, term, slots=(), batch=group)
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        student = factories.student(s, inst, of_batch=group)
        names = (inst.tag, registrar.username, student.roll_number)
        ids = (student.id, section.id, course.id, second.id, group.id, third.id)
    return Campus(
        login(names[1], factories.PASSWORD, names[0]),
        login(names[2], factories.PASSWORD, names[0]),
        *ids,
    )


def _hold(client: TestClient, campus: Campus, kind: str = "FINANCIAL") -> str:
    placed = client.post(
        f"/api/admin/students/{campus.student_id}/holds",
        json={"type": kind, "reason": "Fees for semester 5 unpaid"},
        headers=campus.registrar,
    )
    assert placed.status_code == 201, placed.text
    hold_id: str = placed.json()["id"]
    return hold_id


def _refused(answer: Response) -> None:
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert {k: body[k] for k in HOLD_BODY} == HOLD_BODY
    assert body["holds"] == [{"type": "FINANCIAL"}]
    assert "Fees" not in answer.text  # the registrar's reason stays private


def test_every_student_entry_point_is_refused_while_the_hold_is_active(
    client: TestClient, campus: Campus
) -> None:
    _hold(client, campus)
    _refused(
        client.post(
            "/api/student-portal/courses/enroll/",
            json={"course_section_id": str(campus.section_id), "enrollment_type": "REGULAR"},
            headers=campus.student,
        )
    )
    _refused(client.post(f"/courses/{campus.section_id}/register", headers=campus.student))
    _refused(
        client.post(
            f"/students/{campus.student_id}/courses",
            json={"course_id": str(campus.course_id)},
            headers=campus.student,
        )
    )


def test_a_batch_assignment_reports_a_held_student_as_refused(
    client: TestClient, campus: Campus
) -> None:
    _hold(client, campus)
    assigned = client.post(
        f"/api/admin/batches/{campus.batch_id}/courses",
        json={
            "course_id": str(campus.third_course_id),
            "academic_year": "2024-2025",
            "semester": 5,
            "assignment_type": "MANDATORY",
        },
        headers=campus.registrar,
    )
    assert assigned.status_code == 201, assigned.text
    outcomes = assigned.json()["results"]
    assert [(o["outcome"], o["code"], o["reason"]) for o in outcomes] == [
        ("REFUSED", "HOLD", "Registration blocked by a hold")
    ]


def test_dropping_is_never_blocked_and_a_released_hold_lets_the_student_in(
    client: TestClient, campus: Campus
) -> None:
    enrolled = client.post(f"/courses/{campus.section_id}/register", headers=campus.student)
    assert enrolled.is_success, enrolled.text
    hold_id = _hold(client, campus)
    dropped = client.post(f"/courses/{campus.section_id}/drop", headers=campus.student)
    assert dropped.status_code == 200, dropped.text
    _refused(client.post(f"/courses/{campus.second_section_id}/register", headers=campus.student))
    released = client.post(
        f"/api/admin/holds/{hold_id}/release", json={"reason": "Paid"}, headers=campus.registrar
    )
    assert released.status_code == 200
    again = client.post(f"/courses/{campus.second_section_id}/register", headers=campus.student)
    assert again.is_success, again.text
