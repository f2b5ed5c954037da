"""The K-12 school of seed 004: level rules, homerooms, schedules and last year's marks."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from registrar.academics.models import (
    AcademicYear,
    Course,
    CourseSection,
    Term,
    TermKind,
    course_prerequisites,
)
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.institutions.models import EducationLevel, Institution, LevelPolicy
from registrar.students.models import Student, StudentBatch


def _school(session: Session) -> Institution:
    school = session.scalar(select(Institution).where(Institution.tag == "sample-school"))
    assert school is not None
    return school


def _last_year_marks(session: Session, roll: str) -> dict[str, Decimal]:
    rows = session.execute(
        select(Course.code, Enrollment.grade, Enrollment.grade_points, Enrollment.status)
        .join(CourseSection, CourseSection.id == Enrollment.section_id)
        .join(Course, Course.id == CourseSection.course_id)
        .join(Student, Student.id == Enrollment.student_id)
        .where(Student.roll_number == roll)
    ).all()
    assert rows, roll
    marks: dict[str, Decimal] = {}
    for code, grade, points, status in rows:
        assert status == EnrollmentStatus.COMPLETED
        assert points is not None
        assert grade == str(int(points))
        marks[code] = points
    return marks


def _student(session: Session, roll: str) -> Student:
    student = session.scalar(select(Student).where(Student.roll_number == roll))
    assert student is not None, roll
    return student


def test_level_policies_carry_the_seed_defaults(demo: Database) -> None:
    with demo.session(write=False) as session:
        school = _school(session)
        policies = {
            p.level: p
            for p in session.scalars(
                select(LevelPolicy).where(LevelPolicy.institution_id == school.id)
            )
        }
    assert school.grade_scale == []
    assert school.kind == "K12"
    elementary = policies[EducationLevel.ELEMENTARY]
    junior = policies[EducationLevel.JUNIOR_HIGH]
    senior = policies[EducationLevel.SENIOR_HIGH]
    assert (elementary.min_grade_level, elementary.max_grade_level, elementary.min_gpa) == (
        1,
        6,
        None,
    )
    assert (junior.min_grade_level, junior.max_grade_level, junior.min_gpa) == (7, 10, Decimal(75))
    assert (senior.min_units, senior.max_units, senior.semester_based) == (15, 30, True)
    assert senior.failed_subjects_period == "SEMESTER"
    assert junior.failed_subjects_period == "YEAR"
    assert senior.strict_prerequisites
    assert senior.track_strand_required
    assert all(p.max_failed_subjects == 2 and p.section_capacity == 50 for p in policies.values())


def test_elem123_finished_grade_3_and_fits_sec_g4_a(demo: Database) -> None:
    with demo.session(write=False) as session:
        student = _student(session, "ELEM123")
        marks = _last_year_marks(session, "ELEM123")
        homeroom = session.scalar(select(StudentBatch).where(StudentBatch.code == "SEC-G4-A"))
        comp4 = session.execute(
            select(CourseSection, Course, StudentBatch)
            .join(Course, Course.id == CourseSection.course_id)
            .join(StudentBatch, StudentBatch.id == CourseSection.student_batch_id)
            .where(CourseSection.code == "SCH456")
        ).one()
        year = session.get(AcademicYear, student.academic_year_id)
    assert student.grade_level == 4
    assert year is not None
    assert year.code == "SY2024-2025"
    assert set(marks) == {"MATH3", "ENG3", "SCI3", "FIL3", "AP3", "MAPEH3", "ESP3", "COMP3"}
    assert all(mark >= 75 for mark in marks.values())
    assert homeroom is not None
    assert (homeroom.grade_level, homeroom.capacity) == (4, 50)
    section, course, batch = comp4
    assert (course.code, course.is_core, batch.code, section.enrolled_count) == (
        "COMP4",
        False,
        "SEC-G4-A",
        0,
    )


def test_shs123_is_a_grade_11_stem_student_with_a_semester_one_section(demo: Database) -> None:
    with demo.session(write=False) as session:
        student = _student(session, "SHS123")
        marks = _last_year_marks(session, "SHS123")
        homeroom = session.scalar(select(StudentBatch).where(StudentBatch.code == "SEC-G11-STEM-A"))
        assert homeroom is not None
        terms = session.execute(
            select(Term.code, Term.kind)
            .join(CourseSection, CourseSection.term_id == Term.id)
            .where(CourseSection.student_batch_id == homeroom.id)
            .distinct()
        ).all()
    assert (student.grade_level, student.track, student.strand) == (11, "ACADEMIC", "STEM")
    assert all(code.endswith("10") for code in marks)
    assert min(marks.values()) >= 75
    assert (homeroom.grade_level, homeroom.track, homeroom.strand) == (11, "ACADEMIC", "STEM")
    assert set(terms) == {("SEM1", TermKind.FIRST), ("SEM2", TermKind.SECOND)}


def test_ineligible_examples_fail_one_rule_each(demo: Database) -> None:
    with demo.session(write=False) as session:
        low_gpa = _last_year_marks(session, "JHS-LOWGPA")
        three_failed = _last_year_marks(session, "JHS-3FAIL")
        missing = _last_year_marks(session, "SHS-NOPREREQ")
        physics = session.scalar(select(Course).where(Course.code == "GENPHYS12"))
        assert physics is not None
        needs = session.scalars(
            select(Course.code)
            .join(course_prerequisites, course_prerequisites.c.prerequisite_id == Course.id)
            .where(course_prerequisites.c.course_id == physics.id)
        ).all()
    average = sum(low_gpa.values()) / len(low_gpa)
    assert average < 75
    assert sum(m < 75 for m in low_gpa.values()) <= 2
    assert sum(three_failed.values()) / len(three_failed) >= 75
    assert sum(m < 75 for m in three_failed.values()) == 3
    assert needs == ["BASCAL11"]
    assert missing["BASCAL11"] < 75
    assert sum(m < 75 for m in missing.values()) == 1


def test_this_years_students_are_not_enrolled_yet(demo: Database) -> None:
    with demo.session(write=False) as session:
        school = _school(session)
        current = session.scalar(
            select(AcademicYear).where(
                AcademicYear.institution_id == school.id, AcademicYear.is_current
            )
        )
        assert current is not None
        sections = session.execute(
            select(CourseSection.enrolled_count)
            .join(Term, Term.id == CourseSection.term_id)
            .where(Term.academic_year_id == current.id)
        ).all()
        last_year = session.execute(
            select(CourseSection.enrolled_count)
            .join(Term, Term.id == CourseSection.term_id)
            .where(Term.institution_id == school.id, Term.academic_year_id != current.id)
        ).all()
        students = session.scalars(select(Student).where(Student.institution_id == school.id)).all()
    assert sections
    assert all(count == 0 for (count,) in sections)
    assert sum(count for (count,) in last_year) > 100
    assert all(s.batch_id is None and s.academic_year_id == current.id for s in students)
    assert {s.grade_level for s in students} == set(range(2, 13))
