"""`/api/admin/batches`: list, filters, read, create, update (carried to students), deactivate."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.db import Database
from registrar.institutions.models import InstitutionKind
from tests import factories
from tests.conftest import LoginFn
from tests.factories import PASSWORD
from tests.students.world import World

URL = "/api/admin/batches"


def codes(body: dict[str, Any]) -> list[str]:
    return [item["code"] for item in body["items"]]


def test_list_filters_and_read(client: TestClient, world: World, registrar: dict[str, str]) -> None:
    def listed(**params: object) -> list[str]:
        response = client.get(URL, params=params, headers=registrar)
        assert response.status_code == 200, response.text
        return codes(response.json())

    assert listed() == ["CS-2022-1-A", "CS-2022-1-B", "CS-2023-2-B", "EE-2022-1-A"]
    assert listed(department=world.ee.id) == ["EE-2022-1-A"]
    assert listed(program=world.cs_btech.id, section="B") == ["CS-2022-1-B", "CS-2023-2-B"]
    assert listed(academic_year="2023-2024") == ["CS-2023-2-B"]
    assert listed(year_of_study=1, semester=2, section="A") == ["CS-2022-1-A", "EE-2022-1-A"]
    assert listed(grade_level=11) == []
    assert listed(is_active=False) == []
    assert listed(search="ee-2022") == ["EE-2022-1-A"]
    page = client.get(URL, params={"limit": 1, "offset": 1}, headers=registrar).json()
    assert (codes(page), page["total"], page["limit"], page["offset"]) == (
        ["CS-2022-1-B"],
        4,
        1,
        1,
    )
    read = client.get(f"{URL}/{world.cs_a.id}", headers=registrar).json()
    assert read == {
        "id": str(world.cs_a.id),
        "code": "CS-2022-1-A",
        "name": "CS-2022-1-A",
        "department_id": str(world.cs.id),
        "program_id": str(world.cs_btech.id),
        "academic_year_id": str(world.y22.id),
        "academic_year": "2022-2023",
        "year_of_study": 1,
        "semester": 2,
        "section": "A",
        "grade_level": None,
        "track": None,
        "strand": None,
        "capacity": 70,
        "is_active": True,
        "active_students": 3,
        "created_at": read["created_at"],
        "updated_at": read["updated_at"],
    }


def test_create_and_refusals(client: TestClient, world: World, registrar: dict[str, str]) -> None:
    body = {
        "code": "SEC-G11-STEM-A",
        "name": "Grade 11 STEM A",
        "grade_level": 11,
        "track": "ACADEMIC",
        "strand": "STEM",
        "section": "A",
        "capacity": 40,
        "academic_year": "2023-2024",
    }
    response = client.post(URL, json=body, headers=registrar)
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["grade_level"], created["track"], created["strand"]) == (11, "ACADEMIC", "STEM")
    assert created["capacity"] == 40
    assert created["active_students"] == 0
    assert created["academic_year_id"] == str(world.y23.id)
    again = client.post(URL, json=body, headers=registrar)
    assert again.status_code == 409
    assert "SEC-G11-STEM-A" in again.json()["error"]
    foreign = client.post(
        URL, json={"code": "X1", "department_id": str(world.other_dept.id)}, headers=registrar
    )
    assert foreign.status_code == 422
    mismatch = client.post(
        URL,
        json={
            "code": "X2",
            "department_id": str(world.cs.id),
            "program_id": str(world.ee_btech.id),
        },
        headers=registrar,
    )
    assert mismatch.status_code == 422
    assert (
        client.post(URL, json={"code": "X3", "capacity": 0}, headers=registrar).status_code == 422
    )


def test_update_carries_placement_to_students(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    response = client.patch(
        f"{URL}/{world.cs_b.id}", json={"semester": 3, "name": "CS B"}, headers=registrar
    )
    assert response.status_code == 200, response.text
    assert response.json()["semester"] == 3
    members = client.get(
        "/api/admin/students", params={"batch": str(world.cs_b.id)}, headers=registrar
    ).json()["items"]
    assert {m["semester"] for m in members} == {3}
    too_small = client.patch(f"{URL}/{world.cs_b.id}", json={"capacity": 1}, headers=registrar)
    assert too_small.status_code == 409
    assert too_small.json()["active_students"] == 2
    taken = client.patch(f"{URL}/{world.cs_b.id}", json={"code": "CS-2022-1-A"}, headers=registrar)
    assert taken.status_code == 409
    with database.session() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == world.cs_b.id)
        ).one()
    assert event.details["changes"]["semester"] == {"before": 2, "after": 3}
    assert event.details["students_moved"] == 2
    # Each student moved has the change in their own history too.
    for member in members:
        trail = client.get(
            "/api/admin/audit",
            params={"student_id": member["id"], "action": "student.placement_changed"},
            headers=registrar,
        ).json()
        [item] = trail["items"]
        assert item["details"]["changes"] == {"semester": {"before": 2, "after": 3}}
        assert item["details"]["batch_id"] == str(world.cs_b.id)


def test_deactivate_only_empty_batches(
    client: TestClient, world: World, registrar: dict[str, str], admin: dict[str, str]
) -> None:
    busy = client.delete(f"{URL}/{world.cs_a.id}", headers=registrar)
    assert busy.status_code == 409
    assert busy.json()["active_students"] == 3
    emptied = client.delete(f"{URL}/{world.cs_2023_b.id}", headers=admin)
    assert emptied.status_code == 200
    assert emptied.json()["is_active"] is False
    assert client.get(f"{URL}/{world.cs_2023_b.id}", headers=registrar).status_code == 200
    joined = client.patch(
        f"/api/admin/students/{world.sid('22CS001')}",
        json={"student_batch_id": str(world.cs_2023_b.id)},
        headers=registrar,
    )
    assert joined.status_code == 422
    assert "inactive" in joined.json()["error"]


def test_roles_and_tenants(
    client: TestClient, world: World, other_registrar: dict[str, str], login: LoginFn
) -> None:
    assert codes(client.get(URL, headers=other_registrar).json()) == []
    assert client.get(f"{URL}/{world.cs_a.id}", headers=other_registrar).status_code == 404
    patch = client.patch(f"{URL}/{world.cs_a.id}", json={"capacity": 5}, headers=other_registrar)
    assert patch.status_code == 404
    assert client.delete(f"{URL}/{world.cs_a.id}", headers=other_registrar).status_code == 404
    student = login("OTHER001", PASSWORD, world.other.tag)
    assert client.get(URL, headers=student).status_code == 403
    assert client.post(URL, json={"code": "Z"}, headers=student).status_code == 403


def test_a_new_homeroom_takes_its_levels_capacity_unless_given(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        school = factories.institution(s, kind=InstitutionKind.K12)
        factories.level_policy(s, school, "ELEMENTARY", section_capacity=35)
        factories.user(s, school, "school-registrar", Role.REGISTRAR)
        tag = school.tag
    headers = login("school-registrar", factories.PASSWORD, tag)
    homeroom = client.post(URL, json={"code": "G4-A", "grade_level": 4}, headers=headers)
    assert homeroom.status_code == 201, homeroom.text
    assert homeroom.json()["capacity"] == 35
    given = client.post(
        URL, json={"code": "G4-B", "grade_level": 4, "capacity": 20}, headers=headers
    )
    assert given.json()["capacity"] == 20
    no_level = client.post(URL, json={"code": "G11-A", "grade_level": 11}, headers=headers)
    assert no_level.json()["capacity"] == 70
