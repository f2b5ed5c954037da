"""Courses (with prerequisites), faculty and rooms through /api/admin/."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from registrar.db import Database
from tests import factories
from tests.academics.conftest import Office, audit_count, audit_details, institution

COURSES = "/api/admin/courses"
FACULTY = "/api/admin/faculty"
ROOMS = "/api/admin/rooms"


def _course(client: TestClient, office: Office, code: str, **fields: object) -> dict[str, object]:
    payload: dict[str, object] = {"code": code, "title": f"Course {code}", "credits": 4}
    payload.update(fields)
    response = client.post(COURSES, json=payload, headers=office.headers)
    assert response.status_code == 201, response.text
    body: dict[str, object] = response.json()
    return body


def test_course_lifecycle_with_prerequisites(
    client: TestClient, database: Database, office: Office
) -> None:
    with database.session() as session:
        dept_id = factories.department(session, institution(session, office.institution_id)).id
    cs101 = _course(client, office, "CS101")
    cs201 = _course(client, office, "CS201", prerequisite_ids=[cs101["id"]])
    cs301 = _course(
        client,
        office,
        "CS301",
        title="Data Structures and Algorithms",
        department_id=str(dept_id),
        credits=3,
        catalog_semester=5,
        is_core=False,
        prerequisite_ids=[cs201["id"], cs101["id"]],
    )
    assert cs301["prerequisite_ids"] == [cs101["id"], cs201["id"]]
    assert [p["code"] for p in cs301["prerequisites"]] == ["CS101", "CS201"]  # type: ignore[attr-defined]
    assert cs301["credits"] == 3
    assert cs301["department_id"] == str(dept_id)
    assert cs301["is_core"] is False
    course_id = uuid.UUID(str(cs301["id"]))
    assert audit_count(database, course_id, "course.created") == 1

    read = client.get(f"{COURSES}/{course_id}", headers=office.headers)
    assert read.json() == cs301

    patched = client.patch(
        f"{COURSES}/{course_id}",
        json={"credits": 4, "prerequisite_ids": [cs101["id"]]},
        headers=office.headers,
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["prerequisite_ids"] == [cs101["id"]]
    details = audit_details(database, course_id, "course.updated")
    assert details["before"]["credits"] == 3
    assert details["after"]["prerequisite_ids"] == [cs101["id"]]

    gone = client.post(f"{COURSES}/{course_id}/deactivate", headers=office.headers)
    assert gone.status_code == 200
    assert gone.json()["is_active"] is False


def test_course_list_filters_and_pagination(client: TestClient, office: Office) -> None:
    _course(client, office, "CS101", catalog_semester=1)
    _course(client, office, "CS301", catalog_semester=5, is_core=False)
    _course(client, office, "MA101", title="Calculus", catalog_semester=1)
    _course(
        client, office, "G11-MATH", level="K12", grade_level=11, track="ACADEMIC", strand="STEM"
    )
    first = client.get(COURSES, params={"catalog_semester": 1}, headers=office.headers).json()
    assert [c["code"] for c in first["items"]] == ["CS101", "MA101"]
    electives = client.get(COURSES, params={"is_core": False}, headers=office.headers).json()
    assert [c["code"] for c in electives["items"]] == ["CS301"]
    stem = client.get(COURSES, params={"strand": "STEM", "grade_level": 11}, headers=office.headers)
    assert [c["code"] for c in stem.json()["items"]] == ["G11-MATH"]
    search = client.get(COURSES, params={"q": "calc"}, headers=office.headers).json()
    assert [c["code"] for c in search["items"]] == ["MA101"]
    page = client.get(COURSES, params={"limit": 3, "offset": 3}, headers=office.headers).json()
    assert page["total"] == 4
    assert [c["code"] for c in page["items"]] == ["MA101"]


def test_course_code_reused_is_409(client: TestClient, office: Office) -> None:
    _course(client, office, "CS301")
    again = client.post(
        COURSES, json={"code": "CS301", "title": "Again", "credits": 3}, headers=office.headers
    )
    assert again.status_code == 409
    assert again.json()["error"] == "Course code CS301 already exists"
    other = _course(client, office, "CS302")
    renamed = client.patch(
        f"{COURSES}/{other['id']}", json={"code": "CS301"}, headers=office.headers
    )
    assert renamed.status_code == 409
    assert renamed.json()["error"] == "Course code CS301 already exists"


def test_the_same_code_is_free_in_another_institution(
    client: TestClient, database: Database, office: Office
) -> None:
    with database.session() as session:
        factories.course(session, institution(session, office.other_institution_id), code="CS301")
    _course(client, office, "CS301")


def test_prerequisite_cycle_is_422_naming_the_cycle(
    client: TestClient, database: Database, office: Office
) -> None:
    a = _course(client, office, "CS101")
    b = _course(client, office, "CS201", prerequisite_ids=[a["id"]])
    c = _course(client, office, "CS301", prerequisite_ids=[b["id"]])
    cycle = client.patch(
        f"{COURSES}/{a['id']}", json={"prerequisite_ids": [c["id"]]}, headers=office.headers
    )
    assert cycle.status_code == 422
    assert cycle.json()["error"] == "Prerequisite cycle: CS101 -> CS301 -> CS201 -> CS101"
    assert cycle.json()["cycle"] == ["CS101", "CS301", "CS201", "CS101"]
    itself = client.patch(
        f"{COURSES}/{a['id']}", json={"prerequisite_ids": [a["id"]]}, headers=office.headers
    )
    assert itself.status_code == 422
    assert itself.json()["cycle"] == ["CS101", "CS101"]
    # Nothing was changed by the refused requests.
    assert (
        client.get(f"{COURSES}/{a['id']}", headers=office.headers).json()["prerequisite_ids"] == []
    )
    assert audit_count(database, uuid.UUID(str(a["id"])), "course.updated") == 0


def test_course_references_of_another_institution_do_not_exist(
    client: TestClient, database: Database, office: Office
) -> None:
    with database.session() as session:
        other = institution(session, office.other_institution_id)
        foreign_course = factories.course(session, other).id
        foreign_dept = factories.department(session, other).id
    prereq = client.post(
        COURSES,
        json={"code": "X1", "title": "X", "credits": 3, "prerequisite_ids": [str(foreign_course)]},
        headers=office.headers,
    )
    assert prereq.status_code == 422
    assert prereq.json()["unknown_ids"] == [str(foreign_course)]
    dept = client.post(
        COURSES,
        json={"code": "X2", "title": "X", "credits": 3, "department_id": str(foreign_dept)},
        headers=office.headers,
    )
    assert dept.status_code == 422
    assert dept.json()["field"] == "department_id"
    assert client.get(f"{COURSES}/{foreign_course}", headers=office.headers).status_code == 404
    patch = client.patch(f"{COURSES}/{foreign_course}", json={"credits": 1}, headers=office.headers)
    assert patch.status_code == 404


def test_faculty_lifecycle(client: TestClient, database: Database, office: Office) -> None:
    dept = client.post(
        "/api/admin/departments", json={"code": "CS", "name": "CS"}, headers=office.headers
    ).json()
    payload = {
        "employee_code": "EMP001",
        "name": "Dr. John Smith",
        "email": "john.smith@university.edu",
        "department_id": dept["id"],
        "designation": "Professor",
    }
    created = client.post(FACULTY, json=payload, headers=office.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert {k: body[k] for k in payload} == payload
    dup = client.post(FACULTY, json={**payload, "name": "Other"}, headers=office.headers)
    assert dup.status_code == 409
    assert dup.json()["error"] == "Employee code EMP001 already exists"
    bad_email = client.post(
        FACULTY, json={**payload, "employee_code": "E2", "email": "nope"}, headers=office.headers
    )
    assert bad_email.status_code == 422
    found = client.get(FACULTY, params={"q": "smith"}, headers=office.headers).json()
    assert [f["employee_code"] for f in found["items"]] == ["EMP001"]
    patched = client.patch(
        f"{FACULTY}/{body['id']}", json={"designation": "Dean"}, headers=office.headers
    )
    assert patched.json()["designation"] == "Dean"
    assert audit_details(database, uuid.UUID(body["id"]), "faculty.updated") == {
        "before": {"designation": "Professor"},
        "after": {"designation": "Dean"},
    }
    gone = client.delete(f"{FACULTY}/{body['id']}", headers=office.headers)
    assert gone.json()["is_active"] is False
    inactive = client.get(FACULTY, params={"is_active": False}, headers=office.headers).json()
    assert inactive["total"] == 1


def test_room_lifecycle(client: TestClient, database: Database, office: Office) -> None:
    created = client.post(
        ROOMS,
        json={"code": "CS-101", "building": "CS Block", "capacity": 70},
        headers=office.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["code"] == "CS-101"
    assert body["capacity"] == 70
    client.post(ROOMS, json={"code": "ME-1", "building": "ME Block"}, headers=office.headers)
    dup = client.post(ROOMS, json={"code": "CS-101", "building": "X"}, headers=office.headers)
    assert dup.status_code == 409
    assert dup.json()["error"] == "Room code CS-101 already exists"
    zero = client.post(
        ROOMS, json={"code": "Z", "building": "X", "capacity": 0}, headers=office.headers
    )
    assert zero.status_code == 422
    by_building = client.get(ROOMS, params={"building": "ME Block"}, headers=office.headers).json()
    assert [r["code"] for r in by_building["items"]] == ["ME-1"]
    patched = client.patch(f"{ROOMS}/{body['id']}", json={"capacity": 80}, headers=office.headers)
    assert patched.json()["capacity"] == 80
    gone = client.post(f"{ROOMS}/{body['id']}/deactivate", headers=office.headers)
    assert gone.json()["is_active"] is False
    assert audit_count(database, uuid.UUID(body["id"]), "room.deactivated") == 1


def test_student_cannot_touch_the_catalog(
    client: TestClient, student_headers: dict[str, str]
) -> None:
    assert client.get(COURSES, headers=student_headers).status_code == 403
    assert client.get(FACULTY, headers=student_headers).status_code == 403
    denied = client.post(ROOMS, json={"code": "R", "building": "B"}, headers=student_headers)
    assert denied.status_code == 403
