"""Grade scales, without a database."""

from __future__ import annotations

from decimal import Decimal

import pytest

from registrar.institutions.grading import (
    FOUR_POINT_SCALE,
    TEN_POINT_SCALE,
    GradeScale,
    scale_of,
    weighted_gpa,
)

TEN = scale_of(TEN_POINT_SCALE)
FOUR = scale_of(FOUR_POINT_SCALE)
PERCENT = scale_of([])


@pytest.mark.parametrize(
    ("scale", "grade", "points"),
    [(TEN, "O", "10"), (TEN, "C", "5"), (TEN, "F", "0"), (FOUR, "A", "4.0"), (FOUR, "B+", "3.3")],
)
def test_letters_map_to_points(scale: GradeScale, grade: str, points: str) -> None:
    assert scale.points_for(grade) == Decimal(points)


def test_unknown_letters_have_no_points() -> None:
    assert TEN.points_for("A-") is None
    assert FOUR.points_for("O") is None


@pytest.mark.parametrize("mark", ["NaN", "Infinity", "-1", "100.5", "eighty"])
def test_percentage_scale_refuses_marks_that_are_not_marks(mark: str) -> None:
    assert PERCENT.points_for(mark) is None
    assert not PERCENT.is_passing(mark)


def test_passing_follows_the_scale() -> None:
    assert TEN.is_passing("C")
    assert not TEN.is_passing("F")
    assert PERCENT.is_passing("75")
    assert not PERCENT.is_passing("74.99")
    assert not TEN.is_passing(None)


def test_percent_to_letter() -> None:
    assert TEN.grade_for_percent(Decimal("90")) == "O"
    assert TEN.grade_for_percent(Decimal("39.9")) == "F"
    assert FOUR.grade_for_percent(Decimal("86")) == "A-"
    assert PERCENT.grade_for_percent(Decimal("74.5")) == "75"


def test_weighted_gpa_weights_by_credits() -> None:
    assert weighted_gpa([(Decimal(10), 4), (Decimal(5), 2)]) == Decimal("8.33")
    assert weighted_gpa([]) is None
