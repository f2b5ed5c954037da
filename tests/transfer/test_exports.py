"""GET /api/admin/sections/{id}/roster.csv and /api/admin/batches/{id}/enrollments.csv."""

from __future__ import annotations

import csv
import io
import uuid

from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from tests import factories
from tests.conftest import LoginFn
from tests.transfer.conftest import Campus


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_section_roster_csv(
    client: TestClient, registrar: dict[str, str], campus: Campus, database: Database
) -> None:
    with database.session() as s:
        section = factories.section(s, campus.inst, campus.dsa, campus.term, capacity=2)
        code = section.code
        for roll, status, grade in (
            ("22CS002", EnrollmentStatus.COMPLETED, "A+"),
            ("22CS001", EnrollmentStatus.ENROLLED, None),
            ("22CS004", EnrollmentStatus.WAITLISTED, None),
            ("22CS003", EnrollmentStatus.WAITLISTED, None),
        ):
            stu = factories.student(s, campus.inst, roll, of_batch=campus.batch, with_login=False)
            factories.enrollment(
                s,
                campus.inst,
                stu,
                section,
                status,
                grade=grade,
                grade_points="9.00" if grade else None,
                attendance="87.50" if grade else None,
                enrollment_type=EnrollmentType.REPEAT if grade else None,
            )
        section_id = section.id
    response = client.get(f"/api/admin/sections/{section_id}/roster.csv", headers=registrar)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == f'attachment; filename="roster-{code}.csv"'
    assert response.text.splitlines()[0] == (
        "roll_number,name,email,status,enrollment_type,waitlist_position,grade,grade_points,"
        "attendance_percentage"
    )
    rows = rows_of(response.text)
    assert [(r["roll_number"], r["status"], r["waitlist_position"]) for r in rows] == [
        ("22CS001", "ENROLLED", ""),
        ("22CS002", "COMPLETED", ""),
        ("22CS004", "WAITLISTED", "1"),
        ("22CS003", "WAITLISTED", "2"),
    ]
    completed = rows[1]
    assert (completed["grade"], completed["grade_points"], completed["attendance_percentage"]) == (
        "A+",
        "9",
        "87.5",
    )
    assert completed["enrollment_type"] == "REPEAT"
    assert completed["email"] == "22cs002@university.edu"


def test_batch_enrollments_csv_for_the_current_term(
    client: TestClient, registrar: dict[str, str], campus: Campus, database: Database
) -> None:
    with database.session() as s:
        old_year = factories.academic_year(s, campus.inst, "2023-2024")
        old_term = factories.term(s, campus.inst, old_year, code="2023-ODD")
        current = factories.section(s, campus.inst, campus.dsa, campus.term)
        lab = factories.section(
            s, campus.inst, factories.course(s, campus.inst, campus.cs, "CS302"), campus.term
        )
        past = factories.section(s, campus.inst, campus.dsa, old_term)
        asha = factories.student(s, campus.inst, "22CS001", of_batch=campus.batch, with_login=False)
        factories.student(s, campus.inst, "22CS002", of_batch=campus.batch, with_login=False)
        factories.enrollment(s, campus.inst, asha, current)
        factories.enrollment(s, campus.inst, asha, lab, EnrollmentStatus.DROPPED)
        factories.enrollment(s, campus.inst, asha, past, EnrollmentStatus.COMPLETED, grade="B")
        codes = (current.code, lab.code)
    path = f"/api/admin/batches/{campus.batch.id}/enrollments.csv"
    response = client.get(path, headers=registrar)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="enrollments-CS-2024-3-A-2024-ODD.csv"'
    )
    rows = rows_of(response.text)
    assert [
        (r["roll_number"], r["term_code"], r["course_code"], r["section_code"], r["status"])
        for r in rows
    ] == [
        ("22CS001", "2024-ODD", "CS301", codes[0], "ENROLLED"),
        ("22CS001", "2024-ODD", "CS302", codes[1], "DROPPED"),
        ("22CS002", "", "", "", ""),
    ]
    older = rows_of(client.get(path, params={"term": "2023-ODD"}, headers=registrar).text)
    assert [(r["roll_number"], r["status"], r["grade"]) for r in older] == [
        ("22CS001", "COMPLETED", "B"),
        ("22CS002", "", ""),
    ]
    unknown = client.get(path, params={"term": "NOPE"}, headers=registrar)
    assert unknown.status_code == 422


def test_exports_are_for_the_registrar_of_the_institution(
    client: TestClient, campus: Campus, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        section_id = factories.section(s, campus.inst, campus.dsa, campus.term).id
    roster = f"/api/admin/sections/{section_id}/roster.csv"
    batch = f"/api/admin/batches/{campus.batch.id}/enrollments.csv"
    other = login("other-registrar", factories.PASSWORD, campus.other.tag)
    assert client.get(roster, headers=other).status_code == 404
    assert client.get(batch, headers=other).status_code == 404
    mine = login("registrar", factories.PASSWORD, campus.inst.tag)
    assert (
        client.get(f"/api/admin/sections/{uuid.uuid4()}/roster.csv", headers=mine).status_code
        == 404
    )
    faculty = login("prof", factories.PASSWORD, campus.inst.tag)
    assert client.get(roster, headers=faculty).status_code == 403
    assert client.get(batch).status_code == 401
