"""The shapes of seed 003: divisions, assignment, bulk assignment and statistics."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from registrar.kit.bounds import Int32, OneLine
from registrar.students import examples
from registrar.students.models import Gender, StudentStatus
from registrar.students.schemas import (
    PlannedAdd,
    PlannedDrop,
    PlannedKeep,
    Reconciled,
    Section,
    StudentOutcome,
    StudentRead,
    YearCode,
)

# The key used where a student has no department, program, year, section, gender or quota.
UNASSIGNED = "UNASSIGNED"


class DivisionStudent(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.DIVISION_STUDENT]})

    id: uuid.UUID
    roll_number: str
    name: str
    email: str | None
    gender: Gender | None
    category: str | None
    status: StudentStatus
    student_batch_id: uuid.UUID | None
    admission_year: int | None


class SectionDivision(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SECTION_DIVISION]})

    students: list[DivisionStudent]
    count: int


class SemesterDivision(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SEMESTER_DIVISION]})

    sections: dict[str, SectionDivision]
    total_students: int


class YearOfStudyDivision(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.YEAR_OF_STUDY_DIVISION]})

    semesters: dict[str, SemesterDivision]
    total_students: int


class AcademicYearDivision(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ACADEMIC_YEAR_DIVISION]})

    year_of_study: dict[str, YearOfStudyDivision]
    total_students: int


class ProgramDivision(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.PROGRAM_DIVISION]})

    program_id: uuid.UUID | None
    program_name: str | None
    program_code: str | None
    program_level: str | None
    years: dict[str, AcademicYearDivision]


class DepartmentDivision(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.DEPARTMENT_DIVISION]})

    department_id: uuid.UUID | None
    department_name: str | None
    department_code: str | None
    programs: dict[str, ProgramDivision]


class DivisionFilters(BaseModel):
    """The seed's filters of `/api/students/divisions/`, plus how many students to list."""

    department: uuid.UUID | None = Field(default=None, description="Department id")
    academic_program: uuid.UUID | None = Field(default=None, description="Academic program id")
    academic_year: YearCode | None = Field(
        default=None, description="Academic year code, `2023-2024`"
    )
    year_of_study: int | None = Field(default=None, ge=1, le=6)
    semester: int | None = Field(default=None, ge=1, le=12)
    section: Annotated[str, Field(max_length=8), OneLine] | None = None
    status: StudentStatus | None = Field(
        default=StudentStatus.ACTIVE, description="Students of this status (ACTIVE by default)"
    )
    include_students: bool = Field(default=True, description="List students in each section")
    students_per_section: int = Field(
        default=50, ge=0, le=1000, description="At most this many students listed per section"
    )


class Assignment(BaseModel):
    """Where to put students; fields left out stay as each student has them."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.ASSIGNMENT]})

    department_id: uuid.UUID | None = None
    academic_program_id: uuid.UUID | None = None
    academic_year: YearCode | None = Field(
        default=None, description="Academic year code, `2023-2024`"
    )
    year_of_study: int | None = Field(default=None, ge=1, le=6)
    semester: int | None = Field(default=None, ge=1, le=12)
    section: Section | None = None


DRY_RUN: Any = Field(
    default=False,
    description="Say what the move would do (`plan`) and write nothing",
)


class AssignRequest(Assignment):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ASSIGN]})

    student_ids: list[Annotated[str, Field(max_length=64), OneLine]] = Field(
        min_length=1, max_length=10_000
    )
    dry_run: bool = DRY_RUN


class AssignError(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ASSIGN_ERROR]})

    student_id: str
    code: str = Field(description="unknown_student, inactive_student or batch_full")
    error: str


class BatchPlacement(BaseModel):
    """A batch students were put in, and whether it was made for them."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.PLACEMENT]})

    batch_id: uuid.UUID | None = Field(description="None in a dry run, for a batch not yet made")
    code: str
    created: bool
    students_assigned: int


