"""Rows to seed 000 shapes: the one place each nested part of an answer is built."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from registrar.academics.models import Course, CourseSection, Faculty, TimetableSlot
from registrar.enrollment.models import Enrollment
from registrar.enrollment.outcomes import EnrollmentRecord as WrittenEnrollment
from registrar.portal.student_portal import calendar
from registrar.portal.student_portal.schemas import (
    AcademicInfo,
    CourseBrief,
    CourseCodeTitle,
    CourseShape,
    DepartmentShape,
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
from registrar.students.models import Student, StudentBatch


def as_float(value: Decimal | None) -> float | None:
    """A decimal as the JSON number the seed shows (`4.0`, `95.5`)."""
    return float(value) if value is not None else None


def course_brief(course: Course) -> CourseBrief:
    """A course without its department (batch listing)."""
    return CourseBrief(
        id=course.id,
        code=course.code,
        title=course.title,
        description=course.description,
        credits=course.credits,
        level=course.level,
    )


def course_shape(course: Course) -> CourseShape:
    """A course with its department (`department` loaded)."""
    dept = course.department
    return CourseShape(
        **course_brief(course).model_dump(),
        department=DepartmentShape(id=dept.id, name=dept.name, code=dept.code) if dept else None,
    )


def faculty_shape(faculty: Faculty | None) -> FacultyShape | None:
    """The section's teacher, if one is assigned."""
    if faculty is None:
        return None
    return FacultyShape(id=faculty.id, name=faculty.name, email=faculty.email)


def section_seats(section: CourseSection) -> SectionSeats:
    """A section's teacher and seat counters (`faculty` loaded)."""
    return SectionSeats(
        id=section.id,
        section_type=section.section_type,
        faculty=faculty_shape(section.faculty),
        max_students=section.capacity,
        current_enrollment=section.enrolled_count,
    )


def section_shape(section: CourseSection) -> SectionShape:
    """A section with the seats still free."""
    return SectionShape(
        **section_seats(section).model_dump(),
        available_seats=max(section.capacity - section.enrolled_count, 0),
    )


def timetable(slots: Iterable[TimetableSlot]) -> list[TimetableEntry]:
    """Weekly meetings, Monday first (`room` of each slot loaded)."""
    ordered = sorted(slots, key=lambda slot: (slot.day.ordinal, slot.start_time))
    return [
        TimetableEntry(
            day=slot.day,
            start_time=slot.start_time,
            end_time=slot.end_time,
            room=slot.room.code if slot.room else None,
            building=slot.room.building if slot.room else None,
        )
        for slot in ordered
    ]


def section_with_timetable(section: CourseSection) -> SectionWithTimetable:
    """A section offered for enrollment, with its timetable (`slots` loaded)."""
    return SectionWithTimetable(
        **section_shape(section).model_dump(), timetable=timetable(section.slots)
    )


def student_batch_info(batch: StudentBatch) -> StudentBatchInfo:
    """The seed's `student_batch` block (department, program and year loaded)."""
    return StudentBatchInfo(
        batch_code=batch.code,
        batch_name=batch.name,
        department=batch.department.name if batch.department else None,
        academic_program=batch.program.name if batch.program else None,
        year_of_study=calendar.ordinal_year(batch.year_of_study),
        section=batch.section,
        semester=str(batch.semester) if batch.semester is not None else None,
    )


def academic_info(batch: StudentBatch | None) -> AcademicInfo:
    """The student's batch and its academic year; both null for a student without a batch."""
    if batch is None:
        return AcademicInfo(student_batch=None, academic_year=None)
    return AcademicInfo(
        student_batch=student_batch_info(batch),
        academic_year=batch.academic_year.code if batch.academic_year else None,
    )


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
