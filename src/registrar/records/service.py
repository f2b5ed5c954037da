"""The academic record, computed from enrollment rows on the institution's grade scale.

Pure functions: the caller loads the rows (see `repository`), so these need no database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal

from registrar.academics.models import Course
from registrar.enrollment.models import EnrollmentStatus
from registrar.enrollment.rules import counted_credits, passed_courses, unmet_prerequisites
from registrar.institutions.grading import GradeScale, weighted_gpa
from registrar.records.models import PrerequisiteState, PrerequisiteStatus, RecordRow, Summary


def points_of(row: RecordRow, scale: GradeScale) -> Decimal | None:
    """Grade points of a graded row on the scale; the recorded points when the letter is unknown."""
    return scale.mark_of(row.grade, row.grade_points)


def passed(row: RecordRow, scale: GradeScale) -> bool:
    """Whether the attempt passed on the scale."""
    return scale.is_passing(row.grade, row.grade_points)


def latest_attempts(rows: Iterable[RecordRow]) -> dict[uuid.UUID, RecordRow]:
    """The last COMPLETED attempt of each course (rows come oldest first): a repeat replaces."""
    latest: dict[uuid.UUID, RecordRow] = {}
    for row in rows:
        if row.status is EnrollmentStatus.COMPLETED:
            latest[row.course_id] = row
    return latest


def best_attempts(rows: Iterable[RecordRow], scale: GradeScale) -> dict[uuid.UUID, RecordRow]:
    """The COMPLETED attempt of each course with the most points (the later one on a tie)."""
    best: dict[uuid.UUID, RecordRow] = {}
    for row in rows:
        if row.status is not EnrollmentStatus.COMPLETED:
            continue
        kept = best.get(row.course_id)
        if kept is None or (points_of(row, scale) or 0) >= (points_of(kept, scale) or 0):
            best[row.course_id] = row
    return best


def counted_attempts(
    rows: Iterable[RecordRow], scale: GradeScale, *, best: bool
) -> dict[uuid.UUID, RecordRow]:
    """The one attempt per course that counts in the GPA: the best where the institution allows
    repeating for a better grade (`allow_grade_improvement`), else the latest (a retake after a
    failure replaces it)."""
    return best_attempts(rows, scale) if best else latest_attempts(rows)


def cumulative_gpa(
    rows: Iterable[RecordRow], scale: GradeScale, *, best: bool = False
) -> Decimal | None:
    """Credit-weighted GPA over the counted completed, graded, credit-earning attempt per
    course (`counted_attempts`)."""
    weighted: list[tuple[Decimal, int]] = []
    for row in counted_attempts(rows, scale, best=best).values():
        points = points_of(row, scale)
        # Weighed by the credits it earns: an audited course, earning none, weighs nothing.
        if points is not None:
            weighted.append((points, earned_credits(row)))
    return weighted_gpa(weighted)


def earned_credits(row: RecordRow) -> int:
    """Credits the enrollment counts towards the load (an AUDIT counts none)."""
    return counted_credits(row.credits, row.enrollment_type)


def attendance_average(rows: Iterable[RecordRow]) -> Decimal | None:
    """Mean attendance over the rows that record one, to one decimal; None when none do."""
    values = [row.attendance_percentage for row in rows if row.attendance_percentage is not None]
    if not values:
        return None
    mean = sum(values, Decimal(0)) / len(values)
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def summarize(
    rows: Sequence[RecordRow],
    completed: Iterable[RecordRow],
    scale: GradeScale,
    *,
    best: bool = False,
) -> Summary:
    """Totals over `rows` (the listed enrollments) and the GPA of the whole `completed` record."""
    return Summary(
        total_courses=len(rows),
        total_credits=sum(earned_credits(row) for row in rows),
        enrolled_credits=sum(
            earned_credits(row) for row in rows if row.status is EnrollmentStatus.ENROLLED
        ),
        completed_courses=sum(1 for row in rows if row.status is EnrollmentStatus.COMPLETED),
        current_gpa=cumulative_gpa(completed, scale, best=best),
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
    judged = [(row, passed(row, scale)) for row in rows]
    passing = latest_attempts(row for row, ok in judged if ok)
    required = sorted(prerequisites, key=lambda c: c.code)
    met_by = passed_courses((row.course_id, ok) for row, ok in judged)
    unmet = {course.id for course in unmet_prerequisites(required, met_by, _course_id)}
    result: list[PrerequisiteStatus] = []
    for course in required:
        met = course.id not in unmet
        attempt = passing.get(course.id) or latest.get(course.id)
        result.append(
            PrerequisiteStatus(
                course_id=course.id,
                course_code=course.code,
                course_title=course.title,
                status=PrerequisiteState.COMPLETED if met else PrerequisiteState.PENDING,
                grade=attempt.grade if attempt is not None else None,
            )
        )
    return result


def _course_id(course: Course) -> uuid.UUID:
    return course.id
