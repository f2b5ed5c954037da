"""Bodies for courses assigned to batches, and what auto-enrollment did for each student."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from registrar.enrollment.models import (
    AssignmentType,
    BatchCourse,
    BatchCourseStatus,
    EnrollmentStatus,
)
from registrar.kit.bounds import Lines, OneLine
from registrar.students.schemas import Outcome, StudentOutcome

# CS343 (an elective of year 3, semester 5) given to batch CS-2024-3-B of the demo, and what
# auto-enrollment did for two of its students.
_BATCH_COURSE: JsonDict = {
    "id": "0b0e3c57-8d4a-4f7e-9a51-3f2d6c9e8b14",
    "batch_id": "6badf7ec-f735-4b7a-8ee2-de432b2abb16",
    "course_id": "972ebbae-354b-4f4a-a58f-e2c100ebffad",
    "course_code": "CS343",
    "course_title": "Cryptography and Network Security",
    "credits": 3,
    "section_id": "8939ecb5-b6b8-41e0-965d-7c5c1075f45d",
    "section_code": "CS343-CS-2024-3-B",
    "academic_year_id": "80a4aed2-bf2d-4480-8553-f480f3de57ab",
    "academic_year": "2024-2025",
    "semester": 5,
    "assignment_type": "MANDATORY",
    "status": "ACTIVE",
    "auto_enroll_new_students": True,
    "enrollment_date": "2024-07-01",
    "notes": "Network security track for section B",
}
_ENROLLED: JsonDict = {
    "student_id": "7019b290-2511-4cc9-9b13-55ed63e2a3a1",
    "roll_number": "22CS013",
    "outcome": "ENROLLED",
    "course_code": "CS343",
    "section_code": "CS343-CS-2024-3-B",
}
_REFUSED: JsonDict = {
    "student_id": "c61da36a-3aa1-4e69-8e97-d734f7f63133",
    "roll_number": "22CS014",
    "outcome": "REFUSED",
    "reason": "Prerequisites not met",
    "code": "PREREQUISITES",
    "course_code": "CS343",
    "section_code": "CS343-CS-2024-3-B",
}
_DROP: JsonDict = {
    "enrollment_id": "5e7d2a9c-41b8-4c1f-8f0e-6a3b9d2c7e51",
    "student_id": "7019b290-2511-4cc9-9b13-55ed63e2a3a1",
    "roll_number": "22CS013",
    "section_code": "CS343-CS-2024-3-B",
    "status": "ENROLLED",
}


class BatchCourseCreate(BaseModel):
    """Assign a course (and optionally one section) for an academic year (code or id)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "course_id": "972ebbae-354b-4f4a-a58f-e2c100ebffad",
                    "section_id": "8939ecb5-b6b8-41e0-965d-7c5c1075f45d",
                    "academic_year": "2024-2025",
                    "semester": 5,
                    "assignment_type": "MANDATORY",
                    "notes": "Network security track for section B",
                }
            ]
        }
    )

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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"confirm": True, "reason": "Elective moved to semester 6 by the BoS"}]
        }
    )

    confirm: bool = False
    reason: Annotated[str, Field(max_length=500), Lines] | None = None


class BatchCourseRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_BATCH_COURSE]})

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"enrolled": 1, "waitlisted": 0, "refused": 1, "already_enrolled": 0}]
        }
    )

    enrolled: int = 0
    waitlisted: int = 0
    refused: int = 0
    already_enrolled: int = 0


class AssignResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "batch_course": _BATCH_COURSE,
                    "auto_enrolled": True,
                    "results": [_ENROLLED, _REFUSED],
                    "summary": {
                        "enrolled": 1,
                        "waitlisted": 0,
                        "refused": 1,
                        "already_enrolled": 0,
                    },
                }
            ]
        }
    )

    batch_course: BatchCourseRead
    auto_enrolled: bool
    results: list[StudentOutcome]
    summary: AutoEnrollSummary
    note: str | None = None


class DropPlanItem(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_DROP]})

    enrollment_id: uuid.UUID
    student_id: uuid.UUID
    roll_number: str
    section_code: str
    status: EnrollmentStatus


class CancelResult(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "batch_course": {**_BATCH_COURSE, "status": "CANCELLED"},
                    "confirmed": True,
                    "would_drop": [],
                    "dropped": [{**_DROP, "status": "DROPPED"}],
                    "promoted": [],
                }
            ]
        }
    )

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
