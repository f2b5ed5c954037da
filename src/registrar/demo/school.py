"""The K-12 school of seed 004: homerooms, schedules, last year's marks, this year's students."""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal

from registrar.academics.models import CourseSection, SectionType, TermKind, TimetableSlot
from registrar.auth.models import Role, User
from registrar.demo import names, school_people
from registrar.demo.common import Hashes, Ids, at, stream
from registrar.demo.history import enrollment_row
from registrar.demo.school_catalog import STRANDS, Subject, level_of, subjects_for, track_of
from registrar.demo.school_people import Pupil
from registrar.demo.school_setup import (
    CAPACITY,
    COMP4_SCHEDULE,
    CURRENT,
    DIVISIONS,
    EMAIL_DOMAIN,
    HOMEROOM_TARGET,
    LAST,
    PERIODS,
    School,
    add,
    calendar,
    faculty,
    institution,
    school_size,
    subjects,
)
from registrar.demo.timetable import WEEKDAYS, Meeting, RoomBook, slot_rows
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.kit.bulk import Row, Rows
from registrar.students.models import Student, StudentBatch, StudentStatus

__all__ = ["School", "build_school", "school_size"]


def build_school(seed: int, now: datetime, hashes: Hashes, per_grade: int) -> School:
    """Plan the whole school."""
    ids = Ids(seed, "school")
    school = School(seed=seed, now=now, rows=Rows(), ids=ids, institution_id=ids.new())
    institution(school, hashes)
    calendar(school)
    subjects(school)
    faculty(school, per_grade)
    pupils = school_people.pupils(stream(seed, "school-pupils"), ids, per_grade)
    rooms = RoomBook(ids, school.institution_id, school.rows)
    _last_year(school, pupils)
    _this_year(school, pupils, rooms)
    _students(school, pupils, hashes)
    return school


def _homerooms(year: str, grade: int, strand: str | None, members: int) -> list[tuple[str, str]]:
    """(code, letter) of a grade's (or strand's) homerooms: `SEC-G4-A`, `SEC-G11-STEM-A`."""
    prefix = "" if year == CURRENT else f"{year}-"
    middle = f"G{grade}-{strand}" if strand else f"G{grade}"
    count = max(1, math.ceil(members / HOMEROOM_TARGET))
    return [(f"{prefix}SEC-{middle}-{letter}", letter) for letter in "ABCDEFGHIJ"[:count]]


def _homeroom_row(
    school: School, year: str, code: str, letter: str, grade: int, strand: str | None
) -> Row:
    return add(
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


def _schedule(
    school: School, year: str, homeroom: Row, subject: Subject, meetings: list[Meeting]
) -> Row:
    """A subject's schedule for a homeroom, taught by a teacher free at its meetings."""
    kind = {None: TermKind.FULL_YEAR, 1: TermKind.FIRST, 2: TermKind.SECOND}[subject.semester]
    code = f"{homeroom['code']}-{subject.code}"
    if (homeroom["code"], subject.code) == COMP4_SCHEDULE[:2]:
        code = COMP4_SCHEDULE[2]
    return add(
        school,
        CourseSection.__table__,
        course_id=school.courses[subject.code],
        term_id=school.terms[(year, kind)]["id"],
        faculty_id=school.teachers[level_of(subject.grade)].pick(meetings),
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
            schedules = {s.code: _schedule(school, LAST, homeroom, s, []) for s in subjects}
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
                # One period a day, Monday to Friday; each semester has its own day plan.
                period = periods.get(subject.semester, 0)
                periods[subject.semester] = period + 1
                start, end = PERIODS[period]
                meetings = [Meeting(day, start, end) for day in WEEKDAYS]
                schedule = _schedule(school, CURRENT, homeroom, subject, meetings)
                for slot in slot_rows(
                    school.ids, school.institution_id, schedule["id"], meetings, room
                ):
                    school.rows.add(TimetableSlot.__table__, slot)


def _students(school: School, pupils: list[Pupil], hashes: Hashes) -> None:
    """Students (not yet in a homeroom this year) and their logins."""
    rng = stream(school.seed, "school-contacts")
    for pupil in pupils:
        email = f"{pupil.roll_number.lower()}@{EMAIL_DOMAIN}"
        user = add(
            school,
            User.__table__,
            username=pupil.roll_number,
            password_hash=hashes.student,
            role=Role.STUDENT.value,
            full_name=pupil.person.name,
            email=email,
            is_active=True,
        )
        add(
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
