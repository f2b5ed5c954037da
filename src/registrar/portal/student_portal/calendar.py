"""How a student's semester number ("5") maps onto calendar terms.

A batch records its year of study and semester for its academic year (`CS-2024-3-A`: 2024-2025,
year 3, semester 5). For a term of academic year Y the cohort is in year of study
`year_of_study + (Y - batch's year)`, and the semester number is `2 * (year_of_study - 1) + 1` in
the ODD (or FIRST) term and `+ 2` in the EVEN (or SECOND) term. A FULL_YEAR term has no
semester number. The reference cohort is the section's own batch when the section is reserved for
one, else the student's batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registrar.academics.models import TermKind

_FIRST_HALF = frozenset({TermKind.ODD, TermKind.FIRST})
_SECOND_HALF = frozenset({TermKind.EVEN, TermKind.SECOND})


@dataclass(frozen=True)
class Cohort:
    """Where a batch stands in the academic year it was recorded for."""

    year_of_study: int | None
    year_start: date | None
    section: str | None


def year_of_study_in(cohort: Cohort, term_year_start: date) -> int | None:
    """The cohort's year of study during the academic year starting on `term_year_start`."""
    if cohort.year_of_study is None:
        return None
    if cohort.year_start is None:
        return cohort.year_of_study
    year = cohort.year_of_study + (term_year_start.year - cohort.year_start.year)
    return year if year >= 1 else None


def semester_number(year_of_study: int | None, kind: TermKind) -> int | None:
    """The semester number a term is for a cohort in that year of study."""
    if year_of_study is None:
        return None
    if kind in _FIRST_HALF:
        return 2 * (year_of_study - 1) + 1
    if kind in _SECOND_HALF:
        return 2 * (year_of_study - 1) + 2
    return None


def term_fits_semester(kind: TermKind, semester: int) -> bool:
    """Whether a term of that kind can hold the odd or even semester `semester`."""
    if kind is TermKind.FULL_YEAR:
        return True
    return kind in (_FIRST_HALF if semester % 2 == 1 else _SECOND_HALF)


def year_of_study_for_semester(semester: int) -> int:
    """Semesters 1-2 are year 1, 3-4 year 2, and so on."""
    return (semester + 1) // 2


def ordinal_year(year_of_study: int | None) -> str | None:
    """`3` -> `"3rd Year"`, as the seed displays a batch's year of study."""
    if year_of_study is None:
        return None
    suffix = (
        "th"
        if 10 <= year_of_study % 100 <= 20
        else {1: "st", 2: "nd", 3: "rd"}.get(year_of_study % 10, "th")
    )
    return f"{year_of_study}{suffix} Year"
