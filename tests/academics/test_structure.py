"""Departments, programs, academic years and terms through /api/admin/."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.db import Database
from tests import factories
from tests.academics.conftest import Office, audit_count, audit_details, institution
from tests.conftest import LoginFn

DEPARTMENTS = "/api/admin/departments"
PROGRAMS = "/api/admin/programs"
YEARS = "/api/admin/academic-years"
TERMS = "/api/admin/terms"


def test_department_lifecycle(client: TestClient, database: Database, office: Office) -> None:
    created = client.post(
        DEPARTMENTS, json={"code": "CS", "name": "Computer Science"}, headers=office.headers
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["code"] == "CS"
    assert body["name"] == "Computer Science"
    assert body["is_active"] is True
    dept_id = uuid.UUID(body["id"])
    assert audit_count(database, dept_id, "department.created") == 1

    read = client.get(f"{DEPARTMENTS}/{dept_id}", headers=office.headers)
    assert read.status_code == 200
    assert read.json() == body

    patched = client.patch(
        f"{DEPARTMENTS}/{dept_id}", json={"name": "Computing"}, headers=office.headers
    )
    assert patched.status_code == 200
    assert patched.json()["name"] == "Computing"
    assert audit_details(database, dept_id, "department.updated") == {
        "before": {"name": "Computer Science"},
        "after": {"name": "Computing"},
    }

    gone = client.post(f"{DEPARTMENTS}/{dept_id}/deactivate", headers=office.headers)
    assert gone.status_code == 200
    assert gone.json()["is_active"] is False
    assert audit_count(database, dept_id, "department.deactivated") == 1
    # Deactivated, never deleted: still readable, filtered out of the active list.
    assert client.get(f"{DEPARTMENTS}/{dept_id}", headers=office.headers).status_code == 200
    active = client.get(DEPARTMENTS, params={"is_active": True}, headers=office.headers).json()
    assert active["total"] == 0


def test_department_list_paginates_filters_and_stays_in_the_institution(
    client: TestClient, database: Database, office: Office
) -> None:
    with database.session() as session:
        for code in ("D1", "D2", "D3", "MATH"):
            factories.department(session, institution(session, office.institution_id), code)
        factories.department(session, institution(session, office.other_institution_id), "D4")
    page = client.get(DEPARTMENTS, params={"limit": 2, "offset": 1}, headers=office.headers)
    assert page.status_code == 200
    body = page.json()
    assert body["total"] == 4
    assert body["limit"] == 2
    assert body["offset"] == 1
    assert [d["code"] for d in body["items"]] == ["D2", "D3"]
    found = client.get(DEPARTMENTS, params={"q": "mat"}, headers=office.headers).json()
    assert [d["code"] for d in found["items"]] == ["MATH"]


def test_department_code_reused_is_409(client: TestClient, office: Office) -> None:
    client.post(DEPARTMENTS, json={"code": "CS", "name": "A"}, headers=office.headers)
    again = client.post(DEPARTMENTS, json={"code": "CS", "name": "B"}, headers=office.headers)
    assert again.status_code == 409
    assert again.json()["error"] == "Department code CS already exists"


def test_other_institution_rows_do_not_exist(
    client: TestClient, database: Database, office: Office
) -> None:
    with database.session() as session:
        other = institution(session, office.other_institution_id)
        dept = factories.department(session, other)
        year = factories.academic_year(session, other)
        ids = dept.id, year.id
    assert client.get(f"{DEPARTMENTS}/{ids[0]}", headers=office.headers).status_code == 404
    assert (
        client.patch(
            f"{DEPARTMENTS}/{ids[0]}", json={"name": "x"}, headers=office.headers
        ).status_code
        == 404
    )
    assert (
        client.post(f"{DEPARTMENTS}/{ids[0]}/deactivate", headers=office.headers).status_code == 404
    )
    assert client.get(f"{YEARS}/{ids[1]}", headers=office.headers).status_code == 404
    program = client.post(
        PROGRAMS,
        json={"department_id": str(ids[0]), "code": "BT", "name": "B.Tech"},
        headers=office.headers,
    )
    assert program.status_code == 422
    assert program.json()["field"] == "department_id"


def test_student_gets_403(client: TestClient, student_headers: dict[str, str]) -> None:
    assert client.get(DEPARTMENTS, headers=student_headers).status_code == 403
    denied = client.post(DEPARTMENTS, json={"code": "X", "name": "X"}, headers=student_headers)
    assert denied.status_code == 403
    assert client.get(DEPARTMENTS).status_code == 401


def test_program_lifecycle_and_filters(client: TestClient, office: Office) -> None:
    dept = client.post(
        DEPARTMENTS, json={"code": "CS", "name": "CS"}, headers=office.headers
    ).json()
    other = client.post(
        DEPARTMENTS, json={"code": "MBA", "name": "Mgmt"}, headers=office.headers
    ).json()
    payload = {
        "department_id": dept["id"],
        "code": "BTECH-CS",
        "name": "B.Tech CS",
        "level": "UG",
        "duration_semesters": 8,
    }
    created = client.post(PROGRAMS, json=payload, headers=office.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert {k: body[k] for k in payload} == payload
    assert body["is_active"] is True
    client.post(
        PROGRAMS,
        json={
            "department_id": other["id"],
            "code": "MBA",
            "name": "MBA",
            "level": "PG",
            "duration_semesters": 4,
        },
        headers=office.headers,
    )

    by_level = client.get(PROGRAMS, params={"level": "PG"}, headers=office.headers).json()
    assert [p["code"] for p in by_level["items"]] == ["MBA"]
    by_dept = client.get(
        PROGRAMS, params={"department_id": dept["id"]}, headers=office.headers
    ).json()
    assert [p["code"] for p in by_dept["items"]] == ["BTECH-CS"]

    patched = client.patch(
        f"{PROGRAMS}/{body['id']}", json={"duration_semesters": 10}, headers=office.headers
    )
    assert patched.status_code == 200
    assert patched.json()["duration_semesters"] == 10
    dup = client.patch(f"{PROGRAMS}/{body['id']}", json={"code": "MBA"}, headers=office.headers)
    assert dup.status_code == 409
    assert dup.json()["error"] == "Program code MBA already exists"
    nulled = client.patch(f"{PROGRAMS}/{body['id']}", json={"name": None}, headers=office.headers)
    assert nulled.status_code == 422
    gone = client.delete(f"{PROGRAMS}/{body['id']}", headers=office.headers)
    assert gone.status_code == 200
    assert gone.json()["is_active"] is False


def test_academic_year_lifecycle_and_one_current_year(
    client: TestClient, database: Database, office: Office
) -> None:
    first = client.post(
        YEARS,
        json={
            "code": "2024-2025",
            "start_date": "2024-06-01",
            "end_date": "2025-05-31",
            "is_current": True,
        },
        headers=office.headers,
    )
    assert first.status_code == 201, first.text
    assert first.json()["is_current"] is True
    second = client.post(
        YEARS,
        json={
            "code": "2025-2026",
            "start_date": "2025-06-01",
            "end_date": "2026-05-31",
            "is_current": True,
        },
        headers=office.headers,
    )
    assert second.status_code == 201
    current = client.get(YEARS, params={"is_current": True}, headers=office.headers).json()
    assert [y["code"] for y in current["items"]] == ["2025-2026"]
    listing = client.get(YEARS, headers=office.headers).json()
    assert [y["code"] for y in listing["items"]] == ["2025-2026", "2024-2025"]

    year_id = second.json()["id"]
    patched = client.patch(
        f"{YEARS}/{year_id}", json={"end_date": "2026-04-30"}, headers=office.headers
    )
    assert patched.status_code == 200
    assert patched.json()["end_date"] == "2026-04-30"
    retired = client.post(f"{YEARS}/{year_id}/deactivate", headers=office.headers)
    assert retired.status_code == 200
    assert retired.json()["is_current"] is False
    assert audit_count(database, uuid.UUID(year_id), "academic_year.deactivated") == 1


def test_academic_year_bad_dates_and_duplicate(client: TestClient, office: Office) -> None:
    backwards = client.post(
        YEARS,
        json={"code": "2024-2025", "start_date": "2025-06-01", "end_date": "2024-05-31"},
        headers=office.headers,
    )
    assert backwards.status_code == 422
    assert backwards.json()["error"] == "end_date must be after start_date"
    ok = client.post(
        YEARS,
        json={"code": "2024-2025", "start_date": "2024-06-01", "end_date": "2025-05-31"},
        headers=office.headers,
    )
    assert ok.status_code == 201
    dup = client.post(
        YEARS,
        json={"code": "2024-2025", "start_date": "2024-06-01", "end_date": "2025-05-31"},
        headers=office.headers,
    )
    assert dup.status_code == 409
    assert dup.json()["error"] == "Academic year 2024-2025 already exists"
    patch = client.patch(
        f"{YEARS}/{ok.json()['id']}", json={"end_date": "2024-01-01"}, headers=office.headers
    )
    assert patch.status_code == 422


def _term_payload(year_id: str, **overrides: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "academic_year_id": year_id,
        "code": "2024-ODD",
        "name": "Odd Semester 2024",
        "kind": "ODD",
        "start_date": "2024-07-01",
        "end_date": "2024-11-30",
        "registration_start": "2024-06-01T00:00:00Z",
        "registration_end": "2024-06-30T23:59:00Z",
        "drop_deadline": "2024-07-31T23:59:00Z",
        "min_credits": 15,
        "max_credits": 30,
    }
    payload.update(overrides)
    return payload


def test_term_lifecycle_and_filters(client: TestClient, database: Database, office: Office) -> None:
    year = client.post(
        YEARS,
        json={"code": "2024-2025", "start_date": "2024-06-01", "end_date": "2025-05-31"},
        headers=office.headers,
    ).json()
    created = client.post(TERMS, json=_term_payload(year["id"]), headers=office.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["code"] == "2024-ODD"
    assert body["kind"] == "ODD"
    assert body["max_credits"] == 30
    assert body["registration_start"].startswith("2024-06-01T00:00:00")
    even = client.post(
        TERMS,
        json=_term_payload(
            year["id"],
            code="2024-EVEN",
            kind="EVEN",
            start_date="2024-12-01",
            end_date="2025-04-30",
        ),
        headers=office.headers,
    )
    assert even.status_code == 201
    by_kind = client.get(TERMS, params={"kind": "EVEN"}, headers=office.headers).json()
    assert [t["code"] for t in by_kind["items"]] == ["2024-EVEN"]
    by_year = client.get(
        TERMS, params={"academic_year_id": year["id"]}, headers=office.headers
    ).json()
    assert by_year["total"] == 2

    patched = client.patch(
        f"{TERMS}/{body['id']}", json={"max_credits": 26}, headers=office.headers
    )
    assert patched.status_code == 200
    assert patched.json()["max_credits"] == 26
    assert audit_details(database, uuid.UUID(body["id"]), "term.updated") == {
        "before": {"max_credits": 30},
        "after": {"max_credits": 26},
    }
    gone = client.post(f"{TERMS}/{body['id']}/deactivate", headers=office.headers)
    assert gone.status_code == 200
    assert gone.json()["is_active"] is False


def test_term_validation(client: TestClient, database: Database, office: Office) -> None:
    year = client.post(
        YEARS,
        json={"code": "2024-2025", "start_date": "2024-06-01", "end_date": "2025-05-31"},
        headers=office.headers,
    ).json()
    backwards = client.post(
        TERMS, json=_term_payload(year["id"], end_date="2024-06-01"), headers=office.headers
    )
    assert backwards.status_code == 422
    assert "end_date" in backwards.json()["error"]
    window = client.post(
        TERMS,
        json=_term_payload(year["id"], registration_end="2024-05-01T00:00:00Z"),
        headers=office.headers,
    )
    assert window.status_code == 422
    assert window.json()["error"] == "registration_end must be after registration_start"
    credits = client.post(
        TERMS, json=_term_payload(year["id"], min_credits=31), headers=office.headers
    )
    assert credits.status_code == 422
    naive = client.post(
        TERMS,
        json=_term_payload(year["id"], registration_start="2024-06-01T00:00:00"),
        headers=office.headers,
    )
    assert naive.status_code == 422

    first = client.post(TERMS, json=_term_payload(year["id"]), headers=office.headers)
    assert first.status_code == 201
    same_code = client.post(
        TERMS, json=_term_payload(year["id"], kind="EVEN"), headers=office.headers
    )
    assert same_code.status_code == 409
    assert same_code.json()["error"] == "Term code 2024-ODD already exists"
    same_kind = client.post(
        TERMS, json=_term_payload(year["id"], code="OTHER"), headers=office.headers
    )
    assert same_kind.status_code == 409
    assert same_kind.json()["error"] == "Academic year 2024-2025 already has a ODD term"
    # A PATCH is checked against the term's other dates as stored.
    shrink = client.patch(
        f"{TERMS}/{first.json()['id']}",
        json={"registration_end": "2024-05-01T00:00:00Z"},
        headers=office.headers,
    )
    assert shrink.status_code == 422

    with database.session() as session:
        foreign_year = factories.academic_year(
            session, institution(session, office.other_institution_id)
        ).id
    foreign = client.post(
        TERMS, json=_term_payload(str(foreign_year), code="X"), headers=office.headers
    )
    assert foreign.status_code == 422
    assert foreign.json()["field"] == "academic_year_id"


def test_search_takes_wildcards_literally(
    client: TestClient, database: Database, office: Office
) -> None:
    with database.session() as session:
        inst = institution(session, office.institution_id)
        factories.department(session, inst, "CS_1")
        factories.department(session, inst, "CSX1")
    found = client.get(DEPARTMENTS, params={"q": "cs_"}, headers=office.headers).json()
    assert [d["code"] for d in found["items"]] == ["CS_1"]


def test_an_admin_manages_the_structure_of_their_institution(
    client: TestClient, database: Database, office: Office, login: LoginFn
) -> None:
    with database.session() as session:
        admin = factories.user(
            session, institution(session, office.institution_id), role=Role.ADMIN
        )
        username = admin.username
    headers = login(username, factories.PASSWORD, tenant=office.tag)
    created = client.post(DEPARTMENTS, json={"code": "EE", "name": "EE"}, headers=headers)
    assert created.status_code == 201
    listed = client.get(DEPARTMENTS, headers=office.headers).json()
    assert [d["code"] for d in listed["items"]] == ["EE"]
