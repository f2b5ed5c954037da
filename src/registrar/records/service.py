"""The academic record, computed from enrollment rows on the institution's grade scale.

Pure functions: the caller loads the rows (see `repository`), so these need no database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from registrar.academics.models import Course
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.institutions.grading import GradeScale, weighted_gpa
from registrar.records.models import PrerequisiteState, PrerequisiteStatus, RecordRow, Summary


def points_of(row: RecordRow, scale: GradeScale) -> Decimal | None:
    """Grade points of a graded row on the scale; the recorded points when the letter is unknown."""
    if row.grade:
        points = scale.points_for(row.grade)
        if points is not None:
            return points
    return row.grade_points


def latest_attempts(rows: Iterable[RecordRow]) -> dict[uuid.UUID, RecordRow]:
    """The last COMPLETED attempt of each course (rows come oldest first): a repeat replaces."""
    latest: dict[uuid.UUID, RecordRow] = {}
    for row in rows:
        if row.status is EnrollmentStatus.COMPLETED:
            latest[row.course_id] = row
    return latest


def cumulative_gpa(rows: Iterable[RecordRow], scale: GradeScale) -> Decimal | None:
    """Credit-weighted GPA over the latest completed, graded, credit-earning attempt per course."""
    weighted: list[tuple[Decimal, int]] = []
    for row in latest_attempts(rows).values():
        # An audited course earns no credit, so it carries no weight in the GPA either.
        if row.enrollment_type is EnrollmentType.AUDIT:
            continue
        points = points_of(row, scale)
        if points is not None:
            weighted.append((points, row.credits))
    return weighted_gpa(weighted)


def earned_credits(row: RecordRow) -> int:
    """Credits the enrollment counts towards the load (an AUDIT counts none)."""
    return 0 if row.enrollment_type is EnrollmentType.AUDIT else row.credits


def attendance_average(rows: Iterable[RecordRow]) -> Decimal | None:
    """Mean attendance over the rows that record one, to one decimal; None when none do."""
    values = [row.attendance_percentage for row in rows if row.attendance_percentage is not None]
    if not values:
        return None
    mean = sum(values, Decimal(0)) / len(values)
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summarize(
    rows: Sequence[RecordRow], completed: Iterable[RecordRow], scale: GradeScale
) -> Summary:
    """Totals over `rows` (the listed enrollments) and the GPA of the whole `completed` record."""
    return Summary(
        total_courses=len(rows),
        total_credits=sum(earned_credits(row) for row in rows),
        enrolled_credits=sum(
            earned_credits(row) for row in rows if row.status is EnrollmentStatus.ENROLLED
        ),
        completed_courses=sum(1 for row in rows if row.status is EnrollmentStatus.COMPLETED),
        current_gpa=cumulative_gpa(completed, scale),
        attendance_average=attendance_average(rows),
    )


def prerequisite_status(
    prerequisites: Iterable[Course], completed: Iterable[RecordRow], scale: GradeScale
) -> list[PrerequisiteStatus]:
    """Each prerequisite, COMPLETED once any attempt passed on the scale, else PENDING.

    A failed retake for a better grade does not undo a pass; the engine's prerequisite rule
    holds the same. The grade shown is the latest passing attempt's, else the latest attempt's.
    """
    rows = list(completed)
    latest = latest_attempts(rows)
    passing = latest_attempts(r for r in rows if scale.is_passing(r.grade, points_of(r, scale)))
    result: list[PrerequisiteStatus] = []
    for course in sorted(prerequisites, key=lambda c: c.code):
        passed = course.id in passing
        attempt = passing.get(course.id) or latest.get(course.id)
        result.append(
            PrerequisiteStatus(
                course_id=course.id,
                course_code=course.code,
                course_title=course.title,
                status=PrerequisiteState.COMPLETED if passed else PrerequisiteState.PENDING,
                grade=attempt.grade if attempt is not None else None,
            )
        )
    return result
