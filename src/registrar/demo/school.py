"""The K-12 school of seed 004: levels and their rules, homerooms, subjects, schedules, marks."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from itertools import cycle

from registrar.academics.models import (
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Faculty,
    SectionType,
    Term,
    TermKind,
    TimetableSlot,
    course_prerequisites,
)
from registrar.auth.models import Role, User
from registrar.demo import names, school_people
from registrar.demo.common import (
    Hashes,
    Ids,
    Row,
    Rows,
    at,
    future_window,
    open_window,
    past_window,
    stream,
    term_row,
)
from registrar.demo.history import enrollment_row
from registrar.demo.school_catalog import (
    STRANDS,
    Subject,
    all_subjects,
    level_of,
    subjects_for,
    track_of,
)
from registrar.demo.school_people import Pupil
from registrar.demo.timetable import WEEKDAYS, Meeting, RoomBook, slot_rows
from registrar.demo.university import registrar_user
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.institutions.models import EducationLevel, Institution, InstitutionKind, LevelPolicy
from registrar.students.models import Student, StudentBatch, StudentStatus

TAG = "sample-school"
EMAIL_DOMAIN = "sampleschool.edu.ph"
HOMEROOM_TARGET = 45
CAPACITY = 50
LAST, CURRENT = "SY2023-2024", "SY2024-2025"
COMP4_SCHEDULE = ("SEC-G4-A", "COMP4", "SCH456")  # the seed's preferred schedule
PERIODS = tuple(
    (time(h, m), time(h + 1, m)) for h, m in ((7, 30), (8, 30), (9, 45), (10, 45), (13, 0), (14, 0))
) + ((time(15, 0), time(16, 0)), (time(16, 0), time(17, 0)))
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
    teachers: dict[EducationLevel, cycle[uuid.UUID]] = field(default_factory=dict)
    subjects: list[Subject] = field(default_factory=all_subjects)


def build_school(seed: int, now: datetime, hashes: Hashes, per_grade: int) -> School:
    """Plan the whole school."""
    ids = Ids(seed, "school")
    school = School(seed=seed, now=now, rows=Rows(), ids=ids, institution_id=ids.new())
    _institution(school, hashes)
    _calendar(school)
    _subjects(school)
    _faculty(school, per_grade)
    pupils = school_people.pupils(stream(seed, "school-pupils"), ids, per_grade)
    rooms = RoomBook(ids, school.institution_id, school.rows)
    _last_year(school, pupils)
    _this_year(school, pupils, rooms)
    _students(school, pupils, hashes)
    return school


def _add(school: School, table: object, **values: object) -> Row:
    row: Row = {"id": school.ids.new(), "institution_id": school.institution_id, **values}
    return school.rows.add(table, row)  # type: ignore[arg-type]


def _institution(school: School, hashes: Hashes) -> None:
    school.rows.add(
        Institution.__table__,
        {
            "id": school.institution_id,
            "tag": TAG,
            "name": "Sample Integrated School",
            "kind": InstitutionKind.K12.value,
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
            User.__table__, registrar_user(school.ids, school.institution_id, hashes, username)
        )
    for level, (code, name, _building) in DIVISIONS.items():
        row = _add(school, Department.__table__, code=code, name=name, is_active=True)
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
        _add(
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


def _calendar(school: School) -> None:
    """Two school years; each has a full-year term and the SHS semesters."""
    spans = {
        LAST: (2023, date(2023, 8, 29), date(2024, 6, 14)),
        CURRENT: (2024, date(2024, 7, 29), date(2025, 4, 15)),
    }
    for code, (start_year, begins, ends) in spans.items():
        year = _add(
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


def _subjects(school: School) -> None:
    for subject in school.subjects:
        row = _add(
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


def _faculty(school: School, per_grade: int) -> None:
    rng = stream(school.seed, "school-faculty")
    wanted = max(4, math.ceil(per_grade / 8) * 4)
    number = 0
    for level, (code, _name, _building) in DIVISIONS.items():
        staff = []
        for _ in range(wanted):
            number += 1
            person = names.filipino_person(rng)
            title = "Ms." if person.gender == "F" else "Mr."
            row = _add(
                school,
                Faculty.__table__,
                department_id=school.divisions[level],
                user_id=None,
                employee_code=f"T-{number:04d}",
                name=f"{title} {person.name}",
                email=f"{person.email_local()}{number}@{EMAIL_DOMAIN}",
                designation=f"{code} Teacher",
                is_active=True,
            )
            staff.append(row["id"])
        school.teachers[level] = cycle(staff)


def _homerooms(year: str, grade: int, strand: str | None, members: int) -> list[tuple[str, str]]:
    """(code, letter) of a grade's (or strand's) homerooms: `SEC-G4-A`, `SEC-G11-STEM-A`."""
    prefix = "" if year == CURRENT else f"{year}-"
    middle = f"G{grade}-{strand}" if strand else f"G{grade}"
    count = max(1, math.ceil(members / HOMEROOM_TARGET))
    return [(f"{prefix}SEC-{middle}-{letter}", letter) for letter in "ABCDEFGHIJ"[:count]]


def _homeroom_row(
    school: School, year: str, code: str, letter: str, grade: int, strand: str | None
) -> Row:
    return _add(
        school,
        StudentBatch.__table__,
        code=code,
        name=code,
        department_id=school.divisions[level_of(grade)],
        program_id=None,
        academic_year_id=school.years[year],
        year_of_study=None,
        semester=None,
        section=letter,
        grade_level=grade,
        track=track_of(strand) if strand else None,
        strand=strand,
        capacity=CAPACITY,
        is_active=year == CURRENT,
    )


def _schedule(school: School, year: str, homeroom: Row, subject: Subject) -> Row:
    kind = {None: TermKind.FULL_YEAR, 1: TermKind.FIRST, 2: TermKind.SECOND}[subject.semester]
    code = f"{homeroom['code']}-{subject.code}"
    if (homeroom["code"], subject.code) == COMP4_SCHEDULE[:2]:
        code = COMP4_SCHEDULE[2]
    return _add(
        school,
        CourseSection.__table__,
        course_id=school.courses[subject.code],
        term_id=school.terms[(year, kind)]["id"],
        faculty_id=next(school.teachers[level_of(subject.grade)]),
        student_batch_id=homeroom["id"],
        code=code,
        section_type=SectionType.LECTURE.value,
        capacity=CAPACITY,
        waitlist_limit=0,
        enrolled_count=0,
        waitlisted_count=0,
        is_active=True,
    )


def _last_year(school: School, pupils: list[Pupil]) -> None:
    """Last year's homerooms and schedules, and every continuing student's completed marks."""
    rng = stream(school.seed, "school-marks")
    groups: dict[tuple[int, str | None], list[Pupil]] = {}
    for pupil in pupils:
        strand = pupil.strand if pupil.last_grade >= 11 else None
        groups.setdefault((pupil.last_grade, strand), []).append(pupil)
    for (grade, strand), members in groups.items():
        subjects = subjects_for(school.subjects, grade, strand)
        homerooms = _homerooms(LAST, grade, strand, len(members))
        for index, (code, letter) in enumerate(homerooms):
            homeroom = _homeroom_row(school, LAST, code, letter, grade, strand)
            schedules = {s.code: _schedule(school, LAST, homeroom, s) for s in subjects}
            for pupil in members[index * HOMEROOM_TARGET : (index + 1) * HOMEROOM_TARGET]:
                results = school_people.marks(rng, pupil, subjects)
                for subject in subjects:
                    mark, attendance = results[subject.code]
                    _complete(school, pupil, schedules[subject.code], mark, attendance)


def _complete(school: School, pupil: Pupil, schedule: Row, mark: int, attendance: float) -> None:
    """A finished subject: the mark is the grade, and its grade points."""
    term = next(t for t in school.terms.values() if t["id"] == schedule["term_id"])
    school.rows.add(
        Enrollment.__table__,
        enrollment_row(
            school.ids,
            school.institution_id,
            pupil.id,
            schedule["id"],
            status=EnrollmentStatus.COMPLETED,
            on=term["start_date"],
            enrolled_at=at(term["start_date"]),
            grade=str(mark),
            grade_points=Decimal(mark),
            attendance=Decimal(str(attendance)),
            completed_at=at(term["end_date"], 17),
        ),
    )


def _this_year(school: School, pupils: list[Pupil], rooms: RoomBook) -> None:
    """This year's homerooms (grade 1 too) with their schedules and timetables; nobody enrolled."""
    counts: dict[tuple[int, str | None], int] = {(grade, None): 0 for grade in range(1, 11)}
    for grade in (11, 12):
        counts.update({(grade, strand): 0 for strand, _track in STRANDS})
    for pupil in pupils:
        counts[(pupil.grade, pupil.strand)] += 1
    for (grade, strand), members in counts.items():
        level = level_of(grade)
        prefix, _name, building = DIVISIONS[level]
        for code, letter in _homerooms(CURRENT, grade, strand, members):
            homeroom = _homeroom_row(school, CURRENT, code, letter, grade, strand)
            room = rooms.classroom(prefix, building, CAPACITY)
            periods: dict[int | None, int] = {}
            for subject in subjects_for(school.subjects, grade, strand):
                schedule = _schedule(school, CURRENT, homeroom, subject)
                # One period a day, Monday to Friday; each semester has its own day plan.
                period = periods.get(subject.semester, 0)
                periods[subject.semester] = period + 1
                start, end = PERIODS[period]
                meetings = [Meeting(day, start, end) for day in WEEKDAYS]
                for slot in slot_rows(
                    school.ids, school.institution_id, schedule["id"], meetings, room
                ):
                    school.rows.add(TimetableSlot.__table__, slot)


