"""Request and response shapes of a registrar's enrollments."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.enrollment.rules import RuleCode
from registrar.kit.bounds import Lines

Reason = Annotated[str, Field(min_length=1, max_length=500), Lines]


class RegistrarEnrollRequest(BaseModel):
    """Enroll a student as the registrar, setting rules aside only with a reason."""

    model_config = ConfigDict(extra="forbid")

    student_id: uuid.UUID
    course_section_id: uuid.UUID
    enrollment_type: EnrollmentType = EnrollmentType.REGULAR
    overrides: list[RuleCode] = Field(
        default=[],
        max_length=20,
        description="Rules to set aside: PREREQUISITES, CAPACITY, TIMETABLE_CLASH, WINDOW_CLOSED, "
        "CREDIT_LIMIT, WAITLIST_LIMIT, REENROLL_COOLDOWN, HOLD, ALREADY_PASSED, "
        "LINKED_SECTION_REQUIRED, LECTURE_REQUIRED",
    )
    reason: Reason | None = Field(default=None, description="Required with overrides")
    linked_section_ids: list[uuid.UUID] = Field(
        default=[],
        max_length=4,
        description="The lecture's LAB or TUTORIAL sections to take with it (one of each kind)",
    )


class RegistrarDropRequest(BaseModel):
    """Drop an enrollment as the registrar."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class EnrollmentBrief(BaseModel):
    """An enrollment as a registrar's change left it."""

    id: uuid.UUID
    student_id: uuid.UUID
    section_id: uuid.UUID
    status: EnrollmentStatus
    enrollment_type: EnrollmentType
    waitlist_position: int | None


class RegistrarEnrollResponse(BaseModel):
    """The enrollment, the rules its overrides set aside, and the rules' warnings."""

    enrollment: EnrollmentBrief
    overrides: list[RuleCode]
    warnings: list[dict[str, Any]]
    linked: list[EnrollmentBrief] = Field(
        default=[], description="The linked LAB or TUTORIAL places taken with the lecture"
    )


class RegistrarDropResponse(BaseModel):
    """The dropped (or withdrawn) enrollment, and who took the seat from the waitlist."""

    enrollment: EnrollmentBrief
    promoted: EnrollmentBrief | None
    linked_dropped: list[EnrollmentBrief] = Field(
        default=[], description="The places in the lecture's linked sections, dropped with it"
    )


class CheckAnswer(BaseModel):
    """One rule's answer in a dry run."""

    rule: RuleCode
    passed: bool
    overridden: bool = False
    message: str
    details: dict[str, Any] = {}


class DryRunAnswer(BaseModel):
    """What the request would do now, and every rule's answer; nothing was written."""

    dry_run: bool = True
    outcome: str = Field(description="ENROLLED, WAITLISTED or REFUSED")
    checks: list[CheckAnswer]
