"""`GET /api/students/divisions/`: the seed's nested shape, its filters and the student cap."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import LoginFn
from tests.factories import PASSWORD
from tests.students.world import World

URL = "/api/students/divisions/"


def test_nested_shape_field_by_field(
    client: TestClient, world: World, registrar: dict[str, str]
) -> None:
    response = client.get(URL, headers=registrar)
    assert response.status_code == 200, response.text
    tree = response.json()
    assert list(tree) == ["CS", "EE"]
    cs = tree["CS"]
    assert cs["department_id"] == str(world.cs.id)
    assert cs["department_name"] == world.cs.name
    assert cs["department_code"] == "CS"
    assert list(cs["programs"]) == [world.cs_btech.code]
    program = cs["programs"][world.cs_btech.code]
    assert program["program_id"] == str(world.cs_btech.id)
    assert program["program_name"] == world.cs_btech.name
    assert program["program_code"] == world.cs_btech.code
    assert program["program_level"] == "UG"
    assert list(program["years"]) == ["2022-2023"]
    year = program["years"]["2022-2023"]
    assert year["total_students"] == 5  # the inactive 22CS004 is not counted
    assert list(year["year_of_study"]) == ["1"]
    first = year["year_of_study"]["1"]
    assert first["total_students"] == 5
    semester = first["semesters"]["2"]
    assert semester["total_students"] == 5
    assert list(semester["sections"]) == ["A", "B"]
    section_a = semester["sections"]["A"]
    assert section_a["count"] == 3
    assert [s["roll_number"] for s in section_a["students"]] == ["22CS001", "22CS002", "22CS003"]
    asha = section_a["students"][0]
    assert asha == {
        "id": world.sid("22CS001"),
        "roll_number": "22CS001",
        "name": "Asha Rao",
        "email": "22cs001@university.edu",
        "gender": "F",
        "category": "OC",
        "status": "ACTIVE",
        "student_batch_id": str(world.cs_a.id),
        "admission_year": None,
    }
    assert semester["sections"]["B"]["count"] == 2
    ee_year = tree["EE"]["programs"][world.ee_btech.code]["years"]["2022-2023"]
    assert ee_year["total_students"] == 2
    assert set(ee_year) == {"year_of_study", "total_students"}
    assert set(first) == {"semesters", "total_students"}
    assert set(semester) == {"sections", "total_students"}
    assert set(section_a) == {"students", "count"}


def test_every_filter(client: TestClient, world: World, registrar: dict[str, str]) -> None:
    def departments(**params: object) -> dict[str, Any]:
        response = client.get(URL, params=params, headers=registrar)
        assert response.status_code == 200, response.text
        tree: dict[str, Any] = response.json()
        return tree

    assert list(departments(department=world.ee.id)) == ["EE"]
    assert list(departments(academic_program=world.cs_btech.id)) == ["CS"]
    assert departments(academic_year="2023-2024") == {}
    assert list(departments(academic_year="2022-2023")) == ["CS", "EE"]
    assert departments(year_of_study=2) == {}
    assert departments(semester=3) == {}
    only_b = departments(section="B")
    assert list(only_b) == ["CS"]
    sections = only_b["CS"]["programs"][world.cs_btech.code]["years"]["2022-2023"]
    assert list(sections["year_of_study"]["1"]["semesters"]["2"]["sections"]) == ["B"]
    inactive = departments(status="INACTIVE")
    leaf = inactive["CS"]["programs"][world.cs_btech.code]["years"]["2022-2023"]
    assert leaf["total_students"] == 1
    assert departments(department=world.other_dept.id) == {}


def test_student_cap_keeps_true_counts(
    client: TestClient, world: World, registrar: dict[str, str]
) -> None:
    def section_a(**params: object) -> dict[str, Any]:
        tree = client.get(URL, params=params, headers=registrar).json()
        years = tree["CS"]["programs"][world.cs_btech.code]["years"]
        sections = years["2022-2023"]["year_of_study"]["1"]["semesters"]["2"]["sections"]
        section: dict[str, Any] = sections["A"]
        return section

    capped = section_a(students_per_section=2)
    assert capped["count"] == 3
    assert [s["roll_number"] for s in capped["students"]] == ["22CS001", "22CS002"]
    bare = section_a(include_students="false")
    assert bare == {"students": [], "count": 3}
    assert (
        client.get(URL, params={"students_per_section": 5000}, headers=registrar).status_code == 422
    )


def test_roles_and_tenants(
    client: TestClient,
    world: World,
    other_registrar: dict[str, str],
    admin: dict[str, str],
    login: LoginFn,
) -> None:
    assert list(client.get(URL, headers=admin).json()) == ["CS", "EE"]
    other = client.get(URL, headers=other_registrar).json()
    assert list(other) == ["UNASSIGNED"]
    assert other["UNASSIGNED"]["department_id"] is None
    leaf = other["UNASSIGNED"]["programs"]["UNASSIGNED"]["years"]["UNASSIGNED"]
    students = leaf["year_of_study"]["UNASSIGNED"]["semesters"]["UNASSIGNED"]["sections"]
    assert [s["roll_number"] for s in students["UNASSIGNED"]["students"]] == ["OTHER001"]
    student = login("OTHER001", PASSWORD, world.other.tag)
    for path in (URL, "/api/students/division-statistics/"):
        assert client.get(path, headers=student).status_code == 403
    assert client.post("/api/students/assign/", json={}, headers=student).status_code == 403
    assert client.post("/api/students/bulk-assign/", json={}, headers=student).status_code == 403
