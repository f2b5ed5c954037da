"""Seat hoarding in a rush: a limit on waitlists per term, a cooldown before taking a dropped
section again, and credit transfers left to the registrar; each refusal explained."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from registrar.db import Database
from tests import factories
from tests.conftest import LoginFn


@dataclass
class School:
    tag: str
    full: list[uuid.UUID]  # no free seat, room on the waitlist
    open_section: uuid.UUID
    rolls: list[str]


@pytest.fixture
def school(database: Database) -> School:
    with database.session() as s:
        inst = factories.institution(s, max_waitlists_per_term=2, reenroll_cooldown_minutes=15)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        full = [
            factories.section(s, inst, factories.course(s, inst), term, capacity=0, slots=())
            for _ in range(3)
        ]
        open_section = factories.section(s, inst, factories.course(s, inst), term, slots=())
        students = [factories.student(s, inst) for _ in range(2)]
        return School(
            inst.tag, [f.id for f in full], open_section.id, [st.roll_number for st in students]
        )


def test_a_student_queues_on_at_most_the_institutions_number_of_waitlists(
    client: TestClient, login: LoginFn, school: School
) -> None:
    headers = login(school.rolls[0], factories.PASSWORD, school.tag)
    first, second, third = (f"/courses/{section}/register" for section in school.full)
    assert client.post(first, headers=headers).json()["status"] == "RESERVED"
    assert client.post(second, headers=headers).json()["status"] == "RESERVED"
    refused = client.post(third, headers=headers)
    assert refused.status_code == 400
    assert refused.json() == {
        "error": "You are already on 2 waitlists this semester, the most allowed",
        "waitlists": 2,
        "max_waitlists": 2,
        "code": "WAITLIST_LIMIT",
    }
    # A free seat is not a waitlist place: still allowed.
    open_seat = client.post(f"/courses/{school.open_section}/register", headers=headers)
    assert open_seat.json()["status"] == "ENROLLED"
    # Leaving one queue makes room for another.
    assert client.post(f"/courses/{school.full[0]}/drop", headers=headers).status_code == 200
    assert client.post(third, headers=headers).json()["status"] == "RESERVED"


def test_a_dropped_section_is_not_taken_again_at_once(
    client: TestClient, login: LoginFn, school: School
) -> None:
    headers = login(school.rolls[0], factories.PASSWORD, school.tag)
    path = f"/courses/{school.open_section}"
    assert client.post(f"{path}/register", headers=headers).status_code == 200
    assert client.post(f"{path}/drop", headers=headers).status_code == 200
    again = client.post(f"{path}/register", headers=headers)
    assert again.status_code == 400
    body = again.json()
    assert body["code"] == "REENROLL_COOLDOWN"
    assert body["error"] == "This section was dropped less than 15 minutes ago; try again later"
    assert 0 < body["retry_after_seconds"] <= 15 * 60
    # Another student takes the seat meanwhile.
    other = login(school.rolls[1], factories.PASSWORD, school.tag)
    assert client.post(f"{path}/register", headers=other).status_code == 200


def test_a_student_cannot_record_a_credit_transfer(
    client: TestClient, login: LoginFn, school: School
) -> None:
    headers = login(school.rolls[0], factories.PASSWORD, school.tag)
    response = client.post(
        "/api/student-portal/courses/enroll/",
        json={"course_section_id": str(school.open_section), "enrollment_type": "CREDIT_TRANSFER"},
        headers=headers,
    )
    assert response.status_code == 400
    assert response.json()["code"] == "ENROLLMENT_TYPE"
    assert response.json()["error"] == "A credit transfer is recorded by the registrar"