class PlannedBatch(BaseModel):
    """A batch a move would create."""

    code: str
    name: str
    capacity: int
    students: int


class PlannedMove(BaseModel):
    """Where one student would go, and what it would do to their enrollments."""

    student_id: uuid.UUID
    roll_number: str
    from_batch_id: uuid.UUID | None
    from_batch_code: str | None
    to_batch_id: uuid.UUID | None = Field(description="None: no batch, or one to be created")
    to_batch_code: str | None
    to_batch_created: bool
    before: dict[str, Any]
    after: dict[str, Any]
    drop: list[PlannedDrop] = Field(
        default=[], description="Places the old batch's courses gave, not shared by the new one"
    )
    add: list[PlannedAdd] = Field(default=[], description="The new batch's auto-enroll courses")
    keep: list[PlannedKeep] = Field(default=[], description="Sections both batches share")


class MovePlan(BaseModel):
    """What a dry run found: nothing of it is written."""

    moves: list[PlannedMove]
    batches_created: list[PlannedBatch]


RECONCILIATION: Any = Field(
    default=[],
    description="Per student who changed batch and whose enrollments changed: the old batch's "
    "places dropped (and who was promoted), the new batch's courses enrolled, the shared kept",
)
AUTO_ENROLLMENT: Any = Field(
    default=[],
    description="Per student and course: enrolled, waitlisted or refused (and why) in the "
    "auto-enroll courses of a batch they joined",
)


class AssignResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ASSIGNED]})

    updated_students: list[StudentRead]
    updated_count: int
    errors: list[AssignError]
    batches: list[BatchPlacement] = []
    auto_enrollment: list[StudentOutcome] = AUTO_ENROLLMENT
    reconciliation: list[Reconciled] = RECONCILIATION
    dry_run: bool = False
    plan: MovePlan | None = None


class BulkCriteria(BaseModel):
    """Which ACTIVE students to move; fields left out match everyone."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.CRITERIA]})

    current_department: uuid.UUID | None = None
    current_academic_program: uuid.UUID | None = None
    current_academic_year: YearCode | None = None
    current_year_of_study: Int32 | None = None
    current_semester: Int32 | None = None
    current_section: Annotated[str, Field(max_length=8), OneLine] | None = None
    gender: Gender | None = None
    quota: Annotated[str, Field(max_length=16), OneLine] | None = Field(
        default=None, description="The student's category, e.g. `OC`"
    )


class BulkAssignRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BULK_ASSIGN]})

    criteria: BulkCriteria = BulkCriteria()
    assignment: Assignment
    all_students: bool = Field(
        default=False,
        description="Say true to move every ACTIVE student: empty criteria are refused otherwise",
    )
    dry_run: bool = DRY_RUN


class BulkAssignResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BULK_ASSIGNED]})

    updated_count: int
    criteria_matched: int
    sample_updated_students: list[StudentRead]
    assignment: dict[str, Any]
    batches: list[BatchPlacement] = []
    auto_enrollment: list[StudentOutcome] = AUTO_ENROLLMENT
    reconciliation: list[Reconciled] = RECONCILIATION
    dry_run: bool = False
    plan: MovePlan | None = None


class StatisticsFilters(BaseModel):
    department: uuid.UUID | None = Field(default=None, description="Department id")
    academic_year: YearCode | None = Field(
        default=None, description="Academic year code, `2023-2024`"
    )


class YearStatistics(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.YEAR_STATISTICS]})

    total: int
    sections: dict[str, int]


class DepartmentStatistics(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.DEPARTMENT_STATISTICS]})

    department_id: uuid.UUID | None
    department_name: str | None
    department_code: str | None
    total_students: int
    by_year: dict[str, YearStatistics]
    by_year_of_study: dict[str, int]
    by_semester: dict[str, int]
    by_gender: dict[str, int]
    by_quota: dict[str, int]
