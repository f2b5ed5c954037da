"""Courses assigned to whole batches, and the auto-enrollment of the batch's students."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear, Course, CourseSection
from registrar.academics.service import common
from registrar.auth.actor import Actor, actor_of
from registrar.auth.principal import Principal
from registrar.enrollment import engine
from registrar.enrollment.batch_courses import repository as repo
from registrar.enrollment.batch_courses.schemas import (
    AssignResult,
    BatchCourseCreate,
    batch_course_read,
    summarize,
)
from registrar.enrollment.engine import EnrollmentRefused, RuleCode
from registrar.enrollment.models import AssignmentType, BatchCourse, EnrollmentStatus
from registrar.errors import Conflict, NotFound, ValidationFailed
from registrar.kit.columns import utcnow
from registrar.kit.pagination import PageParams, paginate
from registrar.students.models import StudentBatch
from registrar.students.schemas import Outcome, StudentOutcome

ENTITY = "batch_course"
# The registrar who assigns a course enrolls the batch outside the students' own window;
# every other rule (prerequisites, credits, clashes, seats) still applies to each student.
_OVERRIDES = frozenset({RuleCode.WINDOW_CLOSED})


def get_batch(session: Session, principal: Principal, batch_id: uuid.UUID) -> StudentBatch:
    """The batch named in the path, or 404."""
    return common.get_or_404(session, StudentBatch, principal, batch_id, "Batch")


def list_batch_courses(
    session: Session,
    principal: Principal,
    batch_id: uuid.UUID,
    params: PageParams,
    filters: dict[str, Any],
) -> tuple[list[BatchCourse], int]:
    """One page of the batch's courses; `filters` maps a column name to a value."""
    get_batch(session, principal, batch_id)
    statement = repo.batch_courses(common.institution_of(principal), batch_id, filters)
    return paginate(session, statement, params)


def get_batch_course(
    session: Session,
    principal: Principal,
    batch_id: uuid.UUID,
    batch_course_id: uuid.UUID,
    *,
    for_update: bool = False,
) -> BatchCourse:
    """One course of the batch, or 404."""
    get_batch(session, principal, batch_id)
    row = repo.batch_course(
        session, common.institution_of(principal), batch_id, batch_course_id, for_update=for_update
    )
    if row is None:
        raise NotFound("Batch course not found")
    return row


def enroll_one(
    session: Session,
    *,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    roll_number: str,
    section_id: uuid.UUID,
    section_code: str,
    course_code: str,
    batch_code: str,
    batch_course_id: uuid.UUID,
    actor: Actor,
) -> StudentOutcome:
    """Enroll one student through the engine, the enrollment linked to the batch course that
    asked for it; a refusal leaves nothing behind to undo.

    No savepoint per student: on PostgreSQL each writing subtransaction holds a lock until the
    outer commit, and a batch of thousands would exhaust the lock table.
    """
    base = {
        "student_id": student_id,
        "roll_number": roll_number,
        "course_code": course_code,
        "section_code": section_code,
    }
    try:
        result = engine.enroll(
            session,
            institution_id=institution_id,
            student_id=student_id,
            section_id=section_id,
            actor=actor,
            notes=f"Batch course {course_code} of {batch_code}",
            overrides=_OVERRIDES,
            override_reason=f"Assigned to batch {batch_code}",
            batch_course_id=batch_course_id,
        )
    except EnrollmentRefused as refused:
        # A student already in the section keeps the place as it is: their own stays theirs.
        already = refused.violation.code is RuleCode.ALREADY_ENROLLED
        return StudentOutcome(
            **base,
            outcome=Outcome.ALREADY_ENROLLED if already else Outcome.REFUSED,
            reason=refused.message,
            code=refused.violation.code.value,
        )
    enrollment = result.enrollment
    if enrollment.status is EnrollmentStatus.WAITLISTED:
        return StudentOutcome(
            **base,
            outcome=Outcome.WAITLISTED,
            waitlist_position=enrollment.waitlist_position,
            reason="Course section is full; placed on the waitlist",
        )
    return StudentOutcome(**base, outcome=Outcome.ENROLLED)


def _resolve_year(session: Session, principal: Principal, data: BatchCourseCreate) -> AcademicYear:
    institution_id = common.institution_of(principal)
    by_code = (
        repo.year_by_code(session, institution_id, data.academic_year)
        if data.academic_year
        else None
    )
    if data.academic_year and by_code is None:
        raise ValidationFailed(
            f"Academic year {data.academic_year} not found", details={"field": "academic_year"}
        )
    by_id = common.reference(
        session, AcademicYear, principal, data.academic_year_id, "Academic year", "academic_year_id"
    )
    if by_code is not None and by_id is not None and by_code.id != by_id.id:
        raise ValidationFailed("academic_year and academic_year_id name different years")
    year = by_code or by_id
    assert year is not None  # the schema requires one of them
    return year


def _resolve_section(
    session: Session,
    principal: Principal,
    data: BatchCourseCreate,
    course: Course,
    year: AcademicYear,
) -> CourseSection | None:
    section = common.reference(
        session, CourseSection, principal, data.section_id, "Course section", "section_id"
    )
    if section is None:
        return None
    if section.course_id != course.id:
        raise ValidationFailed(
            f"Section {section.code} is not a section of {course.code}",
            details={"field": "section_id"},
        )
    if not repo.section_in_year(session, section.id, year.id):
        raise ValidationFailed(
            f"Section {section.code} is not offered in {year.code}", details={"field": "section_id"}
        )
    return section


