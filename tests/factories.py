"""Test data, built through the models: the one place tests make rows."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Faculty,
    ProgramLevel,
    Room,
    SectionType,
    Term,
    TermKind,
    TimetableSlot,
    Weekday,
)
from registrar.auth.models import Role, User
from registrar.auth.passwords import hash_password
from registrar.institutions import grading
from registrar.institutions.models import Institution, InstitutionKind
from registrar.kit.columns import utcnow
from registrar.students.models import Gender, Student, StudentBatch

PASSWORD = "secret123"
_counter = itertools.count(1)

TEN_POINT_SCALE = grading.TEN_POINT_SCALE


def unique(prefix: str) -> str:
    """A short code unique within the test run, and never one a test writes by hand: five
    digits, where the tests' own codes have three (CS101, 22CS001)."""
    return f"{prefix}{next(_counter):05d}"


@lru_cache
def password_hash() -> str:
    """One hash of PASSWORD, computed once: argon2 is deliberately slow."""
    return hash_password(PASSWORD)


def institution(session: Session, tag: str | None = None, **fields: Any) -> Institution:
    values: dict[str, Any] = {
        "tag": tag or unique("inst-"),
        "name": "Test University",
        "kind": InstitutionKind.UNIVERSITY,
        "grade_scale": TEN_POINT_SCALE,
        # The fair-use rules off, unless a test is about them: most tests drop and enroll
        # again, or queue for several sections, in the same minute.
        "max_waitlists_per_term": None,
        "reenroll_cooldown_minutes": 0,
    }
    values.update(fields)
    row = Institution(**values)
    session.add(row)
    session.flush()
    return row


def user(
    session: Session, inst: Institution, username: str | None = None, role: Role = Role.REGISTRAR
) -> User:
    row = User(
        institution_id=inst.id,
        username=username or unique("user"),
        password_hash=password_hash(),
        role=role,
        full_name="Test User",
    )
    session.add(row)
    session.flush()
    return row


def department(session: Session, inst: Institution, code: str | None = None) -> Department:
    row = Department(institution_id=inst.id, code=code or unique("D"), name="Computer Science")
    session.add(row)
    session.flush()
    return row


def program(session: Session, inst: Institution, dept: Department) -> AcademicProgram:
    row = AcademicProgram(
        institution_id=inst.id,
        department_id=dept.id,
        code=unique("BTECH"),
        name="B.Tech Computer Science",
        level=ProgramLevel.UG,
        duration_semesters=8,
    )
    session.add(row)
    session.flush()
    return row


def academic_year(session: Session, inst: Institution, code: str = "2024-2025") -> AcademicYear:
    start = int(code[:4]) if code[:4].isdigit() else 2024
    row = AcademicYear(
        institution_id=inst.id,
        code=code,
        start_date=date(start, 6, 1),
        end_date=date(start + 1, 5, 31),
        is_current=True,
    )
    session.add(row)
    session.flush()
    return row


def term(
    session: Session,
    inst: Institution,
    year: AcademicYear,
    kind: TermKind = TermKind.ODD,
    *,
    registration_open: bool = True,
    **fields: Any,
) -> Term:
    now = utcnow()
    opens = now - timedelta(days=7) if registration_open else now + timedelta(days=30)
    values: dict[str, Any] = {
        "institution_id": inst.id,
        "academic_year_id": year.id,
        "code": unique(f"{year.code}-{kind.value}-"),
        "name": f"{year.code} {kind.value.title()} Semester",
        "kind": kind,
        "start_date": year.start_date,
        "end_date": year.start_date + timedelta(days=150),
        "registration_start": opens,
        "registration_end": opens + timedelta(days=21),
        "drop_deadline": opens + timedelta(days=35),
        "min_credits": 15,
        "max_credits": 30,
    }
    values.update(fields)
    row = Term(**values)
    session.add(row)
    session.flush()
    return row


def course(
    session: Session,
    inst: Institution,
    dept: Department | None = None,
    code: str | None = None,
    *,
    credits: int = 4,
    prerequisites: Sequence[Course] = (),
    **fields: Any,
) -> Course:
    row = Course(
        institution_id=inst.id,
        department_id=dept.id if dept else None,
        code=code or unique("CS"),
        title=fields.pop("title", "Data Structures and Algorithms"),
        description=fields.pop("description", "A course"),
        credits=credits,
        **fields,
    )
    session.add(row)
    session.flush()
    prerequisites_of(session, row, *prerequisites)
    return row


