"""Enrollment rules: pure functions of a context, each returning nothing or a violation.

Nothing here touches the database or knows of HTTP: this module imports only the standard
library and the plain facts (`facts.py`). `context.py` builds the context from the database,
tests build it by hand, and `outcomes.py` turns a violation into the refusal a client sees.

Each rule the engine, the records, the portal and K-12 share has its one home here
(`counted_credits`, `credit_limit`, `passed_courses`, `unmet_prerequisites`).
"""

from __future__ import annotations

import enum
import math
import uuid
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from registrar.enrollment.facts import (
    CourseRef,
    EnrollmentContext,
    EnrollmentStatus,
    EnrollmentType,
    HeldEnrollment,
    LinkedChoice,
    Policy,
    SectionFacts,
    Slot,
    TermFacts,
)

__all__ = [
    "ACTIVE_STATUSES",
    "OVERRIDABLE",
    "Check",
    "CourseRef",
    "EnrollmentContext",
    "EnrollmentStatus",
    "EnrollmentType",
    "HeldEnrollment",
    "LinkedChoice",
    "Policy",
    "RuleCode",
    "SectionFacts",
    "Slot",
    "TermFacts",
    "Verdict",
    "Violation",
    "counted_credits",
    "credit_limit",
    "credit_minimum",
    "current_credits",
    "evaluate",
    "explain",
    "full_section",
    "max_credits",
    "min_credits",
    "passed_courses",
    "requested_credits",
    "unmet_prerequisites",
    "waitlist_allowed",
]

T = TypeVar("T")


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
    HOLD = "HOLD"
    ALREADY_PASSED = "ALREADY_PASSED"
    LINKED_SECTION_REQUIRED = "LINKED_SECTION_REQUIRED"
    LECTURE_REQUIRED = "LECTURE_REQUIRED"


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
        RuleCode.HOLD,
        RuleCode.ALREADY_PASSED,
        RuleCode.LINKED_SECTION_REQUIRED,
        RuleCode.LECTURE_REQUIRED,
    }
)

ALREADY_ENROLLED_MESSAGE = "Student is already enrolled in this course section"
PREREQUISITES_MESSAGE = "Prerequisites not met"
FULL_MESSAGE = "Course section is full"

# Statuses that hold (or queue for) a place in a section this term.
ACTIVE_STATUSES: frozenset[EnrollmentStatus] = frozenset(
    {
        EnrollmentStatus.ENROLLED,
        EnrollmentStatus.WAITLISTED,
        EnrollmentStatus.PENDING,
        EnrollmentStatus.OFFERED,
    }
)


@dataclass(frozen=True)
class Violation:
    """A broken rule: its code, the message a client sees, and the details that explain it."""

    code: RuleCode
    message: str
    details: dict[str, Any] = field(default_factory=dict)


def full_section() -> Violation:
    """The refusal for a section with no seat and no waitlist room (seed 000's body)."""
    return Violation(
        RuleCode.CAPACITY, FULL_MESSAGE, {"available_seats": 0, "waitlist_available": False}
    )


# --- the rules other domains share ---------------------------------------------------------


def counted_credits(credits: int, enrollment_type: EnrollmentType) -> int:
    """Credits an enrollment counts, in a term's load and in the record: AUDIT earns none."""
    return 0 if enrollment_type is EnrollmentType.AUDIT else credits


def credit_limit(term_limit: int | None, institution_limit: int) -> int:
    """The term's credit limit (maximum or minimum), else the institution's.

    A term's 0 is a limit, not a missing one.
    """
    return institution_limit if term_limit is None else term_limit


def passed_courses(attempts: Iterable[tuple[uuid.UUID, bool]]) -> frozenset[uuid.UUID]:
    """The courses passed at least once, from (course id, passed) of completed attempts.

    A pass stays a pass: a later failed retake (for a better grade) does not undo it.
    """
    return frozenset(course_id for course_id, passed in attempts if passed)


def unmet_prerequisites(
    prerequisites: Iterable[T], passed: Collection[uuid.UUID], course_of: Callable[[T], uuid.UUID]
) -> list[T]:
    """The prerequisites not among the courses passed (`passed_courses`), in the given order."""
    return [pre for pre in prerequisites if course_of(pre) not in passed]


# --- what the context implies ----------------------------------------------------------------


