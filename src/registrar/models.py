"""Every table, imported once so the metadata is complete (for Alembic and tests)."""

from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Faculty,
    Room,
    Term,
    TimetableSlot,
    course_prerequisites,
)
from registrar.audit.models import AuditEvent
from registrar.auth.models import User
from registrar.db import Base
from registrar.enrollment.models import BatchCourse, Enrollment
from registrar.holds.models import Hold
from registrar.idempotency.models import IdempotencyKey
from registrar.institutions.models import Institution, LevelPolicy
from registrar.notifications.models import Notification
from registrar.students.models import Student, StudentBatch

__all__ = [
    "AcademicProgram",
    "AcademicYear",
    "AuditEvent",
    "Base",
    "BatchCourse",
    "Course",
    "CourseSection",
    "Department",
    "Enrollment",
    "Faculty",
    "Hold",
    "IdempotencyKey",
    "Institution",
    "LevelPolicy",
    "Notification",
    "Room",
    "Student",
    "StudentBatch",
    "Term",
    "TimetableSlot",
    "User",
    "course_prerequisites",
]
