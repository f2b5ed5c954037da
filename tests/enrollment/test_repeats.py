"""A passed course is not taken again as REGULAR; REPEAT only where improvement is allowed."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from registrar.db import Database
from registrar.enrollment.models import EnrollmentStatus
from registrar.institutions.models import Institution
from tests import factories
from tests.conftest import LoginFn

ENROLL = "/api/student-portal/courses/enroll/"


@pytest.mark.parametrize("improvement", [False, True])
def test_a_passed_course_again(
    client: TestClient, database: Database, login: LoginFn, improvement: bool
) -> None:
    with database.session() as s:
        inst = factories.institution(s, allow_grade_improvement=improvement)
        past = factories.term(
            s, inst, factories.academic_year(s, inst, "2023-2024"), registration_open=False
        )
        now = factories.term(s, inst, factories.academic_year(s, inst, "2024-2025"))
        course = factories.course(s, inst)
        student = factories.student(s, inst)
        old = factories.section(s, inst, course, past, slots=())
        factories.enrollment(
            s, inst, student, old, EnrollmentStatus.COMPLETED, grade="A", grade_points=9
        )
        again = factories.section(s, inst, course, now, slots=())
        tag, roll, section_id = inst.tag, student.roll_number, again.id
    headers = login(roll, factories.PASSWORD, tag)
    regular = client.post(ENROLL, json={"course_section_id": str(section_id)}, headers=headers)
    assert regular.status_code == 400, regular.text
    assert regular.json()["code"] == "ALREADY_PASSED"
    repeat = client.post(
        ENROLL,
        json={"course_section_id": str(section_id), "enrollment_type": "REPEAT"},
        headers=headers,
    )
    if improvement:
        assert repeat.status_code == 201, repeat.text
    else:
        assert repeat.status_code == 400
        assert repeat.json()["code"] == "ALREADY_PASSED"


def test_the_policy_change_reaches_a_running_worker(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        past = factories.term(
            s, inst, factories.academic_year(s, inst, "2023-2024"), registration_open=False
        )
        now = factories.term(s, inst, factories.academic_year(s, inst, "2024-2025"))
        course = factories.course(s, inst)
        student = factories.student(s, inst)
        factories.enrollment(
            s,
            inst,
            student,
            factories.section(s, inst, course, past, slots=()),
            EnrollmentStatus.COMPLETED,
            grade="A",
            grade_points=9,
        )
        again = factories.section(s, inst, course, now, slots=())
        ids = (inst.id, inst.tag, student.roll_number, again.id)
    headers = login(ids[2], factories.PASSWORD, ids[1])
    body = {"course_section_id": str(ids[3]), "enrollment_type": "REPEAT"}
    assert client.post(ENROLL, json=body, headers=headers).status_code == 400
    with database.session() as s:
        s.execute(
            update(Institution).where(Institution.id == ids[0]).values(allow_grade_improvement=True)
        )
    assert client.post(ENROLL, json=body, headers=headers).status_code == 201
