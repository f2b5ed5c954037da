"""The messages a processed enrollment sends: student, guardian and the school's registrars."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection
from registrar.institutions.models import EducationLevel
from registrar.notifications import service as notifications
from registrar.students.models import Student

EVENT = "enrollment.k12_continuing"

LEVEL_NAMES = {
    EducationLevel.ELEMENTARY: "Elementary",
    EducationLevel.JUNIOR_HIGH: "Junior High School",
    EducationLevel.SENIOR_HIGH: "Senior High School",
}


@dataclass(frozen=True)
class Announcement:
    """What the messages say about one processed enrollment."""

    student: Student
    level: EducationLevel
    school_year: str
    previous_grade: int
    section: str | None
    semester: str | None
    sections: Sequence[CourseSection]
    total_units: int


def schedule_line(section: CourseSection) -> str:
    """`MATH4 Mathematics 4 (1 unit): MONDAY, WEDNESDAY 08:00-09:00, room R101`."""
    course = section.course
    unit_word = "unit" if course.credits == 1 else "units"
    line = f"{course.code} {course.title} ({course.credits} {unit_word})"
    if not section.slots:
        return f"{line}: schedule to be announced"
    days = ", ".join(dict.fromkeys(slot.day.value for slot in section.slots))
    first = section.slots[0]
    room = first.room.code if first.room is not None else "TBA"
    return f"{line}: {days} {first.start_time:%H:%M}-{first.end_time:%H:%M}, room {room}"


def body(note: Announcement) -> str:
    """The message text, with the details of the student's level."""
    student = note.student
    grade = student.grade_level
    lines = [
        f"Student: {student.name} ({student.roll_number})",
        f"School year: {note.school_year}",
        f"Education level: {LEVEL_NAMES[note.level]}",
        f"Grade level: {grade}"
        + (f" (advanced from grade {note.previous_grade})" if grade != note.previous_grade else ""),
    ]
    if note.section:
        lines.append(f"Section: {note.section}")
    if note.level is EducationLevel.SENIOR_HIGH:
        lines.append(f"Semester: {note.semester}")
        lines.append(f"Track / strand: {student.track or '-'} / {student.strand or '-'}")
    lines.append("Subjects:")
    lines.extend(f"  - {schedule_line(section)}" for section in note.sections)
    if note.level is EducationLevel.SENIOR_HIGH:
        lines.append(f"Total units: {note.total_units}")
    else:
        lines.append(f"Total subjects: {len(note.sections)}")
    return "\n".join(lines) + "\n"


def announce(session: Session, note: Announcement) -> int:
    """Queue the messages in the caller's transaction; returns how many."""
    student = note.student
    subject = (
        f"Enrollment confirmed: {student.name}, Grade {student.grade_level} "
        f"({LEVEL_NAMES[note.level]}), {note.school_year}"
    )
    text = body(note)
    queued = notifications.notify_student_and_guardian(
        session,
        institution_id=student.institution_id,
        student=student,
        event=EVENT,
        subject=subject,
        body=text,
    )
    queued += notifications.notify_registrars(
        session,
        institution_id=student.institution_id,
        event=EVENT,
        subject=subject,
        body=text,
        student_id=student.id,
    )
    return len(queued)
