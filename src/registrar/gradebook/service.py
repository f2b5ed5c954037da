"""Recording grades and attendance for a section's roster, and completing the section's term.

Who may: the section's own faculty member (the Faculty row of the caller's login, assigned to
the section) and the institution's REGISTRAR or ADMIN. A section of another institution is
not found (404); another faculty member's section is forbidden (403). Nothing here commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection
from registrar.audit import service as audit
from registrar.auth.models import Role
from registrar.auth.principal import Principal
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.errors import Conflict, Forbidden, NotFound, RegistrarError, ValidationFailed
from registrar.gradebook import repository
from registrar.gradebook.marks import MarkInput, Marks, Problem, resolve
from registrar.gradebook.repository import RosterRow
from registrar.institutions.grading import GradeScale, scale_of
from registrar.kit.bounds import excerpt

OFFICE = frozenset({Role.REGISTRAR, Role.ADMIN})
ROSTER_STATUSES = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED)
Snapshot = dict[str, str | float | None]


def scale_for(principal: Principal) -> GradeScale:
    """The grade scale of the caller's institution."""
    return scale_of(principal.institution.grade_scale)


def section_for(session: Session, principal: Principal, section_id: uuid.UUID) -> CourseSection:
    """The section, if the caller may keep its gradebook: 404 outside the institution, else 403."""
    section = repository.section(session, principal.institution.id, section_id)
    if section is None:
        raise NotFound("Course section not found")
    if principal.role in OFFICE:
        return section
    if principal.role is Role.FACULTY:
        teacher = repository.faculty_id_of_user(
            session, principal.institution.id, principal.user.id
        )
        if teacher is not None and section.faculty_id == teacher:
            return section
    raise Forbidden("Only the section's faculty or the registrar may keep its gradebook")


def number(value: Decimal | None) -> float | None:
    """A stored decimal as a JSON number."""
    return float(value) if value is not None else None


def snapshot(enrollment: Enrollment) -> Snapshot:
    """The recorded values of an enrollment, as the audit trail keeps them."""
    return {
        "status": enrollment.status.value,
        "grade": enrollment.grade,
        "grade_points": number(enrollment.grade_points),
        "attendance_percentage": number(enrollment.attendance_percentage),
    }


def passing(scale: GradeScale, enrollment: Enrollment) -> bool | None:
    """Whether the recorded grade passes on the scale; None without a grade."""
    if enrollment.grade is None:
        return None
    return scale.is_passing(enrollment.grade, enrollment.grade_points)


def refusal(enrollment: Enrollment, principal: Principal) -> RegistrarError | None:
    """Why this caller may not grade this enrollment now, or None.

    A COMPLETED enrollment is a closed record: only a REGISTRAR changes it (not faculty, and
    not an ADMIN, whose office is institutions and users rather than academic records).
    """
    status = enrollment.status
    if status is EnrollmentStatus.ENROLLED:
        return None
    if status is EnrollmentStatus.COMPLETED:
        if principal.role is Role.REGISTRAR:
            return None
        return Forbidden("Only the registrar may change a grade after the term is completed")
    return Conflict(
        f"Cannot record a grade for a {status.value} enrollment", details={"status": status.value}
    )


def after(enrollment: Enrollment, marks: Marks) -> Snapshot:
    """The enrollment's values once the marks are applied (without applying them)."""
    values = snapshot(enrollment)
    if marks.grade is not None:
        values["grade"] = marks.grade
        values["grade_points"] = number(marks.grade_points)
    if marks.attendance_percentage is not None:
        values["attendance_percentage"] = number(marks.attendance_percentage)
    return values


def apply(
    session: Session, principal: Principal, section_id: uuid.UUID, row: RosterRow, marks: Marks
) -> None:
    """Record the marks on the enrollment and audit the entry with its before and after."""
    enrollment = row.enrollment
    before = snapshot(enrollment)
    if marks.grade is not None:
        enrollment.grade = marks.grade
        enrollment.grade_points = marks.grade_points
    if marks.attendance_percentage is not None:
        enrollment.attendance_percentage = marks.attendance_percentage
    closed = enrollment.status is EnrollmentStatus.COMPLETED
    audit.record(
        session,
        institution_id=principal.institution.id,
        actor_user_id=principal.user.id,
        action="grade.changed_after_completion" if closed else "grade.recorded",
        entity_type="enrollment",
        entity_id=enrollment.id,
        details={
            "section_id": str(section_id),
            "roll_number": row.roll_number,
            "before": before,
            "after": snapshot(enrollment),
        },
    )


def problem_body(problem: Problem) -> dict[str, Any]:
    """A problem as it appears in an error body."""
    return {"field": problem.field, "reason": problem.reason, **problem.details}


