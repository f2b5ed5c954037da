"""End to end: a grade recorded and the term completed is what GPA and prerequisites read."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from registrar.academics.models import TermKind
from registrar.auth.models import Role
from registrar.db import Database
from registrar.institutions import grading
from tests import factories
from tests.conftest import LoginFn
from tests.gradebook import world as w

ENROLLED = "/api/student-portal/courses/enrolled/"
ENROLL = "/api/student-portal/courses/enroll/"


def _university(database: Database) -> dict[str, Any]:
    """A student who completed CS100 with an O (10 points, 4 credits) and takes CS101 this
    ODD term; CS201 of the EVEN term, open for registration, requires CS101."""
    with database.session() as s:
        inst = factories.institution(s, grade_scale=grading.TEN_POINT_SCALE)
        dept = factories.department(s, inst)
        prog = factories.program(s, inst, dept)
        year = factories.academic_year(s, inst, "2024-2025")
        odd = factories.term(s, inst, year, TermKind.ODD, min_credits=0)
        even = factories.term(s, inst, year, TermKind.EVEN, min_credits=0)
        group = factories.batch(s, inst, dept=dept, prog=prog, year=year)
        student = factories.student(s, inst, factories.unique("22CS"), of_batch=group)
        teacher_name = factories.unique("teacher")
        teacher = w.teacher_login(s, inst, teacher_name)
        cs100 = factories.course(s, inst, dept, factories.unique("CS100-"), credits=4)
        cs101 = factories.course(s, inst, dept, factories.unique("CS101-"), credits=4)
        cs201 = factories.course(s, inst, dept, factories.unique("CS201-"), credits=3)
        factories.prerequisites_of(s, cs201, cs101)
        earlier = factories.section(s, inst, cs100, odd, teacher=teacher)
        factories.enrollment(s, inst, student, earlier, "COMPLETED", grade="O", grade_points=10)
        taught = factories.section(s, inst, cs101, odd, teacher=teacher)
        enrollment = factories.enrollment(s, inst, student, taught)
        later = factories.section(s, inst, cs201, even)
        factories.user(s, inst, factories.unique("reg"), Role.REGISTRAR)
        return {
            "tenant": inst.tag,
            "roll": student.roll_number,
            "teacher": teacher_name,
            "taught": taught.id,
            "enrollment": enrollment.id,
            "later": later.id,
        }


@pytest.mark.parametrize(
    ("grade", "gpa", "enroll_status"),
    [("A", 9.0, 201), ("F", 5.0, 400)],  # (10*4 + 8*4) / 8 = 9.0; (10*4 + 0*4) / 8 = 5.0
)
def test_a_completed_grade_feeds_gpa_and_prerequisites(
    client: TestClient,
    database: Database,
    login: LoginFn,
    grade: str,
    gpa: float,
    enroll_status: int,
) -> None:
    made = _university(database)
    teacher = login(made["teacher"], factories.PASSWORD, made["tenant"])
    student = login(made["roll"], factories.PASSWORD, made["tenant"])
    section = f"/api/sections/{made['taught']}"

    def completed() -> dict[str, Any]:
        response = client.get(ENROLLED, headers=student, params={"status": "COMPLETED"})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    assert completed()["summary"]["current_gpa"] == 10.0
    refused = client.post(ENROLL, headers=student, json={"course_section_id": str(made["later"])})
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"] == "Prerequisites not met"

    graded = client.put(
        f"{section}/grades/{made['enrollment']}",
        headers=teacher,
        json={"grade": grade, "attendance_percentage": 90},
    )
    assert graded.status_code == 200, graded.text
    # A grade alone is not a record yet: the GPA moves when the term is completed.
    assert completed()["summary"]["current_gpa"] == 10.0
    done = client.post(f"{section}/complete", headers=teacher)
    assert done.status_code == 200, done.text

    record = completed()
    assert record["summary"]["current_gpa"] == gpa
    assert grade in {c["enrollment"]["grade"] for c in record["enrolled_courses"]}
    enroll = client.post(ENROLL, headers=student, json={"course_section_id": str(made["later"])})
    assert enroll.status_code == enroll_status, enroll.text
    if enroll_status == 400:
        assert enroll.json()["error"] == "Prerequisites not met"
    else:
        assert enroll.json()["enrollment"]["status"] == "ENROLLED"