def faculty(session: Session, inst: Institution, dept: Department | None = None) -> Faculty:
    row = Faculty(
        institution_id=inst.id,
        department_id=dept.id if dept else None,
        employee_code=unique("EMP"),
        name="Dr. Jane Doe",
        email="jane.doe@university.edu",
    )
    session.add(row)
    session.flush()
    return row


def room(session: Session, inst: Institution, code: str | None = None) -> Room:
    row = Room(institution_id=inst.id, code=code or unique("CS-"), building="CS Block")
    session.add(row)
    session.flush()
    return row


Slot = tuple[Weekday, time, time]


def section(
    session: Session,
    inst: Institution,
    crs: Course,
    trm: Term,
    *,
    capacity: int = 30,
    waitlist_limit: int = 10,
    slots: Sequence[Slot] = ((Weekday.MONDAY, time(9), time(10, 30)),),
    teacher: Faculty | None = None,
    batch: StudentBatch | None = None,
    where: Room | None = None,
    code: str | None = None,
) -> CourseSection:
    row = CourseSection(
        institution_id=inst.id,
        course_id=crs.id,
        term_id=trm.id,
        faculty_id=teacher.id if teacher else None,
        student_batch_id=batch.id if batch else None,
        code=code or unique(f"{crs.code}-S"),
        section_type=SectionType.LECTURE,
        capacity=capacity,
        waitlist_limit=waitlist_limit,
    )
    session.add(row)
    session.flush()
    for day, start, end in slots:
        session.add(
            TimetableSlot(
                institution_id=inst.id,
                section_id=row.id,
                day=day,
                start_time=start,
                end_time=end,
                room_id=where.id if where else None,
            )
        )
    session.flush()
    return row


def batch(
    session: Session,
    inst: Institution,
    *,
    dept: Department | None = None,
    prog: AcademicProgram | None = None,
    year: AcademicYear | None = None,
    code: str | None = None,
    **fields: Any,
) -> StudentBatch:
    values: dict[str, Any] = {
        "institution_id": inst.id,
        "code": code or unique("CS-2024-3-"),
        "department_id": dept.id if dept else None,
        "program_id": prog.id if prog else None,
        "academic_year_id": year.id if year else None,
        "year_of_study": 3,
        "semester": 5,
        "section": "A",
    }
    values.update(fields)
    values.setdefault("name", values["code"])
    row = StudentBatch(**values)
    session.add(row)
    session.flush()
    return row


def student(
    session: Session,
    inst: Institution,
    roll_number: str | None = None,
    *,
    of_batch: StudentBatch | None = None,
    with_login: bool = True,
    **fields: Any,
) -> Student:
    roll = roll_number or unique("22CS")
    login = user(session, inst, roll, Role.STUDENT) if with_login else None
    values: dict[str, Any] = {
        "institution_id": inst.id,
        "user_id": login.id if login else None,
        "roll_number": roll,
        "name": f"Student {roll}",
        "email": f"{roll.lower()}@university.edu",
        "gender": Gender.F,
        "category": "OC",
    }
    if of_batch is not None:
        values.update(
            batch_id=of_batch.id,
            department_id=of_batch.department_id,
            program_id=of_batch.program_id,
            academic_year_id=of_batch.academic_year_id,
            year_of_study=of_batch.year_of_study,
            semester=of_batch.semester,
            section=of_batch.section,
            grade_level=of_batch.grade_level,
            track=of_batch.track,
            strand=of_batch.strand,
        )
    values.update(fields)
    row = Student(**values)
    session.add(row)
    session.flush()
    return row


