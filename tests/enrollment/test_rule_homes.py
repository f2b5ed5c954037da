"""The rules several domains share, each pinned at its one home, with the callers that must
agree on it. No database: every home is a pure function.

- credits that count: `enrollment.rules.counted_credits`
- the term's credit limit, else the institution's: `enrollment.rules.credit_limit`
- passed: `institutions.grading.GradeScale.is_passing` (with `mark_of`)
- prerequisites met: `enrollment.rules.passed_courses` and `unmet_prerequisites`
- the batch is full: `students.placement.overfills`
- who acts, and the student behind a login: `auth.actor.actor_of` and `student_id_of`
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from registrar.auth.actor import SYSTEM, Actor, actor_of, student_id_of
from registrar.auth.models import Role, User
from registrar.auth.principal import InstitutionRef, Principal, UserRef
from registrar.enrollment import context, engine, rules
from registrar.enrollment.catalog import CatalogSection, InstitutionPolicy
from registrar.enrollment.continuing.records import Period
from registrar.enrollment.continuing.repository import AttemptRow
from registrar.enrollment.continuing.standing import (
    LevelRules,
    Prerequisite,
    prerequisite_refusal,
)
from registrar.enrollment.facts import (
    CourseRef,
    EnrollmentContext,
    EnrollmentStatus,
    EnrollmentType,
    HeldEnrollment,
    Policy,
    SectionFacts,
    TermFacts,
)
from registrar.errors import NotFound
from registrar.institutions import grading
from registrar.institutions.models import EducationLevel, InstitutionKind
from registrar.records import service as records
from registrar.records.models import PrerequisiteState, RecordRow
from registrar.students.placement import overfills

NOW = datetime(2024, 7, 15, 10, 0, tzinfo=UTC)
TEN = grading.scale_of(grading.TEN_POINT_SCALE)
PERCENT = grading.scale_of([])
REGULAR, AUDIT = EnrollmentType.REGULAR, EnrollmentType.AUDIT
COMPLETED = EnrollmentStatus.COMPLETED


def course(code: str) -> CourseRef:
    return CourseRef(id=uuid.uuid4(), code=code, title=f"Course {code}")


def section(
    credits: int = 4, prerequisites: tuple[CourseRef, ...] = (), term: TermFacts | None = None
) -> CatalogSection:
    return CatalogSection(
        facts=SectionFacts(
            id=uuid.uuid4(),
            course=course("CS302"),
            credits=credits,
            section_type="LECTURE",
            is_active=True,
            prerequisites=prerequisites,
        ),
        code="A",
        term_id=uuid.uuid4(),
        term=term or TermFacts(NOW - timedelta(days=1), NOW + timedelta(days=1), None, None),
        drop_deadline=None,
    )


def ctx(target: CatalogSection, **changes: object) -> EnrollmentContext:
    base = EnrollmentContext(
        student_active=True,
        section=target.facts,
        term=target.term,
        policy=Policy(min_credits=12, max_credits=24),
        now=NOW,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def held(credits: int, kind: EnrollmentType) -> HeldEnrollment:
    return HeldEnrollment(
        section_id=uuid.uuid4(),
        course=course("OTHER"),
        section_type="LECTURE",
        credits=credits,
        status=EnrollmentStatus.ENROLLED,
        enrollment_type=kind,
    )


def record(
    course_id: uuid.UUID,
    grade: str | None,
    points: str | None = None,
    *,
    credits: int = 4,
    kind: EnrollmentType = REGULAR,
    status: EnrollmentStatus = COMPLETED,
    year: int = 2024,
) -> RecordRow:
    return RecordRow(
        course_id=course_id,
        credits=credits,
        status=status,
        enrollment_type=kind,
        grade=grade,
        grade_points=Decimal(points) if points is not None else None,
        attendance_percentage=None,
        term_start=date(year, 1, 1),
    )


# --- credits that count ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "counted"),
    [
        (EnrollmentType.REGULAR, 4),
        (EnrollmentType.REPEAT, 4),
        (EnrollmentType.CREDIT_TRANSFER, 4),
        (EnrollmentType.AUDIT, 0),
    ],
)
def test_audit_earns_no_credit(kind: EnrollmentType, counted: int) -> None:
    assert rules.counted_credits(4, kind) == counted


def test_the_engine_and_the_record_count_the_same_credits() -> None:
    target = section(credits=3)
    load = ctx(target, held=(held(4, AUDIT), held(3, REGULAR)), enrollment_type=AUDIT)
    assert rules.current_credits(load) == 3
    assert rules.requested_credits(load) == 0
    assert rules.requested_credits(replace(load, enrollment_type=REGULAR)) == 3

    listed = [
        record(uuid.uuid4(), None, status=EnrollmentStatus.ENROLLED, credits=4, kind=AUDIT),
        record(uuid.uuid4(), None, status=EnrollmentStatus.ENROLLED, credits=3),
    ]
    assert [records.earned_credits(row) for row in listed] == [0, 3]
    summary = records.summarize(listed, [], TEN)
    assert (summary.total_credits, summary.enrolled_credits) == (3, 3)


def test_an_audited_course_weighs_nothing_in_the_gpa() -> None:
    audited = record(uuid.uuid4(), "O", kind=AUDIT)
    taken = record(uuid.uuid4(), "C")
    assert records.cumulative_gpa([audited, taken], TEN) == Decimal("5.00")
    assert records.cumulative_gpa([audited], TEN) is None


# --- the term's credit limit, else the institution's ----------------------------------------


@pytest.mark.parametrize(("term", "expected"), [(None, 24), (18, 18), (0, 0)])
def test_the_terms_credit_limit_else_the_institutions(term: int | None, expected: int) -> None:
    assert rules.credit_limit(term, 24) == expected


def test_the_engine_and_the_portal_read_the_same_limits() -> None:
    from registrar.portal.student_portal.available import _guidelines

    window = TermFacts(NOW - timedelta(days=1), NOW + timedelta(days=1), 0, None)
    target = section(term=window)
    assert (rules.min_credits(ctx(target)), rules.max_credits(ctx(target))) == (0, 24)

    institution = InstitutionRef(
        id=uuid.uuid4(),
        tag="t",
        name="T",
        kind=InstitutionKind.UNIVERSITY,
        grade_scale=(),
        gpa_scale_max=Decimal(10),
        passing_grade_points=Decimal(5),
        min_credits=12,
        max_credits=24,
        default_waitlist_limit=10,
    )
    term_row = SimpleNamespace(min_credits=0, max_credits=None, registration_end=NOW)
    shown = _guidelines(term_row, institution)  # type: ignore[arg-type]
    assert (shown.min_credits_per_semester, shown.max_credits_per_semester) == (0, 24)
    none = _guidelines(None, institution)
    assert (none.min_credits_per_semester, none.max_credits_per_semester) == (12, 24)


# --- passed ------------------------------------------------------------------------------------


def test_on_a_letter_scale_the_letter_decides() -> None:
    assert TEN.is_passing("C", Decimal(0))
    assert not TEN.is_passing("F", Decimal(10))
    assert not TEN.is_passing("Z", Decimal(10))  # a letter the scale does not know
    assert not TEN.is_passing(None, Decimal(10))  # ungraded


def test_on_a_percentage_scale_the_mark_must_reach_the_scales_passing_mark() -> None:
    assert PERCENT.is_passing("75")
    assert not PERCENT.is_passing("74")
    # The grade's own mark first; the recorded points only when the grade is not a mark.
    assert PERCENT.mark_of("70", Decimal(80)) == Decimal(70)
    assert not PERCENT.is_passing("70", Decimal(80))
    assert PERCENT.mark_of("INC", Decimal(80)) == Decimal(80)
    assert PERCENT.is_passing("INC", Decimal(80))
    # K-12 levels set their own passing mark: the same rule, another threshold.
    level = grading.GradeScale(entries=[], percent_passing_mark=Decimal(60))
    assert level.is_passing("65")
    assert not PERCENT.is_passing("65")


def _level(passing_mark: int) -> LevelRules:
    return LevelRules(
        level=EducationLevel.ELEMENTARY,
        min_grade=1,
        max_grade=6,
        semester_based=False,
        min_gpa=None,
        max_failed=0,
        failed_period="YEAR",
        min_units=None,
        max_units=None,
        section_capacity=40,
        strict_prerequisites=True,
        track_strand_required=False,
        min_attendance=None,
        passing_mark=Decimal(passing_mark),
    )


def _attempt(course_id: uuid.UUID, grade: str, points: str | None) -> AttemptRow:
    return AttemptRow(
        course_id=course_id,
        course_code="MATH1",
        is_core=True,
        credits=1,
        course_grade_level=1,
        grade=grade,
        grade_points=Decimal(points) if points is not None else None,
        attendance=None,
        enrollment_type=REGULAR,
        notes="",
        term_id=uuid.uuid4(),
        term_code="SY2023",
        term_start=date(2023, 6, 1),
        year_id=uuid.uuid4(),
        completed_at=None,
    )


@pytest.mark.parametrize(
    ("grade", "points", "passed"),
    [("80", "80", True), ("74", "74", False), ("INC", "80", True), ("INC", None, False)],
)
def test_the_engine_the_record_and_k12_judge_an_attempt_alike(
    grade: str, points: str | None, passed: bool
) -> None:
    prerequisite = course("MATH1")
    target = section(prerequisites=(prerequisite,))
    row = SimpleNamespace(
        id=uuid.uuid4(),
        section_id=uuid.uuid4(),
        status=COMPLETED,
        enrollment_type=REGULAR,
        grade=grade,
        grade_points=Decimal(points) if points is not None else None,
        term_id=uuid.uuid4(),
        course_id=prerequisite.id,
    )
    built = context.build(
        student_status_active=True,
        section=target,
        institution=InstitutionPolicy(Policy(12, 24), PERCENT),
        rows=[row],
        held={},
        existing=None,
        enrollment_type=REGULAR,
        requested_by_staff=False,
        now=NOW,
    )
    assert (prerequisite.id in built.passed_course_ids) is passed

    ref = SimpleNamespace(id=prerequisite.id, code="MATH1", title="Math")
    status = records.prerequisite_status([ref], [record(prerequisite.id, grade, points)], PERCENT)  # type: ignore[list-item]
    assert (status[0].status is PrerequisiteState.COMPLETED) is passed

    period = Period([_attempt(prerequisite.id, grade, points)], [], True, [])
    assert period.judged(_level(75)).regular[0].passed is passed


# --- prerequisites met --------------------------------------------------------------------------


def test_a_pass_stays_a_pass() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    assert rules.passed_courses([(a, False), (a, True), (b, False), (a, False)]) == {a}
    assert rules.unmet_prerequisites([a, b], {a}, lambda course_id: course_id) == [b]


def test_the_engine_the_record_and_k12_agree_on_prerequisites() -> None:
    math, physics = course("MATH1"), course("PHYS1")
    attempts = [
        record(math.id, "A", year=2022),
        record(math.id, "F", year=2023),  # a failed retake for a better grade
        record(physics.id, "F", year=2023),
    ]
    passed = rules.passed_courses((r.course_id, records.passed(r, TEN)) for r in attempts)

    target = section(prerequisites=(math, physics))
    violation = rules.prerequisites_met(ctx(target, passed_course_ids=passed))
    assert violation is not None
    assert violation.details["missing_prerequisites"] == [
        {"course_code": "PHYS1", "course_title": "Course PHYS1"}
    ]

    shown = records.prerequisite_status([math, physics], attempts, TEN)  # type: ignore[list-item]
    assert [p.status for p in shown] == [PrerequisiteState.COMPLETED, PrerequisiteState.PENDING]

    refusal = prerequisite_refusal(
        "CS302", [Prerequisite(math.id, "MATH1"), Prerequisite(physics.id, "PHYS1")], passed
    )
    assert refusal is not None
    assert refusal.details["missingPrerequisites"] == ["PHYS1"]


# --- the batch is full --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("active", "incoming", "full"),
    [(29, 1, False), (30, 1, True), (27, 3, False), (28, 3, True), (31, 0, False)],
)
def test_a_batch_is_full_when_the_newcomers_would_pass_its_capacity(
    active: int, incoming: int, full: bool
) -> None:
    assert overfills(30, active, incoming) is full


# --- who acts ---------------------------------------------------------------------------------


def _principal(role: Role, student_id: uuid.UUID | None) -> Principal:
    user_id, institution_id = uuid.uuid4(), uuid.uuid4()
    return Principal(
        user=UserRef(user_id, institution_id, "u", role, "U", None),
        institution=InstitutionRef(
            id=institution_id,
            tag="t",
            name="T",
            kind=InstitutionKind.UNIVERSITY,
            grade_scale=(),
            gpa_scale_max=Decimal(10),
            passing_grade_points=Decimal(5),
            min_credits=12,
            max_credits=24,
            default_waitlist_limit=10,
        ),
        student_id=student_id,
    )


def test_an_actor_is_the_login_or_the_user_named_to_act() -> None:
    login = _principal(Role.STUDENT, uuid.uuid4())
    assert actor_of(login) == Actor(user_id=login.user.id, role=Role.STUDENT)
    clerk = User(id=uuid.uuid4(), role=Role.REGISTRAR)
    assert actor_of(clerk) == Actor(user_id=clerk.id, role=Role.REGISTRAR)
    assert Actor(user_id=None, role=None) == SYSTEM
    # The engine's names are these, not copies.
    assert engine.Actor is Actor
    assert engine.SYSTEM is SYSTEM


def test_the_student_behind_a_login() -> None:
    student_id = uuid.uuid4()
    assert student_id_of(_principal(Role.STUDENT, student_id)) == student_id
    with pytest.raises(NotFound, match="Student not found"):
        student_id_of(_principal(Role.STUDENT, None))


# --- one lock order for students ----------------------------------------------------------------


def test_students_are_locked_by_id_and_may_be_handed_out_in_another_order() -> None:
    from sqlalchemy import select
    from sqlalchemy.engine import make_url

    from registrar.students.locking import in_lock_order
    from registrar.students.models import Student

    dialect = make_url("postgresql://").get_dialect()()
    locked = in_lock_order(select(Student.id, Student.roll_number), key_share=True)
    sql = " ".join(str(locked.compile(dialect=dialect)).split())
    assert sql.endswith("ORDER BY students.id FOR NO KEY UPDATE")
    inner = in_lock_order(select(Student.id, Student.roll_number)).subquery()
    outer = select(*inner.c).order_by(inner.c.roll_number)
    sql = " ".join(str(outer.compile(dialect=dialect)).split())
    assert "ORDER BY students.id FOR UPDATE) AS anon_1 ORDER BY anon_1.roll_number" in sql


def test_a_shared_history_gives_each_section_the_context_of_its_own() -> None:
    """The available page builds each section's context from one `History` of the rows; every
    context must be the one the engine builds for that section alone."""
    first, second, held_there = section(), section(), section()
    term = first.term_id
    second, held_there = replace(second, term_id=term), replace(held_there, term_id=term)

    def row(target: CatalogSection, status: EnrollmentStatus, grade: str | None) -> object:
        return SimpleNamespace(
            id=uuid.uuid4(),
            section_id=target.facts.id,
            status=status,
            enrollment_type=REGULAR,
            grade=grade,
            grade_points=None,
            term_id=target.term_id,
            course_id=target.facts.course.id,
            dropped_at=None,
        )

    earlier = section()
    rows = [
        row(first, COMPLETED, "40"),  # an attempt in this very section: not "taken before" it
        row(earlier, COMPLETED, "80"),
        row(held_there, EnrollmentStatus.ENROLLED, None),
    ]
    known = {s.facts.id: s for s in (first, second, held_there, earlier)}
    institution = InstitutionPolicy(Policy(12, 24), PERCENT)
    history = context.History.of(rows, known, institution.scale)

    def built(target: CatalogSection, shared: context.History | None) -> EnrollmentContext:
        return context.build(
            student_status_active=True,
            section=target,
            institution=institution,
            rows=rows,
            held=known,
            existing=None,
            enrollment_type=REGULAR,
            requested_by_staff=False,
            now=NOW,
            history=shared,
        )

    for target in (first, second):
        assert built(target, history) == built(target, None)
    alone = built(first, None)
    assert alone.taken_before_course_ids == {earlier.facts.course.id}
    assert built(second, history).taken_before_course_ids == {
        first.facts.course.id,
        earlier.facts.course.id,
    }
    assert alone.passed_course_ids == {earlier.facts.course.id}
    assert [h.section_id for h in alone.held] == [held_there.facts.id]
