"""The catalog facts each worker keeps are never stale: any change to them, however it is made,
gives the institution a new stamp, and the engine reads them again."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from registrar.academics.models import Course, CourseSection, Term, TimetableSlot, Weekday
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment import catalog, engine
from registrar.enrollment.engine import Actor, EnrollmentRefused, RuleCode
from registrar.institutions.models import Institution
from registrar.kit.columns import utcnow
from tests import factories
from tests.enrollment.support import add_prerequisite


@dataclass
class World:
    institution_id: uuid.UUID
    term_id: uuid.UUID
    course_id: uuid.UUID
    section_id: uuid.UUID
    held_section_id: uuid.UUID
    other_course_id: uuid.UUID
    students: list[uuid.UUID]
    registrar: Actor


MONDAY_NINE = ((Weekday.MONDAY, time(9), time(10)),)
TUESDAY_NINE = ((Weekday.TUESDAY, time(9), time(10)),)


@pytest.fixture
def world(database: Database) -> World:
    """A section on Mondays; each student already holds another section on Tuesdays."""
    with database.session() as s:
        inst = factories.institution(s)
        year = factories.academic_year(s, inst)
        term = factories.term(s, inst, year)
        crs = factories.course(s, inst, code="CS302", credits=4)
        section = factories.section(s, inst, crs, term, capacity=10, slots=MONDAY_NINE)
        held_course = factories.course(s, inst, code="CS301", credits=4)
        held = factories.section(s, inst, held_course, term, capacity=10, slots=TUESDAY_NINE)
        other = factories.course(s, inst, code="MA101")
        clerk = factories.user(s, inst, role=Role.REGISTRAR)
        students = [factories.student(s, inst, with_login=False).id for _ in range(6)]
        world = World(
            inst.id,
            term.id,
            crs.id,
            section.id,
            held.id,
            other.id,
            students,
            Actor(clerk.id, Role.REGISTRAR),
        )
    for student in students:
        enroll(database, world, student, world.held_section_id)
    return world


def enroll(database: Database, w: World, student: uuid.UUID, section: uuid.UUID) -> None:
    with database.session() as s:
        engine.enroll(
            s,
            institution_id=w.institution_id,
            student_id=student,
            section_id=section,
            actor=w.registrar,
        )


def stamp(database: Database, w: World) -> int:
    with database.session(write=False) as s:
        found = s.scalar(
            select(Institution.catalog_version).where(Institution.id == w.institution_id)
        )
        assert found is not None
        return int(found)


def refusal(database: Database, w: World, student: uuid.UUID) -> RuleCode:
    with pytest.raises(EnrollmentRefused) as refused:
        enroll(database, w, student, w.section_id)
    return refused.value.violation.code


Change = Callable[[Session, World], None]


def clash_the_timetable(s: Session, w: World) -> None:
    s.execute(
        update(TimetableSlot)
        .where(TimetableSlot.section_id == w.section_id)
        .values(day=Weekday.TUESDAY)
    )


def add_a_meeting(s: Session, w: World) -> None:
    s.add(
        TimetableSlot(
            institution_id=w.institution_id,
            section_id=w.section_id,
            day=Weekday.TUESDAY,
            start_time=time(9, 30),
            end_time=time(10, 30),
        )
    )


def require_a_prerequisite(s: Session, w: World) -> None:
    course = s.get(Course, w.course_id)
    other = s.get(Course, w.other_course_id)
    assert course is not None
    assert other is not None
    add_prerequisite(s, course, other)


def close_the_window(s: Session, w: World) -> None:
    s.execute(
        update(Term)
        .where(Term.id == w.term_id)
        .values(registration_end=utcnow() - timedelta(minutes=1))
    )


def raise_the_credits(s: Session, w: World) -> None:
    s.execute(update(Course).where(Course.id == w.course_id).values(credits=27))


def lower_the_institutions_limit(s: Session, w: World) -> None:
    s.execute(update(Term).where(Term.id == w.term_id).values(max_credits=None))
    s.execute(
        update(Institution)
        .where(Institution.id == w.institution_id)
        .values(min_credits=0, max_credits=6)
    )


def close_the_section(s: Session, w: World) -> None:
    s.execute(update(CourseSection).where(CourseSection.id == w.section_id).values(is_active=False))


@pytest.mark.parametrize(
    ("change", "refused_by"),
    [
        (clash_the_timetable, RuleCode.TIMETABLE_CLASH),
        (add_a_meeting, RuleCode.TIMETABLE_CLASH),
        (require_a_prerequisite, RuleCode.PREREQUISITES),
        (close_the_window, RuleCode.WINDOW_CLOSED),
        (raise_the_credits, RuleCode.CREDIT_LIMIT),
        (lower_the_institutions_limit, RuleCode.CREDIT_LIMIT),
        (close_the_section, RuleCode.SECTION_INACTIVE),
    ],
)
def test_a_change_to_a_cached_fact_reaches_the_next_enrollment(
    database: Database, world: World, change: Change, refused_by: RuleCode
) -> None:
    enroll(database, world, world.students[0], world.section_id)  # the section is cached now
    before = stamp(database, world)
    with database.session() as s:
        change(s, world)
    assert stamp(database, world) != before
    assert refusal(database, world, world.students[1]) is refused_by


def test_counters_and_enrollments_leave_the_stamp_alone(database: Database, world: World) -> None:
    before = stamp(database, world)
    enroll(database, world, world.students[0], world.section_id)
    with database.session() as s:
        s.execute(
            update(CourseSection)
            .where(CourseSection.id == world.section_id)
            .values(capacity=CourseSection.capacity + 5)
        )
    assert stamp(database, world) == before


def test_a_change_rolled_back_leaves_no_stamp_behind(database: Database, world: World) -> None:
    before = stamp(database, world)
    with database.session() as s:
        clash_the_timetable(s, world)
        s.flush()
        inside = s.scalar(
            select(Institution.catalog_version).where(Institution.id == world.institution_id)
        )
        s.rollback()
    assert inside != before
    assert stamp(database, world) == before
    # A later, different change never takes the rolled-back stamp again.
    with database.session() as s:
        close_the_window(s, world)
    assert stamp(database, world) not in (before, inside)


def test_a_change_made_with_plain_sql_is_noticed_too(database: Database, world: World) -> None:
    enroll(database, world, world.students[0], world.section_id)
    with database.session() as s:
        s.execute(
            text("UPDATE courses SET is_active = :off WHERE id = :id"),
            {
                "off": False,
                "id": world.course_id if not database.is_sqlite else world.course_id.hex,
            },
        )
    assert refusal(database, world, world.students[1]) is RuleCode.SECTION_INACTIVE


def test_a_miss_while_the_term_is_being_read_reads_only_its_own_section(
    database: Database, world: World
) -> None:
    """After the stamp moves in a rush every request of a worker misses at once: one reads the
    whole term, the others (sharing the worker's event loop) read only their own section."""
    with database.session(write=False) as s:
        connection = s.connection()
        version = catalog.version_of(connection, world.institution_id)
        assert version is not None
        stamp = version + 1  # a stamp no cache holds: an empty catalog, as after a change
        cached = catalog._catalog(connection, world.institution_id, stamp)
        cached.reading_a_term = True
        found = catalog.section(connection, world.institution_id, stamp, world.section_id)
        assert found is not None
        assert set(cached.sections) == {world.section_id}
        cached.reading_a_term = False
        catalog.section(connection, world.institution_id, stamp, world.held_section_id)
        assert {world.section_id, world.held_section_id} <= set(cached.sections)


def _term_read(database: Database, world: World) -> list[tuple[str, int]]:
    """Each statement of a whole term's read, with how many values it sent."""
    sent: list[tuple[str, int]] = []

    def listener(*args: object) -> None:
        statement, parameters = args[2], args[3]
        sent.append((str(statement), len(parameters) if parameters else 0))  # type: ignore[arg-type]

    with database.session(write=False) as s:
        connection = s.connection()
        version = catalog.version_of(connection, world.institution_id)
        assert version is not None
        catalog._catalog(connection, world.institution_id, version + 1)  # empty, as after a change
        event.listen(database.engine, "before_cursor_execute", listener)
        try:
            catalog.section(connection, world.institution_id, version + 1, world.section_id)
        finally:
            event.remove(database.engine, "before_cursor_execute", listener)
    return sent


def test_a_terms_read_sends_the_same_statements_however_many_sections(
    database: Database, world: World
) -> None:
    """A term of 2,400 sections is read by the same few statements as a term of two: the
    sections' timetables, prerequisites and labs are chosen by a subquery, not by thousands of
    ids sent back as parameters (which cost more to send, parse and plan than the rows)."""
    small = _term_read(database, world)
    with database.session() as s:
        inst = s.get(Institution, world.institution_id)
        term = s.get(Term, world.term_id)
        assert inst is not None
        assert term is not None
        for _ in range(30):
            course = factories.course(s, inst)
            factories.section(s, inst, course, term, slots=MONDAY_NINE)
    large = _term_read(database, world)
    assert large == small
    assert len(large) == 8  # the section asked for, then its term: four statements each


def test_a_section_added_to_a_term_already_read_is_read_alone(
    database: Database, world: World
) -> None:
    with database.session(write=False) as s:
        connection = s.connection()
        version = catalog.version_of(connection, world.institution_id)
        assert version is not None
        known = catalog.section(connection, world.institution_id, version, world.section_id)
    with database.session() as s:
        inst = s.get(Institution, world.institution_id)
        term = s.get(Term, world.term_id)
        assert inst is not None
        assert term is not None
        # No meetings: a new timetable row moves the stamp (it could be a cached section's).
        added = factories.section(s, inst, factories.course(s, inst), term, slots=()).id
    sent: list[str] = []

    def listener(*args: object) -> None:
        sent.append(str(args[2]))

    with database.session(write=False) as s:
        connection = s.connection()
        assert catalog.version_of(connection, world.institution_id) == version  # no new stamp
        event.listen(database.engine, "before_cursor_execute", listener)
        try:
            found = catalog.section(connection, world.institution_id, version, added)
        finally:
            event.remove(database.engine, "before_cursor_execute", listener)
        again = catalog.section(connection, world.institution_id, version, world.section_id)
    assert found is not None
    assert found.term_id == world.term_id
    assert len(sent) == 4  # the new section, its timetable, prerequisites and labs: not the term
    assert again is known  # the term's sections were not read again