def max_credits(ctx: EnrollmentContext) -> int:
    """The term's maximum load, else the institution's."""
    return credit_limit(ctx.term.max_credits, ctx.policy.max_credits)


def min_credits(ctx: EnrollmentContext) -> int:
    """The term's minimum load, else the institution's."""
    return credit_limit(ctx.term.min_credits, ctx.policy.min_credits)


def requested_credits(ctx: EnrollmentContext) -> int:
    """Credits this enrollment adds (none for AUDIT)."""
    return counted_credits(ctx.section.credits, ctx.enrollment_type)


def current_credits(ctx: EnrollmentContext) -> int:
    """Credits the student already holds this term, waitlisted places included.

    A waitlisted place may turn into a seat without asking the student again, so it counts.
    """
    return sum(
        counted_credits(held.credits, held.enrollment_type)
        for held in ctx.held
        if held.section_id != ctx.section.id
    )


def waitlists_held(ctx: EnrollmentContext) -> int:
    """Places the student holds on the term's waitlists (this section's aside)."""
    return sum(
        1
        for held in ctx.held
        if held.status is EnrollmentStatus.WAITLISTED and held.section_id != ctx.section.id
    )


# --- the rules of an enrollment --------------------------------------------------------------

Rule = Callable[[EnrollmentContext], Violation | None]


HOLD_MESSAGE = "Registration blocked by a hold"


def no_hold(ctx: EnrollmentContext) -> Violation | None:
    """A student with an active hold registers nowhere until it is released (the student is
    told the hold's type, not the registrar's reason)."""
    if not ctx.hold_types:
        return None
    return Violation(
        RuleCode.HOLD, HOLD_MESSAGE, {"holds": [{"type": kind} for kind in ctx.hold_types]}
    )


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
        for pre in unmet_prerequisites(
            ctx.section.prerequisites, ctx.passed_course_ids, lambda course: course.id
        )
    ]
    if not missing:
        return None
    return Violation(
        RuleCode.PREREQUISITES, PREREQUISITES_MESSAGE, {"missing_prerequisites": missing}
    )


def within_credit_limit(ctx: EnrollmentContext) -> Violation | None:
    """The term's credit load may not pass its maximum."""
    current, requested, limit = current_credits(ctx), requested_credits(ctx), max_credits(ctx)
    if requested == 0 or current + requested <= limit:
        return None
    return Violation(
        RuleCode.CREDIT_LIMIT,
        "Credit limit exceeded for this semester",
        {"current_credits": current, "requested_credits": requested, "max_credits": limit},
    )


def credit_minimum(total_credits: int, min_credits: int) -> Violation | None:
    """A load below the minimum: a warning at enrollment (nothing blocks on it yet)."""
    if total_credits >= min_credits:
        return None
    return Violation(
        RuleCode.CREDIT_MINIMUM,
        "Credit load is below the minimum for this semester",
        {"total_credits": total_credits, "min_credits": min_credits},
    )


def below_minimum_warning(ctx: EnrollmentContext) -> Violation | None:
    """The minimum, checked against the load this enrollment would leave."""
    return credit_minimum(current_credits(ctx) + requested_credits(ctx), min_credits(ctx))


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