def assign_course(
    session: Session, principal: Principal, batch_id: uuid.UUID, data: BatchCourseCreate
) -> AssignResult:
    """Assign a course to a batch; a MANDATORY one enrolls the batch's active students now."""
    batch = get_batch(session, principal, batch_id)
    institution_id = common.institution_of(principal)
    course = _active_course(session, principal, data)
    year = _resolve_year(session, principal, data)
    section = _resolve_section(session, principal, data, course, year)
    assigned = (
        f"Course {course.code} is already assigned to batch {batch.code} for {year.code} "
        f"semester {data.semester}"
    )
    taken = repo.already_assigned(session, batch.id, course.id, year.id, data.semester)
    if taken is not None:
        raise Conflict(
            assigned, details={"batch_course_id": str(taken.id), "status": taken.status.value}
        )
    mandatory = data.assignment_type is AssignmentType.MANDATORY
    if section is None and mandatory:
        section = repo.pick_section(session, institution_id, course.id, year.id, batch.id)
    row = BatchCourse(
        institution_id=institution_id,
        batch_id=batch.id,
        course_id=course.id,
        section_id=section.id if section else None,
        academic_year_id=year.id,
        semester=data.semester,
        assignment_type=data.assignment_type,
        auto_enroll_new_students=data.auto_enroll_new_students,
        enrollment_date=utcnow().date(),
        notes=data.notes,
    )
    _insert(session, row, assigned)
    common.record_created(session, principal, ENTITY, row)
    results: list[StudentOutcome] = []
    if mandatory and section is not None:
        results = _enroll_batch(session, principal, batch, row.id, section, course.code)
    loaded = get_batch_course(session, principal, batch.id, row.id)
    note = None
    if mandatory and section is None:
        note = f"No active section of {course.code} is offered in {year.code}; nobody was enrolled"
    return AssignResult(
        batch_course=batch_course_read(loaded),
        auto_enrolled=mandatory and section is not None,
        results=results,
        summary=summarize(results),
        note=note,
    )


def _active_course(session: Session, principal: Principal, data: BatchCourseCreate) -> Course:
    """The course asked for, which must be the institution's and active."""
    course = common.reference(session, Course, principal, data.course_id, "Course", "course_id")
    assert course is not None
    if not course.is_active:
        raise ValidationFailed(
            f"Course {course.code} is not active", details={"field": "course_id"}
        )
    return course


def _insert(session: Session, row: BatchCourse, taken_message: str) -> None:
    """Write the new batch course; a concurrent assignment of the same course is a conflict."""
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as error:  # a concurrent assignment of the same course won
        raise Conflict(taken_message) from error


def _enroll_batch(
    session: Session,
    principal: Principal,
    batch: StudentBatch,
    batch_course_id: uuid.UUID,
    section: CourseSection,
    course_code: str,
) -> list[StudentOutcome]:
    """Enroll every active student of the batch in the section, each through the engine."""
    institution_id = common.institution_of(principal)
    actor = actor_of(principal)
    students = list(repo.active_students(session, institution_id, batch.id))
    engine.lock_students(session, institution_id, [student_id for student_id, _ in students])
    return [
        enroll_one(
            session,
            institution_id=institution_id,
            student_id=student_id,
            roll_number=roll,
            section_id=section.id,
            section_code=section.code,
            course_code=course_code,
            batch_code=batch.code,
            batch_course_id=batch_course_id,
            actor=actor,
        )
        for student_id, roll in students
    ]


def auto_enroll_student_in_batch_courses(
    session: Session,
    *,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    batch_id: uuid.UUID,
    actor: Actor,
) -> list[StudentOutcome]:
    """Enroll a student who just joined a batch in its ACTIVE mandatory auto-enroll courses.

    A refusal (say, a full section) is reported in the answer and leaves the caller's
    transaction and the other courses untouched: the engine refuses before it writes.
    """
    roll = repo.roll_number(session, institution_id, student_id)
    batch = session.get(StudentBatch, batch_id)
    if roll is None or batch is None or batch.institution_id != institution_id:
        raise NotFound("Student not found" if roll is None else "Batch not found")
    outcomes: list[StudentOutcome] = []
    for assigned in repo.auto_enroll_courses(session, institution_id, batch_id):
        section = assigned.section or repo.pick_section(
            session, institution_id, assigned.course_id, assigned.academic_year_id, batch_id
        )
        if section is None:
            outcomes.append(
                StudentOutcome(
                    student_id=student_id,
                    roll_number=roll,
                    outcome=Outcome.REFUSED,
                    course_code=assigned.course.code,
                    reason=f"No active section of {assigned.course.code} is offered",
                )
            )
            continue
        outcomes.append(
            enroll_one(
                session,
                institution_id=institution_id,
                student_id=student_id,
                roll_number=roll,
                section_id=section.id,
                section_code=section.code,
                course_code=assigned.course.code,
                batch_code=batch.code,
                batch_course_id=assigned.id,
                actor=actor,
            )
        )
    return outcomes
