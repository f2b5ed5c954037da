"""What one grade entry means on an institution's scale (pure: no database, no HTTP)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from registrar.institutions.grading import GradeScale
from registrar.kit.bounds import excerpt

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class MarkInput:
    """An entry as given: a letter (or mark), a percentage, an attendance; None = not given."""

    grade: str | None = None
    percent: Decimal | None = None
    attendance_percentage: Decimal | None = None


@dataclass(frozen=True)
class Marks:
    """What an entry sets: grade and points together, attendance alone; None leaves it as is."""

    grade: str | None = None
    grade_points: Decimal | None = None
    attendance_percentage: Decimal | None = None


@dataclass(frozen=True)
class Problem:
    """Why an entry cannot be recorded, and which field is at fault (None: the row as a whole)."""

    field: str | None
    reason: str
    details: dict[str, Any] = dataclasses.field(default_factory=dict)


def _in_range(value: Decimal) -> bool:
    return value.is_finite() and Decimal(0) <= value <= Decimal(100)


def _hundredths(value: Decimal) -> Decimal:
    return value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def _from_grade(text: str, scale: GradeScale) -> tuple[str, Decimal] | Problem:
    """A letter on a letter scale; on a percentage scale, the mark itself (rounded)."""
    given = text.strip()
    if scale.is_percentage:
        try:
            mark = Decimal(given)
        except InvalidOperation:
            mark = Decimal("NaN")
        if not _in_range(mark):
            return Problem("grade", f"Grade {excerpt(text)!r} is not a mark from 0 to 100")
        grade = scale.grade_for_percent(mark)
    else:
        grade = given.upper()
    points = scale.points_for(grade)
    if points is None:
        letters = scale.grades()
        return Problem(
            "grade",
            f"Unknown grade {excerpt(text)!r}; the scale's grades are {', '.join(letters)}",
            {"allowed_grades": letters},
        )
    return grade, points


def _from_percent(percent: Decimal, scale: GradeScale) -> tuple[str, Decimal] | Problem:
    """The grade a percentage earns on the scale, and its points."""
    if not _in_range(percent):
        return Problem("percent", "Percent must be between 0 and 100")
    grade = scale.grade_for_percent(percent)
    points = scale.points_for(grade)
    if points is None:  # only a scale whose entries contradict themselves gets here
        return Problem("percent", f"The grade scale has no points for {grade!r}")
    return grade, points


def resolve(entry: MarkInput, scale: GradeScale) -> tuple[Marks, list[Problem]]:
    """The values an entry sets on the scale, or every problem with it."""
    problems: list[Problem] = []
    graded: tuple[str, Decimal] | Problem | None = None
    if entry.grade is None and entry.percent is None and entry.attendance_percentage is None:
        problems.append(Problem(None, "Nothing to record: give a grade, percent or attendance"))
    if entry.grade is not None and entry.percent is not None:
        problems.append(Problem("percent", "Give either a grade or a percent, not both"))
    elif entry.grade is not None:
        graded = _from_grade(entry.grade, scale)
    elif entry.percent is not None:
        graded = _from_percent(entry.percent, scale)
    if isinstance(graded, Problem):
        problems.append(graded)
    attendance = entry.attendance_percentage
    if attendance is not None and not _in_range(attendance):
        problems.append(
            Problem("attendance_percentage", "Attendance percentage must be between 0 and 100")
        )
    if problems:
        return Marks(), problems
    grade, points = graded if isinstance(graded, tuple) else (None, None)
    return (
        Marks(
            grade=grade,
            grade_points=_hundredths(points) if points is not None else None,
            attendance_percentage=_hundredths(attendance) if attendance is not None else None,
        ),
        [],
    )
