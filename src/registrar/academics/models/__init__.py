"""The academic structure and catalog tables."""

from registrar.academics.models.catalog import (
    Course,
    CourseSection,
    Faculty,
    Room,
    SectionType,
    TimetableSlot,
    Weekday,
    course_prerequisites,
)
from registrar.academics.models.structure import (
    AcademicProgram,
    AcademicYear,
    Department,
    ProgramLevel,
    Term,
    TermKind,
)

__all__ = [
    "AcademicProgram",
    "AcademicYear",
    "Course",
    "CourseSection",
    "Department",
    "Faculty",
    "ProgramLevel",
    "Room",
    "SectionType",
    "Term",
    "TermKind",
    "TimetableSlot",
    "Weekday",
    "course_prerequisites",
]
