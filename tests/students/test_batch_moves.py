"""Safe bulk moves: a student who changes batch is reconciled, and a dry run writes nothing.

CS section A's batch gives CS101 (a full section with an outsider on its waitlist) and CS103;
section B's gives CS102 and CS103 (another batch course, the same section). 22CS001 also took
the elective CS150 on their own.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from registrar.academics.models import CourseSection, Term, TermKind, Weekday
from registrar.audit.models import AuditEvent
from registrar.db import Base, Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.students.models import Student, StudentBatch
from tests import factories
from tests.enrollment.support import assert_consistent
from tests.students.world import World

ASSIGN = "/api/students/assign/"
BULK = "/api/students/bulk-assign/"
PROMOTION = {
    "criteria": {"current_year_of_study": 1, "current_semester": 2},
    "assignment": {"year_of_study": 2, "semester": 3, "academic_year": "2023-2024"},
}


@dataclass
class Courses:
    cs101: uuid.UUID  # CS A's, full, with 22EE001 waiting
    cs102: uuid.UUID  # CS B's
    cs103: uuid.UUID  # both batches'
    cs150: uuid.UUID  # 22CS001's own elective
    cs201: uuid.UUID  # CS-2023-2-B's
    batch_courses: dict[tuple[str, str], uuid.UUID]  # (batch code, course code) -> id
    outsider_waiting: uuid.UUID  # 22EE001's waitlist place in CS101


def _slot(day: Weekday) -> tuple[tuple[Weekday, time, time]]:
    return ((day, time(9), time(10, 30)),)


def _assign_course(
    client: TestClient,
    headers: dict[str, str],
    batch: StudentBatch,
    course_id: uuid.UUID,
    section_id: uuid.UUID,
    year: str,
    semester: int,
) -> Any:
    response = client.post(
        f"/api/admin/batches/{batch.id}/courses",
        json={
            "course_id": str(course_id),
            "section_id": str(section_id),
            "academic_year": year,
            "semester": semester,
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def courses(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> Courses:
    with database.session() as session:
        term = factories.term(session, world.inst, world.y22, TermKind.EVEN)
        later = factories.term(session, world.inst, world.y23, TermKind.ODD)

        def section(code: str, day: Weekday, capacity: int, trm: Any = term) -> CourseSection:
            course = factories.course(session, world.inst, world.cs, code)
            return factories.section(
                session, world.inst, course, trm, capacity=capacity, slots=_slot(day)
            )

        cs101 = section("CS101", Weekday.MONDAY, 3)
        cs102 = section("CS102", Weekday.TUESDAY, 10)
        cs103 = section("CS103", Weekday.WEDNESDAY, 10)
        cs150 = section("CS150", Weekday.THURSDAY, 10)
        cs201 = section("CS201", Weekday.FRIDAY, 10, later)
        factories.enrollment(session, world.inst, world.students["22CS001"], cs150)
        sections = {s.id: s.course_id for s in (cs101, cs102, cs103, cs150, cs201)}
    assigned = {}
    for batch, section_id in (
        (world.cs_a, cs101.id),
        (world.cs_a, cs103.id),
        (world.cs_b, cs102.id),
        (world.cs_b, cs103.id),
    ):
        body = _assign_course(
            client, registrar, batch, sections[section_id], section_id, "2022-2023", 2
        )
        assigned[(batch.code, body["batch_course"]["course_code"])] = body["batch_course"]["id"]
    body = _assign_course(
        client, registrar, world.cs_2023_b, sections[cs201.id], cs201.id, "2023-2024", 3
    )
    assigned[(world.cs_2023_b.code, "CS201")] = body["batch_course"]["id"]
    with database.session() as session:
        loaded = session.get(CourseSection, cs101.id)
        assert loaded is not None
        waiting = factories.enrollment(
            session, world.inst, world.students["22EE001"], loaded, EnrollmentStatus.WAITLISTED
        )
        outsider_waiting = waiting.id
    return Courses(
        cs101=cs101.id,
        cs102=cs102.id,
        cs103=cs103.id,
        cs150=cs150.id,
        cs201=cs201.id,
        batch_courses={key: uuid.UUID(value) for key, value in assigned.items()},
        outsider_waiting=outsider_waiting,
    )


def _place(database: Database, student_id: uuid.UUID, section_id: uuid.UUID) -> Enrollment:
    with database.session(write=False) as session:
        row = session.scalar(
            select(Enrollment).where(
                Enrollment.student_id == student_id, Enrollment.section_id == section_id
            )
        )
        assert row is not None
        session.expunge(row)
        return row


def _audits(database: Database, entity_id: uuid.UUID, action: str) -> list[AuditEvent]:
    with database.session(write=False) as session:
        rows = list(
            session.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity_id == entity_id, AuditEvent.action == action
                )
            )
        )
        session.expunge_all()
        return rows


def footprint(database: Database) -> dict[str, Any]:
    """Every table's row count, and the rows a move would change."""
    with database.session(write=False) as session:
        counts = {
            name: session.scalar(select(func.count()).select_from(table))
            for name, table in Base.metadata.tables.items()
        }
        students = session.execute(
            select(Student.id, Student.batch_id, Student.year_of_study, Student.section)
        ).all()
        enrollments = session.execute(
            select(
                Enrollment.id,
                Enrollment.status,
                Enrollment.waitlist_position,
                Enrollment.batch_course_id,
                Enrollment.updated_at,
            )
        ).all()
        sections = session.execute(
            select(CourseSection.id, CourseSection.enrolled_count, CourseSection.waitlisted_count)
        ).all()
    return {
        "counts": counts,
        "students": sorted(map(tuple, students), key=str),
        "enrollments": sorted(map(tuple, enrollments), key=str),
        "sections": sorted(map(tuple, sections), key=str),
    }


