"""POST /api/admin/courses/import and /api/admin/sections/import."""

from __future__ import annotations

from datetime import time

from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.academics.models import Course, CourseSection, TimetableSlot, Weekday
from registrar.db import Database
from tests import factories
from tests.transfer.conftest import Campus, count, post_csv

COURSES = "/api/admin/courses/import"
SECTIONS = "/api/admin/sections/import"


def test_courses_with_prerequisites_later_in_the_file(
    client: TestClient, registrar: dict[str, str], campus: Campus, database: Database
) -> None:
    text = "\n".join(
        [
            "code,title,credits,department_code,prerequisites",
            "CS401,Compilers,4,CS,CS302; cs301",  # CS302 comes later in the file
            "CS302,Theory of Computation,3,CS,CS301",
            "EE101,Circuits,3,EE,",
        ]
    )
    dry = post_csv(client, COURSES, text, registrar, dry_run=True).json()
    assert (dry["ok"], dry["created"]) == (True, {"courses": 3, "prerequisites": 3})
    assert count(database, Course) == 1
    response = post_csv(client, COURSES, text, registrar)
    assert response.status_code == 200, response.text
    with database.session(write=False) as s:
        ids = {row.code: row.id for row in s.execute(select(Course.code, Course.id))}
    compilers = client.get(f"/api/admin/courses/{ids['CS401']}", headers=registrar).json()
    assert sorted(p["code"] for p in compilers["prerequisites"]) == ["CS301", "CS302"]
    assert compilers["credits"] == 4
    assert compilers["department_id"] == str(campus.cs.id)


def test_course_problems_and_a_cycle_are_all_reported(
    client: TestClient, registrar: dict[str, str], database: Database
) -> None:
    text = "\n".join(
        [
            "code,title,credits,department_code,prerequisites",
            "CS501,A,4,CS,CS502",  # line 2: cycle CS501 -> CS502 -> CS503 -> CS501
            "CS502,B,4,CS,CS503",  # 3: cycle
            "CS503,C,4,CS,CS501",  # 4: cycle
            "CS301,Again,4,CS,",  # 5: code already in the institution
            "CS504,D,4,XX,CS999",  # 6: unknown department, unknown prerequisite
            "CS505,E,four,CS,CS505",  # 7: bad credits (and not its own prerequisite)
            "CS506,F,4,CS,CS506",  # 8: its own prerequisite
        ]
    )
    response = post_csv(client, COURSES, text, registrar)
    assert response.status_code == 422
    body = response.json()
    found = {(e["line"], e["column"]) for e in body["errors"]}
    assert found == {
        (2, "prerequisites"),
        (3, "prerequisites"),
        (4, "prerequisites"),
        (5, "code"),
        (6, "department_code"),
        (6, "prerequisites"),
        (7, "credits"),
        (8, "prerequisites"),
    }
    cycle = next(e for e in body["errors"] if e["line"] == 2)["reason"]
    assert cycle == "Prerequisite cycle: CS501 -> CS502 -> CS503 -> CS501"
    assert count(database, Course) == 1


def test_sections_with_a_timetable(
    client: TestClient, registrar: dict[str, str], campus: Campus, database: Database
) -> None:
    with database.session(write=False) as s:
        employee = s.get_one(type(campus.teacher), campus.teacher.id).employee_code
    text = "\n".join(
        [
            "course_code,term_code,section_code,section_type,capacity,reserve_limit,"
            "faculty_code,batch_code,timetable",
            f"CS301,2024-ODD,CS301-A,LECTURE,60,5,{employee},CS-2024-3-A,"
            '"MON 09:00-10:30 CS-101; WED 09:00-10:30 CS-101"',
            "CS301,2024-ODD,CS301-L1,LAB,30,,,,TUE 14:00-17:00",
        ]
    )
    response = post_csv(client, SECTIONS, text, registrar)
    assert response.status_code == 200, response.text
    assert response.json()["created"] == {"sections": 2, "timetable_slots": 3}
    listed = client.get("/api/admin/sections", params={"q": "CS301-A"}, headers=registrar).json()[
        "items"
    ]
    section = next(item for item in listed if item["code"] == "CS301-A")
    assert (section["max_students"], section["reserve_limit"]) == (60, 5)
    assert section["faculty_id"] == str(campus.teacher.id)
    assert section["student_batch_id"] == str(campus.batch.id)
    assert [(t["day"], t["start_time"], t["room"]) for t in section["timetable"]] == [
        ("MONDAY", "09:00:00", "CS-101"),
        ("WEDNESDAY", "09:00:00", "CS-101"),
    ]
    with database.session(write=False) as s:
        lab = s.scalars(select(CourseSection).where(CourseSection.code == "CS301-L1")).one()
        assert lab.waitlist_limit == campus.inst.default_waitlist_limit
        assert s.scalars(
            select(TimetableSlot.room_id).where(TimetableSlot.section_id == lab.id)
        ).all() == [None]


def test_room_clashes_with_the_term_and_within_the_file_are_refused(
    client: TestClient, registrar: dict[str, str], campus: Campus, database: Database
) -> None:
    with database.session() as s:
        booked = factories.section(
            s,
            campus.inst,
            campus.dsa,
            campus.term,
            slots=((Weekday.MONDAY, time(9), time(10, 30)),),
            where=campus.room,
        )
    text = "\n".join(
        [
            "course_code,term_code,section_code,capacity,timetable",
            "CS301,2024-ODD,CS301-B,40,MON 10:00-11:00 CS-101",  # clashes with the booked one
            "CS301,2024-ODD,CS301-C,40,FRI 09:00-10:00 CS-101",  # fine on its own
            "CS301,2024-ODD,CS301-D,40,FRI 09:30-10:30 cs-101",  # clashes with line 3
            "CS301,2024-ODD,CS301-E,40,FRI 11:00-12:00 NOROOM",  # unknown room
            "CS301,2024-ODD,CS301-F,40,MON 25:00-26:00 CS-101",  # impossible time
            "CS999,NO-TERM,CS301-C,40,",  # unknown course and term, code repeated
        ]
    )
    dry = post_csv(client, SECTIONS, text, registrar, dry_run=True)
    assert dry.status_code == 200
    errors = dry.json()["errors"]
    assert {(e["line"], e["column"]) for e in errors} == {
        (2, "timetable"),
        (4, "timetable"),
        (5, "timetable"),
        (6, "timetable"),
        (7, "course_code"),
        (7, "term_code"),
        (7, "section_code"),
    }
    clash = next(e for e in errors if e["line"] == 2)["reason"]
    assert f"by section {booked.code}" in clash
    in_file = next(e for e in errors if e["line"] == 4)["reason"]
    assert "CS301-C (line 3)" in in_file
    real = post_csv(client, SECTIONS, text, registrar)
    assert real.status_code == 422
    assert count(database, CourseSection) == 1
