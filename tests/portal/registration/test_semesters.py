"""Seed 002 reads: semesters, their courses, one course."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests import factories
from tests.conftest import LoginFn
from tests.portal.registration.conftest import Campus


def student_headers(login: LoginFn, campus: Campus, index: int = 0) -> dict[str, str]:
    return login(campus.rolls[index], factories.PASSWORD)


def test_semesters_list_and_one(client: TestClient, login: LoginFn, campus: Campus) -> None:
    headers = student_headers(login, campus)
    response = client.get("/semesters/", headers=headers)
    assert response.status_code == 200
    semesters = {item["id"]: item for item in response.json()}
    assert set(semesters) == {str(campus.open_term), str(campus.closed_term)}
    opened = semesters[str(campus.open_term)]
    assert opened["name"] == "2024-2025 Odd Semester"
    assert opened["academic_year"] == "2024-2025"
    assert opened["is_registration_open"] is True
    assert {"registration_start", "registration_end"} <= set(opened)
    assert semesters[str(campus.closed_term)]["is_registration_open"] is False

    one = client.get(f"/semesters/{campus.open_term}", headers=headers)
    assert one.status_code == 200
    assert one.json() == opened


def test_semester_errors(client: TestClient, login: LoginFn, campus: Campus) -> None:
    assert client.get("/semesters/").status_code == 401
    headers = student_headers(login, campus)
    missing = client.get(f"/semesters/{uuid.uuid4()}", headers=headers)
    assert missing.status_code == 404
    assert missing.json() == {"error": "Semester not found"}
    assert client.get("/semesters/not-a-uuid", headers=headers).status_code == 422
    courses = client.get(f"/semesters/{uuid.uuid4()}/courses", headers=headers)
    assert courses.status_code == 404


def test_semester_courses(client: TestClient, login: LoginFn, campus: Campus) -> None:
    headers = student_headers(login, campus)
    response = client.get(f"/semesters/{campus.open_term}/courses", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert [item["course_code"] for item in body] == ["CS301", "CS302"]
    dbms = body[1]
    assert dbms == {
        "id": str(campus.dbms),
        "semester_id": str(campus.open_term),
        "course_name": "Database Management Systems",
        "course_code": "CS302",
        "professor": "Dr. Jane Doe",
        "schedule": "MON,WED 09:00-10:30",
        "max_capacity": 1,
        "reserve_limit": 1,
        "enrolled_count": 0,
        "reserved_count": 0,
        "available_seats": 1,
        "credits": 4,
    }
    assert body[0]["professor"] is None
    assert body[0]["schedule"] == "TUE 11:00-12:30"


def test_one_course_and_its_counts(client: TestClient, login: LoginFn, campus: Campus) -> None:
    first = student_headers(login, campus, 0)
    second = student_headers(login, campus, 1)
    assert client.post(f"/courses/{campus.dbms}/register", headers=first).status_code == 201
    assert client.post(f"/courses/{campus.dbms}/register", headers=second).status_code == 201
    response = client.get(f"/courses/{campus.dbms}", headers=first)
    assert response.status_code == 200
    body = response.json()
    assert (body["enrolled_count"], body["reserved_count"], body["available_seats"]) == (1, 1, 0)
    missing = client.get(f"/courses/{uuid.uuid4()}", headers=first)
    assert missing.status_code == 404
    assert missing.json() == {"error": "Course not found"}
