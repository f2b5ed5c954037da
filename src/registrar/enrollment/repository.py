"""Queries of the enrollment engine (seat counters live in `seats.py`).

Plain Core statements on the transaction's connection, returning rows: the engine runs
thousands of times a minute in a rush, and loading ORM objects would cost more than the
database does. The hot statements are built once, with bound parameters: building a statement
and computing its cache key cost more than executing it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from registrar.academics.models import CourseSection
from registrar.enrollment.facts import LinkedChoice
from registrar.enrollment.models import HOLDING_PLACE, Enrollment, EnrollmentStatus
from registrar.holds.repository import on_hold
from registrar.institutions.models import Institution
from registrar.kit.core import AnyRow, table_of
from registrar.kit.direct import DirectSelect
from registrar.students.locking import in_lock_order
from registrar.students.models import Student

ENROLLMENTS = table_of(Enrollment)
STUDENTS = table_of(Student)


_LOCK_STUDENT = (
    select(
        Student.id,
        Student.status,
        Student.email,
        Student.user_id,
        Student.guardian_email,
        Institution.catalog_version,
        on_hold(Student.id, bindparam("now")).label("on_hold"),
    )
    .join(Institution, Institution.id == Student.institution_id)
    .where(
        Student.id == bindparam("student_id"),
        Student.institution_id == bindparam("institution_id"),
    )
    .with_for_update(of=STUDENTS, key_share=True)
)


def lock_student(
    connection: Connection, institution_id: uuid.UUID, student_id: uuid.UUID, now: datetime
) -> AnyRow | None:
    """The student (id, status, email) and their institution's catalog stamp, row-locked so
    one student's requests run one after another.

    FOR NO KEY UPDATE, not FOR UPDATE: rows that merely refer to the student (a notification,
    an enrollment written by someone else's drop promoting them) take a KEY SHARE lock on it,
    which this lock does not block. SQLite renders no lock; its writers begin IMMEDIATE.
    """
    return connection.execute(
        _LOCK_STUDENT, {"student_id": student_id, "institution_id": institution_id, "now": now}
    ).one_or_none()


def lock_students(
    connection: Connection, institution_id: uuid.UUID, student_ids: Sequence[uuid.UUID]
) -> None:
    """Row-lock many students at once, in the one order (SQLite: its IMMEDIATE transaction
    suffices)."""
    if not student_ids:
        return
    connection.execute(
        in_lock_order(
            select(Student.id).where(
                Student.institution_id == institution_id, Student.id.in_(student_ids)
            ),
            key_share=True,
        )
    )


# Every row of the student, each with its section's term and course. Asking for only the rows
# the rules read (the section's, the completed ones, the term's active ones) in SQL made the
# planner scan every section; a student has a few dozen rows, and the rules skip the others.
STUDENT_ROW_COLUMNS = (
    Enrollment.id,
    Enrollment.section_id,
    Enrollment.status,
    Enrollment.enrollment_type,
    Enrollment.grade,
    Enrollment.grade_points,
    Enrollment.dropped_at,
    CourseSection.term_id,
    CourseSection.course_id,
)
_STUDENT_ROWS = (
    select(*STUDENT_ROW_COLUMNS)
    .join(CourseSection, CourseSection.id == Enrollment.section_id)
    .where(Enrollment.student_id == bindparam("student_id"))
    .order_by(Enrollment.created_at, Enrollment.id)
)


_STUDENT_ROWS_DIRECT = DirectSelect(_STUDENT_ROWS)


def rules_rows(connection: Connection, student_id: uuid.UUID) -> Sequence[AnyRow]:
    """The student's rows the rules decide on (all of them), each with its section's term and
    course, oldest first."""
    return _STUDENT_ROWS_DIRECT.all(connection, {"student_id": student_id})


_TARGET = aliased(CourseSection, name="target")
_HELD = aliased(CourseSection, name="held")
_SNAPSHOT = (
    select(
        Student.status.label("student_status"),
        Institution.catalog_version,
        on_hold(Student.id, bindparam("now")).label("on_hold"),
        _TARGET.capacity,
        _TARGET.enrolled_count,
        _TARGET.waitlist_limit,
        _TARGET.waitlisted_count,
        Enrollment.id,
        Enrollment.section_id,
        Enrollment.status,
        Enrollment.enrollment_type,
        Enrollment.grade,
        Enrollment.grade_points,
        Enrollment.dropped_at,
        _HELD.term_id,
        _HELD.course_id,
    )
    .select_from(Student)
    .join(Institution, Institution.id == Student.institution_id)
    .join(
        _TARGET,
        and_(
            _TARGET.id == bindparam("section_id"), _TARGET.institution_id == Student.institution_id
        ),
    )
    .outerjoin(Enrollment, Enrollment.student_id == Student.id)
    .outerjoin(_HELD, _HELD.id == Enrollment.section_id)
    .where(
        Student.id == bindparam("student_id"),
        Student.institution_id == bindparam("institution_id"),
    )
    .order_by(Enrollment.created_at, Enrollment.id)
)

_SNAPSHOT_DIRECT = DirectSelect(_SNAPSHOT)


def snapshot(
    connection: Connection,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    section_id: uuid.UUID,
    now: datetime,
) -> Sequence[AnyRow]:
    """In one unlocked query: the student's status, the catalog stamp, the section's counters,
    and the student's rows (as `rules_rows`; a single row of NULLs when there are none).
    Nothing when the student or the section is not the institution's."""
    return _SNAPSHOT_DIRECT.all(
        connection,
        {
            "student_id": student_id,
            "section_id": section_id,
            "institution_id": institution_id,
            "now": now,
        },
    )


_INSERT_ENROLLMENT = {
    name: dialect.insert(ENROLLMENTS)
    .on_conflict_do_nothing(index_elements=[Enrollment.student_id, Enrollment.section_id])
    .returning(*ENROLLMENTS.c)
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def insert_enrollment(connection: Connection, values: dict[str, Any]) -> AnyRow | None:
    """Insert a new enrollment unless its (student, section) pair exists; None when it does.

    ON CONFLICT DO NOTHING instead of a savepoint around a plain INSERT: on PostgreSQL every
    subtransaction that writes holds a lock until the outer commit, so a bulk operation that
    enrolls thousands of students in one transaction would run out of lock slots.
    """
    statement = _INSERT_ENROLLMENT[connection.dialect.name]
    return connection.execute(statement, values).one_or_none()


_REWRITE_ENROLLMENT = (
    update(ENROLLMENTS)
    .where(ENROLLMENTS.c.id == bindparam("enrollment_id"))
    .returning(*ENROLLMENTS.c)
)


def rewrite_enrollment(
    connection: Connection, enrollment_id: uuid.UUID, values: dict[str, Any]
) -> AnyRow:
    """Change an enrollment's row (the columns `values` names) and return all of it."""
    return connection.execute(_REWRITE_ENROLLMENT, {"enrollment_id": enrollment_id, **values}).one()


def enrollment_owner(
    connection: Connection, institution_id: uuid.UUID, enrollment_id: uuid.UUID
) -> AnyRow | None:
    """(student_id, section_id) of an enrollment of the institution, unlocked."""
    return connection.execute(
        select(Enrollment.student_id, Enrollment.section_id).where(
            Enrollment.id == enrollment_id, Enrollment.institution_id == institution_id
        )
    ).one_or_none()


def lock_enrollment(connection: Connection, enrollment_id: uuid.UUID) -> AnyRow | None:
    """The whole enrollment row, locked."""
    return connection.execute(
        select(*ENROLLMENTS.c).where(ENROLLMENTS.c.id == enrollment_id).with_for_update()
    ).one_or_none()


def waitlist_head(connection: Connection, section_id: uuid.UUID) -> AnyRow | None:
    """The first in the section's waitlist, row-locked, with the student's addresses."""
    return connection.execute(
        select(Enrollment.id, Enrollment.student_id, Student.email, Student.guardian_email)
        .join(Student, Student.id == Enrollment.student_id)
        .where(
            Enrollment.section_id == section_id,
            Enrollment.status == EnrollmentStatus.WAITLISTED,
            Enrollment.waitlist_position == 1,
        )
        .with_for_update(of=ENROLLMENTS)
    ).one_or_none()


def close_up_waitlist(connection: Connection, section_id: uuid.UUID, behind: int) -> None:
    """Move everyone waiting behind a position one place forward."""
    connection.execute(
        update(ENROLLMENTS)
        .where(
            ENROLLMENTS.c.section_id == section_id,
            ENROLLMENTS.c.status == EnrollmentStatus.WAITLISTED,
            ENROLLMENTS.c.waitlist_position > behind,
        )
        .values(waitlist_position=ENROLLMENTS.c.waitlist_position - 1)
    )


def places_of(
    connection: Connection, institution_id: uuid.UUID, student_id: uuid.UUID
) -> list[uuid.UUID]:
    """The student's enrollments that hold a seat or a waitlist place, oldest first."""
    return list(
        connection.scalars(
            select(Enrollment.id)
            .where(
                Enrollment.institution_id == institution_id,
                Enrollment.student_id == student_id,
                Enrollment.status.in_(HOLDING_PLACE),
            )
            .order_by(Enrollment.created_at, Enrollment.id)
        )
    )


# The active LAB and TUTORIAL sections linked to each of some lectures, by code.
_LINKED_CHOICES = (
    select(
        CourseSection.linked_to_section_id.label("lecture_id"),
        CourseSection.id,
        CourseSection.code,
        CourseSection.section_type,
        CourseSection.capacity,
        CourseSection.enrolled_count,
    )
    .where(
        CourseSection.linked_to_section_id.in_(bindparam("lecture_ids", expanding=True)),
        CourseSection.is_active.is_(True),
    )
    .order_by(CourseSection.code)
)


def linked_choices_of(
    connection: Connection, lecture_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[LinkedChoice, ...]]:
    """The active LAB and TUTORIAL sections linked to each lecture, with their free seats now
    (lectures with none are left out); one statement however many lectures."""
    if not lecture_ids:
        return {}
    found: dict[uuid.UUID, list[LinkedChoice]] = defaultdict(list)
    for row in connection.execute(_LINKED_CHOICES, {"lecture_ids": list(lecture_ids)}):
        found[row.lecture_id].append(
            LinkedChoice(
                id=row.id,
                code=row.code,
                section_type=row.section_type.value,
                free_seats=max(row.capacity - row.enrolled_count, 0),
            )
        )
    return {lecture: tuple(offered) for lecture, offered in found.items()}


def linked_choices(connection: Connection, lecture_id: uuid.UUID) -> tuple[LinkedChoice, ...]:
    """The active LAB and TUTORIAL sections linked to a lecture, with their free seats now."""
    return linked_choices_of(connection, [lecture_id]).get(lecture_id, ())


def linked_places(
    connection: Connection, student_id: uuid.UUID, lecture_id: uuid.UUID
) -> list[uuid.UUID]:
    """The student's seats and waitlist places in the sections linked to a lecture."""
    return list(
        connection.scalars(
            select(Enrollment.id)
            .join(CourseSection, CourseSection.id == Enrollment.section_id)
            .where(
                Enrollment.student_id == student_id,
                CourseSection.linked_to_section_id == lecture_id,
                Enrollment.status.in_(HOLDING_PLACE),
            )
            .order_by(CourseSection.code)
        )
    )


def due_offers(
    connection: Connection, now: datetime, limit: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(institution, enrollment) of offers past their time, oldest first, unlocked: each is
    locked and checked again when it is expired."""
    rows = connection.execute(
        select(Enrollment.institution_id, Enrollment.id)
        .where(Enrollment.status == EnrollmentStatus.OFFERED, Enrollment.offer_expires_at <= now)
        .order_by(Enrollment.offer_expires_at)
        .limit(limit)
    )
    return [(row.institution_id, row.id) for row in rows]
