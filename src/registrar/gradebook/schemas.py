"""Request and response shapes of the gradebook."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from registrar.enrollment.models import EnrollmentStatus
from registrar.kit.bounds import OneLine


class GradeIn(BaseModel):
    """One student's entry: a letter (or K-12 mark) or a percentage, and/or attendance."""

    # Unknown keys are refused: a misspelt `attendance` must not be dropped silently.
    model_config = ConfigDict(extra="forbid")

    grade: Annotated[str, Field(max_length=8), OneLine] | None = Field(
        default=None, examples=["A+"]
    )
    percent: Decimal | None = Field(default=None, examples=[83.5])
    attendance_percentage: Decimal | None = Field(default=None, examples=[91.5])


class RosterGradeIn(GradeIn):
    """One row of a whole-roster entry, naming the student by enrollment id or roll number."""

    enrollment_id: uuid.UUID | None = None
    roll_number: Annotated[str, Field(max_length=32), OneLine] | None = None


class CompleteRequest(BaseModel):
    """Whether enrollments without a grade may stay ENROLLED while the rest complete."""

    allow_incomplete: bool = False


class RosterEntry(BaseModel):
    """One student of the roster with their grade and attendance."""

    enrollment_id: uuid.UUID
    student_id: uuid.UUID
    roll_number: str
    name: str
    status: EnrollmentStatus
    grade: str | None
    grade_points: float | None
    attendance_percentage: float | None
    passing: bool | None = Field(description="Whether the grade passes; null without a grade")


class SectionBrief(BaseModel):
    id: uuid.UUID
    code: str
    course_code: str
    course_title: str
    term_code: str
    faculty_id: uuid.UUID | None


class RosterRead(BaseModel):
    """A page of the roster (ENROLLED and COMPLETED students, by roll number)."""

    section: SectionBrief
    percentage_scale: bool = Field(description="True when grades are K-12 marks 0-100")
    grades: list[str] = Field(description="The scale's letters, best first; empty for marks")
    students: list[RosterEntry]
    total: int
    limit: int
    offset: int


class RosterUpdated(BaseModel):
    """The rows a whole-roster entry changed."""

    updated_count: int
    students: list[RosterEntry]


class UploadChange(BaseModel):
    """What one CSV line changes (or would change, on a dry run)."""

    line: int
    enrollment_id: uuid.UUID
    roll_number: str
    before: dict[str, str | float | None]
    after: dict[str, str | float | None]


class UploadError(BaseModel):
    line: int
    column: str | None
    reason: str


class UploadReport(BaseModel):
    """The outcome of a CSV upload: on a dry run nothing is changed, whatever it reports."""

    dry_run: bool
    valid: bool
    rows: int
    errors: list[UploadError]
    changes: list[UploadChange]


class CompletedStudent(BaseModel):
    enrollment_id: uuid.UUID
    roll_number: str
    name: str
    grade: str | None
    grade_points: float | None
    passing: bool | None


class CompletionReport(BaseModel):
    """Who completed the term (passing or not) and who was left ENROLLED without a grade."""

    section_id: uuid.UUID
    completed_count: int
    passed_count: int
    failed_count: int
    incomplete_count: int
    completed: list[CompletedStudent]
    incomplete: list[CompletedStudent]
