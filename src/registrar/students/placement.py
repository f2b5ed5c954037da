"""Where a student sits in the academic structure: references, batch fit and batch capacity."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicProgram, AcademicYear, Department
from registrar.errors import Conflict, ValidationFailed
from registrar.students import repository
from registrar.students.models import Student, StudentBatch

# Placement fields compared between a student and their batch, by their API names.
BATCH_FIT_FIELDS = (
    "department_id",
    "program_id",
    "academic_year",
    "year_of_study",
    "semester",
    "section",
    "grade_level",
    "track",
    "strand",
)


def jsonable(value: Any) -> Any:
    """A value as it can be kept in JSON (audit details, error bodies)."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


@dataclass
class References:
    """The academic-structure rows a request names, checked to belong to the institution."""

    department: Department | None = None
    program: AcademicProgram | None = None
    academic_year: AcademicYear | None = None


def resolve_references(
    session: Session,
    institution_id: uuid.UUID,
    *,
    department_id: uuid.UUID | None = None,
    program_id: uuid.UUID | None = None,
    academic_year: str | None = None,
) -> References:
    """Load the named department, program and academic year; 422 naming any that is unknown.

    Rows of another institution are unknown here, so ids are no oracle across tenants.
    """
    refs = References()
    if department_id is not None:
        refs.department = repository.get_department(session, institution_id, department_id)
        if refs.department is None:
            raise ValidationFailed(
                f"Unknown department {department_id}", details={"department_id": str(department_id)}
            )
    if program_id is not None:
        refs.program = repository.get_program(session, institution_id, program_id)
        if refs.program is None:
            raise ValidationFailed(
                f"Unknown academic program {program_id}", details={"program_id": str(program_id)}
            )
    if academic_year is not None:
        refs.academic_year = repository.find_year(session, institution_id, academic_year)
        if refs.academic_year is None:
            raise ValidationFailed(
                f"Unknown academic year {academic_year!r}",
                details={"academic_year": academic_year},
            )
    return refs


def check_program_in_department(
    program: AcademicProgram | None, department_id: uuid.UUID | None
) -> None:
    """A program can only be combined with the department that owns it."""
    if program is not None and department_id is not None and program.department_id != department_id:
        raise ValidationFailed(
            f"Academic program {program.code} does not belong to department {department_id}",
            details={
                "program_id": str(program.id),
                "department_id": str(department_id),
                "program_department_id": str(program.department_id),
            },
        )


# Placement fields a request sets as they are (the academic year comes as a code, the batch apart).
PLAIN_FIELDS = tuple(field for field in BATCH_FIT_FIELDS if field != "academic_year")


def apply_given(
    session: Session, institution_id: uuid.UUID, row: Student | StudentBatch, given: dict[str, Any]
) -> References:
    """Set the placement fields a request gives, after checking what it names; returns that."""
    refs = resolve_references(
        session,
        institution_id,
        department_id=given.get("department_id"),
        program_id=given.get("program_id"),
        academic_year=given.get("academic_year"),
    )
    for field in PLAIN_FIELDS:
        if field in given:
            setattr(row, field, given[field])
    if "academic_year" in given:
        row.academic_year = refs.academic_year
    if refs.program is not None and "department_id" not in given:
        # A program names its department; a student in B.Tech CSE is in CS.
        row.department_id = refs.program.department_id
    return refs


def check_program_given(
    session: Session,
    institution_id: uuid.UUID,
    row: Student | StudentBatch,
    refs: References,
    given: dict[str, Any],
) -> None:
    """When the request names a program or department, 422 unless the program is in it."""
    if refs.program is not None or "department_id" in given:
        program = refs.program
        if program is None and row.program_id is not None:
            program = repository.get_program(session, institution_id, row.program_id)
        check_program_in_department(program, row.department_id)


def year_code(year: AcademicYear | None) -> str | None:
    """The code of a (loaded) academic year."""
    return year.code if year is not None else None


def placement_values(row: Student | StudentBatch) -> dict[str, Any]:
    """A student's or batch's placement, by API field name (academic year as its code)."""
    return {
        "department_id": row.department_id,
        "program_id": row.program_id,
        "academic_year": year_code(row.academic_year),
        "year_of_study": row.year_of_study,
        "semester": row.semester,
        "section": row.section,
        "grade_level": row.grade_level,
        "track": row.track,
        "strand": row.strand,
    }


def check_fits_batch(batch: StudentBatch, requested: dict[str, Any]) -> None:
    """Refuse (422) placement values sent together with a batch that disagrees with them."""
    expected = placement_values(batch)
    mismatches = {
        field: {"given": jsonable(requested[field]), "batch": jsonable(expected[field])}
        for field in BATCH_FIT_FIELDS
        if field in requested and requested[field] != expected[field]
    }
    if mismatches:
        raise ValidationFailed(
            f"The student's placement disagrees with batch {batch.code}: "
            + ", ".join(sorted(mismatches))
            + ". Leave these fields out to take the batch's values.",
            details={"batch_code": batch.code, "mismatches": mismatches},
        )


def copy_batch_onto(student: Student, batch: StudentBatch) -> None:
    """Put the student in the batch and give them its placement."""
    student.batch_id = batch.id
    student.department_id = batch.department_id
    student.program_id = batch.program_id
    student.academic_year = batch.academic_year
    student.year_of_study = batch.year_of_study
    student.semester = batch.semester
    student.section = batch.section
    student.grade_level = batch.grade_level
    student.track = batch.track
    student.strand = batch.strand


def usable_batch(session: Session, institution_id: uuid.UUID, batch_id: uuid.UUID) -> StudentBatch:
    """An active batch of the institution, locked for a seat count; 422 if unknown or inactive."""
    batch = repository.get_batch(session, institution_id, batch_id, lock=True)
    if batch is None:
        raise ValidationFailed(
            f"Unknown student batch {batch_id}", details={"student_batch_id": str(batch_id)}
        )
    if not batch.is_active:
        raise ValidationFailed(
            f"Student batch {batch.code} is inactive", details={"student_batch_id": str(batch_id)}
        )
    return batch


def overfills(capacity: int, active: int, incoming: int = 1) -> bool:
    """Whether `incoming` more active students would overfill a batch of `capacity` seats that
    holds `active` of them: the one rule for "the batch is full".

    Moving nobody in never overfills, even a batch already over its capacity (one whose
    capacity was set before the rule, or a homeroom whose level's limit changed since).
    """
    return incoming > 0 and active + incoming > capacity


def check_seat(session: Session, batch: StudentBatch) -> None:
    """Refuse (409) one more active student in a batch that is already full."""
    active = repository.active_counts(session, [batch.id]).get(batch.id, 0)
    if overfills(batch.capacity, active):
        raise Conflict(
            full_batch_message(batch, active),
            details={
                "batch_code": batch.code,
                "capacity": batch.capacity,
                "active_students": active,
            },
        )


def full_batch_message(batch: StudentBatch, active: int) -> str:
    """The words for a batch with no seat left."""
    return f"Student batch {batch.code} is full ({active} of {batch.capacity} seats taken)"
