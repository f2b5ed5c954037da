"""Grade scales: letter (or mark) to grade points, what passes, and GPA."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# The AP university's 10-point scale (JNTU style); best grade first.
TEN_POINT_SCALE: list[dict[str, Any]] = [
    {"grade": "O", "points": 10, "min_percent": 90, "passing": True},
    {"grade": "A+", "points": 9, "min_percent": 80, "passing": True},
    {"grade": "A", "points": 8, "min_percent": 70, "passing": True},
    {"grade": "B+", "points": 7, "min_percent": 60, "passing": True},
    {"grade": "B", "points": 6, "min_percent": 50, "passing": True},
    {"grade": "C", "points": 5, "min_percent": 40, "passing": True},
    {"grade": "F", "points": 0, "min_percent": 0, "passing": False},
]

# The seed's 4-point example (grade "A" is 4.0).
FOUR_POINT_SCALE: list[dict[str, Any]] = [
    {"grade": "A", "points": 4.0, "min_percent": 90, "passing": True},
    {"grade": "A-", "points": 3.7, "min_percent": 85, "passing": True},
    {"grade": "B+", "points": 3.3, "min_percent": 80, "passing": True},
    {"grade": "B", "points": 3.0, "min_percent": 75, "passing": True},
    {"grade": "B-", "points": 2.7, "min_percent": 70, "passing": True},
    {"grade": "C+", "points": 2.3, "min_percent": 65, "passing": True},
    {"grade": "C", "points": 2.0, "min_percent": 60, "passing": True},
    {"grade": "D", "points": 1.0, "min_percent": 50, "passing": True},
    {"grade": "F", "points": 0.0, "min_percent": 0, "passing": False},
]

# K-12 report cards: the grade is the mark itself; 75 passes (DepEd).
PERCENT_PASSING_MARK = 75


@dataclass(frozen=True)
class GradeScale:
    """An institution's scale. An empty entry list means marks are percentages."""

    entries: Sequence[Mapping[str, Any]]
    percent_passing_mark: Decimal = Decimal(PERCENT_PASSING_MARK)

    @property
    def is_percentage(self) -> bool:
        """True for K-12 style marks (the grade is a number 0-100)."""
        return not self.entries

    def points_for(self, grade: str) -> Decimal | None:
        """Grade points for a letter (or the mark itself on a percentage scale); None if unknown."""
        if self.is_percentage:
            try:
                mark = Decimal(grade)
            except ArithmeticError:
                return None
            return mark if mark.is_finite() and 0 <= mark <= 100 else None
        for entry in self.entries:
            if entry["grade"] == grade:
                return Decimal(str(entry["points"]))
        return None

    def mark_of(self, grade: str | None, recorded_points: Decimal | None = None) -> Decimal | None:
        """The points (or mark) an attempt earned: its grade's on this scale, else the points
        recorded beside it (a letter the scale no longer knows, a mark that is not a number)."""
        if grade:
            points = self.points_for(grade)
            if points is not None:
                return points
        return recorded_points

    def is_passing(self, grade: str | None, recorded_points: Decimal | None = None) -> bool:
        """Whether an attempt passed: the one definition the engine, the records, the gradebook
        and K-12 share.

        Ungraded never passes. On a letter scale the letter's own flag decides (the recorded
        points do not). On a percentage scale the mark (`mark_of`) must reach this scale's
        passing mark: the institution's 75 for the engine and the records; K-12 builds the
        scale with its level's `passing_mark`, which the school may set per level.
        """
        if grade is None:
            return False
        if self.is_percentage:
            mark = self.mark_of(grade, recorded_points)
            return mark is not None and mark >= self.percent_passing_mark
        for entry in self.entries:
            if entry["grade"] == grade:
                return bool(entry["passing"])
        return False

    def grade_for_percent(self, percent: Decimal) -> str:
        """The letter a percentage earns (or the rounded mark on a percentage scale)."""
        if self.is_percentage:
            return str(percent.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        for entry in self.entries:
            if percent >= Decimal(str(entry["min_percent"])):
                return str(entry["grade"])
        return str(self.entries[-1]["grade"])

    def grades(self) -> list[str]:
        """The letters of the scale, best first."""
        return [str(entry["grade"]) for entry in self.entries]


def scale_of(grade_scale: Sequence[Mapping[str, Any]] | None) -> GradeScale:
    """The scale an institution's `grade_scale` column describes."""
    return GradeScale(entries=list(grade_scale or []))


def weighted_gpa(records: Iterable[tuple[Decimal, int]]) -> Decimal | None:
    """Credit-weighted mean of (grade points, credits); None when nothing is graded."""
    total_points = Decimal(0)
    total_credits = 0
    for points, credits in records:
        total_points += points * credits
        total_credits += credits
    if total_credits == 0:
        return None
    return (total_points / total_credits).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
