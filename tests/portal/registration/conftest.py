"""A small campus for the registration (seed 002) and student-courses (seed 001) tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import time

import pytest

from registrar.academics.models import TermKind, Weekday
from registrar.auth.models import Role
from registrar.db import Database
from tests import factories

MON_WED = ((Weekday.MONDAY, time(9), time(10, 30)), (Weekday.WEDNESDAY, time(9), time(10, 30)))


@dataclass
class Campus:
    tag: str
    open_term: uuid.UUID
    closed_term: uuid.UUID
    dbms: uuid.UUID  # capacity 1, reserve list 1, MON/WED 09:00
    algo: uuid.UUID  # roomy, TUE 11:00, no teacher
    later: uuid.UUID  # in the term whose registration has not opened
    dbms_course: uuid.UUID
    students: list[uuid.UUID] = field(default_factory=list)
    rolls: list[str] = field(default_factory=list)
    batch: uuid.UUID | None = None


@pytest.fixture
def campus(database: Database) -> Campus:
    with database.session() as s:
        inst = factories.institution(s, tag="ap-university")
        year = factories.academic_year(s, inst)
        open_term = factories.term(s, inst, year, name="2024-2025 Odd Semester")
        closed_term = factories.term(s, inst, year, TermKind.EVEN, registration_open=False)
        teacher = factories.faculty(s, inst)
        dbms = factories.course(s, inst, code="CS302", title="Database Management Systems")
        algo = factories.course(s, inst, code="CS301", credits=3)
        dbms_section = factories.section(
            s, inst, dbms, open_term, capacity=1, waitlist_limit=1, slots=MON_WED, teacher=teacher
        )
        algo_section = factories.section(
            s, inst, algo, open_term, slots=((Weekday.TUESDAY, time(11), time(12, 30)),)
        )
        later = factories.section(s, inst, factories.course(s, inst, code="CS401"), closed_term)
        group = factories.batch(s, inst, year=year)
        students = [factories.student(s, inst, of_batch=group) for _ in range(4)]
        factories.user(s, inst, "registrar", Role.REGISTRAR)
        factories.user(s, inst, "prof", Role.FACULTY)
        return Campus(
            tag=inst.tag,
            open_term=open_term.id,
            closed_term=closed_term.id,
            dbms=dbms_section.id,
            algo=algo_section.id,
            later=later.id,
            dbms_course=dbms.id,
            students=[st.id for st in students],
            rolls=[st.roll_number for st in students],
            batch=group.id,
        )
