"""`POST /api/students/assign/`: success shape, batch found or created, per-id errors."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from registrar.audit.models import AuditEvent
from registrar.db import Database
from registrar.students.models import Student, StudentBatch
from tests import factories
from tests.students.world import World

URL = "/api/students/assign/"


def batch_by_code(client: TestClient, headers: dict[str, str], code: str) -> dict[str, Any]:
    items = client.get("/api/admin/batches", params={"search": code}, headers=headers).json()
    return next(b for b in items["items"] if b["code"] == code)


def test_assign_seed_example(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    body = {
        "student_ids": [world.sid("22CS001"), world.sid("22CS002")],
        "department_id": str(world.cs.id),
        "academic_program_id": str(world.cs_btech.id),
        "academic_year": "2023-2024",
        "year_of_study": "2",
        "semester": "3",
        "section": "A",
    }
    response = client.post(URL, json=body, headers=registrar)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["updated_count"] == 2
    assert result["errors"] == []
    created = batch_by_code(client, registrar, "CS-2023-2-A")
    assert result["batches"] == [
        {"batch_id": created["id"], "code": "CS-2023-2-A", "created": True, "students_assigned": 2}
    ]
    assert created["active_students"] == 2
    assert (created["year_of_study"], created["semester"], created["section"]) == (2, 3, "A")
    assert created["academic_year"] == "2023-2024"
    assert created["department_id"] == str(world.cs.id)
    assert created["program_id"] == str(world.cs_btech.id)
    assert [s["roll_number"] for s in result["updated_students"]] == ["22CS001", "22CS002"]
    for student in result["updated_students"]:
        assert student["department_id"] == str(world.cs.id)
        assert student["program_id"] == str(world.cs_btech.id)
        assert student["academic_year"] == "2023-2024"
        assert (student["year_of_study"], student["semester"], student["section"]) == (2, 3, "A")
        assert student["student_batch_id"] == created["id"]
    with database.session() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "student.assigned")
        ).all()
        assert sorted(str(e.entity_id) for e in events) == sorted(body["student_ids"])
        assert events[0].details["before"]["batch_id"] == str(world.cs_a.id)
        assert events[0].details["after"]["batch_id"] == created["id"]
    # A second assignment to the same placement finds the batch instead of creating one.
    again = client.post(
        URL, json=body | {"student_ids": [world.sid("22CS003")]}, headers=registrar
    ).json()
    assert again["batches"][0]["created"] is False
    assert again["batches"][0]["batch_id"] == created["id"]


def test_partial_assignment_finds_existing_batch(
    client: TestClient, world: World, registrar: dict[str, str]
) -> None:
    # Only some fields: the rest stay as the student has them (CS, B.Tech, section B).
    body = {
        "student_ids": [world.sid("22CS101")],
        "academic_year": "2023-2024",
        "year_of_study": 2,
        "semester": 3,
    }
    result = client.post(URL, json=body, headers=registrar).json()
    moved = result["updated_students"][0]
    assert moved["section"] == "B"
    assert moved["department_id"] == str(world.cs.id)
    assert moved["student_batch_id"] == str(world.cs_2023_b.id)
    assert result["batches"][0]["created"] is False


def test_per_id_errors_do_not_fail_the_others(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    with database.session() as session:
        full = factories.batch(
            session,
            world.inst,
            dept=world.ee,
            prog=world.ee_btech,
            year=world.y23,
            code="EE-FULL",
            year_of_study=2,
            semester=3,
            section="A",
            capacity=1,
        )
        factories.student(session, world.inst, "23EE900", of_batch=full, with_login=False)
    unknown = str(uuid.uuid4())
    body = {
        "student_ids": [
            world.sid("22EE001"),
            unknown,
            "not-a-uuid",
            world.sid("22CS004"),
            str(world.other_student.id),
            world.sid("22EE002"),
        ],
        "academic_year": "2023-2024",
        "year_of_study": 2,
        "semester": 3,
    }
    response = client.post(URL, json=body, headers=registrar)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["updated_count"] == 0
    codes = {e["student_id"]: e["code"] for e in result["errors"]}
    assert codes == {
        "not-a-uuid": "unknown_student",
        unknown: "unknown_student",
        world.sid("22CS004"): "inactive_student",
        str(world.other_student.id): "unknown_student",
        world.sid("22EE001"): "batch_full",
        world.sid("22EE002"): "batch_full",
    }
    full_error = next(e for e in result["errors"] if e["code"] == "batch_full")
    assert "EE-FULL" in full_error["error"]
    assert "1 of 1" in full_error["error"]
    inactive = next(e for e in result["errors"] if e["code"] == "inactive_student")
    assert "22CS004" in inactive["error"]
    # Raise the capacity: one seat is free, the first listed student gets it.
    client.patch(f"/api/admin/batches/{full.id}", json={"capacity": 2}, headers=registrar)
    body["student_ids"] = [world.sid("22EE001"), world.sid("22EE002"), world.sid("22CS001")]
    result = client.post(URL, json=body, headers=registrar).json()
    assert [s["roll_number"] for s in result["updated_students"]] == ["22CS001", "22EE001"]
    assert [(e["student_id"], e["code"]) for e in result["errors"]] == [
        (world.sid("22EE002"), "batch_full")
    ]
    with database.session() as session:
        ee002 = session.get(Student, world.students["22EE002"].id)
        assert ee002 is not None
        assert ee002.batch_id == world.ee_a.id
        assert ee002.semester == 2
        count = session.scalar(select(func.count()).select_from(StudentBatch))
    assert count == 6  # CS-2023-2-A was created for 22CS001; no batch for the refused


def test_reference_errors_refuse_the_request(
    client: TestClient, world: World, registrar: dict[str, str], other_registrar: dict[str, str]
) -> None:
    ids = [world.sid("22CS001")]
    cases = [
        ({"department_id": str(world.other_dept.id)}, "Unknown department"),
        ({"academic_program_id": str(uuid.uuid4())}, "Unknown academic program"),
        ({"academic_year": "2099-2100"}, "Unknown academic year"),
        (
            {"department_id": str(world.cs.id), "academic_program_id": str(world.ee_btech.id)},
            "does not belong",
        ),
        ({}, "empty"),
    ]
    for fields, message in cases:
        response = client.post(URL, json={"student_ids": ids, **fields}, headers=registrar)
        assert response.status_code == 422, fields
        assert message in response.json()["error"]
    foreign = client.post(
        URL, json={"student_ids": ids, "semester": 3}, headers=other_registrar
    ).json()
    assert foreign["updated_count"] == 0
    assert foreign["errors"][0]["code"] == "unknown_student"


def test_department_change_clears_a_foreign_program(
    client: TestClient, world: World, registrar: dict[str, str]
) -> None:
    body = {"student_ids": [world.sid("22CS001")], "department_id": str(world.ee.id)}
    moved = client.post(URL, json=body, headers=registrar).json()["updated_students"][0]
    assert moved["department_id"] == str(world.ee.id)
    assert moved["program_id"] is None
    # No program: the key is still complete (department, year, year of study, semester, section).
    batch = batch_by_code(client, registrar, "EE-2022-1-A-S2")
    assert moved["student_batch_id"] == batch["id"]
    assert batch["program_id"] is None
