"""`GET /api/student-portal/courses/available/`: the seed's shape, its filters and its error."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registrar.academics.models import SectionType, TermKind, Weekday
from registrar.db import Database
from tests import factories
from tests.conftest import LoginFn
from tests.portal.student_portal import world as w

URL = "/api/student-portal/courses/available/"


def _catalog(database: Database) -> dict[str, Any]:
    """The batch's semester-5 courses around the seed's CS302, and some that must not show."""
    with database.session() as s:
        world = w.build(s)
        past = w.history(s, world)
        inst, batch, year = world.inst, world.batch, world.year
        cs301, s301 = w.cs301(s, world)
        factories.enrollment(s, inst, world.student, s301)
        factories.batch_course(s, inst, batch, cs301, year, sec=s301)

        jane = factories.faculty(s, inst, world.dept)
        room = factories.room(s, inst, "CS-102")
        room.building = "Computer Science Block"
        cs302 = factories.course(
            s,
            inst,
            world.dept,
            "CS302",
            credits=3,
            title="Database Management Systems",
            description="Introduction to database concepts and SQL",
            level="UG",
        )
        factories.prerequisites_of(s, cs302, past.cs201)
        s302 = factories.section(
            s,
            inst,
            cs302,
            world.term,
            capacity=60,
            slots=((Weekday.TUESDAY, time(11), time(12, 30)),),
            teacher=jane,
            where=room,
        )
        factories.enrollment(s, inst, w.other_student(s, world), s302)
        bc302 = factories.batch_course(s, inst, batch, cs302, year, sec=s302)

        never = factories.course(s, inst, world.dept, "CS205", title="Operating Systems")
        cs310, open_a = w.course_with_section(s, world, "CS310", title="Machine Learning")
        factories.prerequisites_of(s, cs310, past.cs202, never)
        open_b = factories.section(s, inst, cs310, world.term, capacity=40, slots=())
        elsewhere = factories.batch(s, inst, dept=world.dept, year=year, section="B")
        factories.section(s, inst, cs310, world.term, batch=elsewhere)  # another batch's
        even = factories.term(s, inst, year, TermKind.EVEN)
        factories.section(s, inst, cs310, even)  # the wrong half of the year
        factories.batch_course(
            s, inst, batch, cs310, year, assignment_type="ELECTIVE", auto_enroll=False
        )

        maths = factories.department(s, inst, "MA001")
        ma101 = factories.course(s, inst, maths, "MA101", title="Linear Algebra")
        factories.batch_course(s, inst, batch, ma101, year, assignment_type="OPTIONAL")

        cs320, _ = w.course_with_section(s, world, "CS320", term=even)
        factories.batch_course(s, inst, batch, cs320, year, semester=6)
        cs330, _ = w.course_with_section(s, world, "CS330")
        factories.batch_course(s, inst, batch, cs330, year, status="INACTIVE")
        return {
            "world": world,
            "cs302": cs302,
            "s302": s302,
            "jane": jane,
            "bc302": bc302,
            "open": [open_a.id, open_b.id],
            "registration_end": world.term.registration_end,
        }


def test_available_answers_the_seed_shape(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _catalog(database)
    world, cs302 = made["world"], made["cs302"]
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    response = client.get(URL, headers=headers)

    assert response.status_code == 200, response.text
    body = response.json()
    assert [c["course"]["code"] for c in body["available_courses"]] == [
        "CS302",
        "CS310",
        "MA101",
    ]
    assert body["available_courses"][0] == {
        "course": {
            "id": str(cs302.id),
            "code": "CS302",
            "title": "Database Management Systems",
            "description": "Introduction to database concepts and SQL",
            "credits": 3,
            "level": "UG",
            "department": {"id": str(world.dept.id), "name": "Computer Science", "code": "CS001"},
        },
        "assignment_info": {
            "assignment_type": "MANDATORY",
            "year_of_study": 3,
            "is_required": True,
            "prerequisites": [
                {
                    "course_code": "CS201",
                    "course_title": "Programming Fundamentals",
                    "status": "COMPLETED",
                    "grade": "A",
                }
            ],
        },
        "available_sections": [
            {
                "id": str(made["s302"].id),
                "section_type": "LECTURE",
                "faculty": {
                    "id": str(made["jane"].id),
                    "name": "Dr. Jane Doe",
                    "email": "jane.doe@university.edu",
                },
                "max_students": 60,
                "current_enrollment": 1,
                "available_seats": 59,
                "timetable": [
                    {
                        "day": "TUESDAY",
                        "start_time": "11:00:00",
                        "end_time": "12:30:00",
                        "room": "CS-102",
                        "building": "Computer Science Block",
                    }
                ],
                "linked_to_section_id": None,
                "eligibility": {"outcome": "ENROLLED", "reasons": []},
            }
        ],
        "batch_enrollment": {
            "is_batch_enrolled": True,
            "auto_enroll": True,
            "enrollment_status": "ACTIVE",
        },
    }
    assert body["filters_applied"] == {
        "academic_year": "2024-2025",
        "semester": "5",
        "course_type": None,
        "department": None,
    }
    assert body["enrollment_guidelines"] == {
        "max_credits_per_semester": 30,
        "min_credits_per_semester": 15,
        "enrollment_deadline": made["registration_end"].date().isoformat(),
        "prerequisite_check_required": True,
    }


def test_elective_without_its_own_section_offers_the_open_sections_of_its_term(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _catalog(database)
    headers = login("22CS001", factories.PASSWORD, made["world"].tenant)

    cs310 = client.get(URL, headers=headers).json()["available_courses"][1]

    assert cs310["assignment_info"] == {
        "assignment_type": "ELECTIVE",
        "year_of_study": 3,
        "is_required": False,
        "prerequisites": [
            {
                "course_code": "CS202",
                "course_title": "Discrete Mathematics",
                "status": "COMPLETED",
                "grade": "B",
            },
            {
                "course_code": "CS205",
                "course_title": "Operating Systems",
                "status": "PENDING",
                "grade": None,
            },
        ],
    }
    assert sorted(s["id"] for s in cs310["available_sections"]) == sorted(
        str(i) for i in made["open"]
    )
    without_slots = [s for s in cs310["available_sections"] if s["max_students"] == 40]
    assert without_slots[0]["timetable"] == []
    assert cs310["batch_enrollment"] == {
        "is_batch_enrolled": True,
        "auto_enroll": False,
        "enrollment_status": "ACTIVE",
    }


def test_filters(client: TestClient, database: Database, login: LoginFn) -> None:
    made = _catalog(database)
    headers = login("22CS001", factories.PASSWORD, made["world"].tenant)

    def codes(**params: Any) -> list[str]:
        response = client.get(URL, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [c["course"]["code"] for c in response.json()["available_courses"]]

    assert codes(course_type="ELECTIVE") == ["CS310"]
    assert codes(course_type="OPTIONAL") == ["MA101"]
    assert codes(course_type="MANDATORY") == ["CS302"]
    assert codes(department="CS001") == ["CS302", "CS310"]
    assert codes(department="MA001") == ["MA101"]
    assert codes(semester=6) == ["CS320"]
    assert codes(academic_year="2023-2024") == []
    filtered = client.get(
        URL,
        params={"course_type": "ELECTIVE", "department": "CS001", "semester": "5"},
        headers=headers,
    ).json()
    assert filtered["filters_applied"] == {
        "academic_year": "2024-2025",
        "semester": "5",
        "course_type": "ELECTIVE",
        "department": "CS001",
    }
    assert client.get(URL, params={"course_type": "CORE"}, headers=headers).status_code == 422


@pytest.mark.parametrize("minimum", [12, 0])  # 0 is a limit too, not "use the institution's"
def test_even_semester_guidelines_come_from_the_even_term(
    client: TestClient, database: Database, login: LoginFn, minimum: int
) -> None:
    made = _catalog(database)
    headers = login("22CS001", factories.PASSWORD, made["world"].tenant)
    with database.session() as s:
        even = factories.term(
            s,
            made["world"].inst,
            factories.academic_year(s, made["world"].inst, "2025-2026"),
            TermKind.EVEN,
            min_credits=minimum,
            max_credits=24,
        )
        deadline = even.registration_end.date().isoformat()

    body = client.get(URL, params={"academic_year": "2025-2026", "semester": 6}, headers=headers)

    assert body.json()["enrollment_guidelines"] == {
        "max_credits_per_semester": 24,
        "min_credits_per_semester": minimum,
        "enrollment_deadline": deadline,
        "prerequisite_check_required": True,
    }


def test_leaving_out_prerequisites_and_sections(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    made = _catalog(database)
    headers = login("22CS001", factories.PASSWORD, made["world"].tenant)

    body = client.get(
        URL,
        params={"include_prerequisites": "false", "include_sections": "false"},
        headers=headers,
    ).json()

    first = body["available_courses"][0]
    assert set(first) == {"course", "assignment_info", "batch_enrollment"}
    assert set(first["assignment_info"]) == {"assignment_type", "year_of_study", "is_required"}


def test_failed_prerequisite_is_pending_with_its_grade(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        world = w.build(s)
        last = factories.term(s, world.inst, factories.academic_year(s, world.inst, "2023-2024"))
        cs201, s201 = w.course_with_section(s, world, "CS201", term=last)
        factories.enrollment(s, world.inst, world.student, s201, "COMPLETED", grade="F")
        cs302, _ = w.course_with_section(s, world, "CS302")
        factories.prerequisites_of(s, cs302, cs201)
        factories.batch_course(s, world.inst, world.batch, cs302, world.year)
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    body = client.get(URL, headers=headers).json()

    prerequisite = body["available_courses"][0]["assignment_info"]["prerequisites"][0]
    assert prerequisite["status"] == "PENDING"
    assert prerequisite["grade"] == "F"


def test_a_lab_names_the_lecture_it_is_taken_with(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        world = w.build(s)
        ph101, lecture = w.course_with_section(s, world, "PH101")
        ph101.requires_linked_section = True
        lab = factories.section(s, world.inst, ph101, world.term, code="PH101-L1", slots=())
        lab.section_type, lab.linked_to_section_id = SectionType.LAB, lecture.id
        factories.batch_course(s, world.inst, world.batch, ph101, world.year)
    headers = login("22CS001", factories.PASSWORD, world.tenant)

    (physics,) = client.get(URL, headers=headers).json()["available_courses"]

    linked = {s["id"]: s["linked_to_section_id"] for s in physics["available_sections"]}
    assert linked == {str(lecture.id): None, str(lab.id): str(lecture.id)}


def test_no_batch_is_the_seeds_400(client: TestClient, database: Database, login: LoginFn) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        factories.student(s, inst, "22CS900")
    headers = login("22CS900", factories.PASSWORD, inst.tag)

    response = client.get(URL, headers=headers)

    assert response.status_code == 400
    assert response.json() == {"error": "No batch assigned to student"}
