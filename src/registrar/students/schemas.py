"""Request and response shapes of the student and batch administration API."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from registrar.kit.bounds import Int32, OneLine, Search
from registrar.students import examples
from registrar.students.models import Gender, StudentStatus

# Fields that place a student (or a batch) in the academic structure; a batch's values for
# these are copied onto the students it holds.
PLACEMENT_FIELDS = (
    "department_id",
    "program_id",
    "academic_year_id",
    "year_of_study",
    "semester",
    "section",
    "grade_level",
    "track",
    "strand",
)

YearOfStudy = Field(default=None, ge=1, le=6)
Semester = Field(default=None, ge=1, le=12)
GradeLevel = Field(default=None, ge=1, le=12)

YearCode = Annotated[str, Field(max_length=32), OneLine]
Section = Annotated[str, Field(min_length=1, max_length=8), OneLine]
Label = Annotated[str, Field(max_length=40), OneLine]
BatchCode = Annotated[str, Field(min_length=1, max_length=40), OneLine]
Email = Annotated[str, Field(max_length=254), OneLine]
Category = Annotated[str, Field(max_length=16), OneLine]
RollNumber = Annotated[str, Field(min_length=1, max_length=32), OneLine]
PersonName = Annotated[str, Field(min_length=1, max_length=200), OneLine]
# Seats of a batch, as many as a section may have.
BatchCapacity = Annotated[int, Field(ge=1, le=100_000)]


class Outcome(enum.StrEnum):
    """What happened to a student asked into a course."""

    ENROLLED = "ENROLLED"
    WAITLISTED = "WAITLISTED"
    REFUSED = "REFUSED"
    ALREADY_ENROLLED = "ALREADY_ENROLLED"


class StudentOutcome(BaseModel):
    """One student's outcome in one course (auto-enrollment, a batch's course)."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.OUTCOME]})

    student_id: uuid.UUID
    roll_number: str
    outcome: Outcome
    reason: str | None = None
    code: str | None = None
    waitlist_position: int | None = None
    course_code: str | None = None
    section_code: str | None = None


# What moving a student between batches does to their enrollments (`joining.Subscriptions`).


class PlannedDrop(BaseModel):
    """A seat or waitlist place the old batch's course gave, which the new batch does not share."""

    enrollment_id: uuid.UUID
    course_code: str
    section_id: uuid.UUID
    section_code: str
    status: str = Field(description="ENROLLED or WAITLISTED, as held now")
    waitlist_position: int | None = None
    batch_course_id: uuid.UUID


class PlannedAdd(BaseModel):
    """An auto-enroll course of the new batch the student does not hold yet."""

    batch_course_id: uuid.UUID
    course_code: str
    section_id: uuid.UUID | None = Field(description="None: no active section is offered")
    section_code: str | None


class PlannedKeep(BaseModel):
    """A section of the new batch's courses the student already holds; it stays."""

    enrollment_id: uuid.UUID
    course_code: str
    section_id: uuid.UUID
    section_code: str
    status: str
    batch_course_id: uuid.UUID = Field(description="The new batch's course of the section")
    auto_enroll: bool = Field(description="Whether that course enrolls the batch's newcomers")
    from_batch_course_id: uuid.UUID | None = Field(
        description="The batch course that gave it (relinked to the new batch's), or None: "
        "the student's own enrollment, which stays their own"
    )

    @property
    def relinked(self) -> bool:
        """A place another batch's course gave becomes the new batch's."""
        return self.from_batch_course_id not in (None, self.batch_course_id)


class EnrollmentPlan(BaseModel):
    """What a move does to one student's enrollments; individual electives are never touched."""

    student_id: uuid.UUID
    roll_number: str
    from_batch_id: uuid.UUID | None
    to_batch_id: uuid.UUID | None
    drop: list[PlannedDrop] = []
    add: list[PlannedAdd] = []
    keep: list[PlannedKeep] = []

    @property
    def changes_anything(self) -> bool:
        """Whether carrying the plan out writes anything."""
        return bool(self.drop or self.add or any(k.relinked for k in self.keep))


class DroppedPlace(PlannedDrop):
    """A planned drop, done: the enrollment's new status and who got the seat."""

    outcome: str = Field(description="DROPPED, WITHDRAWN, or NOT_ACTIVE if it left meanwhile")
    promoted_enrollment_id: uuid.UUID | None = None


class Reconciled(BaseModel):
    """What a move did to one student's enrollments."""

    student_id: uuid.UUID
    roll_number: str
    from_batch_id: uuid.UUID | None
    to_batch_id: uuid.UUID | None
    dropped: list[DroppedPlace] = []
    enrolled: list[StudentOutcome] = Field(
        default=[],
        description="The new batch's auto-enroll courses: enrolled, waitlisted or refused",
    )
    kept: list[PlannedKeep] = []


