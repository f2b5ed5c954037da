"""The audit trail read back: filters, pagination, CSV, and a student's own history."""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.db import Database
from registrar.kit.columns import utcnow
from tests import factories
from tests.conftest import LoginFn


@dataclass
class Trail:
    registrar: dict[str, str]
    registrar_id: uuid.UUID
    student: dict[str, str]
    student_id: uuid.UUID
    section_id: uuid.UUID
    other_section_id: uuid.UUID
    stranger: dict[str, str]


@pytest.fixture
def trail(database: Database, login: LoginFn, client: TestClient) -> Trail:
    """A student who registered for a section, then was put on hold by the registrar."""
    with database.session() as s:
        inst = factories.institution(s)
        other = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        section = factories.section(s, inst, factories.course(s, inst), term, slots=())
        elsewhere = factories.section(s, inst, factories.course(s, inst), term, slots=())
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        stranger = factories.user(s, other, role=Role.REGISTRAR)
        student = factories.student(s, inst)
        ids = (inst.tag, registrar.username, registrar.id, other.tag, stranger.username)
        people = (student.roll_number, student.id, section.id, elsewhere.id)
    found = Trail(
        registrar=login(ids[1], factories.PASSWORD, ids[0]),
        registrar_id=ids[2],
        student=login(people[0], factories.PASSWORD, ids[0]),
        student_id=people[1],
        section_id=people[2],
        other_section_id=people[3],
        stranger=login(ids[4], factories.PASSWORD, ids[3]),
    )
    registered = client.post(f"/courses/{found.section_id}/register", headers=found.student)
    assert registered.is_success, registered.text
    held = client.post(
        f"/api/admin/students/{found.student_id}/holds",
        json={"type": "FINANCIAL", "reason": "Fees unpaid"},
        headers=found.registrar,
    )
    assert held.status_code == 201, held.text
    return found


def test_a_students_events_newest_first_with_actor_and_reason(
    client: TestClient, trail: Trail
) -> None:
    page = client.get(
        "/api/admin/audit", params={"student_id": str(trail.student_id)}, headers=trail.registrar
    ).json()
    assert page["total"] == 2
    assert [item["action"] for item in page["items"]] == ["hold.placed", "enrollment.enroll"]
    hold, enrolled = page["items"]
    assert hold["actor"] == {
        "id": str(trail.registrar_id),
        "username": hold["actor"]["username"],
        "role": "REGISTRAR",
    }
    assert hold["details"]["reason"] == "Fees unpaid"
    assert enrolled["entity"] == "enrollment"
    assert enrolled["actor"]["role"] == "STUDENT"


def test_filters_narrow_the_trail(client: TestClient, trail: Trail) -> None:
    def actions(**params: str) -> list[str]:
        answer = client.get("/api/admin/audit", params=params, headers=trail.registrar)
        assert answer.status_code == 200, answer.text
        return [item["action"] for item in answer.json()["items"]]

    assert actions(section_id=str(trail.section_id)) == ["enrollment.enroll"]
    assert actions(section_id=str(trail.other_section_id)) == []
    assert actions(actor_user_id=str(trail.registrar_id)) == ["hold.placed"]
    assert actions(action="hold.") == ["hold.placed"]
    assert actions(action="hold") == []
    later = (utcnow() + timedelta(minutes=5)).isoformat()
    assert actions(since=later) == []
    assert len(actions(until=later)) == 2
    one = client.get("/api/admin/audit", params={"limit": 1}, headers=trail.registrar).json()
    assert (len(one["items"]), one["total"], one["limit"]) == (1, 2, 1)


def test_the_csv_export_takes_the_same_filter(client: TestClient, trail: Trail) -> None:
    answer = client.get(
        "/api/admin/audit.csv", params={"action": "hold.placed"}, headers=trail.registrar
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [(r["action"], r["reason"], r["actor_role"]) for r in rows] == [
        ("hold.placed", "Fees unpaid", "REGISTRAR")
    ]


def test_a_student_reads_their_history_without_private_reasons(
    client: TestClient, trail: Trail
) -> None:
    history = client.get("/api/student-portal/history/", headers=trail.student).json()
    assert [item["action"] for item in history["items"]] == ["hold.placed", "enrollment.enroll"]
    assert all("reason" not in item["details"] for item in history["items"])
    assert client.get("/api/admin/audit", headers=trail.student).status_code == 403


def test_another_institution_sees_none_of_it(client: TestClient, trail: Trail) -> None:
    page = client.get(
        "/api/admin/audit", params={"student_id": str(trail.student_id)}, headers=trail.stranger
    ).json()
    assert page["total"] == 0
