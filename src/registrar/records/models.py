"""Plain values the record is computed from (rows of `enrollments`, nothing stored twice)."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from registrar.enrollment.models import EnrollmentStatus, EnrollmentType


@dataclass(frozen=True)
class RecordRow:
    """One enrollment as the record sees it: which course, how many credits, what result."""

    course_id: uuid.UUID
    credits: int
    status: EnrollmentStatus
    enrollment_type: EnrollmentType
    grade: str | None
    grade_points: Decimal | None
    attendance_percentage: Decimal | None
    term_start: date
    completed_at: datetime | None = None


class PrerequisiteState(enum.StrEnum):
    COMPLETED = "COMPLETED"
    PENDING = "PENDING"


@dataclass(frozen=True)
class PrerequisiteStatus:
    """Whether the student has passed one prerequisite, and the grade of their latest attempt."""

    course_id: uuid.UUID
    course_code: str
    course_title: str
    status: PrerequisiteState
    grade: str | None


@dataclass(frozen=True)
class Summary:
    """Totals over a set of enrollments, with the student's cumulative GPA."""

    total_courses: int
    total_credits: int
    enrolled_credits: int
    completed_courses: int
    current_gpa: Decimal | None
    attendance_average: Decimal | None
