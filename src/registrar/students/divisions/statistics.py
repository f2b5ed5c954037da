"""Division statistics of seed 003, folded from one GROUP BY over the active students."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from sqlalchemy.orm import Session

from registrar.students.divisions import repository
from registrar.students.divisions.schemas import (
    UNASSIGNED,
    DepartmentStatistics,
    StatisticsFilters,
    YearStatistics,
)

UNSPECIFIED = "UNSPECIFIED"


def _label(value: Any, missing: str = UNASSIGNED) -> str:
    if value is None:
        return missing
    return str(getattr(value, "value", value))


def _ordered(counter: Counter[str], *, numeric: bool = False) -> dict[str, int]:
    def key(label: str) -> tuple[int, int, str]:
        if label in (UNASSIGNED, UNSPECIFIED):
            return (1, 0, label)
        if numeric and label.isdigit():
            return (0, int(label), label)
        return (0, 0, label)

    return {label: counter[label] for label in sorted(counter, key=key)}


def division_statistics(
    session: Session, institution_id: uuid.UUID, filters: StatisticsFilters
) -> dict[str, DepartmentStatistics]:
    """Per department code: totals by year (and section), year of study, semester, gender, quota."""
    rows = repository.statistics_counts(session, institution_id, filters)
    heads: dict[str, tuple[Any, Any, Any]] = {}
    totals: Counter[str] = Counter()
    years: dict[str, Counter[str]] = {}
    sections: dict[str, dict[str, Counter[str]]] = {}
    of_study: dict[str, Counter[str]] = {}
    semesters: dict[str, Counter[str]] = {}
    genders: dict[str, Counter[str]] = {}
    quotas: dict[str, Counter[str]] = {}
    for department_id, code, name, year, study, semester, section, gender, quota, n in rows:
        dept = _label(code)
        heads.setdefault(dept, (department_id, name, code))
        count = int(n)
        totals[dept] += count
        years.setdefault(dept, Counter())[_label(year)] += count
        sections.setdefault(dept, {}).setdefault(_label(year), Counter())[_label(section)] += count
        of_study.setdefault(dept, Counter())[_label(study)] += count
        semesters.setdefault(dept, Counter())[_label(semester)] += count
        genders.setdefault(dept, Counter())[_label(gender, UNSPECIFIED)] += count
        quotas.setdefault(dept, Counter())[_label(quota, UNSPECIFIED)] += count
    result: dict[str, DepartmentStatistics] = {}
    for dept in sorted(heads, key=lambda d: (d == UNASSIGNED, d)):
        department_id, name, code = heads[dept]
        by_year = {
            year: YearStatistics(total=total, sections=_ordered(sections[dept][year]))
            for year, total in _ordered(years[dept]).items()
        }
        result[dept] = DepartmentStatistics(
            department_id=department_id,
            department_name=name,
            department_code=code,
            total_students=totals[dept],
            by_year=by_year,
            by_year_of_study=_ordered(of_study[dept], numeric=True),
            by_semester=_ordered(semesters[dept], numeric=True),
            by_gender=_ordered(genders[dept]),
            by_quota=_ordered(quotas[dept]),
        )
    return result
