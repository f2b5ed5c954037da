"""University enrollments: completed semesters with grades, and the current term's courses.

Each batch draws from a random stream of its own, so its records come out the same whether
they are computed while planning (the nearly full elective) or while writing.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from registrar.academics.models import TermKind
from registrar.demo.catalog import CourseSpec
from registrar.demo.cohorts import FLAGSHIP_ROLL, BatchPlan, StudentPlan
from registrar.demo.common import Ids, at, stream
from registrar.demo.university import CURRENT_YEAR, Campus
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.institutions import grading
from registrar.kit.bulk import Row

SCALE = grading.scale_of(grading.TEN_POINT_SCALE)
# Grade, points and pass for each whole mark 0-100, looked up (the loader grades ~400,000 times).
_BY_MARK = [
    (grade, SCALE.points_for(grade), SCALE.is_passing(grade))
    for grade in (SCALE.grade_for_percent(Decimal(mark)) for mark in range(101))
]
# Marks: mean 62, one standard deviation of ability moves 12 points; about 8% fail a course.
MEAN_MARK = 62.0
ABILITY_WEIGHT = 12.0
MARK_NOISE = 10.0
LAB_BONUS = 6.0
FLAGSHIP_FLOOR = 62.0  # 22CS001 passes everything, so every seed example works for them


@dataclass
class BatchRecords:
    """A batch's completed enrollments and what each student has passed."""

    rows: list[Row] = field(default_factory=list)
    passed: dict[uuid.UUID, set[str]] = field(default_factory=dict)


def eligible(spec: CourseSpec, passed: set[str]) -> bool:
    """Whether a student has passed every prerequisite of a course."""
    return all(code in passed for code in spec.prerequisites)


def enrollment_row(
    ids: Ids,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    section_id: uuid.UUID,
    *,
    status: EnrollmentStatus,
    on: date,
    enrolled_at: datetime,
    grade: str | None = None,
    grade_points: Decimal | None = None,
    attendance: Decimal | None = None,
    completed_at: datetime | None = None,
    notes: str = "",
) -> Row:
    """One enrollment row with every column the demo writes."""
    return {
        "id": ids.new(),
        "institution_id": institution_id,
        "student_id": student_id,
        "section_id": section_id,
        "status": status.value,
        "enrollment_type": EnrollmentType.REGULAR.value,
        "enrollment_date": on,
        "grade": grade,
        "grade_points": grade_points,
        "attendance_percentage": attendance,
        "waitlist_position": None,
        "notes": notes,
        "drop_reason": None,
        "enrolled_at": enrolled_at,
        "waitlisted_at": None,
        "dropped_at": None,
        "completed_at": completed_at,
    }


def past_records(campus: Campus, batch: BatchPlan) -> BatchRecords:
    """Every semester the batch has finished: the core courses and one elective each, graded."""
    rng = stream(campus.seed, f"history:{batch.code}")
    ids = Ids(campus.seed, f"history:{batch.code}")
    records = BatchRecords()
    for student in batch.students:
        passed: set[str] = set()
        records.passed[student.id] = passed
        for semester in range(1, batch.semester):
            term = campus.term(batch.admission, semester)
            started, finished = at(term["start_date"]), at(term["end_date"], 17)
            specs = campus.semester_courses(batch.program, semester)
            electives = [spec for spec in specs if not spec.is_core]
            taken = [spec for spec in specs if spec.is_core]
            if electives:
                open_to = [spec for spec in electives if eligible(spec, passed)] or electives
                taken.append(rng.choice(open_to))
            newly_passed = []
            for spec in taken:
                floor = FLAGSHIP_FLOOR if student.roll_number == FLAGSHIP_ROLL else 0.0
                grade, points, passing, attendance = _mark(rng, student, spec, floor)
                if passing:
                    newly_passed.append(spec.code)
                records.rows.append(
                    enrollment_row(
                        ids,
                        campus.institution_id,
                        student.id,
                        batch.past_sections[(semester, spec.code)],
                        status=EnrollmentStatus.COMPLETED,
                        on=term["start_date"],
                        enrolled_at=started,
                        grade=grade,
                        grade_points=points,
                        attendance=attendance,
                        completed_at=finished,
                    )
                )
            # A semester's results count only once it is over.
            passed.update(newly_passed)
    return records


def _mark(
    rng: random.Random, student: StudentPlan, spec: CourseSpec, floor: float
) -> tuple[str, Decimal, bool, Decimal]:
    """Grade, grade points, whether it passes, and attendance for one completed course."""
    percent = MEAN_MARK + ABILITY_WEIGHT * student.ability + rng.gauss(0.0, MARK_NOISE)
    if spec.is_lab:
        percent += LAB_BONUS
    grade, points, passing = _BY_MARK[round(min(100.0, max(floor, percent, 0.0)))]
    assert points is not None
    attendance = min(100.0, max(45.0, 80.0 + 6.0 * student.ability + rng.gauss(0.0, 6.0)))
    return grade, points, passing, Decimal(str(round(attendance, 1)))


def current_rows(campus: Campus, batch: BatchPlan) -> list[Row]:
    """This term: every active student in the core courses; a few already in one elective."""
    rng = stream(campus.seed, f"current:{batch.code}")
    ids = Ids(campus.seed, f"current:{batch.code}")
    term = campus.terms[(CURRENT_YEAR, TermKind.ODD)]
    opened: datetime = term["registration_start"]
    rows: list[Row] = []
    core = [spec for spec in campus.semester_courses(batch.program, batch.semester) if spec.is_core]
    for student in batch.students:
        if not student.active:
            continue
        for spec in core:
            attendance = min(100.0, max(50.0, 84.0 + 5.0 * student.ability + rng.gauss(0.0, 5.0)))
            rows.append(
                enrollment_row(
                    ids,
                    campus.institution_id,
                    student.id,
                    batch.current_sections[spec.code],
                    status=EnrollmentStatus.ENROLLED,
                    on=opened.date(),
                    enrolled_at=opened + timedelta(hours=1),
                    attendance=Decimal(str(round(attendance, 1))),
                    notes="Batch enrollment",
                )
            )
    if batch.nearly_full is not None:
        code, students = batch.nearly_full
        for student_id in students:
            rows.append(
                enrollment_row(
                    ids,
                    campus.institution_id,
                    student_id,
                    batch.current_sections[code],
                    status=EnrollmentStatus.ENROLLED,
                    on=opened.date(),
                    enrolled_at=opened + timedelta(days=1),
                    notes="Elective course selection",
                )
            )
    return rows


def stream_enrollments(campus: Campus, batches: list[BatchPlan]) -> Iterator[list[Row]]:
    """Every batch's enrollments, one batch at a time (bounded memory at 20,000 students)."""
    for batch in batches:
        yield past_records(campus, batch).rows
        yield current_rows(campus, batch)


def expected_enrollments(campus: Campus, batches: list[BatchPlan]) -> int:
    """How many enrollment rows `stream_enrollments` yields (for the progress bar)."""
    total = 0
    for batch in batches:
        per_student = 0
        for semester in range(1, batch.semester):
            specs = campus.semester_courses(batch.program, semester)
            per_student += sum(spec.is_core for spec in specs)
            per_student += any(not spec.is_core for spec in specs)
        core_now = sum(s.is_core for s in campus.semester_courses(batch.program, batch.semester))
        active = sum(student.active for student in batch.students)
        total += per_student * len(batch.students) + core_now * active
        if batch.nearly_full is not None:
            total += len(batch.nearly_full[1])
    return total