def test_a_batch_course_assigned_enrolls_the_batch_linked_to_it(
    database: Database, world: World, courses: Courses
) -> None:
    for roll in ("22CS001", "22CS002", "22CS003"):
        row = _place(database, world.students[roll].id, courses.cs101)
        assert row.status is EnrollmentStatus.ENROLLED
        assert row.batch_course_id == courses.batch_courses[("CS-2022-1-A", "CS101")]
    own = _place(database, world.students["22CS001"].id, courses.cs150)
    assert own.batch_course_id is None


def test_a_moved_student_leaves_the_old_batchs_courses_and_joins_the_new_ones(
    client: TestClient,
    database: Database,
    world: World,
    registrar: dict[str, str],
    courses: Courses,
) -> None:
    mover = world.students["22CS001"].id
    leaving = _place(database, mover, courses.cs101).id
    response = client.post(
        ASSIGN, json={"student_ids": [str(mover)], "section": "B"}, headers=registrar
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["updated_students"][0]["student_batch_id"] == str(world.cs_b.id)

    [report] = body["reconciliation"]
    assert (report["roll_number"], report["from_batch_id"], report["to_batch_id"]) == (
        "22CS001",
        str(world.cs_a.id),
        str(world.cs_b.id),
    )
    [dropped] = report["dropped"]
    assert (dropped["course_code"], dropped["status"], dropped["outcome"]) == (
        "CS101",
        "ENROLLED",
        "DROPPED",
    )
    assert dropped["promoted_enrollment_id"] == str(courses.outsider_waiting)
    assert sorted((e["course_code"], e["outcome"]) for e in report["enrolled"]) == [
        ("CS102", "ENROLLED"),
        ("CS103", "ALREADY_ENROLLED"),
    ]
    [kept] = report["kept"]
    assert kept["course_code"] == "CS103"
    assert kept["from_batch_course_id"] == str(courses.batch_courses[("CS-2022-1-A", "CS103")])
    assert kept["batch_course_id"] == str(courses.batch_courses[("CS-2022-1-B", "CS103")])
    assert sorted((o["course_code"], o["outcome"]) for o in body["auto_enrollment"]) == [
        ("CS102", "ENROLLED"),
        ("CS103", "ALREADY_ENROLLED"),
    ]

    # The old batch's section: dropped, and the head of its waitlist has the seat.
    old = _place(database, mover, courses.cs101)
    assert old.status is EnrollmentStatus.DROPPED
    assert old.drop_reason == "Moved from batch CS-2022-1-A to CS-2022-1-B"
    assert old.batch_course_id is None
    promoted = _place(database, world.students["22EE001"].id, courses.cs101)
    assert promoted.status is EnrollmentStatus.ENROLLED
    state = assert_consistent(database, courses.cs101)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (3, 0)
    # The new batch's course, enrolled through the engine and linked to it.
    new = _place(database, mover, courses.cs102)
    assert new.status is EnrollmentStatus.ENROLLED
    assert new.batch_course_id == courses.batch_courses[("CS-2022-1-B", "CS102")]
    assert_consistent(database, courses.cs102)
    # The section both batches share stays, now the new batch's.
    shared = _place(database, mover, courses.cs103)
    assert shared.status is EnrollmentStatus.ENROLLED
    assert shared.batch_course_id == courses.batch_courses[("CS-2022-1-B", "CS103")]
    # The student's own elective is theirs and stays.
    own = _place(database, mover, courses.cs150)
    assert (own.status, own.batch_course_id) == (EnrollmentStatus.ENROLLED, None)

    # An audit row for each change.
    assert len(_audits(database, mover, "student.assigned")) == 1
    [summary] = _audits(database, mover, "student.enrollments_reconciled")
    assert summary.details["dropped"][0]["enrollment_id"] == str(leaving)
    assert [e["course_code"] for e in summary.details["enrolled"]] == ["CS102"]
    assert [r["section_code"] for r in summary.details["relinked"]] == [kept["section_code"]]
    assert len(_audits(database, leaving, "enrollment.dropped")) == 1
    assert len(_audits(database, courses.outsider_waiting, "enrollment.promote")) == 1
    assert len(_audits(database, new.id, "enrollment.enroll")) == 1

    # Moving back undoes it: CS102 is dropped, CS101 taken again (now full: waitlisted).
    back = client.post(
        ASSIGN, json={"student_ids": [str(mover)], "section": "A"}, headers=registrar
    ).json()
    [report] = back["reconciliation"]
    assert [(d["course_code"], d["outcome"]) for d in report["dropped"]] == [("CS102", "DROPPED")]
    assert sorted((e["course_code"], e["outcome"]) for e in report["enrolled"]) == [
        ("CS101", "WAITLISTED"),
        ("CS103", "ALREADY_ENROLLED"),
    ]
    again = _place(database, mover, courses.cs101)
    assert again.batch_course_id == courses.batch_courses[("CS-2022-1-A", "CS101")]
    assert _place(database, mover, courses.cs150).status is EnrollmentStatus.ENROLLED


def test_a_dry_run_of_assign_plans_the_same_move_and_writes_nothing(
    client: TestClient,
    database: Database,
    world: World,
    registrar: dict[str, str],
    courses: Courses,
) -> None:
    mover = world.students["22CS001"].id
    body = {"student_ids": [str(mover)], "section": "B"}
    headers = {**registrar, "Idempotency-Key": "move-22cs001"}
    before = footprint(database)
    dry = client.post(ASSIGN, json={**body, "dry_run": True}, headers=headers)
    assert dry.status_code == 200, dry.text
    assert footprint(database) == before
    planned = dry.json()
    assert planned["dry_run"] is True
    assert planned["updated_count"] == 1
    assert planned["errors"] == []
    # The students as they would be; nothing enrolled yet.
    [student] = planned["updated_students"]
    assert (student["student_batch_id"], student["section"]) == (str(world.cs_b.id), "B")
    assert planned["auto_enrollment"] == []
    assert planned["reconciliation"] == []
    [batch] = planned["batches"]
    assert batch == {
        "batch_id": str(world.cs_b.id),
        "code": "CS-2022-1-B",
        "created": False,
        "students_assigned": 1,
    }
    [move] = planned["plan"]["moves"]
    assert planned["plan"]["batches_created"] == []
    assert (move["from_batch_code"], move["to_batch_code"], move["to_batch_created"]) == (
        "CS-2022-1-A",
        "CS-2022-1-B",
        False,
    )
    assert (move["before"]["section"], move["after"]["section"]) == ("A", "B")
    leaving = _place(database, mover, courses.cs101).id
    assert [(d["enrollment_id"], d["course_code"]) for d in move["drop"]] == [
        (str(leaving), "CS101")
    ]
    assert [(a["course_code"], a["section_id"]) for a in move["add"]] == [
        ("CS102", str(courses.cs102))
    ]
    assert [(k["course_code"], k["auto_enroll"]) for k in move["keep"]] == [("CS103", True)]

    # The same key then moves for real: a dry run left no answer to replay.
    real = client.post(ASSIGN, json=body, headers=headers)
    assert real.status_code == 200, real.text
    assert "idempotent-replayed" not in real.headers
    [done] = real.json()["reconciliation"]
    assert [d["enrollment_id"] for d in done["dropped"]] == [str(leaving)]
    assert [k["enrollment_id"] for k in done["kept"]] == [k["enrollment_id"] for k in move["keep"]]
    assert footprint(database) != before


def test_a_dry_run_of_bulk_assign_plans_batches_and_enrollments_and_writes_nothing(
    client: TestClient,
    database: Database,
    world: World,
    registrar: dict[str, str],
    courses: Courses,
) -> None:
    before = footprint(database)
    dry = client.post(BULK, json={**PROMOTION, "dry_run": True}, headers=registrar)
    assert dry.status_code == 200, dry.text
    assert footprint(database) == before
    planned = dry.json()
    assert planned["dry_run"] is True
    assert (planned["updated_count"], planned["criteria_matched"]) == (7, 7)
    plan = planned["plan"]
    # CS A's three would fill a new batch; CS B's two join CS-2023-2-B; EE A's two a new one.
    assert [(b["code"], b["students"]) for b in plan["batches_created"]] == [
        ("CS-2023-2-A", 3),
        ("EE-2023-2-A", 2),
    ]
    created = {
        (b["code"], b["batch_id"], b["created"], b["students_assigned"]) for b in planned["batches"]
    }
    assert created == {
        ("CS-2023-2-A", None, True, 3),
        ("CS-2023-2-B", str(world.cs_2023_b.id), False, 2),
        ("EE-2023-2-A", None, True, 2),
    }
    moves = {m["roll_number"]: m for m in plan["moves"]}
    assert sorted(moves) == [
        "22CS001",
        "22CS002",
        "22CS003",
        "22CS101",
        "22CS102",
        "22EE001",
        "22EE002",
    ]
    first = moves["22CS001"]
    assert (first["to_batch_id"], first["to_batch_code"], first["to_batch_created"]) == (
        None,
        "CS-2023-2-A",
        True,
    )
    # A new batch gives no course: CS A's students would leave both of theirs; the own
    # elective of 22CS001 is not in the plan.
    assert sorted(d["course_code"] for d in first["drop"]) == ["CS101", "CS103"]
    assert (first["add"], first["keep"]) == ([], [])
    b_student = moves["22CS101"]
    assert b_student["to_batch_id"] == str(world.cs_2023_b.id)
    assert sorted(d["course_code"] for d in b_student["drop"]) == ["CS102", "CS103"]
    assert [a["course_code"] for a in b_student["add"]] == ["CS201"]
    assert (moves["22EE001"]["drop"], moves["22EE001"]["add"]) == ([], [])
    sample = {s["roll_number"]: s for s in planned["sample_updated_students"]}
    assert sample["22CS001"]["student_batch_id"] is None
    assert sample["22CS101"]["student_batch_id"] == str(world.cs_2023_b.id)
    assert sample["22CS101"]["academic_year"] == "2023-2024"

    real = client.post(BULK, json=PROMOTION, headers=registrar)
    assert real.status_code == 200, real.text
    done = {r["roll_number"]: r for r in real.json()["reconciliation"]}
    for roll, move in moves.items():
        planned_drops = sorted(d["enrollment_id"] for d in move["drop"])
        made = sorted(d["enrollment_id"] for d in done[roll]["dropped"]) if roll in done else []
        assert made == planned_drops, roll
    assert [e["course_code"] for e in done["22CS101"]["enrolled"]] == ["CS201"]
    # 22CS001's seat in CS101 went to the outsider at the head of the waitlist.
    promoted = {d["promoted_enrollment_id"] for r in done.values() for d in r["dropped"]} - {None}
    assert promoted == {str(courses.outsider_waiting)}
    assert _place(database, world.students["22CS001"].id, courses.cs150).status is (
        EnrollmentStatus.ENROLLED
    )
    for section_id in (courses.cs101, courses.cs102, courses.cs103, courses.cs201):
        assert_consistent(database, section_id)


def test_a_dry_run_is_refused_as_the_real_move_would_be(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    with database.session() as session:
        batch = session.get(StudentBatch, world.cs_2023_b.id)
        assert batch is not None
        batch.capacity = 1
    before = footprint(database)
    refused = client.post(BULK, json={**PROMOTION, "dry_run": True}, headers=registrar)
    assert refused.status_code == 409, refused.text
    assert footprint(database) == before
    empty = client.post(
        BULK, json={"assignment": {"section": "C"}, "dry_run": True}, headers=registrar
    )
    assert empty.status_code == 400


def test_a_student_moved_by_patch_is_reconciled_too(
    client: TestClient,
    database: Database,
    world: World,
    registrar: dict[str, str],
    courses: Courses,
) -> None:
    mover = world.students["22CS002"].id
    moved = client.patch(
        f"/api/admin/students/{mover}",
        json={"student_batch_id": str(world.cs_b.id)},
        headers=registrar,
    )
    assert moved.status_code == 200, moved.text
    report = moved.json()["reconciliation"]
    assert [(d["course_code"], d["outcome"]) for d in report["dropped"]] == [("CS101", "DROPPED")]
    assert report["dropped"][0]["promoted_enrollment_id"] == str(courses.outsider_waiting)
    assert [(o["course_code"], o["outcome"]) for o in moved.json()["auto_enrollment"]] == [
        ("CS103", "ALREADY_ENROLLED"),
        ("CS102", "ENROLLED"),
    ]
    assert _place(database, mover, courses.cs101).status is EnrollmentStatus.DROPPED
    assert _place(database, mover, courses.cs102).status is EnrollmentStatus.ENROLLED
    # Leaving every batch drops what the last one gave.
    left = client.patch(
        f"/api/admin/students/{mover}", json={"student_batch_id": None}, headers=registrar
    ).json()
    assert sorted(d["course_code"] for d in left["reconciliation"]["dropped"]) == [
        "CS102",
        "CS103",
    ]
    assert left["auto_enrollment"] == []
    renamed = client.patch(f"/api/admin/students/{mover}", json={"name": "B"}, headers=registrar)
    assert renamed.json()["reconciliation"] is None


def test_a_place_without_a_link_in_the_old_batchs_mandatory_section_is_the_batchs_too(
    client: TestClient,
    database: Database,
    world: World,
    registrar: dict[str, str],
    courses: Courses,
) -> None:
    """Rows from before the link existed, or loaded without one (the demo's), still follow
    the batch; an unlinked row anywhere else is the student's own."""
    mover = world.students["22CS003"]
    with database.session() as session:
        full = session.get(CourseSection, courses.cs101)
        assert full is not None
        course = factories.course(session, world.inst, world.cs, "CS104")
        trm = session.get(Term, full.term_id)
        assert trm is not None
        legacy = factories.section(session, world.inst, course, trm, slots=_slot(Weekday.SATURDAY))
        factories.batch_course(
            session, world.inst, world.cs_a, course, world.y22, semester=2, sec=legacy
        )
        student = session.get(Student, mover.id)
        assert student is not None
        factories.enrollment(session, world.inst, student, legacy, notes="Batch enrollment")
        legacy_id = legacy.id
    response = client.post(
        ASSIGN, json={"student_ids": [str(mover.id)], "section": "B"}, headers=registrar
    )
    assert response.status_code == 200, response.text
    [report] = response.json()["reconciliation"]
    assert sorted(d["course_code"] for d in report["dropped"]) == ["CS101", "CS104"]
    assert _place(database, mover.id, legacy_id).status is EnrollmentStatus.DROPPED
    assert_consistent(database, legacy_id)
