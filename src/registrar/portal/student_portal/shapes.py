"""Rows to seed 000 shapes: the one place each nested part of an answer is built.

The reads' rows carry the column groups of `repository` (`COURSE`, `DEPARTMENT`, `SECTION`,
`MEETING`, and the batch's `batch_*` columns); each shape reads the labels of its group.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from registrar.academics.models import CourseSection
from registrar.enrollment.judgement import Judgement
from registrar.enrollment.models import Enrollment
from registrar.enrollment.outcomes import EnrollmentRecord as WrittenEnrollment
from registrar.kit.core import AnyRow
from registrar.portal.student_portal import calendar
from registrar.portal.student_portal.schemas import (
    AcademicInfo,
    AvailableSection,
    CourseBrief,
    CourseCodeTitle,
    CourseShape,
    DepartmentShape,
    Eligibility,
    EligibilityReason,
    EnrolledSection,
    EnrollmentRecord,
    FacultyName,
    FacultyShape,
    SectionSeats,
    SectionShape,
    SectionWithTimetable,
    StudentBatchInfo,
    StudentBrief,
    TimetableEntry,
)
from registrar.students.models import Student


def as_float(value: Decimal | None) -> float | None:
    """A decimal as the JSON number the seed shows (`4.0`, `95.5`)."""
    return float(value) if value is not None else None


# The shapes that extend another are built from the same fields, not from a dump of the
# smaller model: a model built, dumped and validated again cost a listing twice the work.
def _course_fields(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.course_id,
        "code": row.course_code,
        "title": row.course_title,
        "description": row.course_description,
        "credits": row.course_credits,
        "level": row.course_level,
    }


def course_brief(row: AnyRow) -> CourseBrief:
    """A course without its department (batch listing), from `COURSE` columns."""
    return CourseBrief(**_course_fields(row))


def course_shape(row: AnyRow) -> CourseShape:
    """A course with its department, from `COURSE` and `DEPARTMENT` columns."""
    department = None
    if row.department_id is not None:
        department = DepartmentShape(
            id=row.department_id, name=row.department_name, code=row.department_code
        )
    return CourseShape(**_course_fields(row), department=department)


def faculty_shape(row: AnyRow) -> FacultyShape | None:
    """The section's teacher, if one is assigned (`SECTION` columns)."""
    if row.faculty_id is None:
        return None
    return FacultyShape(id=row.faculty_id, name=row.faculty_name, email=row.faculty_email)


def _seats_fields(row: AnyRow) -> dict[str, Any]:
    return {
        "id": row.section_id,
        "section_type": row.section_type,
        "faculty": faculty_shape(row),
        "max_students": row.section_capacity,
        "current_enrollment": row.section_enrolled,
    }


def section_seats(row: AnyRow) -> SectionSeats:
    """A section's teacher and seat counters, from `SECTION` columns."""
    return SectionSeats(**_seats_fields(row))


def _section_fields(row: AnyRow) -> dict[str, Any]:
    return {
        **_seats_fields(row),
        "available_seats": max(row.section_capacity - row.section_enrolled, 0),
    }


def section_shape(row: AnyRow) -> SectionShape:
    """A section with the seats still free."""
    return SectionShape(**_section_fields(row))


def timetable(rows: Iterable[AnyRow]) -> list[TimetableEntry]:
    """Weekly meetings, Monday first, from a section's rows (`MEETING` columns, a row per
    meeting; a section without meetings has one row, of NULLs)."""
    meetings = [row for row in rows if row.meeting_day is not None]
    ordered = sorted(meetings, key=lambda row: (row.meeting_day.ordinal, row.meeting_start))
    return [
        TimetableEntry(
            day=row.meeting_day,
            start_time=row.meeting_start,
            end_time=row.meeting_end,
            room=row.room_code,
            building=row.room_building,
        )
        for row in ordered
    ]


def _timetabled_fields(rows: Sequence[AnyRow]) -> dict[str, Any]:
    return {**_section_fields(rows[0]), "timetable": timetable(rows)}


def section_with_timetable(rows: Sequence[AnyRow]) -> SectionWithTimetable:
    """A section offered for enrollment with its timetable, from its rows (`SECTION`, `MEETING`)."""
    return SectionWithTimetable(**_timetabled_fields(rows))


def eligibility(judgement: Judgement) -> Eligibility:
    """The outcome of a dry run and the rules that refuse, each in its own words."""
    return Eligibility(
        outcome=judgement.outcome,
        reasons=[
            EligibilityReason(
                rule=check.rule, message=check.violation.message, details=check.violation.details
            )
            for check in judgement.failed
            if check.violation is not None
        ],
    )


def available_section(rows: Sequence[AnyRow], judgement: Judgement | None) -> AvailableSection:
    """A section offered to the student, with what enrolling in it would do now and, for a LAB
    or TUTORIAL, the lecture it is taken with (`section_linked_to`)."""
    return AvailableSection(
        **_timetabled_fields(rows),
        linked_to_section_id=rows[0].section_linked_to,
        eligibility=eligibility(judgement) if judgement is not None else None,
    )


def student_batch_info(row: AnyRow) -> StudentBatchInfo:
    """The seed's `student_batch` block, from the `batch_*` columns."""
    return StudentBatchInfo(
        batch_code=row.batch_code,
        batch_name=row.batch_name,
        department=row.batch_department,
        academic_program=row.batch_program,
        year_of_study=calendar.ordinal_year(row.batch_year_of_study),
        section=row.batch_section,
        semester=str(row.batch_semester) if row.batch_semester is not None else None,
    )


def academic_info(row: AnyRow) -> AcademicInfo:
    """The student's batch and its academic year; both null for a student without a batch."""
    if row.batch_id is None:
        return AcademicInfo(student_batch=None, academic_year=None)
    return AcademicInfo(student_batch=student_batch_info(row), academic_year=row.batch_year_code)


def enrollment_record(
    enrollment: Enrollment | WrittenEnrollment, student: Student, section: CourseSection
) -> EnrollmentRecord:
    """The enrollment an enroll or drop answers with (section's course and faculty loaded)."""
    return EnrollmentRecord(
        id=enrollment.id,
        student=StudentBrief(id=student.id, roll_number=student.roll_number, name=student.name),
        course_section=EnrolledSection(
            id=section.id,
            course=CourseCodeTitle(code=section.course.code, title=section.course.title),
            section_type=section.section_type,
            faculty=FacultyName(name=section.faculty.name) if section.faculty else None,
        ),
        enrollment_date=enrollment.enrollment_date,
        status=enrollment.status,
        enrollment_type=enrollment.enrollment_type,
        notes=enrollment.notes,
        waitlist_position=enrollment.waitlist_position,
        drop_reason=enrollment.drop_reason,
    )
