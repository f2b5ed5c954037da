"""Holds: registrars place and release them (audited), the student sees their type only."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.db import Database
from registrar.holds.models import Hold
from registrar.kit.columns import utcnow
from registrar.notifications.models import Notification
from tests import factories
from tests.conftest import LoginFn


@dataclass
class Office:
    registrar: dict[str, str]
    student: dict[str, str]
    student_id: uuid.UUID
    other_registrar: dict[str, str]


@pytest.fixture
def office(database: Database, login: LoginFn) -> Office:
    with database.session() as s:
        inst = factories.institution(s)
        other = factories.institution(s)
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        stranger = factories.user(s, other, role=Role.REGISTRAR)
        student = factories.student(s, inst)
        names = (inst.tag, registrar.username, other.tag, stranger.username, student.roll_number)
        student_id = student.id
    return Office(
        registrar=login(names[1], factories.PASSWORD, names[0]),
        student=login(names[4], factories.PASSWORD, names[0]),
        student_id=student_id,
        other_registrar=login(names[3], factories.PASSWORD, names[2]),
    )


def _place(client: TestClient, office: Office, **fields: object) -> dict[str, object]:
    body = {"type": "FINANCIAL", "reason": "Fees for semester 5 unpaid", **fields}
    response = client.post(
        f"/api/admin/students/{office.student_id}/holds", json=body, headers=office.registrar
    )
    assert response.status_code == 201, response.text
    placed: dict[str, object] = response.json()
    return placed


def _audits(database: Database, action: str) -> int:
    with database.session(write=False) as s:
        return int(s.scalar(select(func.count()).where(AuditEvent.action == action)) or 0)


def test_a_hold_is_placed_listed_and_released_with_reasons_audited(
    client: TestClient, office: Office, database: Database
) -> None:
    hold = _place(client, office)
    assert hold["type"] == "FINANCIAL"
    assert hold["active"] is True
    assert hold["released_at"] is None
    url = f"/api/admin/students/{office.student_id}/holds"
    assert [h["id"] for h in client.get(url, headers=office.registrar).json()] == [hold["id"]]
    mine = client.get("/api/student-portal/holds/", headers=office.student).json()
    assert mine == [
        {"id": hold["id"], "type": "FINANCIAL", "placed_at": hold["placed_at"], "expires_at": None}
    ]
    released = client.post(
        f"/api/admin/holds/{hold['id']}/release",
        json={"reason": "Paid at the accounts office"},
        headers=office.registrar,
    )
    assert released.status_code == 200, released.text
    assert released.json()["active"] is False
    assert released.json()["release_reason"] == "Paid at the accounts office"
    listed = client.get(url, headers=office.registrar).json()
    assert [(h["id"], h["active"]) for h in listed] == [(hold["id"], False)]
    assert client.get("/api/student-portal/holds/", headers=office.student).json() == []
    again = client.post(
        f"/api/admin/holds/{hold['id']}/release", json={"reason": "twice"}, headers=office.registrar
    )
    assert again.status_code == 409
    assert _audits(database, "hold.placed") == 1
    assert _audits(database, "hold.released") == 1


def test_a_hold_past_its_expiry_no_longer_blocks(
    client: TestClient, office: Office, database: Database
) -> None:
    soon = (utcnow() + timedelta(hours=1)).isoformat()
    hold = _place(client, office, type="ACADEMIC", expires_at=soon)
    assert hold["active"] is True
    with database.session() as s:
        s.execute(
            update(Hold)
            .where(Hold.id == uuid.UUID(str(hold["id"])))
            .values(expires_at=utcnow() - timedelta(minutes=1))
        )
    url = f"/api/admin/students/{office.student_id}/holds"
    assert [h["active"] for h in client.get(url, headers=office.registrar).json()] == [False]
    assert client.get("/api/student-portal/holds/", headers=office.student).json() == []
    past = (utcnow() - timedelta(hours=1)).isoformat()
    body = {"type": "ACADEMIC", "reason": "x", "expires_at": past}
    assert client.post(url, json=body, headers=office.registrar).status_code == 422


def test_only_the_students_registrars_manage_holds(client: TestClient, office: Office) -> None:
    url = f"/api/admin/students/{office.student_id}/holds"
    body = {"type": "DISCIPLINARY", "reason": "Hearing pending"}
    assert client.post(url, json=body, headers=office.student).status_code == 403
    assert client.post(url, json=body, headers=office.other_registrar).status_code == 404
    assert client.get(url, headers=office.other_registrar).status_code == 404
    hold = _place(client, office)
    release = f"/api/admin/holds/{hold['id']}/release"
    assert (
        client.post(release, json={"reason": "x"}, headers=office.other_registrar).status_code
        == 404
    )
    assert client.post(release, json={"reason": "x"}, headers=office.student).status_code == 403
    assert (
        client.post(url, json={**body, "type": "PARKING"}, headers=office.registrar).status_code
        == 422
    )
    assert client.post(url, json={"type": "ACADEMIC"}, headers=office.registrar).status_code == 422


def test_the_student_is_told_of_a_hold_and_its_release_without_the_reason(
    client: TestClient, office: Office, database: Database
) -> None:
    hold = _place(client, office)
    client.post(
        f"/api/admin/holds/{hold['id']}/release", json={"reason": "Paid"}, headers=office.registrar
    )
    with database.session(write=False) as s:
        notices = s.execute(
            select(Notification.event, Notification.body)
            .where(Notification.student_id == office.student_id)
            .order_by(Notification.created_at)
        ).all()
    assert [event for event, _ in notices] == ["hold.placed", "hold.released"]
    assert all("Fees" not in body for _, body in notices)