def record_one(
    session: Session,
    principal: Principal,
    section_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    entry: MarkInput,
) -> RosterRow:
    """Record one student's grade and/or attendance."""
    section = section_for(session, principal, section_id)
    row = repository.enrollment(session, section.id, enrollment_id, lock=True)
    if row is None:
        raise NotFound("Enrollment not found")
    refused = refusal(row.enrollment, principal)
    if refused is not None:
        raise refused
    marks, problems = resolve(entry, scale_for(principal))
    if problems:
        first = problems[0]
        raise ValidationFailed(
            first.reason,
            details={**problem_body(first), "errors": [problem_body(p) for p in problems]},
        )
    apply(session, principal, section.id, row, marks)
    return row


@dataclass(frozen=True)
class RowInput:
    """One row of a whole-roster entry: who (enrollment id or roll number) and what."""

    enrollment_id: uuid.UUID | None
    roll_number: str | None
    entry: MarkInput


@dataclass(frozen=True)
class RowProblem:
    index: int
    field: str | None
    reason: str


@dataclass(frozen=True)
class Change:
    index: int
    row: RosterRow
    marks: Marks


def _target(
    row: RowInput, by_id: dict[uuid.UUID, RosterRow], by_roll: dict[str, RosterRow]
) -> RosterRow | Problem:
    """The enrollment a row names; both names given must agree."""
    roll = row.roll_number.strip() if row.roll_number is not None else None
    if row.enrollment_id is None and not roll:
        return Problem("roll_number", "Name the student by enrollment_id or roll_number")
    found_by_id = by_id.get(row.enrollment_id) if row.enrollment_id is not None else None
    if row.enrollment_id is not None and found_by_id is None:
        return Problem("enrollment_id", "No such enrollment in this section")
    found_by_roll = by_roll.get(roll) if roll else None
    if roll and found_by_roll is None:
        shown = excerpt(roll)
        return Problem("roll_number", f"No student with roll number {shown!r} in this section")
    if found_by_id is not None and found_by_roll is not None and found_by_id is not found_by_roll:
        return Problem("roll_number", "enrollment_id and roll_number name different students")
    target = found_by_id or found_by_roll
    assert target is not None
    return target


def plan(
    session: Session,
    principal: Principal,
    section: CourseSection,
    rows: Sequence[RowInput],
    *,
    lock: bool,
    place: Callable[[int], str] = "row {}".format,
) -> tuple[list[Change], list[RowProblem]]:
    """Every change the rows ask for and every problem with them; nothing is changed.

    `place` names a row in a message (a CSV names its line rather than its index).
    """
    scale = scale_for(principal)
    roster = repository.enrollments(session, section.id, lock=lock)
    by_id = {r.enrollment.id: r for r in roster}
    by_roll = {r.roll_number: r for r in roster}
    seen: dict[uuid.UUID, int] = {}
    changes: list[Change] = []
    problems: list[RowProblem] = []
    for index, row in enumerate(rows):
        found = _target(row, by_id, by_roll)
        marks, bad = resolve(row.entry, scale)
        problems.extend(RowProblem(index, p.field, p.reason) for p in bad)
        if isinstance(found, Problem):
            problems.append(RowProblem(index, found.field, found.reason))
            continue
        named_by = "enrollment_id" if row.enrollment_id is not None else "roll_number"
        refused = refusal(found.enrollment, principal)
        if refused is not None:
            problems.append(RowProblem(index, named_by, refused.message))
        elif found.enrollment.id in seen:
            reason = f"The same student as {place(seen[found.enrollment.id])}"
            problems.append(RowProblem(index, named_by, reason))
        elif not bad:
            changes.append(Change(index, found, marks))
        seen.setdefault(found.enrollment.id, index)
    problems.sort(key=lambda p: p.index)
    return changes, problems


def record_roster(
    session: Session, principal: Principal, section_id: uuid.UUID, rows: Sequence[RowInput]
) -> list[RosterRow]:
    """Record the whole roster at once: every row or, if any is bad, none (422 listing them)."""
    section = section_for(session, principal, section_id)
    if not rows:
        raise ValidationFailed("Nothing to record: the list of rows is empty")
    changes, problems = plan(session, principal, section, rows, lock=True)
    if problems:
        raise ValidationFailed(
            f"No grades were recorded: {len({p.index for p in problems})} row(s) have problems",
            details={
                "errors": [
                    {"index": p.index, "field": p.field, "reason": p.reason} for p in problems
                ]
            },
        )
    for change in changes:
        apply(session, principal, section.id, change.row, change.marks)
    return [change.row for change in changes]
