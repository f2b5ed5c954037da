"""Enrollment rules: pure functions of a context, each returning nothing or a violation.

Nothing here touches the database; `context.py` builds the context from it, and tests build it
by hand.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from registrar.enrollment.facts import (
    CourseRef,
    EnrollmentContext,
    HeldEnrollment,
    Policy,
    SectionFacts,
    Slot,
    TermFacts,
)
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.errors import RegistrarError

__all__ = [
    "ACTIVE_STATUSES",
    "OVERRIDABLE",
    "CourseRef",
    "EnrollmentContext",
    "EnrollmentRefused",
    "HeldEnrollment",
    "Policy",
    "RuleCode",
    "SectionFacts",
    "Slot",
    "TermFacts",
    "Verdict",
    "Violation",
    "credit_minimum",
    "evaluate",
    "full_section",
    "waitlist_allowed",
]


class RuleCode(enum.StrEnum):
    STUDENT_INACTIVE = "STUDENT_INACTIVE"
    SECTION_INACTIVE = "SECTION_INACTIVE"
    WINDOW_CLOSED = "WINDOW_CLOSED"
    ALREADY_ENROLLED = "ALREADY_ENROLLED"
    PREREQUISITES = "PREREQUISITES"
    CREDIT_LIMIT = "CREDIT_LIMIT"
    CREDIT_MINIMUM = "CREDIT_MINIMUM"
    TIMETABLE_CLASH = "TIMETABLE_CLASH"
    ENROLLMENT_TYPE = "ENROLLMENT_TYPE"
    CAPACITY = "CAPACITY"
    WAITLIST_LIMIT = "WAITLIST_LIMIT"
    REENROLL_COOLDOWN = "REENROLL_COOLDOWN"


# The rules a registrar may set aside, with a reason.
OVERRIDABLE: frozenset[RuleCode] = frozenset(
    {
        RuleCode.PREREQUISITES,
        RuleCode.CAPACITY,
        RuleCode.TIMETABLE_CLASH,
        RuleCode.WINDOW_CLOSED,
        RuleCode.CREDIT_LIMIT,
        RuleCode.WAITLIST_LIMIT,
        RuleCode.REENROLL_COOLDOWN,
    }
)

ALREADY_ENROLLED_MESSAGE = "Student is already enrolled in this course section"
PREREQUISITES_MESSAGE = "Prerequisites not met"
FULL_MESSAGE = "Course section is full"

# Statuses that hold (or queue for) a place in a section this term.
ACTIVE_STATUSES: frozenset[EnrollmentStatus] = frozenset(
    {EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED, EnrollmentStatus.PENDING}
)


@dataclass(frozen=True)
class Violation:
    """A broken rule: its code, the message a client sees, and the details that explain it."""

    code: RuleCode
    message: str
    details: dict[str, Any] = field(default_factory=dict)


class EnrollmentRefused(RegistrarError):
    """An enrollment a rule forbids; 409 for a duplicate or a full section, else 400."""

    def __init__(self, violation: Violation) -> None:
        super().__init__(violation.message, details=violation.details)
        self.violation = violation
        self.code = violation.code.value
        conflict = violation.code in (RuleCode.ALREADY_ENROLLED, RuleCode.CAPACITY)
        self.status_code = 409 if conflict else 400

    def body(self) -> dict[str, Any]:
        """The seed's error body, with the rule's code beside it."""
        return {"error": self.message, **self.details, "code": self.violation.code.value}


def full_section() -> Violation:
    """The refusal for a section with no seat and no waitlist room (seed 000's body)."""
    return Violation(
        RuleCode.CAPACITY, FULL_MESSAGE, {"available_seats": 0, "waitlist_available": False}
    )


Rule = Callable[[EnrollmentContext], Violation | None]


def student_active(ctx: EnrollmentContext) -> Violation | None:
    """Only an active student can enroll."""
    if ctx.student_active:
        return None
    return Violation(RuleCode.STUDENT_INACTIVE, "Student is not active")


def section_active(ctx: EnrollmentContext) -> Violation | None:
    """Only an active section can take students."""
    if ctx.section.is_active:
        return None
    return Violation(RuleCode.SECTION_INACTIVE, "Course section is not open for enrollment")


def window_open(ctx: EnrollmentContext) -> Violation | None:
    """The term's registration window must be open now."""
    if ctx.term.registration_start <= ctx.now <= ctx.term.registration_end:
        return None
    return Violation(
        RuleCode.WINDOW_CLOSED,
        "Registration is not open for this semester",
        {
            "registration_start": ctx.term.registration_start.isoformat(),
            "registration_end": ctx.term.registration_end.isoformat(),
        },
    )


def not_already_enrolled(ctx: EnrollmentContext) -> Violation | None:
    """No second place in the section, nor a second section of the same kind of the course."""
    if ctx.existing_status is not None and ctx.existing_status not in (
        EnrollmentStatus.DROPPED,
        EnrollmentStatus.WITHDRAWN,
    ):
        return Violation(
            RuleCode.ALREADY_ENROLLED,
            ALREADY_ENROLLED_MESSAGE,
            {"status": ctx.existing_status.value},
        )
    for held in ctx.held:
        if (
            held.course.id == ctx.section.course.id
            and held.section_type == ctx.section.section_type
        ):
            return Violation(
                RuleCode.ALREADY_ENROLLED,
                "Student is already enrolled in another section of this course",
                {"status": held.status.value, "section_id": str(held.section_id)},
            )
    return None


def prerequisites_met(ctx: EnrollmentContext) -> Violation | None:
    """Every prerequisite completed with a passing grade."""
    missing = [
        {"course_code": pre.code, "course_title": pre.title}
        for pre in ctx.section.prerequisites
        if pre.id not in ctx.passed_course_ids
    ]
    if not missing:
        return None
    return Violation(
        RuleCode.PREREQUISITES, PREREQUISITES_MESSAGE, {"missing_prerequisites": missing}
    )


def within_credit_limit(ctx: EnrollmentContext) -> Violation | None:
    """The term's credit load may not pass its maximum."""
    total = ctx.current_credits + ctx.requested_credits
    if ctx.requested_credits == 0 or total <= ctx.max_credits:
        return None
    return Violation(
        RuleCode.CREDIT_LIMIT,
        "Credit limit exceeded for this semester",
        {
            "current_credits": ctx.current_credits,
            "requested_credits": ctx.requested_credits,
            "max_credits": ctx.max_credits,
        },
    )


def credit_minimum(total_credits: int, min_credits: int) -> Violation | None:
    """A load below the minimum: a warning at enrollment, a block at confirmation."""
    if total_credits >= min_credits:
        return None
    return Violation(
        RuleCode.CREDIT_MINIMUM,
        "Credit load is below the minimum for this semester",
        {"total_credits": total_credits, "min_credits": min_credits},
    )


def below_minimum_warning(ctx: EnrollmentContext) -> Violation | None:
    """The minimum, checked against the load this enrollment would leave."""
    return credit_minimum(ctx.current_credits + ctx.requested_credits, ctx.min_credits)


def no_timetable_clash(ctx: EnrollmentContext) -> Violation | None:
    """No meeting of the section overlaps a meeting of the student's other sections this term."""
    clashes: list[dict[str, str]] = []
    for held in ctx.held:
        if held.section_id == ctx.section.id:
            continue
        for theirs in held.slots:
            if any(mine.overlaps(theirs) for mine in ctx.section.slots):
                clashes.append(
                    {
                        "course_code": held.course.code,
                        "day": theirs.day,
                        "start_time": theirs.start.isoformat(),
                        "end_time": theirs.end.isoformat(),
                    }
                )
    if not clashes:
        return None
    return Violation(
        RuleCode.TIMETABLE_CLASH,
        "Timetable clash with another enrolled course",
        {"clashes_with": clashes},
    )


def enrollment_type_allowed(ctx: EnrollmentContext) -> Violation | None:
    """REPEAT only for a course completed before; CREDIT_TRANSFER only by the registrar."""
    if ctx.enrollment_type is EnrollmentType.CREDIT_TRANSFER and not ctx.requested_by_staff:
        return Violation(
            RuleCode.ENROLLMENT_TYPE,
            "A credit transfer is recorded by the registrar",
            {"enrollment_type": ctx.enrollment_type.value},
        )
    if ctx.enrollment_type is not EnrollmentType.REPEAT:
        return None
    if ctx.section.course.id in ctx.taken_before_course_ids:
        return None
    return Violation(
        RuleCode.ENROLLMENT_TYPE,
        "A REPEAT enrollment is only for a course taken before",
        {"enrollment_type": ctx.enrollment_type.value},
    )


def cooled_down(ctx: EnrollmentContext) -> Violation | None:
    """A section just dropped is not taken again at once: no dropping a seat to hand it over
    and grabbing it back, nor a place in its queue re-bought at the front."""
    minutes = ctx.policy.reenroll_cooldown_minutes
    dropped = ctx.existing_dropped_at
    if not minutes or dropped is None or ctx.existing_status is not EnrollmentStatus.DROPPED:
        return None
    again = dropped + timedelta(minutes=minutes)
    if ctx.now >= again:
        return None
    return Violation(
        RuleCode.REENROLL_COOLDOWN,
        f"This section was dropped less than {minutes} minutes ago; try again later",
        {"retry_after_seconds": math.ceil((again - ctx.now).total_seconds())},
    )


def waitlist_allowed(ctx: EnrollmentContext) -> Violation | None:
    """A full section's waitlist only for a student on fewer than the institution's limit of
    waitlists this term. Checked when the section has no seat left."""
    limit = ctx.policy.max_waitlists_per_term
    if limit is None or ctx.waitlists_held < limit:
        return None
    return Violation(
        RuleCode.WAITLIST_LIMIT,
        f"You are already on {ctx.waitlists_held} waitlists this semester, the most allowed",
        {"waitlists": ctx.waitlists_held, "max_waitlists": limit},
    )


# Order matters only for which refusal a client sees first: identity, then timing, then
# eligibility.
BLOCKING_RULES: tuple[Rule, ...] = (
    student_active,
    section_active,
    not_already_enrolled,
    cooled_down,
    window_open,
    enrollment_type_allowed,
    prerequisites_met,
    within_credit_limit,
    no_timetable_clash,
)
WARNING_RULES: tuple[Rule, ...] = (below_minimum_warning,)


@dataclass(frozen=True)
class Verdict:
    """What the rules say: the first blocking violation not overridden, and the warnings."""

    refusal: Violation | None
    overridden: tuple[RuleCode, ...]
    warnings: tuple[Violation, ...]


def evaluate(ctx: EnrollmentContext, overrides: frozenset[RuleCode] = frozenset()) -> Verdict:
    """Run every rule; overridden violations are noted, not refused."""
    overridden: list[RuleCode] = []
    for rule in BLOCKING_RULES:
        violation = rule(ctx)
        if violation is None:
            continue
        if violation.code in overrides and violation.code in OVERRIDABLE:
            overridden.append(violation.code)
            continue
        return Verdict(refusal=violation, overridden=tuple(overridden), warnings=())
    warnings = tuple(v for rule in WARNING_RULES if (v := rule(ctx)) is not None)
    return Verdict(refusal=None, overridden=tuple(overridden), warnings=warnings)
