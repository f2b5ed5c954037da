"""The seed 000 example as rows: CS-2024-3-A, student 22CS001, CS301 taught by Dr. John Smith."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.models import Course, CourseSection, Term, TermKind, Weekday
from registrar.institutions import grading
from registrar.institutions.models import Institution
from registrar.students.models import Student, StudentBatch
from tests import factories

MON_WED_9 = (
    (Weekday.WEDNESDAY, time(9), time(10, 30)),
    (Weekday.MONDAY, time(9), time(10, 30)),
)


@dataclass
class World:
    """Ids and rows of the seed's example, for building more around it."""

    inst: Institution
    dept: Any
    prog: Any
    year: Any
    term: Term
    batch: StudentBatch
    student: Student
    teacher: Any
    room: Any

    @property
    def tenant(self) -> str:
        """The institution's tag, for logging in."""
        return self.inst.tag


def build(session: Session) -> World:
    """The seed's university on the 4-point scale (grade A is 4.0), with one 3rd-year student."""
    inst = factories.institution(session, grade_scale=grading.FOUR_POINT_SCALE)
    dept = factories.department(session, inst, code="CS001")
    prog = factories.program(session, inst, dept)
    year = factories.academic_year(session, inst, "2024-2025")
    term = factories.term(session, inst, year, TermKind.ODD)
    batch = factories.batch(session, inst, dept=dept, prog=prog, year=year, code="CS-2024-3-A")
    student = factories.student(session, inst, "22CS001", of_batch=batch, name="John Doe")
    teacher = factories.faculty(session, inst, dept)
    teacher.name, teacher.email = "Dr. John Smith", "john.smith@university.edu"
    room = factories.room(session, inst, "CS-101")
    room.building = "Computer Science Block"
    session.flush()
    return World(inst, dept, prog, year, term, batch, student, teacher, room)


def cs301(session: Session, world: World, *, capacity: int = 60) -> tuple[Course, CourseSection]:
    """The seed's CS301 and its Monday/Wednesday lecture in CS-101."""
    course = factories.course(
        session,
        world.inst,
        world.dept,
        "CS301",
        credits=4,
        title="Data Structures and Algorithms",
        description="Advanced data structures and algorithm design",
        level="UG",
    )
    section = factories.section(
        session,
        world.inst,
        course,
        world.term,
        capacity=capacity,
        slots=MON_WED_9,
        teacher=world.teacher,
        where=world.room,
    )
    return course, section


def other_student(
    session: Session, world: World, roll: str | None = None, **fields: Any
) -> Student:
    """Another student of the same batch."""
    return factories.student(session, world.inst, roll, of_batch=world.batch, **fields)


def course_with_section(
    session: Session,
    world: World,
    code: str | None = None,
    *,
    credits: int = 3,
    term: Term | None = None,
    capacity: int = 60,
    **fields: Any,
) -> tuple[Course, CourseSection]:
    """A course of the department with one lecture (Tuesday 11:00) in the world's term."""
    course = factories.course(session, world.inst, world.dept, code, credits=credits, **fields)
    section = factories.section(
        session,
        world.inst,
        course,
        term or world.term,
        capacity=capacity,
        slots=((Weekday.TUESDAY, time(11), time(12, 30)),),
        teacher=world.teacher,
        where=world.room,
    )
    return course, section


def new_id() -> uuid.UUID:
    """An id nothing has."""
    return uuid.uuid4()


@dataclass
class History:
    """Last year's EVEN term (the student's semester 4) with two completed courses."""

    term: Term
    cs201: Course
    cs202: Course
    cs201_section: CourseSection
    cs202_section: CourseSection


def history(session: Session, world: World) -> History:
    """CS201 Programming Fundamentals (4 credits, A) and CS202 (2 credits, B), both COMPLETED.

    On the 4-point scale the credit-weighted GPA is (4*4.0 + 2*3.0) / 6 = 3.67.
    """
    last_year = factories.academic_year(session, world.inst, "2023-2024")
    term = factories.term(session, world.inst, last_year, TermKind.EVEN)
    cs201, s201 = course_with_section(
        session, world, "CS201", credits=4, term=term, title="Programming Fundamentals"
    )
    cs202, s202 = course_with_section(
        session, world, "CS202", credits=2, term=term, title="Discrete Mathematics"
    )
    factories.enrollment(
        session,
        world.inst,
        world.student,
        s201,
        "COMPLETED",
        grade="A",
        grade_points=4.0,
        attendance=90,
        enrollment_date=date(2024, 1, 10),
    )
    factories.enrollment(
        session,
        world.inst,
        world.student,
        s202,
        "COMPLETED",
        grade="B",
        grade_points=3.0,
        attendance=80,
        enrollment_date=date(2024, 1, 10),
    )
    return History(term, cs201, cs202, s201, s202)
