"""The enrollment rules, on hand-built contexts: no database."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest

from registrar.enrollment.facts import EnrollmentStatus, EnrollmentType
from registrar.enrollment.rules import (
    CourseRef,
    EnrollmentContext,
    HeldEnrollment,
    Policy,
    RuleCode,
    SectionFacts,
    Slot,
    TermFacts,
    credit_minimum,
    evaluate,
    explain,
    waitlist_allowed,
)

NOW = datetime(2024, 7, 15, 10, 0, tzinfo=UTC)


def course(code: str = "CS302", title: str = "Database Management Systems") -> CourseRef:
    return CourseRef(id=uuid.uuid4(), code=code, title=title)


def held(
    credits: int = 4,
    *,
    slots: tuple[Slot, ...] = (),
    status: EnrollmentStatus = EnrollmentStatus.ENROLLED,
    enrollment_type: EnrollmentType = EnrollmentType.REGULAR,
    of: CourseRef | None = None,
    section_type: str = "LECTURE",
) -> HeldEnrollment:
    return HeldEnrollment(
        section_id=uuid.uuid4(),
        course=of or course("CS999", "Other"),
        section_type=section_type,
        credits=credits,
        status=status,
        enrollment_type=enrollment_type,
        slots=slots,
    )


def ctx(**changes: object) -> EnrollmentContext:
    base = EnrollmentContext(
        student_active=True,
        section=SectionFacts(
            id=uuid.uuid4(),
            course=course(),
            credits=4,
            section_type="LECTURE",
            is_active=True,
            slots=(Slot("MONDAY", time(9), time(10, 30)),),
        ),
        term=TermFacts(
            registration_start=NOW - timedelta(days=1),
            registration_end=NOW + timedelta(days=1),
            min_credits=15,
            max_credits=30,
        ),
        policy=Policy(min_credits=12, max_credits=24),
        now=NOW,
        held=(held(12),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def refusal(context: EnrollmentContext) -> RuleCode | None:
    verdict = evaluate(context)
    return verdict.refusal.code if verdict.refusal else None


def test_a_good_request_passes_with_a_minimum_warning() -> None:
    verdict = evaluate(ctx(held=(held(8),)))
    assert verdict.refusal is None
    assert [w.code for w in verdict.warnings] == [RuleCode.CREDIT_MINIMUM]
    assert verdict.warnings[0].details == {"total_credits": 12, "min_credits": 15}


def test_no_warning_once_the_minimum_is_reached() -> None:
    assert evaluate(ctx(held=(held(11),))).warnings == ()


def test_inactive_student_and_section() -> None:
    assert refusal(ctx(student_active=False)) is RuleCode.STUDENT_INACTIVE
    section = replace(ctx().section, is_active=False)
    assert refusal(ctx(section=section)) is RuleCode.SECTION_INACTIVE


@pytest.mark.parametrize("offset", [timedelta(days=-2), timedelta(days=2)])
def test_window_closed_before_and_after(offset: timedelta) -> None:
    verdict = evaluate(ctx(now=NOW + offset))
    assert verdict.refusal is not None
    assert verdict.refusal.code is RuleCode.WINDOW_CLOSED
    assert "registration_end" in verdict.refusal.details


def test_window_edges_are_open() -> None:
    context = ctx()
    assert refusal(replace(context, now=context.term.registration_start)) is None
    assert refusal(replace(context, now=context.term.registration_end)) is None


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (EnrollmentStatus.ENROLLED, RuleCode.ALREADY_ENROLLED),
        (EnrollmentStatus.WAITLISTED, RuleCode.ALREADY_ENROLLED),
        (EnrollmentStatus.COMPLETED, RuleCode.ALREADY_ENROLLED),
        (EnrollmentStatus.DROPPED, None),
        (EnrollmentStatus.WITHDRAWN, None),
    ],
)
def test_already_enrolled_unless_dropped(
    existing: EnrollmentStatus, expected: RuleCode | None
) -> None:
    verdict = evaluate(ctx(existing_status=existing))
    assert (verdict.refusal.code if verdict.refusal else None) is expected
    if verdict.refusal:
        assert verdict.refusal.message == "Student is already enrolled in this course section"


def test_another_section_of_the_same_course_counts_as_enrolled() -> None:
    context = ctx()
    lab = held(of=context.section.course, section_type="LAB")
    lecture = held(of=context.section.course)
    assert refusal(replace(context, held=(lab,))) is None
    assert refusal(replace(context, held=(lecture,))) is RuleCode.ALREADY_ENROLLED


def test_missing_prerequisites_are_listed() -> None:
    done, missing = course("CS201", "Programming Fundamentals"), course("MA101", "Calculus")
    section = replace(ctx().section, prerequisites=(done, missing))
    verdict = evaluate(ctx(section=section, passed_course_ids=frozenset({done.id})))
    assert verdict.refusal is not None
    assert verdict.refusal.code is RuleCode.PREREQUISITES
    assert verdict.refusal.message == "Prerequisites not met"
    assert verdict.refusal.details == {
        "missing_prerequisites": [{"course_code": "MA101", "course_title": "Calculus"}]
    }
    passed = frozenset({done.id, missing.id})
    assert refusal(ctx(section=section, passed_course_ids=passed)) is None


def test_credit_limit_uses_the_term_then_the_institution() -> None:
    assert refusal(ctx(held=(held(26),))) is None  # 26 + 4 = 30, the term's max
    verdict = evaluate(ctx(held=(held(27),)))
    assert verdict.refusal is not None
    assert verdict.refusal.code is RuleCode.CREDIT_LIMIT
    assert verdict.refusal.details == {
        "current_credits": 27,
        "requested_credits": 4,
        "max_credits": 30,
    }
    no_term_max = replace(ctx().term, max_credits=None)
    assert refusal(ctx(term=no_term_max, held=(held(21),))) is RuleCode.CREDIT_LIMIT


def test_audit_earns_no_credit_and_does_not_count() -> None:
    assert refusal(ctx(held=(held(27),), enrollment_type=EnrollmentType.AUDIT)) is None
    audited = held(27, enrollment_type=EnrollmentType.AUDIT)
    assert refusal(ctx(held=(audited, held(20)))) is None


def test_waitlisted_places_count_towards_the_load() -> None:
    waiting = held(27, status=EnrollmentStatus.WAITLISTED)
    assert refusal(ctx(held=(waiting,))) is RuleCode.CREDIT_LIMIT


def test_credit_minimum_blocks_for_confirmation() -> None:
    violation = credit_minimum(12, 15)
    assert violation is not None
    assert violation.code is RuleCode.CREDIT_MINIMUM
    assert credit_minimum(15, 15) is None


def test_timetable_clash_names_the_other_course() -> None:
    other = held(slots=(Slot("MONDAY", time(10), time(11)),))
    verdict = evaluate(ctx(held=(other,)))
    assert verdict.refusal is not None
    assert verdict.refusal.code is RuleCode.TIMETABLE_CLASH
    assert verdict.refusal.details["clashes_with"] == [
        {"course_code": "CS999", "day": "MONDAY", "start_time": "10:00:00", "end_time": "11:00:00"}
    ]


@pytest.mark.parametrize(
    "slot",
    [
        Slot("MONDAY", time(10, 30), time(12)),  # starts as ours ends
        Slot("MONDAY", time(7), time(9)),  # ends as ours starts
        Slot("TUESDAY", time(9), time(10, 30)),  # another day
    ],
)
def test_no_clash_when_meetings_do_not_overlap(slot: Slot) -> None:
    assert refusal(ctx(held=(held(slots=(slot,)),))) is None


def test_repeat_only_for_a_course_taken_before() -> None:
    context = ctx(enrollment_type=EnrollmentType.REPEAT)
    assert refusal(context) is RuleCode.ENROLLMENT_TYPE
    taken = frozenset({context.section.course.id})
    assert refusal(replace(context, taken_before_course_ids=taken)) is None


def test_overrides_set_aside_only_overridable_rules() -> None:
    section = replace(ctx().section, prerequisites=(course("CS201"),))
    context = ctx(
        section=section,
        now=NOW + timedelta(days=3),
        held=(held(27, slots=(Slot("MONDAY", time(9), time(10)),)),),
    )
    assert refusal(context) is RuleCode.WINDOW_CLOSED
    codes = frozenset(
        {
            RuleCode.WINDOW_CLOSED,
            RuleCode.PREREQUISITES,
            RuleCode.CREDIT_LIMIT,
            RuleCode.TIMETABLE_CLASH,
        }
    )
    verdict = evaluate(context, codes)
    assert verdict.refusal is None
    assert set(verdict.overridden) == codes
    # An inactive student cannot be overridden.
    inactive = evaluate(replace(context, student_active=False), codes | {RuleCode.STUDENT_INACTIVE})
    assert inactive.refusal is not None
    assert inactive.refusal.code is RuleCode.STUDENT_INACTIVE


def test_a_credit_transfer_is_the_registrars_to_record() -> None:
    transfer = ctx(enrollment_type=EnrollmentType.CREDIT_TRANSFER)
    assert refusal(transfer) is RuleCode.ENROLLMENT_TYPE
    assert refusal(replace(transfer, requested_by_staff=True)) is None


def test_a_section_just_dropped_waits_out_the_cooldown() -> None:
    policy = Policy(min_credits=12, max_credits=24, reenroll_cooldown_minutes=15)
    dropped = ctx(
        policy=policy,
        existing_status=EnrollmentStatus.DROPPED,
        existing_dropped_at=NOW - timedelta(minutes=10),
    )
    verdict = evaluate(dropped)
    assert verdict.refusal is not None
    assert verdict.refusal.code is RuleCode.REENROLL_COOLDOWN
    assert verdict.refusal.details == {"retry_after_seconds": 300}
    assert refusal(replace(dropped, existing_dropped_at=NOW - timedelta(minutes=15))) is None
    # A withdrawal (after the drop deadline) and an institution without a cooldown are not held.
    assert refusal(replace(dropped, existing_status=EnrollmentStatus.WITHDRAWN)) is None
    assert refusal(replace(dropped, policy=Policy(min_credits=12, max_credits=24))) is None
    # A registrar may let the student straight back in.
    overridden = evaluate(dropped, frozenset({RuleCode.REENROLL_COOLDOWN}))
    assert (overridden.refusal, overridden.overridden) == (None, (RuleCode.REENROLL_COOLDOWN,))


def test_waitlists_per_term_are_counted_against_the_limit() -> None:
    waiting = tuple(held(3, status=EnrollmentStatus.WAITLISTED) for _ in range(2))
    limited = ctx(
        policy=Policy(min_credits=0, max_credits=30, max_waitlists_per_term=2), held=waiting
    )
    violation = waitlist_allowed(limited)
    assert violation is not None
    assert violation.code is RuleCode.WAITLIST_LIMIT
    assert violation.details == {"waitlists": 2, "max_waitlists": 2}
    assert waitlist_allowed(replace(limited, held=waiting[:1])) is None
    no_limit = Policy(min_credits=0, max_credits=30, max_waitlists_per_term=None)
    assert waitlist_allowed(replace(limited, policy=no_limit)) is None
    # A seat held is not a waitlist place.
    assert waitlist_allowed(replace(limited, held=(held(3), held(3)))) is None


def test_an_active_hold_refuses_first_naming_only_its_types() -> None:
    held_up = ctx(hold_types=("FINANCIAL", "ACADEMIC"))
    verdict = evaluate(held_up)
    assert verdict.refusal is not None
    assert verdict.refusal.code is RuleCode.HOLD
    assert verdict.refusal.message == "Registration blocked by a hold"
    assert verdict.refusal.details == {"holds": [{"type": "FINANCIAL"}, {"type": "ACADEMIC"}]}
    assert refusal(ctx()) is None
    # A registrar may set it aside with a reason, like the other overridable rules.
    assert evaluate(held_up, frozenset({RuleCode.HOLD})).refusal is None


@pytest.mark.parametrize(
    ("kind", "improvement", "refused"),
    [
        (EnrollmentType.REGULAR, False, True),
        (EnrollmentType.REGULAR, True, True),
        (EnrollmentType.REPEAT, False, True),
        (EnrollmentType.REPEAT, True, False),
        (EnrollmentType.AUDIT, False, False),
    ],
)
def test_a_passed_course_is_repeated_only_to_improve_where_allowed(
    kind: EnrollmentType, improvement: bool, refused: bool
) -> None:
    base = ctx()
    course_id = base.section.course.id
    context = replace(
        base,
        enrollment_type=kind,
        passed_course_ids=frozenset({course_id}),
        taken_before_course_ids=frozenset({course_id}),
        policy=replace(base.policy, allow_grade_improvement=improvement),
    )
    verdict = evaluate(context)
    assert (
        verdict.refusal is not None and verdict.refusal.code is RuleCode.ALREADY_PASSED
    ) is refused
    # A course failed before may always be taken again.
    failed = replace(context, passed_course_ids=frozenset())
    assert refusal(failed) is not RuleCode.ALREADY_PASSED


def test_explain_answers_for_every_blocking_rule_not_only_the_first() -> None:
    context = ctx(student_active=False, hold_types=("ACADEMIC",))
    checks = explain(context)
    assert [c.rule for c in checks][:2] == [RuleCode.STUDENT_INACTIVE, RuleCode.HOLD]
    failed = {c.rule for c in checks if not c.passed}
    assert failed == {RuleCode.STUDENT_INACTIVE, RuleCode.HOLD}
    overridden = explain(context, frozenset({RuleCode.HOLD}))
    assert [c.overridden for c in overridden if c.rule is RuleCode.HOLD] == [True]