def _students(school: School, pupils: list[Pupil], hashes: Hashes) -> None:
    """Students (not yet in a homeroom this year) and their logins."""
    rng = stream(school.seed, "school-contacts")
    for pupil in pupils:
        email = f"{pupil.roll_number.lower()}@{EMAIL_DOMAIN}"
        user = _add(
            school,
            User.__table__,
            username=pupil.roll_number,
            password_hash=hashes.student,
            role=Role.STUDENT.value,
            full_name=pupil.person.name,
            email=email,
            is_active=True,
        )
        _add(
            school,
            Student.__table__,
            id=pupil.id,
            user_id=user["id"],
            roll_number=pupil.roll_number,
            name=pupil.person.name,
            email=email,
            gender=pupil.person.gender,
            category=None,
            guardian_email=names.guardian_email(
                rng, pupil.person, pupil.roll_number, filipino=True
            ),
            department_id=school.divisions[level_of(pupil.grade)],
            program_id=None,
            academic_year_id=school.years[CURRENT],
            year_of_study=None,
            semester=None,
            section=None,
            batch_id=None,
            grade_level=pupil.grade,
            track=track_of(pupil.strand) if pupil.strand else None,
            strand=pupil.strand,
            admission_year=2024 - pupil.grade + 1,
            status=StudentStatus.ACTIVE.value,
        )
