"""Request and response shapes of a registrar's enrollments."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.enrollment.rules import RuleCode
from registrar.kit.bounds import Lines

Reason = Annotated[str, Field(min_length=1, max_length=500), Lines]

# The registrar puts 22CS003 into CS342 (Cloud Computing) of the demo without its prerequisite.
_ENROLLMENT: JsonDict = {
    "id": "06afbe12-1a56-49a0-b9f1-9674d4c22990",
    "student_id": "c922bbcc-4d51-40b0-bf79-0f4930c1ae5f",
    "section_id": "6e4a8498-7ac9-499f-8da0-706739d0f123",
    "status": "ENROLLED",
    "enrollment_type": "REGULAR",
    "waitlist_position": None,
}
_MISSING: JsonDict = {
    "missing_prerequisites": [{"course_code": "CS213", "course_title": "Operating Systems"}]
}


class RegistrarEnrollRequest(BaseModel):
    """Enroll a student as the registrar, setting rules aside only with a reason."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "student_id": "c922bbcc-4d51-40b0-bf79-0f4930c1ae5f",
                    "course_section_id": "6e4a8498-7ac9-499f-8da0-706739d0f123",
                    "overrides": ["PREREQUISITES"],
                    "reason": "Equivalent course taken at JNTU Kakinada",
                }
            ]
        },
    )

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

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"reason": "Student asked in writing to drop the elective"}]
        },
    )

    reason: Reason


class EnrollmentBrief(BaseModel):
    """An enrollment as a registrar's change left it."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ENROLLMENT]})

    id: uuid.UUID
    student_id: uuid.UUID
    section_id: uuid.UUID
    status: EnrollmentStatus
    enrollment_type: EnrollmentType
    waitlist_position: int | None


class RegistrarEnrollResponse(BaseModel):
    """The enrollment, the rules its overrides set aside, and the rules' warnings."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"enrollment": _ENROLLMENT, "overrides": ["PREREQUISITES"], "warnings": []}
            ]
        }
    )

    enrollment: EnrollmentBrief
    overrides: list[RuleCode]
    warnings: list[dict[str, Any]]
    linked: list[EnrollmentBrief] = Field(
        default=[], description="The linked LAB or TUTORIAL places taken with the lecture"
    )


class RegistrarDropResponse(BaseModel):
    """The dropped (or withdrawn) enrollment, and who took the seat from the waitlist."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "enrollment": {**_ENROLLMENT, "status": "DROPPED"},
                    "promoted": {
                        "id": "3f9c0b5e-7a2d-4e61-9c8b-1d4f6a2e5b70",
                        "student_id": "7019b290-2511-4cc9-9b13-55ed63e2a3a1",
                        "section_id": "6e4a8498-7ac9-499f-8da0-706739d0f123",
                        "status": "ENROLLED",
                        "enrollment_type": "REGULAR",
                        "waitlist_position": None,
                    },
                }
            ]
        }
    )

    enrollment: EnrollmentBrief
    promoted: EnrollmentBrief | None
    linked_dropped: list[EnrollmentBrief] = Field(
        default=[], description="The places in the lecture's linked sections, dropped with it"
    )


class CheckAnswer(BaseModel):
    """One rule's answer in a dry run."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "rule": "PREREQUISITES",
                    "passed": False,
                    "overridden": False,
                    "message": "Prerequisites not met",
                    "details": _MISSING,
                }
            ]
        }
    )

    rule: RuleCode
    passed: bool
    overridden: bool = False
    message: str
    details: dict[str, Any] = {}


class DryRunAnswer(BaseModel):
    """What the request would do now, and every rule's answer; nothing was written."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dry_run": True,
                    "outcome": "REFUSED",
                    "checks": [
                        {"rule": "HOLD", "passed": True, "message": "OK"},
                        {"rule": "WINDOW_CLOSED", "passed": True, "message": "OK"},
                        {
                            "rule": "PREREQUISITES",
                            "passed": False,
                            "message": "Prerequisites not met",
                            "details": _MISSING,
                        },
                        {"rule": "CREDIT_LIMIT", "passed": True, "message": "OK"},
                        {"rule": "TIMETABLE_CLASH", "passed": True, "message": "OK"},
                        {"rule": "CAPACITY", "passed": True, "message": "OK"},
                    ],
                }
            ]
        }
    )

    dry_run: bool = True
    outcome: str = Field(description="ENROLLED, WAITLISTED or REFUSED")
    checks: list[CheckAnswer]
