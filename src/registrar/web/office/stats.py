"""The office's statistics page: head counts as charts, and the open term's seat pressure."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from registrar.auth.principal import Principal
from registrar.kit.columns import utcnow
from registrar.kit.ttl import TtlCache
from registrar.students.divisions import statistics
from registrar.students.divisions.schemas import DepartmentStatistics, StatisticsFilters
from registrar.transfer import repository as transfer_repository
from registrar.web import charts, repository
from registrar.web.office.views import Choices, choices

_GENDERS = {"M": "Male", "F": "Female", "O": "Other", statistics.UNSPECIFIED: "Not given"}


def _ordered(counter: Counter[str]) -> list[tuple[str, float]]:
    def key(label: str) -> tuple[int, int, str]:
        return (0, int(label), "") if label.isdigit() else (1, 0, label)

    return [(label, counter[label]) for label in sorted(counter, key=key)]


@dataclass(frozen=True)
class TermPressure:
    """Seats and waitlists of the open term's sections."""

    term: Any
    sections: int
    seats: int
    taken: int
    waiting: int
    charts: list[charts.Chart] = field(default_factory=list)


def _pressure(
    session: Session, principal: Principal, term_id: uuid.UUID | None
) -> TermPressure | None:
    institution_id = principal.institution.id
    now = utcnow()
    # The term asked for; else the one open for registration; else the one running today.
    term = (
        repository.term_of(session, institution_id, term_id)
        if term_id
        else repository.open_term(session, institution_id, now)
        or transfer_repository.current_term(session, institution_id, now.date())
    )
    if term is None:
        return None
    rows = repository.section_pressure(session, institution_id, term.id)
    buckets = Counter[str]()
    names = ("0–19%", "20–39%", "40–59%", "60–79%", "80–99%", "Full")
    for row in rows:
        if row.capacity and row.enrolled_count >= row.capacity:
            buckets["Full"] += 1
        else:
            share = row.enrolled_count / row.capacity if row.capacity else 0
            buckets[names[min(4, int(share * 5))]] += 1
    fill = charts.bar_chart(
        "fill",
        "Sections by how full they are",
        [(n, buckets[n]) for n in names],
        label_name="Seats taken",
        value_name="Sections",
        tones=["", "", "", "", "alt", "bad"],
    )
    queued = sorted((r for r in rows if r.waitlisted_count), key=lambda r: -r.waitlisted_count)
    longest = queued[:12]
    waiting = charts.bar_chart(
        "waitlists",
        "Longest waitlists",
        [(r.code, r.waitlisted_count) for r in longest],
        label_name="Section",
        value_name="Waiting (of the waitlist's places)",
        tones=["bad"] * len(longest),
        texts=[f"{r.waitlisted_count} of {r.waitlist_limit}" for r in longest],
    )
    fullest = sorted(rows, key=lambda r: -(r.enrolled_count / r.capacity if r.capacity else 0))[:12]
    rates = charts.bar_chart(
        "fullest",
        "Fullest sections",
        [
            (r.code, round(100 * r.enrolled_count / r.capacity) if r.capacity else 0)
            for r in fullest
        ],
        label_name="Section",
        value_name="Seats taken",
        unit="%",
        maximum=100,
    )
    return TermPressure(
        term=term,
        sections=len(rows),
        seats=sum(r.capacity for r in rows),
        taken=sum(r.enrolled_count for r in rows),
        waiting=sum(r.waitlisted_count for r in rows),
        charts=([fill, waiting, rates] if queued else [fill, rates]) if rows else [],
    )


# Head counts of a whole university take an aggregate of every student (about 170 ms at 20,000):
# each worker keeps them a minute, and the page says how old they are. Seats stay live.
HEAD_COUNT_SECONDS = 60
HeadCounts = TtlCache[tuple[datetime, dict[str, DepartmentStatistics]]]


def head_counts() -> HeadCounts:
    """A worker's cache of head counts (kept on the app's state)."""
    return HeadCounts(HEAD_COUNT_SECONDS, max_entries=1_000)


@dataclass(frozen=True)
class StatisticsView:
    """Head counts as charts, and the open term's seat pressure."""

    counted_at: datetime
    total: int
    charts: list[charts.Chart]
    pressure: TermPressure | None
    choices: Choices
    terms: list[Any]


def statistics_view(
    session: Session,
    principal: Principal,
    department: uuid.UUID | None,
    term_id: uuid.UUID | None,
    cache: HeadCounts,
) -> StatisticsView:
    """The division statistics of the institution (or one department) as charts."""
    key = (principal.institution.id, department)
    counted_at, found = cache.get(key) or cache.put(
        key,
        (
            utcnow(),
            statistics.division_statistics(
                session, principal.institution.id, StatisticsFilters(department=department)
            ),
        ),
    )
    by_department = Counter[str]()
    of_study, semesters, sections, genders, quotas = (Counter[str]() for _ in range(5))
    for code, dept in found.items():
        by_department[code] = dept.total_students
        of_study.update(dept.by_year_of_study)
        semesters.update(dept.by_semester)
        genders.update(dept.by_gender)
        quotas.update(dept.by_quota)
        for year in dept.by_year.values():
            sections.update(year.sections)
    made = []
    if department is None:
        made.append(
            charts.bar_chart(
                "departments",
                "Students by department",
                _ordered(by_department),
                label_name="Department",
            )
        )
    made += [
        charts.bar_chart(
            "year-of-study",
            "By year of study",
            [(f"Year {k}" if k.isdigit() else k, v) for k, v in _ordered(of_study)],
            label_name="Year of study",
        ),
        charts.bar_chart(
            "semester",
            "By semester",
            [(f"Semester {k}" if k.isdigit() else k, v) for k, v in _ordered(semesters)],
            label_name="Semester",
        ),
        charts.bar_chart(
            "section",
            "By section",
            [(f"Section {k}" if len(k) <= 2 else k, v) for k, v in _ordered(sections)],
            label_name="Section",
        ),
        charts.bar_chart(
            "gender",
            "By gender",
            [(_GENDERS.get(k, k), v) for k, v in _ordered(genders)],
            label_name="Gender",
        ),
        charts.bar_chart(
            "category",
            "By category",
            [(k if k != statistics.UNSPECIFIED else "Not given", v) for k, v in _ordered(quotas)],
            label_name="Category",
        ),
    ]
    return StatisticsView(
        counted_at=counted_at,
        total=sum(by_department.values()),
        charts=made,
        pressure=_pressure(session, principal, term_id),
        choices=choices(session, principal),
        terms=repository.terms(session, principal.institution.id),
    )
