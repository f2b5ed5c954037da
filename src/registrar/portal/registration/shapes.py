"""Turning rows into seed 002's shapes."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, time

from registrar.academics.models import Term, TimetableSlot, Weekday
from registrar.enrollment.models import EnrollmentStatus
from registrar.kit.core import AnyRow
from registrar.portal.registration.schemas import (
    MyCourseRead,
    OfferingRead,
    RegistrationStatus,
    SemesterRead,
)

NO_SCHEDULE = "TBA"


Meeting = tuple[Weekday, time, time]


def schedule(slots: Iterable[TimetableSlot]) -> str:
    """A readable timetable: `MON,WED 09:00-10:30`, groups of equal times joined by `; `."""
    return schedule_of((slot.day, slot.start_time, slot.end_time) for slot in slots)


def schedule_of(meetings: Iterable[Meeting]) -> str:
    """`schedule` of (day, start, end) triples."""
    return _schedule_text(tuple(meetings))


# A term's 2,400 sections meet in a few dozen patterns: each one's text is made once.
@functools.lru_cache(maxsize=4096)
def _schedule_text(meetings: tuple[Meeting, ...]) -> str:
    ordered = sorted(meetings, key=lambda meeting: (meeting[0].ordinal, meeting[1]))
    groups: dict[str, list[str]] = {}
    for day, start, end in ordered:
        times = f"{_clock(start)}-{_clock(end)}"
        groups.setdefault(times, []).append(day.value[:3])
    if not groups:
        return NO_SCHEDULE
    return "; ".join(f"{','.join(days)} {times}" for times, days in groups.items())


def _clock(moment: time) -> str:
    """`HH:MM` (what `%H:%M` gives, without a strftime call per time)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def by_section(rows: Sequence[AnyRow]) -> Iterator[tuple[AnyRow, list[Meeting]]]:
    """Rows of one section per meeting (as the queries order them), folded: the first row
    of each section with the section's meetings."""
    for _, group in itertools.groupby(rows, key=lambda row: row.id):
        section_rows = list(group)
        meetings = [
            (row.day, row.start_time, row.end_time) for row in section_rows if row.day is not None
        ]
        yield section_rows[0], meetings


def registration_status(status: EnrollmentStatus) -> RegistrationStatus:
    """ENROLLED stays ENROLLED; a waitlisted place, or a seat offered from the waitlist and
    not yet accepted, is RESERVED."""
    if status in (EnrollmentStatus.WAITLISTED, EnrollmentStatus.OFFERED):
        return RegistrationStatus.RESERVED
    return RegistrationStatus.ENROLLED


def semester(term: Term, now: datetime) -> SemesterRead:
    """A term as seed 002's semester (academic year loaded)."""
    return SemesterRead(
        id=term.id,
        name=term.name,
        registration_start=term.registration_start,
        registration_end=term.registration_end,
        academic_year=term.academic_year.code,
        start_date=term.start_date,
        end_date=term.end_date,
        drop_deadline=term.drop_deadline,
        is_registration_open=term.registration_start <= now <= term.registration_end,
    )


def offerings(rows: Sequence[AnyRow]) -> list[OfferingRead]:
    """Sections as seed 002's courses, from `repository.term_offering_rows`."""
    return [
        OfferingRead(
            id=row.id,
            semester_id=row.term_id,
            course_name=row.title,
            course_code=row.code,
            professor=row.professor,
            schedule=schedule_of(meetings),
            max_capacity=row.capacity,
            reserve_limit=row.waitlist_limit,
            enrolled_count=row.enrolled_count,
            reserved_count=row.waitlisted_count,
            available_seats=max(row.capacity - row.enrolled_count, 0),
            credits=row.credits,
        )
        for row, meetings in by_section(rows)
    ]


def my_courses(rows: Sequence[AnyRow]) -> list[MyCourseRead]:
    """The student's places, from `repository.held_in_term_rows`."""
    return [
        MyCourseRead(
            course_id=row.id,
            course_name=row.title,
            professor=row.professor,
            schedule=schedule_of(meetings),
            status=registration_status(row.status),
            reserve_position=row.waitlist_position,
        )
        for row, meetings in by_section(rows)
    ]
