"""`POST /api/students/bulk-assign/`: the seed's promotion, criteria, and all-or-nothing seats."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.audit.models import AuditEvent
from registrar.db import Database
from registrar.students.models import Student, StudentBatch
from tests import factories
from tests.students.world import World

URL = "/api/students/bulk-assign/"
PROMOTION = {
    "criteria": {"current_year_of_study": "1", "current_semester": "2"},
    "assignment": {"year_of_study": "2", "semester": "3", "academic_year": "2023-2024"},
}


def test_seed_promotion(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    response = client.post(URL, json=PROMOTION, headers=registrar)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["criteria_matched"] == 7  # every ACTIVE 1st-year semester-2 student
    assert result["updated_count"] == 7
    assert result["assignment"] == {"academic_year": "2023-2024", "year_of_study": 2, "semester": 3}
    sample = result["sample_updated_students"]
    assert [s["roll_number"] for s in sample] == [
        "22CS001",
        "22CS002",
        "22CS003",
        "22CS101",
        "22CS102",
        "22EE001",
        "22EE002",
    ]
    assert {(s["year_of_study"], s["semester"], s["academic_year"]) for s in sample} == {
        (2, 3, "2023-2024")
    }
    batches = {b["code"]: b for b in result["batches"]}
    assert set(batches) == {"CS-2023-2-A", "CS-2023-2-B", "EE-2023-2-A"}
    assert batches["CS-2023-2-B"] == {
        "batch_id": str(world.cs_2023_b.id),
        "code": "CS-2023-2-B",
        "created": False,
        "students_assigned": 2,
    }
    assert batches["CS-2023-2-A"]["created"]
    assert batches["CS-2023-2-A"]["students_assigned"] == 3
    assert batches["EE-2023-2-A"]["created"]
    assert batches["EE-2023-2-A"]["students_assigned"] == 2
    with database.session() as session:
        by_id = {b.id: b for b in session.scalars(select(StudentBatch))}
        for student in session.scalars(
            select(Student).where(Student.institution_id == world.inst.id)
        ):
            if student.roll_number == "22CS004":  # inactive: untouched
                assert (student.year_of_study, student.semester) == (1, 2)
                assert student.batch_id == world.cs_a.id
                continue
            assert student.batch_id is not None
            batch = by_id[student.batch_id]
            assert batch.code.endswith(f"2023-2-{student.section}")
            assert (batch.department_id, batch.program_id) == (
                student.department_id,
                student.program_id,
            )
            assert batch.academic_year_id == student.academic_year_id == world.y23.id
            assert (batch.year_of_study, batch.semester, batch.section) == (2, 3, student.section)
        created = next(b for b in by_id.values() if b.code == "CS-2023-2-A")
        assert created.capacity == 70
        assert created.is_active
        actions = session.scalars(select(AuditEvent.action)).all()
    assert actions.count("student.bulk_assigned") == 7
    assert actions.count("batch.created") == 2
    # The old batches are empty of active students now; the new ones hold them.
    listed = client.get(
        "/api/admin/batches", params={"academic_year": "2023-2024"}, headers=registrar
    )
    assert {b["code"]: b["active_students"] for b in listed.json()["items"]} == {
        "CS-2023-2-A": 3,
        "CS-2023-2-B": 2,
        "EE-2023-2-A": 2,
    }
    # Running it again matches nobody: they are all in year 2 now.
    again = client.post(URL, json=PROMOTION, headers=registrar).json()
    assert (again["criteria_matched"], again["updated_count"]) == (0, 0)


def test_every_criterion(client: TestClient, world: World, registrar: dict[str, str]) -> None:
    def matched(**criteria: object) -> list[str]:
        body = {"criteria": criteria, "assignment": {"section": "Z"}}
        response = client.post(URL, json=body, headers=registrar)
        assert response.status_code == 200, response.text
        result = response.json()
        assert result["criteria_matched"] == result["updated_count"]
        return [s["roll_number"] for s in result["sample_updated_students"]]

    # Each check moves its matches to section Z, then back to A so later checks see them.
    def check(expected: list[str], **criteria: object) -> None:
        assert matched(**criteria) == expected
        if expected:
            back = {"criteria": {"current_section": "Z"}, "assignment": {"section": "A"}}
            client.post(URL, json=back, headers=registrar)

    check(["22EE001", "22EE002"], current_department=str(world.ee.id))
    check(["22EE001", "22EE002"], current_academic_program=str(world.ee_btech.id))
    check([], current_academic_year="2023-2024")
    check([], current_year_of_study=3)
    check([], current_semester=5)
    check(["22CS101", "22CS102"], current_section="B")
    check(["22CS002", "22CS101", "22EE001"], gender="M", current_section=None)
    check(["22CS002", "22CS102"], quota="BC")
    check(["22EE001"], quota="SC", gender="M", current_academic_year="2022-2023")
    check([], current_department=str(world.other_dept.id))


def test_fields_not_given_stay(client: TestClient, world: World, registrar: dict[str, str]) -> None:
    body = {
        "criteria": {"current_academic_program": str(world.cs_btech.id), "current_section": "B"},
        "assignment": {"semester": 4},
    }
    result = client.post(URL, json=body, headers=registrar).json()
    assert result["updated_count"] == 2
    for student in result["sample_updated_students"]:
        assert (student["year_of_study"], student["semester"], student["section"]) == (1, 4, "B")
        assert student["academic_year"] == "2022-2023"
    assert result["batches"][0]["code"] == "CS-2022-1-B-S4"  # CS-2022-1-B is taken


def test_overfull_batch_moves_nobody(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    client.patch(
        f"/api/admin/batches/{world.cs_2023_b.id}", json={"capacity": 1}, headers=registrar
    )
    response = client.post(URL, json=PROMOTION, headers=registrar)
    assert response.status_code == 409, response.text
    body = response.json()
    assert "CS-2023-2-B" in body["error"]
    assert body["batches"] == [
        {"batch_code": "CS-2023-2-B", "capacity": 1, "active_students": 0, "incoming": 2}
    ]
    with database.session() as session:
        students = session.scalars(select(Student).where(Student.institution_id == world.inst.id))
        assert {s.semester for s in students} == {2}
        assert "CS-2023-2-A" not in set(session.scalars(select(StudentBatch.code)))


def test_refusals(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    empty = client.post(URL, json={"criteria": {}, "assignment": {}}, headers=registrar)
    assert empty.status_code == 422
    unknown = client.post(
        URL, json={"assignment": {"department_id": str(world.other_dept.id)}}, headers=registrar
    )
    assert unknown.status_code == 422
    assert "Unknown department" in unknown.json()["error"]
    bad = client.post(URL, json={"assignment": {"semester": 40}}, headers=registrar)
    assert bad.status_code == 422
    with database.session() as session:
        factories.student(session, world.other, "OTHER002", with_login=False, semester=2)
    result = client.post(
        URL,
        json={"criteria": {"current_semester": 2}, "assignment": {"semester": 3}},
        headers=registrar,
    ).json()
    assert result["criteria_matched"] == 7  # not OTHER002 of the other institution


@pytest.mark.usefixtures("world")
def test_a_retried_bulk_assignment_answers_as_the_first_and_moves_nobody_twice(
    client: TestClient, registrar: dict[str, str]
) -> None:
    headers = {**registrar, "Idempotency-Key": "promote-2023"}
    first = client.post(URL, json=PROMOTION, headers=headers)
    assert first.status_code == 200, first.text
    again = client.post(URL, json=PROMOTION, headers=headers)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    # Sent without the key, the same promotion is asked again: nobody matches any more.
    plain = client.post(URL, json=PROMOTION, headers=registrar)
    assert plain.status_code == 200
    assert plain.json()["criteria_matched"] == 0
    other = client.post(
        URL, json={**PROMOTION, "criteria": {"current_semester": "3"}}, headers=headers
    )
    assert other.status_code == 422


@pytest.mark.usefixtures("world")
def test_empty_criteria_move_nobody_unless_all_students_is_said(
    client: TestClient, registrar: dict[str, str]
) -> None:
    promotion = {"assignment": {"semester": 3}}
    refused = client.post(URL, json=promotion, headers=registrar)
    assert refused.status_code == 400
    assert refused.json()["error"] == "Criteria must name at least one field"
    everyone = client.post(URL, json={**promotion, "all_students": True}, headers=registrar)
    assert everyone.status_code == 200, everyone.text
    assert everyone.json()["updated_count"] > 0
