"""Concurrent requests on PostgreSQL: the homeroom's last place and one student's two requests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.students.models import Student, StudentBatch
from tests import factories
from tests.enrollment.continuing.school import PATH, School, body
from tests.enrollment.continuing.test_levels import set_homeroom_capacity


def test_the_last_place_in_a_homeroom_goes_to_one_student(
    pg: Database, pg_client: TestClient, school: School
) -> None:
    set_homeroom_capacity(pg, "SEC-G4-A", 2)  # ELEM-FILLER holds one
    rolls = ["ELEM123", "ELEM-SUMMER", "ELEM-LOWAVG"]
    login = pg_client.post(
        "/auth/login",
        json={"username": "REGISTRAR_001", "password": factories.PASSWORD},
        headers={"x-tenant-tag": school.tag},
    )
    headers = {
        "Authorization": f"Bearer {login.json()['access_token']}",
        "x-tenant-tag": school.tag,
    }

    def enroll(roll: str) -> int:
        status: int = pg_client.post(
            PATH, json=body(roll, sectionId="SEC-G4-A"), headers=headers
        ).status_code
        return status

    with ThreadPoolExecutor(max_workers=3) as pool:
        statuses = sorted(pool.map(enroll, rolls))

    assert statuses == [200, 400, 400]
    with pg.session(write=False) as session:
        homeroom = session.scalar(select(StudentBatch.id).where(StudentBatch.code == "SEC-G4-A"))
        members = session.scalar(select(func.count(Student.id)).where(Student.batch_id == homeroom))
    assert members == 2


def test_one_students_simultaneous_requests_enroll_once(
    pg: Database, pg_client: TestClient, school: School
) -> None:
    login = pg_client.post(
        "/auth/login",
        json={"username": "REGISTRAR_001", "password": factories.PASSWORD},
        headers={"x-tenant-tag": school.tag},
    )
    headers = {
        "Authorization": f"Bearer {login.json()['access_token']}",
        "x-tenant-tag": school.tag,
    }

    def enroll(_: int) -> int:
        response = pg_client.post(PATH, json=body("ELEM123", sectionId="SEC-G4-A"), headers=headers)
        status: int = response.status_code
        return status

    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(enroll, range(4)))

    assert statuses == [200, 400, 400, 400]
    with pg.session(write=False) as session:
        seats = session.scalar(
            select(func.count(Enrollment.id)).where(
                Enrollment.student_id == school.students["ELEM123"],
                Enrollment.status == EnrollmentStatus.ENROLLED,
            )
        )
        student = session.get(Student, school.students["ELEM123"])
    assert seats == 6
    assert student is not None
    assert student.grade_level == 4