class BatchBase(BaseModel):
    department_id: uuid.UUID | None = None
    program_id: uuid.UUID | None = None
    academic_year: YearCode | None = Field(
        default=None, description="Academic year code, `2024-2025`"
    )
    year_of_study: int | None = YearOfStudy
    semester: int | None = Semester
    section: Section | None = None
    grade_level: int | None = GradeLevel
    track: Label | None = None
    strand: Label | None = None


class BatchCreate(BatchBase):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_CREATE]})

    code: BatchCode
    name: Annotated[str, Field(max_length=120), OneLine] | None = Field(
        default=None, description="Defaults to the code"
    )
    capacity: BatchCapacity = 70


class BatchUpdate(BatchBase):
    """Only the fields sent change; placement changes are copied onto the batch's students."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_UPDATE]})

    code: BatchCode | None = None
    name: Annotated[str, Field(min_length=1, max_length=120), OneLine] | None = None
    capacity: BatchCapacity | None = None
    is_active: bool | None = None


class BatchRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [examples.BATCH]}
    )

    id: uuid.UUID
    code: str
    name: str
    department_id: uuid.UUID | None
    program_id: uuid.UUID | None
    academic_year_id: uuid.UUID | None
    academic_year: str | None
    year_of_study: int | None
    semester: int | None
    section: str | None
    grade_level: int | None
    track: str | None
    strand: str | None
    capacity: int
    is_active: bool
    active_students: int
    created_at: datetime
    updated_at: datetime


class StudentBase(BaseModel):
    email: Email | None = None
    gender: Gender | None = None
    category: Category | None = Field(default=None, description="Quota, e.g. `OC`")
    guardian_email: Email | None = None
    department_id: uuid.UUID | None = None
    program_id: uuid.UUID | None = None
    academic_year: YearCode | None = Field(
        default=None, description="Academic year code, `2024-2025`"
    )
    year_of_study: int | None = YearOfStudy
    semester: int | None = Semester
    section: Section | None = None
    student_batch_id: uuid.UUID | None = None
    grade_level: int | None = GradeLevel
    track: Label | None = None
    strand: Label | None = None
    admission_year: int | None = Field(default=None, ge=1900, le=2200)


class StudentCreate(StudentBase):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.STUDENT_CREATE]})

    roll_number: RollNumber
    name: PersonName
    status: StudentStatus = StudentStatus.ACTIVE
    password: Annotated[str, Field(min_length=6, max_length=256), OneLine] | None = Field(
        default=None,
        description="If given, a STUDENT login is created with the roll number as username",
    )


class StudentUpdate(StudentBase):
    """Only the fields sent change; `student_batch_id: null` takes the student out of a batch."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.STUDENT_UPDATE]})

    roll_number: RollNumber | None = None
    name: PersonName | None = None
    status: StudentStatus | None = None


class StudentRead(BaseModel):
    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [examples.STUDENT]}
    )

    id: uuid.UUID
    user_id: uuid.UUID | None
    roll_number: str
    name: str
    email: str | None
    gender: Gender | None
    category: str | None
    guardian_email: str | None
    department_id: uuid.UUID | None
    program_id: uuid.UUID | None
    academic_year_id: uuid.UUID | None
    academic_year: str | None
    year_of_study: int | None
    semester: int | None
    section: str | None
    student_batch_id: uuid.UUID | None
    grade_level: int | None
    track: str | None
    strand: str | None
    status: StudentStatus
    admission_year: int | None
    created_at: datetime
    updated_at: datetime


class StudentWritten(StudentRead):
    """A created or changed student, and what joining a batch enrolled them in."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.STUDENT_WRITTEN]})

    auto_enrollment: list[StudentOutcome] = Field(
        default=[],
        description="Per course: enrolled, waitlisted or refused (and why) in the auto-enroll "
        "courses of the batch the student joined",
    )
    reconciliation: Reconciled | None = Field(
        default=None,
        description="When the student changed batch: the old batch's places dropped, the new "
        "batch's courses enrolled, the shared ones kept",
    )


class StudentFilters(BaseModel):
    """Filters of the student list; all optional and combined with AND."""

    department: uuid.UUID | None = None
    program: uuid.UUID | None = None
    batch: uuid.UUID | None = None
    academic_year: YearCode | None = None
    year_of_study: Int32 | None = None
    semester: Int32 | None = None
    section: Annotated[str, Field(max_length=8), OneLine] | None = None
    grade_level: Int32 | None = None
    status: StudentStatus | None = None
    search: Search | None = None


class BatchFilters(BaseModel):
    """Filters of the batch list; all optional and combined with AND."""

    department: uuid.UUID | None = None
    program: uuid.UUID | None = None
    academic_year: YearCode | None = None
    year_of_study: Int32 | None = None
    semester: Int32 | None = None
    section: Annotated[str, Field(max_length=8), OneLine] | None = None
    grade_level: Int32 | None = None
    is_active: bool | None = None
    search: Search | None = None
