"""Students who join a batch by assign or bulk-assign enter its auto-enroll courses."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.academics.models import CourseSection, TermKind
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from tests import factories
from tests.students.world import World

PROMOTION = {
    "criteria": {"current_year_of_study": 1, "current_semester": 2},
    "assignment": {"year_of_study": 2, "semester": 3, "academic_year": "2023-2024"},
}


def test_assign_and_bulk_assign_auto_enroll(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    with database.session() as session:
        term = factories.term(session, world.inst, world.y23, TermKind.ODD)
        course = factories.course(session, world.inst, world.cs, "CS201")
        section = factories.section(session, world.inst, course, term, capacity=2, waitlist_limit=0)
        factories.batch_course(
            session, world.inst, world.cs_2023_b, course, world.y23, semester=3, sec=section
        )
        elective = factories.course(session, world.inst, world.cs, "CS299")
        factories.batch_course(
            session,
            world.inst,
            world.cs_2023_b,
            elective,
            world.y23,
            semester=3,
            assignment_type="ELECTIVE",
        )
    response = client.post("/api/students/bulk-assign/", json=PROMOTION, headers=registrar)
    assert response.status_code == 200, response.text
    outcomes = response.json()["auto_enrollment"]
    # Only CS section B joins CS-2023-2-B, the batch with an auto-enroll course.
    assert sorted((o["roll_number"], o["outcome"], o["course_code"]) for o in outcomes) == [
        ("22CS101", "ENROLLED", "CS201"),
        ("22CS102", "ENROLLED", "CS201"),
    ]
    body = {
        "student_ids": [world.sid("22CS001")],
        "section": "B",
    }
    assigned = client.post("/api/students/assign/", json=body, headers=registrar).json()
    assert assigned["updated_students"][0]["student_batch_id"] == str(world.cs_2023_b.id)
    [refused] = assigned["auto_enrollment"]
    assert (refused["roll_number"], refused["outcome"]) == ("22CS001", "REFUSED")
    assert refused["reason"]
    with database.session() as session:
        rows = session.scalars(select(Enrollment).where(Enrollment.section_id == section.id)).all()
        assert sorted(r.status for r in rows) == [EnrollmentStatus.ENROLLED] * 2
        loaded = session.get(CourseSection, section.id)
        assert loaded is not None
        assert loaded.enrolled_count == 2


def test_joining_a_batch_by_patch_or_create_auto_enrolls(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    with database.session() as session:
        term = factories.term(session, world.inst, world.y23, TermKind.ODD)
        course = factories.course(session, world.inst, world.cs, "CS202")
        section = factories.section(session, world.inst, course, term, capacity=5)
        factories.batch_course(
            session, world.inst, world.cs_2023_b, course, world.y23, semester=3, sec=section
        )
    moved = client.patch(
        f"/api/admin/students/{world.sid('22CS001')}",
        json={"student_batch_id": str(world.cs_2023_b.id)},
        headers=registrar,
    )
    assert moved.status_code == 200, moved.text
    assert [(o["course_code"], o["outcome"]) for o in moved.json()["auto_enrollment"]] == [
        ("CS202", "ENROLLED")
    ]
    renamed = client.patch(
        f"/api/admin/students/{world.sid('22CS001')}", json={"name": "A"}, headers=registrar
    )
    assert renamed.json()["auto_enrollment"] == []
    created = client.post(
        "/api/admin/students",
        json={"roll_number": "23CS050", "name": "New", "student_batch_id": str(world.cs_2023_b.id)},
        headers=registrar,
    )
    assert created.status_code == 201, created.text
    assert [o["outcome"] for o in created.json()["auto_enrollment"]] == ["ENROLLED"]
    with database.session() as session:
        loaded = session.get(CourseSection, section.id)
        assert loaded is not None
        assert loaded.enrolled_count == 2
