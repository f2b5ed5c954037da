"""`/api/admin/students`: list, filters, read, create, update, deactivate, and refusals."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.audit.models import AuditEvent
from registrar.db import Database
from registrar.students.models import Student
from tests import factories
from tests.conftest import LoginFn
from tests.students.world import World

URL = "/api/admin/students"


def rolls(body: dict[str, Any]) -> list[str]:
    return [item["roll_number"] for item in body["items"]]


def test_list_is_paginated_and_complete(
    client: TestClient, world: World, registrar: dict[str, str]
) -> None:
    response = client.get(URL, params={"limit": 3, "offset": 2}, headers=registrar)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["total"] == 8
    assert (body["limit"], body["offset"]) == (3, 2)
    assert rolls(body) == ["22CS003", "22CS004", "22CS101"]
    first = client.get(URL, params={"search": "22cs001"}, headers=registrar).json()["items"][0]
    asha = world.students["22CS001"]
    assert first == {
        "id": str(asha.id),
        "user_id": None,
        "roll_number": "22CS001",
        "name": "Asha Rao",
        "email": "22cs001@university.edu",
        "gender": "F",
        "category": "OC",
        "guardian_email": None,
        "department_id": str(world.cs.id),
        "program_id": str(world.cs_btech.id),
        "academic_year_id": str(world.y22.id),
        "academic_year": "2022-2023",
        "year_of_study": 1,
        "semester": 2,
        "section": "A",
        "student_batch_id": str(world.cs_a.id),
        "grade_level": None,
        "track": None,
        "strand": None,
        "status": "ACTIVE",
        "admission_year": None,
        "created_at": first["created_at"],
        "updated_at": first["updated_at"],
    }


def test_every_filter(client: TestClient, world: World, registrar: dict[str, str]) -> None:
    def listed(**params: object) -> list[str]:
        response = client.get(URL, params=params, headers=registrar)
        assert response.status_code == 200, response.text
        return rolls(response.json())

    assert listed(department=world.ee.id) == ["22EE001", "22EE002"]
    assert listed(program=world.ee_btech.id) == ["22EE001", "22EE002"]
    assert listed(batch=world.cs_b.id) == ["22CS101", "22CS102"]
    assert listed(section="B") == ["22CS101", "22CS102"]
    assert listed(status="INACTIVE") == ["22CS004"]
    assert listed(search="BEGUM") == ["22CS102"]
    assert listed(search="ee0") == ["22EE001", "22EE002"]
    assert listed(academic_year="2022-2023", department=world.cs.id, section="A") == [
        "22CS001",
        "22CS002",
        "22CS003",
        "22CS004",
    ]
    assert listed(year_of_study=2) == []
    assert listed(semester=2, section="A", department=world.ee.id) == ["22EE001", "22EE002"]
    assert listed(grade_level=11) == []
    assert listed(search="%") == []


def test_grade_level_filter(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    with database.session() as session:
        factories.student(session, world.inst, "K12-001", with_login=False, grade_level=11)
    response = client.get(URL, params={"grade_level": 11}, headers=registrar)
    assert rolls(response.json()) == ["K12-001"]


def test_create_with_login_and_batch(
    client: TestClient, database: Database, world: World, registrar: dict[str, str], login: LoginFn
) -> None:
    body = {
        "roll_number": "22CS005",
        "name": "Indira Priya",
        "email": "indira@university.edu",
        "gender": "F",
        "category": "ST",
        "guardian_email": "parent@example.com",
        "student_batch_id": str(world.cs_a.id),
        "admission_year": 2022,
        "password": "pass-12345",
    }
    response = client.post(URL, json=body, headers=registrar)
    assert response.status_code == 201, response.text
    created = response.json()
    # The batch's placement is copied onto the student.
    assert created["department_id"] == str(world.cs.id)
    assert created["program_id"] == str(world.cs_btech.id)
    assert created["academic_year"] == "2022-2023"
    assert (created["year_of_study"], created["semester"], created["section"]) == (1, 2, "A")
    assert created["student_batch_id"] == str(world.cs_a.id)
    assert created["user_id"] is not None
    assert created["category"] == "ST"
    assert created["admission_year"] == 2022
    me = client.get("/auth/me", headers=login("22CS005", "pass-12345", world.inst.tag)).json()
    assert me["role"] == "STUDENT"
    assert me["student"]["id"] == created["id"]
    assert created.pop("auto_enrollment") == []
    assert created.pop("reconciliation") is None  # a batch without courses changes nothing
    read = client.get(f"{URL}/{created['id']}", headers=registrar)
    assert read.json() == created
    with database.session() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.entity_id == uuid.UUID(created["id"]))
        ).all()
    assert actions == ["student.created"]


def test_create_without_login_and_with_placement(
    client: TestClient, world: World, registrar: dict[str, str]
) -> None:
    body = {
        "roll_number": "23EE001",
        "name": "Jaya",
        "academic_program_id": None,
        "program_id": str(world.ee_btech.id),
        "academic_year": "2023-2024",
        "year_of_study": 1,
        "semester": 1,
        "section": "C",
    }
    response = client.post(URL, json=body, headers=registrar)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["user_id"] is None
    # A program names its department.
    assert created["department_id"] == str(world.ee.id)
    assert created["student_batch_id"] is None
    assert created["status"] == "ACTIVE"


def test_create_refusals(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    def post(**body: object) -> tuple[int, dict[str, Any]]:
        payload = {"roll_number": "NEW001", "name": "New"} | body
        response = client.post(URL, json=payload, headers=registrar)
        return response.status_code, response.json()

    status, body = post(roll_number="22CS001")
    assert status == 409
    assert "22CS001" in body["error"]
    status, body = post(department_id=str(world.other_dept.id))
    assert status == 422
    assert "Unknown department" in body["error"]
    status, body = post(academic_year="1999-2000")
    assert status == 422
    assert "1999-2000" in body["error"]
    status, body = post(department_id=str(world.cs.id), program_id=str(world.ee_btech.id))
    assert status == 422
    assert "does not belong" in body["error"]
    status, body = post(student_batch_id=str(world.cs_a.id), section="B", semester=2)
    assert status == 422
    assert body["mismatches"] == {"section": {"given": "B", "batch": "A"}}
    assert "CS-2022-1-A" in body["error"]
    with database.session() as session:
        tiny = factories.batch(session, world.inst, code="TINY", capacity=1)
        factories.student(session, world.inst, "TINY01", of_batch=tiny, with_login=False)
    status, body = post(student_batch_id=str(tiny.id))
    assert status == 409
    assert "TINY" in body["error"]
    assert body["capacity"] == 1
    assert client.get(URL, params={"search": "NEW001"}, headers=registrar).json()["total"] == 0


def test_update_and_move_between_batches(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    sid = world.sid("22CS003")
    response = client.patch(
        f"{URL}/{sid}", json={"name": "Chitra D", "email": "c@x.edu"}, headers=registrar
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Chitra D"
    # Editing placement alone while in a batch is refused: it would disagree with the batch.
    refused = client.patch(f"{URL}/{sid}", json={"section": "B"}, headers=registrar)
    assert refused.status_code == 422
    assert "student_batch_id" in refused.json()["error"]
    moved = client.patch(
        f"{URL}/{sid}", json={"student_batch_id": str(world.cs_b.id)}, headers=registrar
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["section"] == "B"
    assert moved.json()["student_batch_id"] == str(world.cs_b.id)
    out = client.patch(
        f"{URL}/{sid}", json={"student_batch_id": None, "section": "Z"}, headers=registrar
    )
    assert out.json()["student_batch_id"] is None
    assert out.json()["section"] == "Z"
    with database.session() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == world.students["22CS003"].id)
        ).all()
    assert [e.action for e in events] == ["student.updated"] * 3
    assert {"before": "A", "after": "B"} in [e.details["changes"].get("section") for e in events]


def test_roll_number_change_renames_login(
    client: TestClient, database: Database, world: World, registrar: dict[str, str], login: LoginFn
) -> None:
    with database.session() as session:
        student = factories.student(session, world.inst, "22CS900")
    response = client.patch(
        f"{URL}/{student.id}", json={"roll_number": "22CS901"}, headers=registrar
    )
    assert response.status_code == 200, response.text
    assert login("22CS901", factories.PASSWORD, world.inst.tag)
    taken = client.patch(f"{URL}/{student.id}", json={"roll_number": "22CS001"}, headers=registrar)
    assert taken.status_code == 409


def test_deactivate_keeps_the_row(
    client: TestClient, database: Database, world: World, admin: dict[str, str]
) -> None:
    sid = world.sid("22CS001")
    response = client.delete(f"{URL}/{sid}", headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "INACTIVE"
    with database.session() as session:
        row = session.get(Student, world.students["22CS001"].id)
        assert row is not None
        assert row.batch_id == world.cs_a.id


def test_roles_and_tenants(
    client: TestClient,
    database: Database,
    world: World,
    other_registrar: dict[str, str],
    login: LoginFn,
) -> None:
    with database.session() as session:
        factories.student(session, world.inst, "22CS777")
    student = login("22CS777", factories.PASSWORD, world.inst.tag)
    assert client.get(URL, headers=student).status_code == 403
    assert (
        client.post(URL, json={"roll_number": "X", "name": "X"}, headers=student).status_code == 403
    )
    assert client.get(URL).status_code == 401
    listed = client.get(URL, headers=other_registrar).json()
    assert rolls(listed) == ["OTHER001"]
    sid = world.sid("22CS001")
    assert client.get(f"{URL}/{sid}", headers=other_registrar).status_code == 404
    assert (
        client.patch(f"{URL}/{sid}", json={"name": "x"}, headers=other_registrar).status_code == 404
    )
    assert client.delete(f"{URL}/{sid}", headers=other_registrar).status_code == 404
    foreign_batch = client.post(
        URL,
        json={"roll_number": "O2", "name": "O", "student_batch_id": str(world.cs_a.id)},
        headers=other_registrar,
    )
    assert foreign_batch.status_code == 422


def test_reactivating_a_student_needs_a_seat_in_their_batch(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    """While a student was inactive their seat was free; coming back must not overfill the batch."""
    with database.session() as session:
        tiny = factories.batch(session, world.inst, code="TINY", capacity=1)
        away = factories.student(
            session, world.inst, "AWAY01", of_batch=tiny, with_login=False, status="INACTIVE"
        )
        factories.student(session, world.inst, "HERE01", of_batch=tiny, with_login=False)
    refused = client.patch(f"{URL}/{away.id}", json={"status": "ACTIVE"}, headers=registrar)
    assert refused.status_code == 409
    assert "TINY" in refused.json()["error"]
    with database.session(write=False) as session:
        assert session.get(Student, away.id).status == "INACTIVE"  # type: ignore[union-attr]
    here = client.get(URL, params={"search": "HERE01"}, headers=registrar).json()["items"][0]
    client.delete(f"{URL}/{here['id']}", headers=registrar)
    back = client.patch(f"{URL}/{away.id}", json={"status": "ACTIVE"}, headers=registrar)
    assert back.status_code == 200, back.text
    assert back.json()["status"] == "ACTIVE"


def test_a_deactivated_student_can_no_longer_sign_in_nor_use_their_token(
    client: TestClient, database: Database, world: World, admin: dict[str, str], login: LoginFn
) -> None:
    with database.session() as session:
        student = factories.student(session, world.inst, "22CS900")
    token = login("22CS900", factories.PASSWORD, world.inst.tag)
    assert client.get("/auth/me", headers=token).status_code == 200

    assert client.delete(f"{URL}/{student.id}", headers=admin).status_code == 200
    # The token stops working at once (on this worker; others within AUTH_CACHE_SECONDS) ...
    assert client.get("/auth/me", headers=token).status_code == 401
    assert client.get("/api/student-portal/courses/enrolled/", headers=token).status_code == 401
    # ... and the password no longer opens anything.
    again = client.post(
        "/auth/login",
        json={"username": "22CS900", "password": factories.PASSWORD},
        headers={"x-tenant-tag": world.inst.tag},
    )
    assert again.status_code == 401

    back = client.patch(f"{URL}/{student.id}", json={"status": "ACTIVE"}, headers=admin)
    assert back.status_code == 200, back.text
    assert (
        client.get(
            "/auth/me", headers=login("22CS900", factories.PASSWORD, world.inst.tag)
        ).status_code
        == 200
    )


@pytest.mark.parametrize(("status", "signs_in"), [("SUSPENDED", False), ("GRADUATED", True)])
def test_a_students_login_follows_their_status(
    client: TestClient,
    database: Database,
    world: World,
    admin: dict[str, str],
    login: LoginFn,
    status: str,
    signs_in: bool,
) -> None:
    with database.session() as session:
        student = factories.student(session, world.inst, "22CS901")
    token = login("22CS901", factories.PASSWORD, world.inst.tag)
    changed = client.patch(f"{URL}/{student.id}", json={"status": status}, headers=admin)
    assert changed.status_code == 200, changed.text
    assert (client.get("/auth/me", headers=token).status_code == 200) is signs_in
