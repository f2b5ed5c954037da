"""The demo's structural invariants: timetables, rooms, prerequisites, counters, windows."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import time

import pytest
from sqlalchemy import func, insert, inspect, select
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


def _overlap(a: tuple[time, time], b: tuple[time, time]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _slots(
    database: Database,
) -> list[tuple[uuid.UUID | None, uuid.UUID | None, Term, str, time, time]]:
    with database.session(write=False) as session:
        rows = session.execute(
            select(
                CourseSection.student_batch_id,
                TimetableSlot.room_id,
                Term,
                TimetableSlot.day,
                TimetableSlot.start_time,
                TimetableSlot.end_time,
            )
            .join(CourseSection, CourseSection.id == TimetableSlot.section_id)
            .join(Term, Term.id == CourseSection.term_id)
        ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _terms_overlap(a: Term, b: Term) -> bool:
    return a.start_date <= b.end_date and b.start_date <= a.end_date


def test_no_timetable_clash_within_a_batch(demo: Database) -> None:
    slots = _slots(demo)
    assert len(slots) > 100
    by_batch: dict[tuple[uuid.UUID | None, str], list[tuple[Term, tuple[time, time]]]] = (
        defaultdict(list)
    )
    for batch_id, _room, term, day, start, end in slots:
        assert batch_id is not None
        by_batch[(batch_id, day)].append((term, (start, end)))
    for meetings in by_batch.values():
        for i, (term_a, span_a) in enumerate(meetings):
            for term_b, span_b in meetings[i + 1 :]:
                assert not (_terms_overlap(term_a, term_b) and _overlap(span_a, span_b))


def test_no_room_is_double_booked(demo: Database) -> None:
    by_room: dict[tuple[uuid.UUID | None, str], list[tuple[Term, tuple[time, time]]]] = defaultdict(
        list
    )
    for _batch, room_id, term, day, start, end in _slots(demo):
        assert room_id is not None
        by_room[(room_id, day)].append((term, (start, end)))
    shared = [meetings for meetings in by_room.values() if len(meetings) > 1]
    assert shared, "rooms are used more than once a day"
    for meetings in shared:
        for i, (term_a, span_a) in enumerate(meetings):
            for term_b, span_b in meetings[i + 1 :]:
                assert not (_terms_overlap(term_a, term_b) and _overlap(span_a, span_b))


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
    with pytest.raises(IntegrityError), demo.session() as session:
        session.execute(insert(Enrollment.__table__), [values])