def enrollment(
    session: Session,
    inst: Institution,
    stu: Student,
    sec: CourseSection,
    status: Any = None,
    *,
    enrollment_type: Any = None,
    grade: str | None = None,
    grade_points: float | str | None = None,
    attendance: float | str | None = None,
    enrollment_date: date | None = None,
    notes: str = "",
) -> Any:
    """An enrollment row that keeps the section's counters equal to its rows.

    ENROLLED and COMPLETED take a seat; WAITLISTED takes the next waitlist position.
    """
    from decimal import Decimal

    from sqlalchemy import update
    from sqlalchemy.orm.attributes import set_committed_value

    from registrar.enrollment.models import Enrollment, EnrollmentStatus, EnrollmentType

    status = EnrollmentStatus(status or EnrollmentStatus.ENROLLED)
    position = None
    # An UPDATE in the database, not on the object: `sec` may come from an earlier session.
    counter = None
    if status in (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED):
        counter = "enrolled_count"
    elif status is EnrollmentStatus.WAITLISTED:
        counter = "waitlisted_count"
    if counter is not None:
        column = getattr(CourseSection, counter)
        value = session.execute(
            update(CourseSection)
            .where(CourseSection.id == sec.id)
            .values({counter: column + 1})
            .returning(column)
        ).scalar_one()
        set_committed_value(sec, counter, value)
        if status is EnrollmentStatus.WAITLISTED:
            position = value
    now = utcnow()
    row = Enrollment(
        institution_id=inst.id,
        student_id=stu.id,
        section_id=sec.id,
        status=status,
        enrollment_type=EnrollmentType(enrollment_type or EnrollmentType.REGULAR),
        enrollment_date=enrollment_date or now.date(),
        grade=grade,
        grade_points=Decimal(str(grade_points)) if grade_points is not None else None,
        attendance_percentage=Decimal(str(attendance)) if attendance is not None else None,
        waitlist_position=position,
        notes=notes,
        enrolled_at=now if status is not EnrollmentStatus.WAITLISTED else None,
        waitlisted_at=now if status is EnrollmentStatus.WAITLISTED else None,
        completed_at=now if status is EnrollmentStatus.COMPLETED else None,
    )
    session.add(row)
    session.flush()
    return row


def batch_course(
    session: Session,
    inst: Institution,
    of_batch: StudentBatch,
    crs: Course,
    year: AcademicYear,
    *,
    semester: int = 5,
    sec: CourseSection | None = None,
    assignment_type: Any = None,
    status: Any = None,
    auto_enroll: bool = True,
    notes: str = "",
    enrollment_date: date = date(2024, 7, 1),
) -> Any:
    """A course (optionally one section of it) assigned to a batch for a year and semester."""
    from registrar.enrollment.models import AssignmentType, BatchCourse, BatchCourseStatus

    row = BatchCourse(
        institution_id=inst.id,
        batch_id=of_batch.id,
        course_id=crs.id,
        section_id=sec.id if sec else None,
        academic_year_id=year.id,
        semester=semester,
        assignment_type=AssignmentType(assignment_type or AssignmentType.MANDATORY),
        status=BatchCourseStatus(status or BatchCourseStatus.ACTIVE),
        auto_enroll_new_students=auto_enroll,
        enrollment_date=enrollment_date,
        notes=notes,
    )
    session.add(row)
    session.flush()
    return row


def prerequisites_of(session: Session, crs: Course, *required: Course) -> None:
    """Make `required` prerequisites of `crs` (the link table carries the institution too)."""
    from sqlalchemy import insert

    from registrar.academics.models import course_prerequisites

    for pre in required:
        session.execute(
            insert(course_prerequisites).values(
                institution_id=crs.institution_id, course_id=crs.id, prerequisite_id=pre.id
            )
        )
    session.flush()


# The seed 004 defaults (Elementary, Junior High, Senior High) as LevelPolicy values.
K12_LEVEL_DEFAULTS: dict[str, dict[str, Any]] = {
    "ELEMENTARY": {
        "min_grade_level": 1,
        "max_grade_level": 6,
        "semester_based": False,
        "min_gpa": None,
        "max_failed_subjects": 2,
        "failed_subjects_period": "YEAR",
        "min_attendance": 80,
    },
    "JUNIOR_HIGH": {
        "min_grade_level": 7,
        "max_grade_level": 10,
        "semester_based": False,
        "min_gpa": 75,
        "max_failed_subjects": 2,
        "failed_subjects_period": "YEAR",
    },
    "SENIOR_HIGH": {
        "min_grade_level": 11,
        "max_grade_level": 12,
        "semester_based": True,
        "min_gpa": 75,
        "max_failed_subjects": 2,
        "failed_subjects_period": "SEMESTER",
        "min_units": 15,
        "max_units": 30,
        "strict_prerequisites": True,
        "track_strand_required": True,
    },
}


def level_policy(session: Session, inst: Institution, level: str, **fields: Any) -> Any:
    """One K-12 level's rules for a school: the seed's defaults, changed by `fields`."""
    from decimal import Decimal

    from registrar.institutions.models import EducationLevel, LevelPolicy

    values: dict[str, Any] = {"section_capacity": 50, **K12_LEVEL_DEFAULTS[level], **fields}
    for key in ("min_gpa", "min_attendance", "passing_mark"):
        if values.get(key) is not None:
            values[key] = Decimal(str(values[key]))
    row = LevelPolicy(institution_id=inst.id, level=EducationLevel(level), **values)
    session.add(row)
    session.flush()
    return row
