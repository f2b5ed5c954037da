"""Queries of the enrollment engine (seat counters live in `seats.py`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import time
from typing import Any

from sqlalchemy import Row, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from registrar.academics.models import Course, CourseSection, SectionType, TimetableSlot, Weekday
from registrar.enrollment.models import Enrollment, EnrollmentStatus, EnrollmentType
from registrar.enrollment.rules import ACTIVE_STATUSES
from registrar.institutions.models import Institution
from registrar.students.models import Student

# (section id, status, type, grade, the section's term id and course id) of one enrollment.
RulesRow = Row[uuid.UUID, EnrollmentStatus, EnrollmentType, str | None, uuid.UUID, uuid.UUID]


def lock_student(
    session: Session, institution_id: uuid.UUID, student_id: uuid.UUID
) -> Student | None:
    """The student, row-locked so one student's requests run one after another.

    SQLite renders no FOR UPDATE; its write transactions already begin IMMEDIATE.
    """
    return session.scalar(
        select(Student)
        .where(Student.id == student_id, Student.institution_id == institution_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def get_institution(session: Session, institution_id: uuid.UUID) -> Institution | None:
    """The institution (its credit policy and grade scale)."""
    return session.get(Institution, institution_id)


def section_for_enrollment(
    session: Session, institution_id: uuid.UUID, section_id: uuid.UUID
) -> CourseSection | None:
    """The section with its course (and prerequisites), term and timetable."""
    return session.scalar(
        select(CourseSection)
        .where(CourseSection.id == section_id, CourseSection.institution_id == institution_id)
        .options(
            selectinload(CourseSection.course).selectinload(Course.prerequisites),
            selectinload(CourseSection.term),
            selectinload(CourseSection.slots),
        )
    )


def find_enrollment(
    session: Session, student_id: uuid.UUID, section_id: uuid.UUID
) -> Enrollment | None:
    """The student's row for the section, whatever its status."""
    return session.scalar(
        select(Enrollment)
        .where(Enrollment.student_id == student_id, Enrollment.section_id == section_id)
        .execution_options(populate_existing=True)
    )


def rules_rows(
    session: Session, student_id: uuid.UUID, section_id: uuid.UUID, term_id: uuid.UUID
) -> Sequence[RulesRow]:
    """In one query, the student's rows the rules decide on: the one for the section (any
    status), the active ones in the term, and every completed one, each with its section's
    term and course."""
    return session.execute(
        select(
            Enrollment.section_id,
            Enrollment.status,
            Enrollment.enrollment_type,
            Enrollment.grade,
            CourseSection.term_id,
            CourseSection.course_id,
        )
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .where(
            Enrollment.student_id == student_id,
            or_(
                Enrollment.section_id == section_id,
                Enrollment.status == EnrollmentStatus.COMPLETED,
                and_(
                    CourseSection.term_id == term_id,
                    Enrollment.status.in_(ACTIVE_STATUSES),
                ),
            ),
        )
        .order_by(Enrollment.created_at, Enrollment.id)
    ).all()


def courses_of_sections(
    session: Session, section_ids: Iterable[uuid.UUID]
) -> Sequence[Row[uuid.UUID, SectionType, uuid.UUID, str, str, int]]:
    """Section id, type, and its course's id, code, title and credits, for each section."""
    return session.execute(
        select(
            CourseSection.id.label("section_id"),
            CourseSection.section_type,
            Course.id.label("course_id"),
            Course.code,
            Course.title,
            Course.credits,
        )
        .join(Course, Course.id == CourseSection.course_id)
        .where(CourseSection.id.in_(list(section_ids)))
    ).all()


def slots_of_sections(
    session: Session, section_ids: Iterable[uuid.UUID]
) -> Sequence[Row[uuid.UUID, Weekday, time, time]]:
    """(section id, day, start, end) of each section's meetings, in start-time order."""
    return session.execute(
        select(
            TimetableSlot.section_id,
            TimetableSlot.day,
            TimetableSlot.start_time,
            TimetableSlot.end_time,
        )
        .where(TimetableSlot.section_id.in_(list(section_ids)))
        .order_by(TimetableSlot.section_id, TimetableSlot.start_time)
    ).all()


def enrollment_for_drop(
    session: Session,
    institution_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    *,
    lock: bool = False,
) -> Enrollment | None:
    """An enrollment of the institution with its section and term (locked when asked)."""
    query = (
        select(Enrollment)
        .where(Enrollment.id == enrollment_id, Enrollment.institution_id == institution_id)
        .options(
            selectinload(Enrollment.section).options(
                selectinload(CourseSection.term), selectinload(CourseSection.course)
            )
        )
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=Enrollment)
    return session.scalar(query)


def waitlist_head(session: Session, section_id: uuid.UUID) -> Enrollment | None:
    """The first in the section's waitlist, row-locked, with its student."""
    return session.scalar(
        select(Enrollment)
        .where(
            Enrollment.section_id == section_id,
            Enrollment.status == EnrollmentStatus.WAITLISTED,
            Enrollment.waitlist_position == 1,
        )
        .options(selectinload(Enrollment.student))
        .with_for_update(of=Enrollment)
        .execution_options(populate_existing=True)
    )


def close_up_waitlist(session: Session, section_id: uuid.UUID, behind: int) -> None:
    """Move everyone waiting behind a position one place forward."""
    session.execute(
        update(Enrollment)
        .where(
            Enrollment.section_id == section_id,
            Enrollment.status == EnrollmentStatus.WAITLISTED,
            Enrollment.waitlist_position > behind,
        )
        .values(waitlist_position=Enrollment.waitlist_position - 1),
        execution_options={"synchronize_session": False},
    )


def enrolled_credits(session: Session, student_id: uuid.UUID, term_id: uuid.UUID) -> int:
    """Credits of the student's ENROLLED (not AUDIT) courses in a term."""
    total = session.scalar(
        select(func.coalesce(func.sum(Course.credits), 0))
        .select_from(Enrollment)
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .join(Course, Course.id == CourseSection.course_id)
        .where(
            Enrollment.student_id == student_id,
            CourseSection.term_id == term_id,
            Enrollment.status == EnrollmentStatus.ENROLLED,
            Enrollment.enrollment_type != EnrollmentType.AUDIT,
        )
    )
    return int(total or 0)


def insert_enrollment(session: Session, values: dict[str, Any]) -> Enrollment | None:
    """Insert a new enrollment unless its (student, section) pair exists; None when it does.

    ON CONFLICT DO NOTHING instead of a savepoint around a plain INSERT: on PostgreSQL every
    subtransaction that writes holds a lock until the outer commit, so a bulk operation that
    enrolls thousands of students in one transaction would run out of lock slots.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Enrollment)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[Enrollment.student_id, Enrollment.section_id])
        .returning(Enrollment)
    )
    return session.scalars(statement).one_or_none()


def lock_students(
    session: Session, institution_id: uuid.UUID, student_ids: Sequence[uuid.UUID]
) -> None:
    """Row-lock many students at once, in id order (SQLite: its IMMEDIATE transaction suffices)."""
    if not student_ids:
        return
    session.execute(
        select(Student.id)
        .where(Student.institution_id == institution_id, Student.id.in_(student_ids))
        .order_by(Student.id)
        .with_for_update()
    )
