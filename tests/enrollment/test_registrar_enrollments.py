"""A registrar enrolls and drops through the engine; overrides need a reason and are audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.db import Database
from tests import factories
from tests.conftest import LoginFn

URL = "/api/admin/enrollments"


@dataclass
class Office:
    registrar: dict[str, str]
    student: dict[str, str]
    student_id: uuid.UUID
    advanced_section: uuid.UUID  # its course needs a course the student has not passed


@pytest.fixture
def office(database: Database, login: LoginFn) -> Office:
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        basics = factories.course(s, inst)
        advanced = factories.course(s, inst)
        factories.prerequisites_of(s, advanced, basics)
        section = factories.section(s, inst, advanced, term, slots=())
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        student = factories.student(s, inst)
        names = (inst.tag, registrar.username, student.roll_number)
        ids = (student.id, section.id)
    return Office(
        login(names[1], factories.PASSWORD, names[0]),
        login(names[2], factories.PASSWORD, names[0]),
        *ids,
    )


def _body(office: Office, **fields: object) -> dict[str, object]:
    return {
        "student_id": str(office.student_id),
        "course_section_id": str(office.advanced_section),
        **fields,
    }


def test_an_override_needs_a_reason_and_is_kept_in_the_audit(
    client: TestClient, database: Database, office: Office
) -> None:
    plain = client.post(URL, json=_body(office), headers=office.registrar)
    assert plain.status_code == 400
    assert plain.json()["code"] == "PREREQUISITES"
    unexplained = client.post(
        URL, json=_body(office, overrides=["PREREQUISITES"]), headers=office.registrar
    )
    assert unexplained.status_code == 422
    done = client.post(
        URL,
        json=_body(office, overrides=["PREREQUISITES"], reason="Took the course abroad"),
        headers=office.registrar,
    )
    assert done.status_code == 201, done.text
    assert done.json()["overrides"] == ["PREREQUISITES"]
    assert done.json()["enrollment"]["status"] == "ENROLLED"
    with database.session(write=False) as s:
        event = s.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "enrollment.enroll",
                AuditEvent.entity_id == uuid.UUID(done.json()["enrollment"]["id"]),
            )
        ).one()
    assert event.reason == "Took the course abroad"
    assert "PREREQUISITES" in str(event.details)


def test_only_overridable_rules_and_only_by_a_registrar(client: TestClient, office: Office) -> None:
    inactive = client.post(
        URL,
        json=_body(office, overrides=["STUDENT_INACTIVE"], reason="x"),
        headers=office.registrar,
    )
    assert inactive.status_code == 422
    assert inactive.json()["rules"] == ["STUDENT_INACTIVE"]
    assert client.post(URL, json=_body(office), headers=office.student).status_code == 403
    sneaky = client.post(
        "/api/student-portal/courses/enroll/",
        json={
            "course_section_id": str(office.advanced_section),
            "overrides": ["PREREQUISITES"],
        },
        headers=office.student,
    )
    assert sneaky.status_code == 422


def test_a_registrar_drops_with_a_reason(client: TestClient, office: Office) -> None:
    done = client.post(
        URL,
        json=_body(office, overrides=["PREREQUISITES"], reason="Equivalent course"),
        headers=office.registrar,
    )
    enrollment_id = done.json()["enrollment"]["id"]
    dropped = client.post(
        f"{URL}/{enrollment_id}/drop", json={"reason": "Left the program"}, headers=office.registrar
    )
    assert dropped.status_code == 200, dropped.text
    assert dropped.json()["enrollment"]["status"] in ("DROPPED", "WITHDRAWN")
    assert dropped.json()["promoted"] is None
    again = client.post(
        f"{URL}/{enrollment_id}/drop", json={"reason": "twice"}, headers=office.registrar
    )
    assert again.status_code in (400, 409)
