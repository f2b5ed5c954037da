"""Creating, changing and deactivating students.

A student put in a batch takes the batch's placement (department, program, academic year, year
of study, semester, section, grade level, track, strand): fields left out of the request are
copied from the batch, and fields sent with values that disagree with it are refused (422). A
student who is in a batch cannot be moved by editing those fields alone: send
`student_batch_id` too (or `null` to leave the batch), or use `/api/students/assign/`.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.auth import principal as principals
from registrar.auth import repository as users
from registrar.auth import service as auth_service
from registrar.auth.actor import Actor
from registrar.auth.models import Role
from registrar.errors import Conflict, NotFound, ValidationFailed
from registrar.kit.pagination import Page, PageParams, paginate
from registrar.students import placement, repository
from registrar.students.joining import BatchMove, ReleasePlaces, Subscriptions
from registrar.students.models import Student, StudentStatus
from registrar.students.schemas import (
    StudentCreate,
    StudentFilters,
    StudentRead,
    StudentUpdate,
    StudentWritten,
)

_REFERENCE_FIELDS = ("department_id", "program_id", "academic_year", "student_batch_id")


def to_read(student: Student) -> StudentRead:
    """The API view of a student whose academic year is loaded."""
    return StudentRead(
        id=student.id,
        user_id=student.user_id,
        roll_number=student.roll_number,
        name=student.name,
        email=student.email,
        gender=student.gender,
        category=student.category,
        guardian_email=student.guardian_email,
        academic_year_id=student.academic_year_id,
        **placement.placement_values(student),
        student_batch_id=student.batch_id,
        status=student.status,
        admission_year=student.admission_year,
        created_at=student.created_at,
        updated_at=student.updated_at,
    )


def list_students(
    session: Session, institution_id: uuid.UUID, filters: StudentFilters, params: PageParams
) -> Page[StudentRead]:
    """One page of the institution's students matching the filters."""
    rows, total = paginate(session, repository.student_list(institution_id, filters), params)
    return Page(
        items=[to_read(s) for s in rows], total=total, limit=params.limit, offset=params.offset
    )


def get_student(session: Session, institution_id: uuid.UUID, student_id: uuid.UUID) -> Student:
    """The institution's student with that id, or 404."""
    student = repository.get_student(session, institution_id, student_id)
    if student is None:
        raise NotFound("Student not found", details={"student_id": str(student_id)})
    return student


def _check_roll_free(session: Session, institution_id: uuid.UUID, roll_number: str) -> None:
    if repository.roll_number_taken(session, institution_id, roll_number):
        raise Conflict(
            f"Roll number {roll_number!r} is already in use", details={"roll_number": roll_number}
        )


def _apply_placement(
    session: Session, institution_id: uuid.UUID, student: Student, given: dict[str, Any]
) -> bool:
    """Apply the placement fields and batch of a request; True if the student joined a batch."""
    refs = placement.apply_given(session, institution_id, student, given)
    joined = False
    if "student_batch_id" in given:
        batch_id = given["student_batch_id"]
        if batch_id is None:
            student.batch_id = None
        else:
            batch = placement.usable_batch(session, institution_id, batch_id)
            placement.check_fits_batch(batch, given)
            joined = batch.id != student.batch_id
            if joined and student.status is StudentStatus.ACTIVE:
                placement.check_seat(session, batch)
            placement.copy_batch_onto(student, batch)
    elif student.batch_id is not None and any(f in given for f in placement.BATCH_FIT_FIELDS):
        current = repository.get_batch(session, institution_id, student.batch_id)
        if current is not None:
            try:
                placement.check_fits_batch(current, given)
            except ValidationFailed as error:
                error.message += " Send student_batch_id to move the student to another batch."
                raise
    placement.check_program_given(session, institution_id, student, refs, given)
    return joined


def _written(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    student: Student,
    move: BatchMove | None,
    subscriptions: Subscriptions,
) -> StudentWritten:
    """The student as written; an ACTIVE one who changed batch is reconciled: the old batch's
    courses the new one does not share are dropped, the new one's auto-enroll courses entered."""
    read = to_read(student)  # before the engine runs: it may reload the student's row
    if move is None or student.status is not StudentStatus.ACTIVE:
        return StudentWritten(**read.model_dump())
    plans = subscriptions.plan(session, institution_id, [move])
    done = subscriptions.carry_out(session, institution_id, actor, plans)
    return StudentWritten(
        **read.model_dump(),
        auto_enrollment=[outcome for one in done for outcome in one.enrolled],
        # Reported only when it touched something, like assign's `reconciliation`.
        reconciliation=next((one for one in done if one.dropped or one.enrolled or one.kept), None),
    )


