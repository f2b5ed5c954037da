"""Taking the chosen seats through the enrollment engine, all or nothing (or, in a dry run,
asking the engine what each would answer)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection
from registrar.auth.actor import actor_of
from registrar.auth.models import User
from registrar.enrollment import engine
from registrar.enrollment.continuing.rulings import ContinuingRefused, Rulings
from registrar.enrollment.continuing.standing import SCHEDULE_FULL, Refusal
from registrar.enrollment.models import EnrollmentStatus
from registrar.enrollment.outcomes import EnrollmentRecord, EnrollmentRefused
from registrar.enrollment.rules import Check, RuleCode, Violation
from registrar.students.models import Student

ENROLLMENT_NOTE = "K-12 continuing enrollment"


def enroll_all(
    session: Session, student: Student, processor: User, sections: list[CourseSection]
) -> list[tuple[CourseSection, EnrollmentRecord]]:
    """Every schedule through the engine, as the processing user; a refusal undoes them all.

    Nothing is committed here: raising leaves the request's transaction to roll back the seats
    already taken, their audit events and counters with them.
    """
    actor = actor_of(processor)
    placed: list[tuple[CourseSection, EnrollmentRecord]] = []
    for section in sections:
        try:
            outcome = engine.enroll(
                session,
                institution_id=student.institution_id,
                student_id=student.id,
                section_id=section.id,
                actor=actor,
                notes=ENROLLMENT_NOTE,
                tell=False,  # one confirmation for the whole load (`notices.announce`)
            )
        except EnrollmentRefused as refused:
            raise translate(refused, section) from refused
        if outcome.enrollment.status is not EnrollmentStatus.ENROLLED:
            # A seat taken between our check and the engine's: no waitlist here.
            raise ContinuingRefused(
                SCHEDULE_FULL, details={"subject": section.course.code, "scheduleId": section.code}
            )
        placed.append((section, outcome.enrollment))
    return placed


def translate(refused: EnrollmentRefused, section: CourseSection) -> ContinuingRefused:
    """The engine's refusal in this endpoint's words (always a 400)."""
    code = refused.violation.code
    where = {"subject": section.course.code, "scheduleId": section.code, "code": code.value}
    if code is RuleCode.CAPACITY:
        return ContinuingRefused(SCHEDULE_FULL, details=where)
    if code is RuleCode.ALREADY_ENROLLED:
        return ContinuingRefused(
            f"Student is already enrolled in {section.course.code}", details=where
        )
    if code is RuleCode.PREREQUISITES:
        missing = [m["course_code"] for m in refused.details.get("missing_prerequisites", [])]
        return ContinuingRefused(
            f"Missing prerequisites for {section.course.code}: {', '.join(missing)}", details=where
        )
    return ContinuingRefused(refused.message, details={**refused.details, **where})


def rule_schedules(
    session: Session,
    student: Student,
    processor: User,
    sections: Sequence[CourseSection],
    rulings: Rulings,
) -> None:
    """A dry run's pass through the engine: every rule of every schedule, from the unlocked
    read `engine.explain` makes, in this endpoint's words.

    Each schedule is judged as the real request would reach it: with the student holding what
    they hold now and the request's earlier schedules too (their clashes, their credits).
    """
    actor = actor_of(processor)
    for index, section in enumerate(sections):
        subject = section.course.code
        rulings.of(subject).schedule = section.code
        explanation = engine.explain(
            session,
            institution_id=student.institution_id,
            student_id=student.id,
            section_id=section.id,
            actor=actor,
            as_if_holding=[earlier.id for earlier in sections[:index]],
        )
        for check in explanation.checks:
            # No waitlist here: a full schedule is refused, as CAPACITY says.
            if check.rule is not RuleCode.WAITLIST_LIMIT:
                rulings.rule(check.rule, _in_words(check, section), subject=subject)


def _in_words(check: Check, section: CourseSection) -> Refusal | None:
    """An engine check's refusal as a real request would answer it (None: passed)."""
    if check.passed or check.violation is None:
        return None
    return _refusal(check.violation, section)


def _refusal(violation: Violation, section: CourseSection) -> Refusal:
    refused = translate(EnrollmentRefused(violation), section)
    return Refusal(refused.message, refused.details)
