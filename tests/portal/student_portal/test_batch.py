"""`GET /api/student-portal/courses/batch/`: the seed's shape, statuses, totals and its error."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.students.models import StudentStatus
from tests import factories
from tests.conftest import LoginFn
from tests.portal.student_portal import world as w

URL = "/api/student-portal/courses/batch/"


def _batch(database: Database) -> dict[str, Any]:
    """Five ACTIVE courses of CS-2024-3-A in which the student stands differently."""
    with database.session() as s:
        world = w.build(s)
        inst, batch, year, me = world.inst, world.batch, world.year, world.student
        cs301, s301 = w.cs301(s, world)
        bc301 = factories.batch_course(
            s, inst, batch, cs301, year, sec=s301, notes="Core curriculum for 3rd year CS students"
        )
        factories.enrollment(s, inst, me, s301)
        cs302, s302 = w.course_with_section(s, world, "CS302")
        factories.batch_course(s, inst, batch, cs302, year, sec=s302)
        factories.enrollment(s, inst, me, s302, "WAITLISTED")
        cs303, s303 = w.course_with_section(s, world, "CS303", credits=2)
        factories.batch_course(s, inst, batch, cs303, year, sec=s303)
        factories.enrollment(s, inst, me, s303, "WITHDRAWN")
        cs310, _ = w.course_with_section(s, world, "CS310")
        factories.batch_course(s, inst, batch, cs310, year, assignment_type="ELECTIVE")
        cs311, s311 = w.course_with_section(s, world, "CS311")
        factories.batch_course(s, inst, batch, cs311, year, sec=s311, assignment_type="OPTIONAL")
        lab = factories.section(s, inst, cs311, world.term)
        factories.enrollment(s, inst, me, lab)  # another section of the course, same term
        cs399, _s399 = w.course_with_section(s, world, "CS399")
        factories.batch_course(s, inst, batch, cs399, year, status="CANCELLED")

        classmate = w.other_student(s, world)
        factories.enrollment(s, inst, classmate, s301)
        w.other_student(s, world)  # in the batch, enrolled in nothing
        gone = w.other_student(s, world, status=StudentStatus.INACTIVE)
        factories.enrollment(s, inst, gone, s302)
        elsewhere = factories.batch(s, inst, dept=world.dept, year=year, section="B")
        outsider = factories.student(s, inst, of_batch=elsewhere)
        factories.enrollment(s, inst, outsider, s301)
        return {"world": world, "cs301": cs301, "s301": s301, "bc301": bc301}


def test_batch_answers_the_seed_shape(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _batch(database)
    world = made["world"]
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    response = client.get(URL, headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["batch_courses"][0] == {
        "batch_enrollment": {
            "id": str(made["bc301"].id),
            "enrollment_date": "2024-07-01",
            "status": "ACTIVE",
            "auto_enroll_new_students": True,
            "notes": "Core curriculum for 3rd year CS students",
        },
        "course": {
            "id": str(made["cs301"].id),
            "code": "CS301",
            "title": "Data Structures and Algorithms",
            "description": "Advanced data structures and algorithm design",
            "credits": 4,
            "level": "UG",
        },
        "course_section": {
            "id": str(made["s301"].id),
            "section_type": "LECTURE",
            "faculty": {
                "id": str(world.teacher.id),
                "name": "Dr. John Smith",
                "email": "john.smith@university.edu",
            },
            "max_students": 60,
            "current_enrollment": 3,
        },
        "academic_context": {
            "academic_year": "2024-2025",
            "semester": "5",
            "year_of_study": "3",
            "section": "A",
        },
        "student_enrollment_status": "ENROLLED",
    }
    statuses = {
        item["course"]["code"]: item["student_enrollment_status"] for item in body["batch_courses"]
    }
    assert statuses == {
        "CS301": "ENROLLED",
        "CS302": "WAITLISTED",
        "CS303": "DROPPED",
        "CS310": "NOT_ENROLLED",
        "CS311": "ENROLLED",
    }
    without_section = [i for i in body["batch_courses"] if i["course"]["code"] == "CS310"]
    assert without_section[0]["course_section"] is None
    assert body["batch_info"] == {
        "batch_code": "CS-2024-3-A",
        "batch_name": "CS-2024-3-A",
        "department": "Computer Science",
        "academic_program": "B.Tech Computer Science",
        # The student, the classmate and the one enrolled in nothing; not the inactive one.
        "total_students": 3,
        # Active students of the batch ENROLLED in at least one of its courses.
        "enrolled_students": 2,
    }
    assert body["summary"] == {
        "total_batch_courses": 5,
        "mandatory_courses": 3,
        "elective_courses": 2,
        "total_credits": 4 + 3 + 2 + 3 + 3,
        "enrolled_courses": 2,
        "pending_enrollments": 3,
    }


def test_a_drop_then_a_new_enrollment_shows_the_current_one(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        world = w.build(s)
        cs301, s301 = w.cs301(s, world)
        factories.batch_course(s, world.inst, world.batch, cs301, world.year, sec=s301)
        factories.enrollment(s, world.inst, world.student, s301, "DROPPED")
        other = factories.section(s, world.inst, cs301, world.term)
        factories.enrollment(s, world.inst, world.student, other)
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    body = client.get(URL, headers=headers).json()

    assert body["batch_courses"][0]["student_enrollment_status"] == "ENROLLED"
    assert body["summary"]["enrolled_courses"] == 1
    assert body["summary"]["pending_enrollments"] == 0


def test_an_empty_batch(client: TestClient, database: Database, login: LoginFn) -> None:
    with database.session() as s:
        world = w.build(s)
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    body = client.get(URL, headers=headers).json()

    assert body["batch_courses"] == []
    assert body["batch_info"]["total_students"] == 1
    assert body["batch_info"]["enrolled_students"] == 0
    assert body["summary"] == {
        "total_batch_courses": 0,
        "mandatory_courses": 0,
        "elective_courses": 0,
        "total_credits": 0,
        "enrolled_courses": 0,
        "pending_enrollments": 0,
    }


def test_no_batch_is_the_seeds_400(client: TestClient, database: Database, login: LoginFn) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        factories.student(s, inst, "22CS900")
    headers = login("22CS900", factories.PASSWORD, inst.tag)

    response = client.get(URL, headers=headers)

    assert response.status_code == 400
    assert response.json() == {"error": "No batch assigned to student"}
    assert client.get(URL).status_code == 401