def create_student(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    data: StudentCreate,
    subscriptions: Subscriptions,
) -> StudentWritten:
    """A new student (with a STUDENT login if a password is given)."""
    _check_roll_free(session, institution_id, data.roll_number)
    given = data.model_dump(exclude_unset=True, exclude={"password"})
    student = Student(
        institution_id=institution_id,
        roll_number=data.roll_number,
        name=data.name,
        email=data.email,
        gender=data.gender,
        category=data.category,
        guardian_email=data.guardian_email,
        admission_year=data.admission_year,
        status=data.status,
        academic_year=None,
    )
    joined = _apply_placement(session, institution_id, student, given)
    if data.password is not None:
        login = auth_service.create_user(
            session,
            institution_id,
            username=data.roll_number,
            password=data.password,
            role=Role.STUDENT,
            full_name=data.name,
            email=data.email,
        )
        student.user_id = login.id
    session.add(student)
    session.flush()
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor.user_id,
        action="student.created",
        entity_type="student",
        entity_id=student.id,
        details={
            "after": {k: placement.jsonable(v) for k, v in given.items()},
            "login_created": data.password is not None,
        },
    )
    move = BatchMove(student.id, student.roll_number, None, student.batch_id) if joined else None
    return _written(session, institution_id, actor, student, move, subscriptions)


def _snapshot(student: Student) -> dict[str, Any]:
    read = to_read(student).model_dump(exclude={"created_at", "updated_at"})
    return {key: placement.jsonable(value) for key, value in read.items()}


def update_student(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    student_id: uuid.UUID,
    data: StudentUpdate,
    subscriptions: Subscriptions,
) -> StudentWritten:
    """Change the fields sent; a new roll number renames the student's login too."""
    student = get_student(session, institution_id, student_id)
    before = _snapshot(student)
    given = data.model_dump(exclude_unset=True)
    for required in ("roll_number", "name", "status"):
        if required in given and given[required] is None:
            raise ValidationFailed(f"{required} cannot be null", details={"field": required})
    roll = given.get("roll_number")
    if roll is not None and roll != student.roll_number:
        _check_roll_free(session, institution_id, roll)
        if student.user_id is not None:
            login = users.get_active(session, institution_id, student.user_id)
            if users.find_by_username(session, institution_id, roll) is not None:
                raise Conflict(f"Username {roll!r} is already taken", details={"roll_number": roll})
            if login is not None:
                login.username = roll
        student.roll_number = roll
    for field in ("name", "email", "gender", "category", "guardian_email", "admission_year"):
        if field in given:
            setattr(student, field, given[field])
    home = student.batch_id
    staying = home is not None and given.get("student_batch_id", home) == home
    back = (
        given.get("status") is StudentStatus.ACTIVE and student.status is not StudentStatus.ACTIVE
    )
    if back and home is not None and staying:
        # While inactive the student's seat was free to take: coming back needs one again.
        current = repository.get_batch(session, institution_id, home)
        if current is not None:
            placement.check_seat(session, current)
    if "status" in given:
        student.status = given["status"]
        _login_follows_status(session, institution_id, student)
    # Back in their batch counts as joining it: its auto-enroll courses apply.
    _apply_placement(session, institution_id, student, given)
    move = None
    if back and staying:
        move = BatchMove(student.id, student.roll_number, None, home)
    elif student.batch_id != home:
        move = BatchMove(student.id, student.roll_number, home, student.batch_id)
    session.flush()
    after = _snapshot(student)
    changes = {k: {"before": before[k], "after": after[k]} for k in after if before[k] != after[k]}
    if changes:
        audit.record(
            session,
            institution_id=institution_id,
            actor_user_id=actor.user_id,
            action="student.updated",
            entity_type="student",
            entity_id=student.id,
            details={"changes": changes},
        )
    return _written(session, institution_id, actor, student, move, subscriptions)


# Statuses whose student may still sign in: a graduate keeps reading their record.
CAN_SIGN_IN = frozenset({StudentStatus.ACTIVE, StudentStatus.GRADUATED})


def _login_follows_status(session: Session, institution_id: uuid.UUID, student: Student) -> None:
    """A student who may no longer sign in loses their login, and tokens already issued stop
    working: at once on this worker, within AUTH_CACHE_SECONDS on the others."""
    if student.user_id is None:
        return
    login = users.get(session, institution_id, student.user_id)
    if login is None:
        return
    login.is_active = student.status in CAN_SIGN_IN
    principals.forget([login.id])


def deactivate_student(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    student_id: uuid.UUID,
    release_places: ReleasePlaces,
) -> StudentRead:
    """Mark a student INACTIVE and give up the seats and waitlist places they hold (each to the
    head of its waitlist); the row, their batch and their past enrollments are kept."""
    student = get_student(session, institution_id, student_id)
    if student.status is not StudentStatus.INACTIVE:
        release_places(
            session,
            institution_id=institution_id,
            student_id=student.id,
            actor=actor,
            reason="Student deactivated",
        )
        previous = student.status
        student.status = StudentStatus.INACTIVE
        _login_follows_status(session, institution_id, student)
        session.flush()
        audit.record(
            session,
            institution_id=institution_id,
            actor_user_id=actor.user_id,
            action="student.deactivated",
            entity_type="student",
            entity_id=student.id,
            details={"before": {"status": previous.value}},
        )
    return to_read(student)
