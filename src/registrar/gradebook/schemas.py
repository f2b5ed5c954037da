"""Request and response shapes of the gradebook."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from registrar.enrollment.models import EnrollmentStatus
from registrar.kit.bounds import OneLine


class GradeIn(BaseModel):
    """One student's entry: a letter (or K-12 mark) or a percentage, and/or attendance."""

    # Unknown keys are refused: a misspelt `attendance` must not be dropped silently.
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"grade": "A+", "attendance_percentage": 91.5}]},
    )

    grade: Annotated[str, Field(max_length=8), OneLine] | None = Field(
        default=None, examples=["A+"]
    )
    percent: Decimal | None = Field(default=None, examples=[83.5])
    attendance_percentage: Decimal | None = Field(default=None, examples=[91.5])


class RosterGradeIn(GradeIn):
    """One row of a whole-roster entry, naming the student by enrollment id or roll number."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"roll_number": "22CS002", "grade": "A", "attendance_percentage": 79.7}]
        }
    )

    enrollment_id: uuid.UUID | None = None
    roll_number: Annotated[str, Field(max_length=32), OneLine] | None = None


class CompleteRequest(BaseModel):
    """Whether enrollments without a grade may stay ENROLLED while the rest complete."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"allow_incomplete": True}]})

    allow_incomplete: bool = False


# CS301 of batch CS-2024-3-A in the demo, and its first two students.
_SECTION: JsonDict = {
    "id": "69e061b4-ceea-4dcd-a16a-676520618afa",
    "code": "CS301-CS-2024-3-A",
    "course_code": "CS301",
    "course_title": "Data Structures and Algorithms",
    "term_code": "2024-2025-ODD",
    "faculty_id": "43c52748-acb9-4fba-ae89-14e1415c6d71",
}
_ENTRY: JsonDict = {
    "enrollment_id": "416f1cf2-d282-4901-a0e2-17bba1eb5cc9",
    "student_id": "d84490ff-77f8-4849-9196-81f853241856",
    "roll_number": "22CS001",
    "name": "Jyothi Paruchuri",
    "status": "ENROLLED",
    "grade": "A+",
    "grade_points": 9.0,
    "attendance_percentage": 91.5,
    "passing": True,
}
_SECOND: JsonDict = {
    "enrollment_id": "d1f925b3-6660-42af-be8c-090fd5cf83dc",
    "student_id": "a17a8b83-a4a9-4622-93c5-e0a4caaeed5e",
    "roll_number": "22CS002",
    "name": "Venkata Sai Tummala",
    "status": "ENROLLED",
    "grade": "A",
    "grade_points": 8.0,
    "attendance_percentage": 79.7,
    "passing": True,
}


class RosterEntry(BaseModel):
    """One student of the roster with their grade and attendance."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ENTRY]})

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
    model_config = ConfigDict(json_schema_extra={"examples": [_SECTION]})

    id: uuid.UUID
    code: str
    course_code: str
    course_title: str
    term_code: str
    faculty_id: uuid.UUID | None


class RosterRead(BaseModel):
    """A page of the roster (ENROLLED and COMPLETED students, by roll number)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "section": _SECTION,
                    "percentage_scale": False,
                    "grades": ["O", "A+", "A", "B+", "B", "C", "F"],
                    "students": [_ENTRY, _SECOND],
                    "total": 12,
                    "limit": 2,
                    "offset": 0,
                }
            ]
        }
    )

    section: SectionBrief
    percentage_scale: bool = Field(description="True when grades are K-12 marks 0-100")
    grades: list[str] = Field(description="The scale's letters, best first; empty for marks")
    students: list[RosterEntry]
    total: int
    limit: int
    offset: int


class RosterUpdated(BaseModel):
    """The rows a whole-roster entry changed."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"updated_count": 1, "students": [_SECOND]}]}
    )

    updated_count: int
    students: list[RosterEntry]


_CHANGE: JsonDict = {
    "line": 2,
    "enrollment_id": "f9fb412e-fcc4-47b3-aa54-abeb2d5b0005",
    "roll_number": "22CS004",
    "before": {
        "status": "ENROLLED",
        "grade": None,
        "grade_points": None,
        "attendance_percentage": 79.1,
    },
    "after": {
        "status": "ENROLLED",
        "grade": "A",
        "grade_points": 8.0,
        "attendance_percentage": 88.5,
    },
}


class UploadChange(BaseModel):
    """What one CSV line changes (or would change, on a dry run)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_CHANGE]})

    line: int
    enrollment_id: uuid.UUID
    roll_number: str
    before: dict[str, str | float | None]
    after: dict[str, str | float | None]


class UploadError(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"line": 4, "column": "grade", "reason": "Unknown grade 'A++'"}]
        }
    )

    line: int
    column: str | None
    reason: str


class UploadReport(BaseModel):
    """The outcome of a CSV upload: on a dry run nothing is changed, whatever it reports."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"dry_run": True, "valid": True, "rows": 1, "errors": [], "changes": [_CHANGE]}
            ]
        }
    )

    dry_run: bool
    valid: bool
    rows: int
    errors: list[UploadError]
    changes: list[UploadChange]


_COMPLETED: JsonDict = {
    "enrollment_id": "416f1cf2-d282-4901-a0e2-17bba1eb5cc9",
    "roll_number": "22CS001",
    "name": "Jyothi Paruchuri",
    "grade": "A+",
    "grade_points": 9.0,
    "passing": True,
}
_INCOMPLETE: JsonDict = {
    "enrollment_id": "f9fb412e-fcc4-47b3-aa54-abeb2d5b0005",
    "roll_number": "22CS004",
    "name": "Karthik Setty",
    "grade": None,
    "grade_points": None,
    "passing": None,
}


class CompletedStudent(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_COMPLETED]})

    enrollment_id: uuid.UUID
    roll_number: str
    name: str
    grade: str | None
    grade_points: float | None
    passing: bool | None


class CompletionReport(BaseModel):
    """Who completed the term (passing or not) and who was left ENROLLED without a grade."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "section_id": "69e061b4-ceea-4dcd-a16a-676520618afa",
                    "completed_count": 1,
                    "passed_count": 1,
                    "failed_count": 0,
                    "incomplete_count": 1,
                    "completed": [_COMPLETED],
                    "incomplete": [_INCOMPLETE],
                }
            ]
        }
    )

    section_id: uuid.UUID
    completed_count: int
    passed_count: int
    failed_count: int
    incomplete_count: int
    completed: list[CompletedStudent]
    incomplete: list[CompletedStudent]
