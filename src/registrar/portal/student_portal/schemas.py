"""One schema per shape of seed 000; field names and nesting are the seed's contract."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from registrar.academics.models import SectionType, Weekday
from registrar.enrollment.models import (
    AssignmentType,
    BatchCourseStatus,
    EnrollmentStatus,
    EnrollmentType,
)
from registrar.enrollment.rules import RuleCode
from registrar.kit.bounds import Lines
from registrar.portal.student_portal import examples


def _is_none(value: object) -> bool:
    return value is None


def omitted_when_none(**kwargs: Any) -> Any:
    """A field left out of the answer, rather than nulled, when it has no value (a part the
    client did not ask for, or one that applies only in some states). Pydantic decides it while
    serialising, without building the answer's dict in Python first."""
    return Field(default=None, exclude_if=_is_none, **kwargs)


class DepartmentShape(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.DEPARTMENT]})

    id: uuid.UUID
    name: str
    code: str


class CourseBrief(BaseModel):
    """A course as the batch listing shows it (no department)."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.COURSE_BRIEF]})

    id: uuid.UUID
    code: str
    title: str
    description: str
    credits: int
    level: str


class CourseShape(CourseBrief):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.COURSE]})

    department: DepartmentShape | None


class FacultyShape(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.FACULTY]})

    id: uuid.UUID
    name: str
    email: str | None


class TimetableEntry(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.TIMETABLE_ENTRY]})

    day: Weekday
    start_time: time
    end_time: time
    room: str | None
    building: str | None


class SectionSeats(BaseModel):
    # Examples by field, not by model: the shapes that extend this one add their own fields.
    id: uuid.UUID = Field(examples=[examples.SECTION_ID])
    section_type: SectionType
    faculty: FacultyShape | None
    max_students: int = Field(examples=[8])
    current_enrollment: int = Field(examples=[7])


class SectionShape(SectionSeats):
    available_seats: int = Field(examples=[1])


class SectionWithTimetable(SectionShape):
    timetable: list[TimetableEntry]


class EnrollmentDetails(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ENROLLMENT_DETAILS]})

    enrollment_date: date
    status: EnrollmentStatus
    enrollment_type: EnrollmentType
    grade: str | None
    grade_points: float | None
    attendance_percentage: float | None
    notes: str
    waitlist_position: int | None = omitted_when_none(
        description="The place in the waitlist (1 is next), for WAITLISTED only"
    )
    seats_to_waitlist_last_7_days: int | None = omitted_when_none(
        description="For WAITLISTED: seats of this section that went to its waitlist in the last "
        "7 days (how fast the list moves)",
    )
    offer_expires_at: datetime | None = omitted_when_none(
        description="For OFFERED: accept the seat held for you before this time"
    )


class AcademicContext(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ACADEMIC_CONTEXT]})

    academic_year: str | None
    semester: str | None
    year_of_study: str | None
    section: str | None


class EnrolledCourse(BaseModel):
    enrollment_id: uuid.UUID = Field(examples=[examples.ENROLLMENT_ID])
    course: CourseShape
    course_section: SectionShape
    enrollment: EnrollmentDetails
    academic_context: AcademicContext
    timetable: list[TimetableEntry] | None = omitted_when_none()


class EnrollmentSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.SUMMARY]})

    total_courses: int
    total_credits: int
    enrolled_credits: int
    completed_courses: int
    current_gpa: float | None
    attendance_average: float | None


class StudentBatchInfo(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.STUDENT_BATCH]})

    batch_code: str
    batch_name: str
    department: str | None
    academic_program: str | None
    year_of_study: str | None
    section: str | None
    semester: str | None


class AcademicInfo(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ACADEMIC_INFO]})

    student_batch: StudentBatchInfo | None
    academic_year: str | None


class EnrolledCoursesResponse(BaseModel):
    enrolled_courses: list[EnrolledCourse]
    summary: EnrollmentSummary
    academic_info: AcademicInfo


class PrerequisiteShape(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.PREREQUISITE]})

    course_code: str
    course_title: str
    status: str
    grade: str | None


class AssignmentInfo(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ASSIGNMENT_INFO]})

    assignment_type: AssignmentType
    year_of_study: int | None
    is_required: bool
    prerequisites: list[PrerequisiteShape] | None = omitted_when_none()


class BatchEnrollmentFlags(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_FLAGS]})

    is_batch_enrolled: bool
    auto_enroll: bool
    enrollment_status: BatchCourseStatus


class EligibilityReason(BaseModel):
    """A rule that refuses the section to the student now, as the dry run words it."""

    rule: RuleCode
    message: str
    details: dict[str, Any] = {}


class Eligibility(BaseModel):
    """What enrolling in the section would do now, and why not when it would be refused."""

    outcome: Literal["ENROLLED", "WAITLISTED", "REFUSED"] = Field(
        description="What `POST .../enroll/` would answer now: a seat, a waitlist place, or a "
        "refusal"
    )
    reasons: list[EligibilityReason] = Field(
        description="Every rule that refuses, in the order the engine checks them (the first is "
        "the refusal the enroll request answers); empty unless REFUSED"
    )


class AvailableSection(SectionWithTimetable):
    linked_to_section_id: uuid.UUID | None = Field(
        default=None,
        description="For a LAB or TUTORIAL: the LECTURE it is taken with (enroll in the lecture "
        "with this section in `linked_section_ids`); null for any other section",
    )
    eligibility: Eligibility | None = Field(
        description="The dry run's evaluation for this student, true as of the read (null only "
        "for a section removed while the page was read)"
    )


class AvailableCourse(BaseModel):
    course: CourseShape
    assignment_info: AssignmentInfo
    available_sections: list[AvailableSection] | None = omitted_when_none()
    batch_enrollment: BatchEnrollmentFlags


class FiltersApplied(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.FILTERS]})

    academic_year: str | None
    semester: str | None
    course_type: AssignmentType | None
    department: str | None


class EnrollmentGuidelines(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.GUIDELINES]})

    max_credits_per_semester: int
    min_credits_per_semester: int
    enrollment_deadline: date | None
    prerequisite_check_required: bool


class AvailableCoursesResponse(BaseModel):
    available_courses: list[AvailableCourse]
    filters_applied: FiltersApplied
    enrollment_guidelines: EnrollmentGuidelines


class BatchEnrollmentShape(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_ENROLLMENT]})

    id: uuid.UUID
    enrollment_date: date
    status: BatchCourseStatus
    auto_enroll_new_students: bool
    notes: str


class BatchCourseShape(BaseModel):
    batch_enrollment: BatchEnrollmentShape
    course: CourseBrief
    course_section: SectionSeats | None
    academic_context: AcademicContext
    student_enrollment_status: str = Field(examples=["ENROLLED"])


class BatchInfo(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_INFO]})

    batch_code: str
    batch_name: str
    department: str | None
    academic_program: str | None
    total_students: int
    enrolled_students: int


class BatchSummary(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.BATCH_SUMMARY]})

    total_batch_courses: int
    mandatory_courses: int
    elective_courses: int
    total_credits: int
    enrolled_courses: int
    pending_enrollments: int


class BatchCoursesResponse(BaseModel):
    batch_courses: list[BatchCourseShape]
    batch_info: BatchInfo
    summary: BatchSummary


class EnrollRequest(BaseModel):
    # A student's body: an unknown field (say, `overrides`) is refused, never ignored.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.ENROLL]})

    course_section_id: uuid.UUID
    enrollment_type: EnrollmentType = EnrollmentType.REGULAR
    notes: Annotated[str, Field(max_length=2000), Lines] = ""
    linked_section_ids: list[uuid.UUID] = Field(
        default=[],
        max_length=4,
        description="The lecture's LAB or TUTORIAL sections to take with it (one of each kind)",
    )


class DropRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [examples.DROP]})

    enrollment_id: uuid.UUID
    reason: Annotated[str, Field(max_length=500), Lines] | None = None
    notes: Annotated[str, Field(max_length=2000), Lines] | None = None


class StudentBrief(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.STUDENT]})

    id: uuid.UUID
    roll_number: str
    name: str


class CourseCodeTitle(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.COURSE_CODE_TITLE]})

    code: str
    title: str


class FacultyName(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.FACULTY_NAME]})

    name: str


class EnrolledSection(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ENROLLED_SECTION]})

    id: uuid.UUID
    course: CourseCodeTitle
    section_type: SectionType
    faculty: FacultyName | None


class EnrollmentRecord(BaseModel):
    """The enrollment the enroll and drop answers carry."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.RECORD]})

    id: uuid.UUID
    student: StudentBrief
    course_section: EnrolledSection
    enrollment_date: date
    status: EnrollmentStatus
    enrollment_type: EnrollmentType
    notes: str
    waitlist_position: int | None = omitted_when_none()
    drop_reason: str | None = omitted_when_none()


class WarningShape(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.WARNING]})

    code: str
    message: str
    details: dict[str, Any]


class EnrollResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.ENROLLED]})

    enrollment: EnrollmentRecord
    message: str
    warnings: list[WarningShape] | None = omitted_when_none()
    # The linked LAB or TUTORIAL places taken with the lecture (only when some were asked for).
    linked_enrollments: list[EnrollmentRecord] | None = omitted_when_none()


class PromotedShape(BaseModel):
    """The waitlisted enrollment that took the freed seat (an id, never another's name)."""

    model_config = ConfigDict(json_schema_extra={"examples": [examples.PROMOTED]})

    enrollment_id: uuid.UUID
    student_id: uuid.UUID
    from_position: int | None


class DropResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [examples.DROPPED]})

    enrollment: EnrollmentRecord
    message: str
    promoted: PromotedShape | None
    # The places in the lecture's linked sections, dropped with it (only when there were any).
    linked_dropped: list[EnrollmentRecord] | None = omitted_when_none()
