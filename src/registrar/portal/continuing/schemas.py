"""The seed's camelCase request and response shapes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from registrar.institutions.models import EducationLevel
from registrar.kit.bounds import OneLine
from registrar.portal.continuing import examples

# The seed's ids are codes such as `ELEM123`, `SY2024-2025` or `SEC-G4-A`.
Id = Annotated[str, Field(min_length=1, max_length=64), OneLine]
OptionalId = Annotated[str, Field(max_length=64), OneLine]

SUCCESS_MESSAGE = "Continuing student enrollment processed successfully"


class CamelModel(BaseModel):
    """camelCase on the wire, snake_case in Python; either is accepted on input."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class SubjectToEnroll(CamelModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SUBJECT_TO_ENROLL]})

    subject_id: Id
    schedule_id: OptionalId | None = None


class ContinuingEnrollmentRequest(CamelModel):
    """The request body; which of `subjectsToEnroll` / `sectionId` is needed is decided later."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.REQUEST]})

    student_id: Id
    school_year_id: Id
    semester_id: OptionalId | None = None
    subjects_to_enroll: list[SubjectToEnroll] | None = Field(default=None, max_length=100)
    section_id: OptionalId | None = None
    processed_by: Id


def shs_only() -> Any:
    """A key the seed marks "SHS only": left out of the answer when it has no value."""
    return Field(default=None, exclude_if=lambda value: value is None)


class ScheduleRead(CamelModel):
    schedule_id: str
    days: list[str]
    time_start: str | None
    time_end: str | None
    room: str | None


class SubjectRead(CamelModel):
    code: str
    name: str
    units: int
    enrollment_id: str
    schedule: ScheduleRead


class StudentInfo(CamelModel):
    id: str
    name: str
    email: str | None
    grade_level: str
    strand: str | None = shs_only()
    track: str | None = shs_only()


class EnrollmentInfo(CamelModel):
    id: str
    status: str
    type: str = "CONTINUING"
    total_units: int
    total_subjects: int
    semester: str | None = shs_only()


class Summary(CamelModel):
    student_info: StudentInfo
    enrollment_info: EnrollmentInfo
    subjects: list[SubjectRead]


class EnrollmentRead(CamelModel):
    id: str
    status: str
    type: str = "K12"
    education_level: EducationLevel
    school_year: str
    semester: str | None
    grade_level: int
    previous_grade_level: int
    advanced: bool
    section: str | None
    mode: str
    processed_by: str
    processed_at: str
    enrollment_ids: list[str]


class StudentRead(CamelModel):
    id: str
    student_id: str
    name: str
    email: str | None
    guardian_email: str | None
    grade_level: int
    education_level: EducationLevel
    section: str | None
    track: str | None
    strand: str | None
    status: str


class ContinuingData(CamelModel):
    enrollment: EnrollmentRead
    student: StudentRead
    summary: Summary


class ContinuingEnrollmentResponse(CamelModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.RESPONSE]})

    success: bool = True
    message: str = SUCCESS_MESSAGE
    data: ContinuingData


class CheckRead(BaseModel):
    """One rule's verdict in a dry run: the message a real request would refuse with."""

    rule: str = Field(description="A K-12 rule (MIN_GPA, CORE_LOAD, ...) or the engine's")
    passed: bool
    message: str
    details: dict[str, Any] = {}


class SubjectTrialRead(BaseModel):
    """One subject of a dry run: the schedule it would take, and its own rules' verdicts."""

    model_config = ConfigDict(populate_by_name=True)

    subject: str
    schedule_id: str | None = Field(serialization_alias="scheduleId")
    outcome: str = Field(description="ENROLLED or REFUSED (a K-12 schedule keeps no waitlist)")
    checks: list[CheckRead]


class DryRunResponse(BaseModel):
    """`?dry_run=true`: what the request would do now and why; nothing was written."""

    model_config = ConfigDict(
        populate_by_name=True, json_schema_extra={"examples": [examples.DRY_RUN]}
    )

    success: bool = True
    dry_run: bool = True
    outcome: str = Field(description="ENROLLED or REFUSED, for the whole request")
    grade_level: int = Field(
        serialization_alias="gradeLevel", description="The grade the student would enroll in"
    )
    checks: list[CheckRead] = Field(
        description="Each rule once: the request's own, then the subjects' (failed where any "
        "subject fails it, those subjects named in `details.subjects`)"
    )
    subjects: list[SubjectTrialRead]


class FailureResponse(BaseModel):
    """Every refusal on this route: `{"success": false, "error": ...}` plus optional details."""

    model_config = ConfigDict(extra="allow")

    success: bool = False
    error: str
