"""What enrolling would do now in each of many sections, judged for one student at once.

A page that lists sections shows beside each what the enroll request would answer. It is the
dry run's evaluation (`judgement.judge`) on the facts the engine itself decides on (the catalog,
`context.build`), gathered once for the page rather than once per section: the student's
standing and every row of theirs in one statement, the sections from the worker's catalog (one
batched read for those it lacks), the holds' types in one more only for a student on hold, and
the linked sections offered with the lectures that require one in one more only when the page
lists such a lecture. The seat counters are the caller's, read with its page. However many
sections, the same statements.

Nothing is locked or written: the answer is true as of the read, as a dry run's is.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, select

from registrar.academics.models import CourseSection
from registrar.enrollment import catalog, context, repository
from registrar.enrollment.catalog import CatalogSection, InstitutionPolicy
from registrar.enrollment.judgement import Judgement, Seats, judge
from registrar.enrollment.models import Enrollment, EnrollmentType
from registrar.enrollment.rules import ACTIVE_STATUSES, EnrollmentContext, LinkedChoice
from registrar.holds import repository as holds
from registrar.institutions.models import Institution
from registrar.kit.columns import utcnow
from registrar.kit.core import AnyRow
from registrar.students.models import Student, StudentStatus

__all__ = ["Judgement", "Seats", "judge_sections"]

# The engine's snapshot without its one section: the student's status, the catalog stamp,
# whether a hold is active, and every row of the student (oldest first, as the engine reads
# them), each with its section's term and course; one row of NULLs past the student for none.
_STANDING = (
    select(
        Student.status.label("student_status"),
        Institution.catalog_version,
        holds.on_hold(Student.id, bindparam("now")).label("on_hold"),
        *repository.STUDENT_ROW_COLUMNS,
    )
    .select_from(Student)
    .join(Institution, Institution.id == Student.institution_id)
    .outerjoin(Enrollment, Enrollment.student_id == Student.id)
    .outerjoin(CourseSection, CourseSection.id == Enrollment.section_id)
    .where(
        Student.id == bindparam("student_id"),
        Student.institution_id == bindparam("institution_id"),
    )
    .order_by(Enrollment.created_at, Enrollment.id)
)


def judge_sections(
    connection: Connection,
    *,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    seats: Mapping[uuid.UUID, Seats],
    enrollment_type: EnrollmentType = EnrollmentType.REGULAR,
) -> dict[uuid.UUID, Judgement]:
    """What a student's own enroll request would do now in each section of `seats` (its counters
    as the caller read them), every rule answered; none for a student or section not found."""
    if not seats:
        return {}
    now = utcnow()
    params = {"institution_id": institution_id, "student_id": student_id, "now": now}
    standing = connection.execute(_STANDING, params).all()
    if not standing:
        return {}
    first = standing[0]
    version = first.catalog_version
    institution = catalog.policy(connection, institution_id, version)
    if institution is None:
        return {}
    rows = [row for row in standing if row.id is not None]
    held_ids = {row.section_id for row in rows if row.status in ACTIVE_STATUSES}
    known = catalog.sections(connection, institution_id, version, {*seats, *held_ids})
    hold_types = holds.active_types(connection, student_id, now) if first.on_hold else ()
    active = first.student_status is StudentStatus.ACTIVE
    history = context.History.of(rows, known, institution.scale)
    own_rows = {row.section_id: row for row in rows}
    student = _Student(active, hold_types, history, now, enrollment_type, own_rows)
    listed = {key: known[key] for key in seats if key in known}
    choices = _linked_choices(connection, listed.values())
    return {
        key: judge(_context(student, section, institution, known, choices), seats[key])
        for key, section in listed.items()
    }


def _linked_choices(
    connection: Connection, sections: Iterable[CatalogSection]
) -> dict[uuid.UUID, tuple[LinkedChoice, ...]]:
    """The linked sections each lecture that requires one offers, as the engine reads them for
    a request that names none (nothing read when no such lecture is listed)."""
    lectures = [s.id for s in sections if s.facts.linked_to is None and s.facts.requires_linked]
    return repository.linked_choices_of(connection, lectures)


@dataclass(frozen=True)
class _Student:
    """What the student brings to every section's judgement, read once."""

    active: bool
    hold_types: tuple[str, ...]
    history: context.History
    now: datetime
    enrollment_type: EnrollmentType
    own_rows: Mapping[uuid.UUID, AnyRow]  # by section: one each (a unique key)

    def row_for(self, section_id: uuid.UUID) -> AnyRow | None:
        """The student's own row for the section, if any."""
        return self.own_rows.get(section_id)


def _context(
    student: _Student,
    section: CatalogSection,
    institution: InstitutionPolicy,
    known: Mapping[uuid.UUID, CatalogSection],
    choices: Mapping[uuid.UUID, tuple[LinkedChoice, ...]],
) -> EnrollmentContext:
    """The rules' context for one section, built as the engine builds it for a request that
    names no linked section."""
    return context.build(
        student_status_active=student.active,
        hold_types=student.hold_types,
        section=section,
        institution=institution,
        rows=student.history.rows,
        held=known,
        existing=student.row_for(section.id),
        enrollment_type=student.enrollment_type,
        requested_by_staff=False,
        now=student.now,
        linked_choices=choices.get(section.id, ()),
        history=student.history,
    )
