"""Seed 002 reads: semesters, their courses, one course."""

from __future__ import annotations

import uuid
from datetime import time

from fastapi.testclient import TestClient

from registrar.academics.models import Weekday
from registrar.db import Database
from registrar.main import create_app
from registrar.portal.registration.shapes import schedule_of
from tests import factories
from tests.conftest import LoginFn, make_settings
from tests.portal.registration.conftest import Campus
from tests.statements import counting, engines_of


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
    assert client.post(f"/courses/{campus.dbms}/register", headers=first).status_code == 200
    assert client.post(f"/courses/{campus.dbms}/register", headers=second).status_code == 200
    response = client.get(f"/courses/{campus.dbms}", headers=first)
    assert response.status_code == 200
    body = response.json()
    assert (body["enrolled_count"], body["reserved_count"], body["available_seats"]) == (1, 1, 0)
    missing = client.get(f"/courses/{uuid.uuid4()}", headers=first)
    assert missing.status_code == 404
    assert missing.json() == {"error": "Course not found"}


def test_semester_courses_carry_an_etag_and_revalidate(
    client: TestClient, login: LoginFn, campus: Campus
) -> None:
    headers = student_headers(login, campus)
    path = f"/semesters/{campus.open_term}/courses"
    first = client.get(path, headers=headers)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, no-cache"
    assert first.headers["vary"] == "Accept-Encoding"

    unchanged = client.get(path, headers={**headers, "If-None-Match": tag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == tag

    # A registration changes the counts, so the old tag no longer matches.
    assert client.post(f"/courses/{campus.dbms}/register", headers=headers).status_code == 200
    changed = client.get(path, headers={**headers, "If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != tag
    assert [item["enrolled_count"] for item in changed.json()] == [0, 1]


def test_semester_courses_are_gzipped_for_clients_that_take_it(
    client: TestClient, login: LoginFn, campus: Campus
) -> None:
    headers = student_headers(login, campus)
    path = f"/semesters/{campus.open_term}/courses"
    plain = client.get(path, headers={**headers, "Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    zipped = client.get(path, headers={**headers, "Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert int(zipped.headers["content-length"]) < len(plain.content)
    assert zipped.json() == plain.json()  # the client decompresses it


def test_semester_courses_are_built_once_per_cache_window(
    database: Database, campus: Campus
) -> None:
    settings = make_settings(database, LIST_CACHE_SECONDS="60", AUTH_CACHE_SECONDS="60")
    with TestClient(create_app(settings, database)) as client:
        headers = log_in(client, campus.rolls[0])
        path = f"/semesters/{campus.open_term}/courses"
        first = client.get(path, headers=headers)
        with counting(engines_of(client)) as statements:
            again = client.get(path, headers=headers)
            elsewhere = client.get(f"/semesters/{campus.closed_term}/courses", headers=headers)
        assert again.status_code == elsewhere.status_code == 200
        assert again.headers["etag"] == first.headers["etag"]
        assert again.json() == first.json()
        # The open term's list came from memory; only the other term's was built.
        assert len(statements) == (2 if database.is_sqlite else 1)
        assert [item["course_code"] for item in elsewhere.json()] == ["CS401"]


def log_in(client: TestClient, roll: str) -> dict[str, str]:
    """Log a student in on this client."""
    response = client.post("/auth/login", json={"username": roll, "password": factories.PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_schedule_writes_times_as_hours_and_minutes() -> None:
    meetings = [
        (Weekday.WEDNESDAY, time(9, 5), time(10, 30)),
        (Weekday.MONDAY, time(9, 5), time(10, 30)),
        (Weekday.FRIDAY, time(14, 0), time(15, 0)),
    ]
    assert schedule_of(meetings) == "MON,WED 09:05-10:30; FRI 14:00-15:00"
    assert schedule_of([]) == "TBA"
