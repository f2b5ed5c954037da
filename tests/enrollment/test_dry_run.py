"""A dry run says what an enrollment would do, rule by rule, and writes nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment.models import Enrollment
from tests import factories
from tests.conftest import LoginFn

ENROLL = "/api/student-portal/courses/enroll/"


@dataclass
class Desk:
    registrar: dict[str, str]
    student: dict[str, str]
    student_id: uuid.UUID
    open_section: uuid.UUID
    locked_section: uuid.UUID  # needs a course the student has not passed


@pytest.fixture
def desk(database: Database, login: LoginFn) -> Desk:
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        basics = factories.course(s, inst)
        advanced = factories.course(s, inst)
        factories.prerequisites_of(s, advanced, basics)
        easy = factories.section(s, inst, basics, term, slots=())
        hard = factories.section(s, inst, advanced, term, slots=())
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        student = factories.student(s, inst)
        names = (inst.tag, registrar.username, student.roll_number)
        ids = (student.id, easy.id, hard.id)
    return Desk(
        login(names[1], factories.PASSWORD, names[0]),
        login(names[2], factories.PASSWORD, names[0]),
        *ids,
    )


def _enrollments(database: Database) -> int:
    with database.session(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(Enrollment)) or 0)


def test_every_rule_answers_and_nothing_is_written(
    client: TestClient, database: Database, desk: Desk
) -> None:
    refused = client.post(
        ENROLL,
        params={"dry_run": "true"},
        json={"course_section_id": str(desk.locked_section)},
        headers=desk.student,
    )
    assert refused.status_code == 200, refused.text
    body = refused.json()
    assert (body["dry_run"], body["outcome"]) == (True, "REFUSED")
    by_rule = {check["rule"]: check for check in body["checks"]}
    assert by_rule["PREREQUISITES"]["passed"] is False
    assert by_rule["PREREQUISITES"]["message"] == "Prerequisites not met"
    assert by_rule["TIMETABLE_CLASH"]["passed"] is True
    assert {"HOLD", "WINDOW_CLOSED", "CREDIT_LIMIT"} <= set(by_rule)
    fine = client.post(
        ENROLL,
        params={"dry_run": "true"},
        json={"course_section_id": str(desk.open_section)},
        headers=desk.student,
    ).json()
    assert fine["outcome"] == "ENROLLED"
    assert all(check["passed"] for check in fine["checks"])
    assert _enrollments(database) == 0


def test_a_registrars_dry_run_shows_what_an_override_would_set_aside(
    client: TestClient, database: Database, desk: Desk
) -> None:
    answer = client.post(
        "/api/admin/enrollments",
        params={"dry_run": "true"},
        json={
            "student_id": str(desk.student_id),
            "course_section_id": str(desk.locked_section),
            "overrides": ["PREREQUISITES"],
            "reason": "Equivalent course elsewhere",
        },
        headers=desk.registrar,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["outcome"] == "ENROLLED"
    prerequisites = next(c for c in body["checks"] if c["rule"] == "PREREQUISITES")
    assert (prerequisites["passed"], prerequisites["overridden"]) == (False, True)
    assert _enrollments(database) == 0
