"""The demo's structural invariants: timetables, rooms, prerequisites, counters, windows."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import time
from typing import NamedTuple

import pytest
from sqlalchemy import Table, func, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from registrar.academics.models import (
    AcademicYear,
    CourseSection,
    Term,
    TimetableSlot,
    course_prerequisites,
)
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.institutions.models import Institution
from registrar.kit.columns import utcnow


class Meeting(NamedTuple):
    batch_id: uuid.UUID | None
    room_id: uuid.UUID | None
    faculty_id: uuid.UUID | None
    term: Term
    day: str
    start: time
    end: time


def _meetings(database: Database) -> list[Meeting]:
    with database.session(write=False) as session:
        rows = session.execute(
            select(
                CourseSection.student_batch_id,
                TimetableSlot.room_id,
                CourseSection.faculty_id,
                Term,
                TimetableSlot.day,
                TimetableSlot.start_time,
                TimetableSlot.end_time,
            )
            .join(CourseSection, CourseSection.id == TimetableSlot.section_id)
            .join(Term, Term.id == CourseSection.term_id)
        ).all()
    return [Meeting(*row) for row in rows]


def _assert_never_twice_at_once(meetings: list[Meeting], owner: str) -> None:
    """No two meetings of one owner (batch, room, teacher) overlap in time and term."""
    by_owner: dict[tuple[object, str], list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        key = getattr(meeting, owner)
        assert key is not None, owner
        by_owner[(key, meeting.day)].append(meeting)
    assert any(len(group) > 1 for group in by_owner.values())  # the check has work to do
    for group in by_owner.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                same_time = a.start < b.end and b.start < a.end
                same_term = (
                    a.term.start_date <= b.term.end_date and b.term.start_date <= a.term.end_date
                )
                assert not (same_time and same_term), (owner, a, b)


def test_no_timetable_clash_within_a_batch(demo: Database) -> None:
    meetings = _meetings(demo)
    assert len(meetings) > 100
    _assert_never_twice_at_once(meetings, "batch_id")


def test_no_room_is_double_booked(demo: Database) -> None:
    _assert_never_twice_at_once(_meetings(demo), "room_id")


def test_no_teacher_is_in_two_places_at_once(demo: Database) -> None:
    _assert_never_twice_at_once(_meetings(demo), "faculty_id")


def test_every_prerequisite_graph_is_acyclic(demo: Database) -> None:
    with demo.session(write=False) as session:
        edges = session.execute(
            select(course_prerequisites.c.course_id, course_prerequisites.c.prerequisite_id)
        ).all()
    graph: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for course, prerequisite in edges:
        graph[course].append(prerequisite)
    assert len(edges) > 50
    state: dict[uuid.UUID, int] = {}  # 1 = on the path, 2 = done

    def visit(node: uuid.UUID) -> None:
        state[node] = 1
        for needed in graph[node]:
            assert state.get(needed) != 1, "prerequisite cycle"
            if needed not in state:
                visit(needed)
        state[node] = 2

    for node in list(graph):
        if node not in state:
            visit(node)
    longest: dict[uuid.UUID, int] = {}

    def depth(node: uuid.UUID) -> int:
        if node not in longest:
            longest[node] = 1 + max((depth(n) for n in graph[node]), default=0)
        return longest[node]

    assert max(depth(node) for node in graph) >= 3  # real chains, e.g. CS101 -> CS201 -> CS301


def test_counters_equal_row_counts(demo: Database) -> None:
    seated = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED)
    with demo.session(write=False) as session:
        enrolled = dict(
            session.execute(
                select(Enrollment.section_id, func.count())
                .where(Enrollment.status.in_(seated))
                .group_by(Enrollment.section_id)
            ).all()
        )
        waitlisted = dict(
            session.execute(
                select(Enrollment.section_id, func.count())
                .where(Enrollment.status == EnrollmentStatus.WAITLISTED)
                .group_by(Enrollment.section_id)
            ).all()
        )
        sections = session.execute(
            select(
                CourseSection.id,
                CourseSection.enrolled_count,
                CourseSection.waitlisted_count,
                CourseSection.capacity,
            )
        ).all()
    assert sum(enrolled.values()) > 1000
    for section_id, enrolled_count, waitlisted_count, capacity in sections:
        assert enrolled_count == enrolled.get(section_id, 0)
        assert waitlisted_count == waitlisted.get(section_id, 0)
        assert enrolled_count <= capacity


def test_only_the_current_terms_are_open(demo: Database) -> None:
    now = utcnow()
    with demo.session(write=False) as session:
        terms = session.execute(
            select(Institution.tag, Term.code, AcademicYear.is_current, Term)
            .join(AcademicYear, AcademicYear.id == Term.academic_year_id)
            .join(Institution, Institution.id == Term.institution_id)
        ).all()
    open_terms = {
        (tag, code)
        for tag, code, _current, term in terms
        if term.registration_start <= now <= term.registration_end
    }
    assert open_terms == {
        ("ap-university", "2024-2025-ODD"),
        ("sample-school", "SEM1"),
        ("sample-school", "SY2024-2025-FY"),
    }
    current = {code for tag, code, is_current, _t in terms if is_current and tag == "ap-university"}
    assert current == {"2024-2025-ODD", "2024-2025-EVEN"}
    for tag, code, _current, term in terms:
        if (tag, code) not in open_terms and code != "SEM2":
            assert term.registration_end < now, code


def test_enrollment_constraints_are_in_place_after_the_load(demo: Database) -> None:
    """On PostgreSQL the load adds the foreign keys and indexes last: they must be back."""
    inspector = inspect(demo.engine)
    foreign_keys = {fk["name"] for fk in inspector.get_foreign_keys("enrollments")}
    indexes = {index["name"] for index in inspector.get_indexes("enrollments")}
    assert foreign_keys == {
        "fk_enrollments_batch_course_id_batch_courses",
        "fk_enrollments_institution_id_institutions",
        "fk_enrollments_section_id_course_sections",
        "fk_enrollments_student_id_students",
    }
    assert {
        "ix_enrollments_section_id_status_waitlist_position",
        "ix_enrollments_student_id_status",
    } <= indexes
    with demo.session(write=False) as session:
        existing = session.scalars(select(Enrollment).limit(1)).one()
        values = {
            column.key: getattr(existing, column.key) for column in Enrollment.__table__.columns
        }
    values.update(id=uuid.uuid4(), student_id=uuid.uuid4())
    table = Enrollment.__table__
    assert isinstance(table, Table)
    with pytest.raises(IntegrityError), demo.session() as session:
        session.execute(insert(table), [values])
