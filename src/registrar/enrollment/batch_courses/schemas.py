"""Bodies for courses assigned to batches, and what auto-enrollment did for each student."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field, model_validator

from registrar.enrollment.models import (
    AssignmentType,
    BatchCourse,
    BatchCourseStatus,
    EnrollmentStatus,
)
from registrar.kit.bounds import Lines, OneLine
from registrar.students.schemas import Outcome, StudentOutcome


class BatchCourseCreate(BaseModel):
    """Assign a course (and optionally one section) for an academic year (code or id)."""

    course_id: uuid.UUID
    section_id: uuid.UUID | None = None
    academic_year: Annotated[str, Field(max_length=32), OneLine] | None = None
    academic_year_id: uuid.UUID | None = None
    semester: Annotated[int, Field(ge=1, le=12)]
    assignment_type: AssignmentType = AssignmentType.MANDATORY
    auto_enroll_new_students: bool = True
    notes: Annotated[str, Field(max_length=2000), Lines] = ""

    @model_validator(mode="after")
    def _year_given(self) -> BatchCourseCreate:
        if self.academic_year is None and self.academic_year_id is None:
            raise ValueError("academic_year (code) or academic_year_id is required")
        return self


class CancelRequest(BaseModel):
    """Without `confirm` the answer only says what would happen."""

    confirm: bool = False
    reason: Annotated[str, Field(max_length=500), Lines] | None = None


class BatchCourseRead(BaseModel):
    id: uuid.UUID
    batch_id: uuid.UUID
    course_id: uuid.UUID
    course_code: str
    course_title: str
    credits: int
    section_id: uuid.UUID | None
    section_code: str | None
    academic_year_id: uuid.UUID
    academic_year: str
    semester: int
    assignment_type: AssignmentType
    status: BatchCourseStatus
    auto_enroll_new_students: bool
    enrollment_date: date
    notes: str


class AutoEnrollSummary(BaseModel):
    enrolled: int = 0
    waitlisted: int = 0
    refused: int = 0
    already_enrolled: int = 0


class AssignResult(BaseModel):
    batch_course: BatchCourseRead
    auto_enrolled: bool
    results: list[StudentOutcome]
    summary: AutoEnrollSummary
    note: str | None = None


class DropPlanItem(BaseModel):
    enrollment_id: uuid.UUID
    student_id: uuid.UUID
    roll_number: str
    section_code: str
    status: EnrollmentStatus


class CancelResult(BaseModel):
    batch_course: BatchCourseRead
    confirmed: bool
    would_drop: list[DropPlanItem]
    dropped: list[DropPlanItem]
    promoted: list[uuid.UUID]


def summarize(results: list[StudentOutcome]) -> AutoEnrollSummary:
    """Counts of each outcome."""
    counts = dict.fromkeys(Outcome, 0)
    for result in results:
        counts[result.outcome] += 1
    return AutoEnrollSummary(
        enrolled=counts[Outcome.ENROLLED],
        waitlisted=counts[Outcome.WAITLISTED],
        refused=counts[Outcome.REFUSED],
        already_enrolled=counts[Outcome.ALREADY_ENROLLED],
    )


def batch_course_read(row: BatchCourse) -> BatchCourseRead:
    """The API shape of a batch course loaded with its course, section and year."""
    return BatchCourseRead(
        id=row.id,
        batch_id=row.batch_id,
        course_id=row.course_id,
        course_code=row.course.code,
        course_title=row.course.title,
        credits=row.course.credits,
        section_id=row.section_id,
        section_code=row.section.code if row.section else None,
        academic_year_id=row.academic_year_id,
        academic_year=row.academic_year.code,
        semester=row.semester,
        assignment_type=row.assignment_type,
        status=row.status,
        auto_enroll_new_students=row.auto_enroll_new_students,
        enrollment_date=row.enrollment_date,
        notes=row.notes,
    )