def not_passed_before(ctx: EnrollmentContext) -> Violation | None:
    """A course passed is not taken again as REGULAR; as REPEAT, to improve the grade, only
    where the institution allows improvement. (A failed course may always be taken again; an
    AUDIT earns nothing, so it may follow a pass.)"""
    if ctx.section.course.id not in ctx.passed_course_ids:
        return None
    kind = ctx.enrollment_type
    if kind is EnrollmentType.AUDIT:
        return None
    if kind is EnrollmentType.REPEAT and ctx.policy.allow_grade_improvement:
        return None
    message = (
        "This institution does not allow repeating a passed course to improve its grade"
        if kind is EnrollmentType.REPEAT
        else "Course already passed"
    )
    return Violation(
        RuleCode.ALREADY_PASSED,
        message,
        {"course_code": ctx.section.course.code, "enrollment_type": kind.value},
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


def _choices(ctx: EnrollmentContext) -> list[dict[str, object]]:
    return [
        {
            "course_section_id": str(choice.id),
            "section_code": choice.code,
            "section_type": choice.section_type,
            "available_seats": choice.free_seats,
        }
        for choice in ctx.linked_choices
    ]


def linked_section_chosen(ctx: EnrollmentContext) -> Violation | None:
    """A lecture is taken with the linked sections it is asked with, each one of its own, one
    per kind; a course that requires one is never taken without (unless one is held already)."""
    if ctx.section.linked_to is not None:
        return None  # a lab or tutorial: `lecture_held` decides
    offered = {choice.id: choice for choice in ctx.linked_choices}
    chosen = ctx.linked_chosen
    kinds = [offered[key].section_type for key in chosen if key in offered]
    if any(key not in offered for key in chosen) or len(set(kinds)) != len(kinds):
        return Violation(
            RuleCode.LINKED_SECTION_REQUIRED,
            "Choose the linked sections among this lecture's own, at most one of each kind",
            {"linked_section_ids": [str(key) for key in chosen], "choices": _choices(ctx)},
        )
    if chosen or not ctx.section.requires_linked:
        return None
    if any(held.section_id in offered for held in ctx.held):
        return None
    return Violation(
        RuleCode.LINKED_SECTION_REQUIRED,
        f"{ctx.section.course.code} is taken with one of its linked sections: "
        "send its id in linked_section_ids",
        {"choices": _choices(ctx)},
    )


def lecture_held(ctx: EnrollmentContext) -> Violation | None:
    """A LAB or TUTORIAL linked to a lecture only beside that lecture (asked for together, or
    held already)."""
    lecture = ctx.section.linked_to
    if lecture is None or any(held.section_id == lecture for held in ctx.held):
        return None
    return Violation(
        RuleCode.LECTURE_REQUIRED,
        "This section is taken together with its lecture",
        {"lecture_section_id": str(lecture)},
    )


def waitlist_allowed(ctx: EnrollmentContext) -> Violation | None:
    """A full section's waitlist only for a student on fewer than the institution's limit of
    waitlists this term. Checked when the section has no seat left."""
    limit = ctx.policy.max_waitlists_per_term
    held = waitlists_held(ctx)
    if limit is None or held < limit:
        return None
    return Violation(
        RuleCode.WAITLIST_LIMIT,
        f"You are already on {held} waitlists this semester, the most allowed",
        {"waitlists": held, "max_waitlists": limit},
    )


# Order matters only for which refusal a client sees first: identity, then timing, then
# eligibility.
RULES_BY_CODE: tuple[tuple[RuleCode, Rule], ...] = (
    (RuleCode.STUDENT_INACTIVE, student_active),
    (RuleCode.HOLD, no_hold),
    (RuleCode.SECTION_INACTIVE, section_active),
    (RuleCode.ALREADY_ENROLLED, not_already_enrolled),
    (RuleCode.LECTURE_REQUIRED, lecture_held),
    (RuleCode.LINKED_SECTION_REQUIRED, linked_section_chosen),
    (RuleCode.ALREADY_PASSED, not_passed_before),
    (RuleCode.REENROLL_COOLDOWN, cooled_down),
    (RuleCode.WINDOW_CLOSED, window_open),
    (RuleCode.ENROLLMENT_TYPE, enrollment_type_allowed),
    (RuleCode.PREREQUISITES, prerequisites_met),
    (RuleCode.CREDIT_LIMIT, within_credit_limit),
    (RuleCode.TIMETABLE_CLASH, no_timetable_clash),
)
BLOCKING_RULES: tuple[Rule, ...] = tuple(rule for _, rule in RULES_BY_CODE)
WARNING_RULES: tuple[Rule, ...] = (below_minimum_warning,)


@dataclass(frozen=True)
class Verdict:
    """What the rules say: the first blocking violation not overridden, and the warnings."""

    refusal: Violation | None
    overridden: tuple[RuleCode, ...]
    warnings: tuple[Violation, ...]


@dataclass(frozen=True)
class Check:
    """One rule's answer for a request: passed, or the violation and whether it was overridden."""

    rule: RuleCode
    passed: bool
    violation: Violation | None = None
    overridden: bool = False


def explain(ctx: EnrollmentContext, overrides: frozenset[RuleCode] = frozenset()) -> list[Check]:
    """Every blocking rule's answer, not only the first refusal (a dry run's explain-why)."""
    checks: list[Check] = []
    for code, rule in RULES_BY_CODE:
        violation = rule(ctx)
        set_aside = violation is not None and code in overrides and code in OVERRIDABLE
        checks.append(Check(code, violation is None, violation, set_aside))
    return checks


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
