"""The academic record computed from rows: GPA on the institution's scale, credits, attendance."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from registrar.academics.models import Course
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.institutions import grading
from registrar.records import service
from registrar.records.models import PrerequisiteState, RecordRow

TEN = grading.scale_of(grading.TEN_POINT_SCALE)
FOUR = grading.scale_of(grading.FOUR_POINT_SCALE)
PERCENT = grading.scale_of([])


def row(
    course_id: uuid.UUID | None = None,
    *,
    credits: int = 4,
    status: EnrollmentStatus = EnrollmentStatus.COMPLETED,
    kind: EnrollmentType = EnrollmentType.REGULAR,
    grade: str | None = None,
    points: str | None = None,
    attendance: str | None = None,
    term_start: date = date(2024, 1, 1),
) -> RecordRow:
    return RecordRow(
        course_id=course_id or uuid.uuid4(),
        credits=credits,
        status=status,
        enrollment_type=kind,
        grade=grade,
        grade_points=Decimal(points) if points is not None else None,
        attendance_percentage=Decimal(attendance) if attendance is not None else None,
        term_start=term_start,
    )


def test_gpa_is_credit_weighted_on_the_institutions_scale() -> None:
    rows = [row(grade="O", credits=4), row(grade="B", credits=2)]

    # 10-point: O = 10, B = 6 -> (40 + 12) / 6
    assert service.cumulative_gpa(rows, TEN) == Decimal("8.67")
    # The same letters mean other points elsewhere; an unknown letter falls back to the
    # recorded points (here none), so only B counts on the 4-point scale.
    assert service.cumulative_gpa(rows, FOUR) == Decimal("3.00")


def test_the_scale_wins_over_recorded_points_and_recorded_points_fill_gaps() -> None:
    assert service.cumulative_gpa([row(grade="A", points="9.9")], FOUR) == Decimal("4.00")
    assert service.cumulative_gpa([row(grade="X", points="2.5")], FOUR) == Decimal("2.50")
    assert service.cumulative_gpa([row(grade="87")], PERCENT) == Decimal("87.00")


def test_only_completed_graded_credit_bearing_latest_attempts_count() -> None:
    repeated = uuid.uuid4()
    rows = [
        row(repeated, grade="F", term_start=date(2023, 1, 1)),
        row(repeated, grade="A", term_start=date(2024, 1, 1)),  # the repeat replaces the F
        row(grade="C", kind=EnrollmentType.AUDIT),  # an audit earns nothing
        row(grade="C", status=EnrollmentStatus.ENROLLED),  # not finished
        row(grade=None),  # not graded yet
        row(grade="B", credits=0),  # no weight
    ]

    assert service.cumulative_gpa(rows, FOUR) == Decimal("4.00")
    assert service.cumulative_gpa([], FOUR) is None
    assert service.cumulative_gpa([row(grade=None)], FOUR) is None


def test_summary_of_the_listed_rows() -> None:
    listed = [
        row(status=EnrollmentStatus.ENROLLED, credits=4, attendance="95.5"),
        row(status=EnrollmentStatus.ENROLLED, credits=3, kind=EnrollmentType.AUDIT),
        row(status=EnrollmentStatus.COMPLETED, credits=2, grade="A", attendance="92.9"),
        row(status=EnrollmentStatus.WAITLISTED, credits=3),
    ]
    history = [row(grade="A", credits=4), row(grade="B", credits=2)]

    summary = service.summarize(listed, history, FOUR)

    assert summary.total_courses == 4
    assert summary.total_credits == 4 + 2 + 3
    assert summary.enrolled_credits == 4
    assert summary.completed_courses == 1
    assert summary.current_gpa == Decimal("3.67")
    assert summary.attendance_average == Decimal("94.2")
    assert service.attendance_average([row()]) is None


def _course(code: str) -> Course:
    return Course(id=uuid.uuid4(), code=code, title=f"Course {code}", credits=4)


def test_prerequisite_status_uses_the_latest_attempt_and_the_passing_grades() -> None:
    passed, failed, retaken, never = (_course(c) for c in ("CS201", "CS202", "CS203", "CS204"))
    completed = [
        row(passed.id, grade="B"),
        row(failed.id, grade="F"),
        row(retaken.id, grade="F", term_start=date(2023, 1, 1)),
        row(retaken.id, grade="C", term_start=date(2024, 1, 1)),
    ]

    statuses = service.prerequisite_status([never, retaken, failed, passed], completed, TEN)

    assert [(s.course_code, s.status, s.grade) for s in statuses] == [
        ("CS201", PrerequisiteState.COMPLETED, "B"),
        ("CS202", PrerequisiteState.PENDING, "F"),
        ("CS203", PrerequisiteState.COMPLETED, "C"),
        ("CS204", PrerequisiteState.PENDING, None),
    ]
    # Passed once, then failed a retake for a better grade: still passed, as the engine holds.
    improved = service.prerequisite_status(
        [retaken],
        [
            row(retaken.id, grade="C", term_start=date(2023, 1, 1)),
            row(retaken.id, grade="F", term_start=date(2024, 1, 1)),
        ],
        TEN,
    )
    assert [(s.status, s.grade) for s in improved] == [(PrerequisiteState.COMPLETED, "C")]
    marks = service.prerequisite_status(
        [passed, failed], [row(passed.id, grade="80"), row(failed.id, grade="74")], PERCENT
    )
    assert [s.status for s in marks] == [PrerequisiteState.COMPLETED, PrerequisiteState.PENDING]


def test_the_best_attempt_counts_where_improvement_is_allowed_else_the_latest() -> None:
    course = uuid.uuid4()
    first = row(course, grade="A", term_start=date(2023, 1, 1))  # 8 on the ten-point scale
    retake = row(course, grade="B", kind=EnrollmentType.REPEAT, term_start=date(2024, 1, 1))
    attempts = [first, retake]
    assert service.counted_attempts(attempts, TEN, best=False)[course] is retake
    assert service.counted_attempts(attempts, TEN, best=True)[course] is first
    assert service.cumulative_gpa(attempts, TEN) == Decimal("6.00")
    assert service.cumulative_gpa(attempts, TEN, best=True) == Decimal("8.00")
