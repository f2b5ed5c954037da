"""The school's setting: institution, level rules, calendar, subjects and teachers."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import partial
from itertools import count

from registrar.academics.models import (
    AcademicYear,
    Course,
    Department,
    Faculty,
    Term,
    TermKind,
    course_prerequisites,
)
from registrar.auth.models import User
from registrar.demo import names
from registrar.demo.common import (
    Hashes,
    Ids,
    future_window,
    open_window,
    past_window,
    stream,
    term_row,
)
from registrar.demo.school_catalog import Subject, all_subjects, level_of
from registrar.demo.timetable import Rota
from registrar.demo.university import registrar_user
from registrar.institutions.models import EducationLevel, Institution, InstitutionKind, LevelPolicy
from registrar.kit.bulk import Row, Rows

TAG = "sample-school"
EMAIL_DOMAIN = "sampleschool.edu.ph"
HOMEROOM_TARGET = 45
CAPACITY = 50
LAST, CURRENT = "SY2023-2024", "SY2024-2025"
COMP4_SCHEDULE = ("SEC-G4-A", "COMP4", "SCH456")  # the seed's preferred schedule
PERIODS = (
    *tuple(
        (time(h, m), time(h + 1, m))
        for h, m in ((7, 30), (8, 30), (9, 45), (10, 45), (13, 0), (14, 0))
    ),
    (time(15, 0), time(16, 0)),
    (time(16, 0), time(17, 0)),
)
DIVISIONS = {
    EducationLevel.ELEMENTARY: ("ELEM", "Elementary", "Elementary Building"),
    EducationLevel.JUNIOR_HIGH: ("JHS", "Junior High School", "Junior High Building"),
    EducationLevel.SENIOR_HIGH: ("SHS", "Senior High School", "Senior High Building"),
}


def school_size(students: int) -> int:
    """Continuing students per grade: grows with the university, within reason."""
    return max(4, min(120, students // 150))


@dataclass
class School:
    """The school's planned rows and the ids the stages share."""

    seed: int
    now: datetime
    rows: Rows
    ids: Ids
    institution_id: uuid.UUID
    divisions: dict[EducationLevel, uuid.UUID] = field(default_factory=dict)
    years: dict[str, uuid.UUID] = field(default_factory=dict)
    terms: dict[tuple[str, TermKind], Row] = field(default_factory=dict)
    courses: dict[str, uuid.UUID] = field(default_factory=dict)
    teachers: dict[EducationLevel, Rota] = field(default_factory=dict)
    subjects: list[Subject] = field(default_factory=all_subjects)


def add(school: School, table: object, **values: object) -> Row:
    """Plan a row of the school, with a new id and the institution."""
    row: Row = {"id": school.ids.new(), "institution_id": school.institution_id, **values}
    return school.rows.add(table, row)  # type: ignore[arg-type]


def institution(school: School, hashes: Hashes) -> None:
    """Plan the school itself and its registrars."""
    school.rows.add(
        Institution.__table__,
        {
            "id": school.institution_id,
            "tag": TAG,
            "name": "Sample Integrated School",
            "kind": InstitutionKind.K12.value,
            "allow_grade_improvement": True,  # remedial classes repeat a subject
            "email_domain": EMAIL_DOMAIN,
            "grade_scale": [],
            "gpa_scale_max": 100,
            "passing_grade_points": 75,
            "min_credits": 0,
            "max_credits": 30,
            "default_waitlist_limit": 0,
            "is_active": True,
        },
    )
    for username in ("registrar", "REGISTRAR_001"):
        school.rows.add(
            User.__table__,
            registrar_user(school.ids, school.institution_id, hashes, username, EMAIL_DOMAIN),
        )
    for level, (code, name, _building) in DIVISIONS.items():
        row = add(school, Department.__table__, code=code, name=name, is_active=True)
        school.divisions[level] = row["id"]
    common = {"section_capacity": CAPACITY, "passing_mark": 75, "max_failed_subjects": 2}
    policies = (
        (EducationLevel.ELEMENTARY, 1, 6, False, None, "YEAR", None, None, False, False, 80),
        (EducationLevel.JUNIOR_HIGH, 7, 10, False, 75, "YEAR", None, None, False, False, None),
        (EducationLevel.SENIOR_HIGH, 11, 12, True, 75, "SEMESTER", 15, 30, True, True, None),
    )
    for (
        level,
        low,
        high,
        semesters,
        gpa,
        period,
        units_min,
        units_max,
        strict,
        track,
        att,
    ) in policies:
        add(
            school,
            LevelPolicy.__table__,
            level=level.value,
            min_grade_level=low,
            max_grade_level=high,
            semester_based=semesters,
            min_gpa=gpa,
            failed_subjects_period=period,
            min_units=units_min,
            max_units=units_max,
            strict_prerequisites=strict,
            track_strand_required=track,
            min_attendance=att,
            **common,
        )


