"""`engine.precheck` refuses from one unlocked read what `enroll` would refuse, and nothing else."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time

import pytest
from sqlalchemy import select, update

from registrar.academics.models import Term, Weekday
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment import engine
from registrar.enrollment.engine import Actor, EnrollmentRefused, RuleCode
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.kit.columns import utcnow
from tests import factories
from tests.statements import counting

MONDAY = ((Weekday.MONDAY, time(9), time(10)),)


@dataclass
class World:
    institution_id: uuid.UUID
    term_id: uuid.UUID
    full: uuid.UUID  # one seat, one waitlist place
    roomy: uuid.UUID  # Monday 09:00
    clashing: uuid.UUID  # Monday 09:30
    advanced: uuid.UUID  # needs a course nobody passed
    students: list[uuid.UUID]
    registrar: Actor


@pytest.fixture
def world(database: Database) -> World:
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        basics = factories.course(s, inst, code="CS101")
        full = factories.section(
            s, inst, factories.course(s, inst), term, capacity=1, waitlist_limit=1, slots=()
        )
        roomy = factories.section(s, inst, factories.course(s, inst), term, slots=MONDAY)
        clashing = factories.section(
            s,
            inst,
            factories.course(s, inst),
            term,
            slots=((Weekday.MONDAY, time(9, 30), time(11)),),
        )
        advanced = factories.section(
            s, inst, factories.course(s, inst, prerequisites=[basics]), term, slots=()
        )
        clerk = factories.user(s, inst, role=Role.REGISTRAR)
        students = [factories.student(s, inst, with_login=False).id for _ in range(4)]
        return World(
            inst.id,
            term.id,
            full.id,
            roomy.id,
            clashing.id,
            advanced.id,
            students,
            Actor(clerk.id, Role.REGISTRAR),
        )


def precheck(database: Database, w: World, student: uuid.UUID, section: uuid.UUID) -> None:
    with database.session() as s:
        engine.precheck(
            s,
            institution_id=w.institution_id,
            student_id=student,
            section_id=section,
            actor=w.registrar,
        )


def enroll(database: Database, w: World, student: uuid.UUID, section: uuid.UUID) -> None:
    with database.session() as s:
        engine.enroll(
            s,
            institution_id=w.institution_id,
            student_id=student,
            section_id=section,
            actor=w.registrar,
        )


def refused_by(database: Database, w: World, student: uuid.UUID, section: uuid.UUID) -> RuleCode:
    """The rule precheck refuses with, which must be the one enroll refuses with."""
    with pytest.raises(EnrollmentRefused) as early:
        precheck(database, w, student, section)
    with pytest.raises(EnrollmentRefused) as late:
        enroll(database, w, student, section)
    assert early.value.body() == late.value.body()
    assert early.value.status_code == late.value.status_code
    return early.value.violation.code


def test_it_refuses_what_enroll_refuses(database: Database, world: World) -> None:
    first, second, third, _ = world.students
    enroll(database, world, first, world.full)  # the seat
    enroll(database, world, second, world.full)  # the waitlist place
    enroll(database, world, first, world.roomy)
    assert refused_by(database, world, third, world.full) is RuleCode.CAPACITY
    assert refused_by(database, world, first, world.roomy) is RuleCode.ALREADY_ENROLLED
    assert refused_by(database, world, first, world.clashing) is RuleCode.TIMETABLE_CLASH
    assert refused_by(database, world, third, world.advanced) is RuleCode.PREREQUISITES
    with database.session() as s:
        s.execute(update(Term).where(Term.id == world.term_id).values(registration_end=utcnow()))
    assert refused_by(database, world, third, world.roomy) is RuleCode.WINDOW_CLOSED


def test_it_lets_through_what_enroll_decides(database: Database, world: World) -> None:
    first, second, *_ = world.students
    precheck(database, world, first, world.full)
    enroll(database, world, first, world.full)
    precheck(database, world, second, world.full)  # full, but the waitlist has room
    precheck(database, world, second, uuid.uuid4())  # unknown: enroll says so, with a 404
    with database.session(write=False) as s:
        statuses = s.scalars(select(Enrollment.status)).all()
    assert statuses == [EnrollmentStatus.ENROLLED]


def test_it_reads_once_and_writes_nothing(database: Database, world: World) -> None:
    enroll(database, world, world.students[0], world.full)
    enroll(database, world, world.students[1], world.full)
    precheck(database, world, world.students[2], world.roomy)  # the term's catalog is cached
    with counting([database.engine]) as statements, pytest.raises(EnrollmentRefused):
        precheck(database, world, world.students[2], world.full)
    sent = [sql.split()[0].upper() for sql in statements]
    # One SELECT (SQLite's BEGIN is a statement of ours); no UPDATE, no INSERT, no lock.
    assert [verb for verb in sent if verb != "BEGIN"] == ["SELECT"]
    assert not any("FOR UPDATE" in sql.upper() for sql in statements)
