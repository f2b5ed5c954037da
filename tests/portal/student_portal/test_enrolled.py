"""`GET /api/student-portal/courses/enrolled/`: the seed's shape, field by field; filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.db import Database
from tests import factories
from tests.conftest import LoginFn
from tests.portal.student_portal import world as w

URL = "/api/student-portal/courses/enrolled/"


def _seed_example(database: Database) -> dict[str, Any]:
    """The seed's enrolled CS301, plus last year's completed CS201 and CS202."""
    with database.session() as s:
        world = w.build(s)
        course, section = w.cs301(s, world)
        enrollment = factories.enrollment(
            s,
            world.inst,
            world.student,
            section,
            grade="A",
            grade_points=4.0,
            attendance=95.5,
            enrollment_date=date(2024, 7, 15),
        )
        past = w.history(s, world)
        return {
            "world": world,
            "course": course,
            "section": section,
            "enrollment": enrollment,
            "history": past,
        }


def test_enrolled_answers_the_seed_shape(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _seed_example(database)
    world = made["world"]
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    response = client.get(URL, headers=headers)

    assert response.status_code == 200, response.text
    slot = {"start_time": "09:00:00", "end_time": "10:30:00", "room": "CS-101"}
    assert response.json() == {
        "enrolled_courses": [
            {
                "enrollment_id": str(made["enrollment"].id),
                "course": {
                    "id": str(made["course"].id),
                    "code": "CS301",
                    "title": "Data Structures and Algorithms",
                    "description": "Advanced data structures and algorithm design",
                    "credits": 4,
                    "level": "UG",
                    "department": {
                        "id": str(world.dept.id),
                        "name": "Computer Science",
                        "code": "CS001",
                    },
                },
                "course_section": {
                    "id": str(made["section"].id),
                    "section_type": "LECTURE",
                    "faculty": {
                        "id": str(world.teacher.id),
                        "name": "Dr. John Smith",
                        "email": "john.smith@university.edu",
                    },
                    "max_students": 60,
                    "current_enrollment": 1,
                    "available_seats": 59,
                },
                "enrollment": {
                    "enrollment_date": "2024-07-15",
                    "status": "ENROLLED",
                    "enrollment_type": "REGULAR",
                    "grade": "A",
                    "grade_points": 4.0,
                    "attendance_percentage": 95.5,
                    "notes": "",
                },
                "academic_context": {
                    "academic_year": "2024-2025",
                    "semester": "5",
                    "year_of_study": "3",
                    "section": "A",
                },
                "timetable": [
                    {"day": "MONDAY", **slot, "building": "Computer Science Block"},
                    {"day": "WEDNESDAY", **slot, "building": "Computer Science Block"},
                ],
            }
        ],
        "summary": {
            "total_courses": 1,
            "total_credits": 4,
            "enrolled_credits": 4,
            "completed_courses": 0,
            # Cumulative over the completed record: (4 * 4.0 + 2 * 3.0) / 6.
            "current_gpa": 3.67,
            "attendance_average": 95.5,
        },
        "academic_info": {
            "student_batch": {
                "batch_code": "CS-2024-3-A",
                "batch_name": "CS-2024-3-A",
                "department": "Computer Science",
                "academic_program": "B.Tech Computer Science",
                "year_of_study": "3rd Year",
                "section": "A",
                "semester": "5",
            },
            "academic_year": "2024-2025",
        },
    }


def test_status_academic_year_and_semester_filters(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _seed_example(database)
    headers = login("22CS001", factories.PASSWORD, made["world"].tenant)

    completed = client.get(URL, params={"status": "COMPLETED"}, headers=headers).json()
    codes = [item["course"]["code"] for item in completed["enrolled_courses"]]
    assert codes == ["CS201", "CS202"]
    first = completed["enrolled_courses"][0]
    assert first["enrollment"]["status"] == "COMPLETED"
    # Last year's EVEN term was the cohort's 2nd year, 4th semester.
    assert first["academic_context"] == {
        "academic_year": "2023-2024",
        "semester": "4",
        "year_of_study": "2",
        "section": "A",
    }
    assert completed["summary"] == {
        "total_courses": 2,
        "total_credits": 6,
        "enrolled_credits": 0,
        "completed_courses": 2,
        "current_gpa": 3.67,
        "attendance_average": 85.0,
    }

    def listed(**params: Any) -> list[str]:
        body = client.get(URL, params=params, headers=headers).json()
        return [item["course"]["code"] for item in body["enrolled_courses"]]

    assert listed(semester=5) == ["CS301"]
    assert listed(semester=6) == []
    assert listed(academic_year="2024-2025", semester="5") == ["CS301"]
    assert listed(academic_year="2023-2024") == []
    assert listed(status="COMPLETED", academic_year="2023-2024", semester=4) == ["CS201", "CS202"]
    assert listed(status="COMPLETED", semester=5) == []
    assert listed(status="DROPPED") == []


def test_without_grades_or_schedule(client: TestClient, database: Database, login: LoginFn) -> None:
    made = _seed_example(database)
    headers = login("22CS001", factories.PASSWORD, made["world"].tenant)

    body = client.get(
        URL, params={"include_grades": "false", "include_schedule": "false"}, headers=headers
    ).json()

    item = body["enrolled_courses"][0]
    assert item["enrollment"]["grade"] is None
    assert item["enrollment"]["grade_points"] is None
    assert item["enrollment"]["attendance_percentage"] == 95.5
    assert "timetable" not in item
    assert body["summary"]["current_gpa"] is None
    with_all = client.get(URL, headers=headers).json()["enrolled_courses"][0]
    assert len(with_all["timetable"]) == 2


def test_audit_counts_no_credit_and_other_students_are_not_listed(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        world = w.build(s)
        _, section = w.cs301(s, world)
        _, audited = w.course_with_section(s, world, "CS390", credits=3)
        factories.enrollment(s, world.inst, world.student, section)
        factories.enrollment(s, world.inst, world.student, audited, enrollment_type="AUDIT")
        other = w.other_student(s, world)
        _, theirs = w.course_with_section(s, world, "CS399")
        factories.enrollment(s, world.inst, other, theirs)
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    body = client.get(URL, headers=headers).json()

    assert [i["course"]["code"] for i in body["enrolled_courses"]] == ["CS301", "CS390"]
    assert body["enrolled_courses"][1]["enrollment"]["enrollment_type"] == "AUDIT"
    assert body["summary"]["total_courses"] == 2
    assert body["summary"]["total_credits"] == 4
    assert body["summary"]["enrolled_credits"] == 4
    assert body["summary"]["current_gpa"] is None
    assert body["summary"]["attendance_average"] is None


def test_a_student_without_a_batch_has_no_academic_info(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        factories.student(s, inst, "22CS900")
    headers = login("22CS900", factories.PASSWORD, inst.tag)

    response = client.get(URL, headers=headers)

    assert response.status_code == 200, response.text
    assert response.json() == {
        "enrolled_courses": [],
        "summary": {
            "total_courses": 0,
            "total_credits": 0,
            "enrolled_credits": 0,
            "completed_courses": 0,
            "current_gpa": None,
            "attendance_average": None,
        },
        "academic_info": {"student_batch": None, "academic_year": None},
    }


def test_who_may_ask(client: TestClient, database: Database, login: LoginFn) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        factories.user(s, inst, "registrar", Role.REGISTRAR)
        factories.user(s, inst, "orphan", Role.STUDENT)  # a student login with no student record
        factories.student(s, inst, "22CS901")

    assert client.get(URL).status_code == 401
    assert client.get(URL, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    registrar = client.get(URL, headers=login("registrar", factories.PASSWORD, inst.tag))
    assert registrar.status_code == 403
    orphan = client.get(URL, headers=login("orphan", factories.PASSWORD, inst.tag))
    assert orphan.status_code == 404
    assert orphan.json() == {"error": "Student not found"}
    student = login("22CS901", factories.PASSWORD, inst.tag)
    assert client.get(URL, params={"status": "LOST"}, headers=student).status_code == 422
    assert client.get(URL, params={"semester": "13"}, headers=student).status_code == 422