def calendar(school: School) -> None:
    """Two school years; each has a full-year term and the SHS semesters."""
    spans = {
        LAST: (2023, date(2023, 8, 29), date(2024, 6, 14)),
        CURRENT: (2024, date(2024, 7, 29), date(2025, 4, 15)),
    }
    for code, (start_year, begins, ends) in spans.items():
        year = add(
            school,
            AcademicYear.__table__,
            code=code,
            start_date=begins,
            end_date=ends,
            is_current=code == CURRENT,
        )
        school.years[code] = year["id"]
        middle = date(start_year, 12, 20)
        second = date(start_year + 1, 1, 6)
        current = code == CURRENT
        terms = (
            (
                TermKind.FULL_YEAR,
                f"{code}-FY",
                f"School Year {code[2:]}",
                (begins, ends),
                open_window(school.now) if current else None,
            ),
            (
                TermKind.FIRST,
                "SEM1" if current else f"{code}-SEM1",
                f"{code} First Semester",
                (begins, middle),
                open_window(school.now) if current else None,
            ),
            (
                TermKind.SECOND,
                "SEM2" if current else f"{code}-SEM2",
                f"{code} Second Semester",
                (second, ends),
                future_window(school.now) if current else None,
            ),
        )
        for kind, term_code, name, dates, window in terms:
            row = term_row(
                school.ids,
                school.institution_id,
                year["id"],
                code=term_code,
                name=name,
                kind=kind,
                dates=dates,
                window=window or past_window(dates[0], school.now),
                credits=(15, 30) if kind is not TermKind.FULL_YEAR else (None, None),
            )
            school.rows.add(Term.__table__, row)
            school.terms[(code, kind)] = row


def subjects(school: School) -> None:
    """Plan the school's subjects."""
    for subject in school.subjects:
        row = add(
            school,
            Course.__table__,
            department_id=school.divisions[level_of(subject.grade)],
            program_id=None,
            code=subject.code,
            title=subject.title,
            description=_describe(subject),
            credits=subject.units,
            level="K12",
            catalog_semester=subject.semester,
            grade_level=subject.grade,
            track=subject.track,
            strand=subject.strand,
            is_core=subject.is_core,
            is_active=True,
        )
        school.courses[subject.code] = row["id"]
    for subject in school.subjects:
        for needed in subject.prerequisites:
            school.rows.add(
                course_prerequisites,
                {
                    "institution_id": school.institution_id,
                    "course_id": school.courses[subject.code],
                    "prerequisite_id": school.courses[needed],
                },
            )


def _describe(subject: Subject) -> str:
    where = f"Grade {subject.grade}"
    if subject.semester:
        where += f", semester {subject.semester}"
    if subject.strand:
        where += f", {subject.strand} strand"
    return f"{subject.title} ({where})."


def faculty(school: School, per_grade: int) -> None:
    """Each level's rota of teachers, a few to begin with; more are hired as schedules need."""
    rng = stream(school.seed, "school-faculty")
    numbers = count(1)

    def hire(level: EducationLevel) -> uuid.UUID:
        number = next(numbers)
        person = names.filipino_person(rng)
        title = "Ms." if person.gender == "F" else "Mr."
        row = add(
            school,
            Faculty.__table__,
            department_id=school.divisions[level],
            user_id=None,
            employee_code=f"T-{number:04d}",
            name=f"{title} {person.name}",
            email=f"{person.email_local()}{number}@{EMAIL_DOMAIN}",
            designation=f"{DIVISIONS[level][0]} Teacher",
            is_active=True,
        )
        return row["id"]  # type: ignore[no-any-return]

    for level in DIVISIONS:
        rota = Rota(hire=partial(hire, level))
        for _ in range(max(4, math.ceil(per_grade / 8) * 4)):
            rota.add()
        school.teachers[level] = rota
