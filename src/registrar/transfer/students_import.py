"""Importing students (and their STUDENT logins) from CSV, all or nothing."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any, cast

from sqlalchemy.orm import Session

from registrar.auth.actor import Actor
from registrar.students import placement
from registrar.students import repository as students_repo
from registrar.students.models import Student, StudentBatch, StudentStatus
from registrar.transfer import repository as repo
from registrar.transfer import students_write
from registrar.transfer.csv_rows import StudentRow
from registrar.transfer.importer import (
    ImportReport,
    Parsed,
    Problems,
    ProgressFn,
    first_seen,
    read_rows,
    record_import,
    report,
    report_before_writing,
)

KIND = "students"


class _Lookups:
    """The institution's structure, read once for the whole file."""

    def __init__(self, session: Session, institution_id: uuid.UUID, rows: list[Parsed[StudentRow]]):
        self.departments = repo.departments(session, institution_id)
        self.programs = repo.programs(session, institution_id)
        self.years = repo.years(session, institution_id)
        self.batches = repo.batches(session, institution_id)
        rolls = [item.row.roll_number for item in rows]
        self.taken_rolls = repo.existing_values(session, institution_id, Student.roll_number, rolls)
        self.taken_usernames = repo.taken_usernames(session, institution_id, rolls)
        named = {self.batches[c].id for c in {i.row.batch_code for i in rows} if c in self.batches}
        self.active = students_repo.active_counts(session, named)


def _placement(
    item: Parsed[StudentRow], found: _Lookups, problems: Problems
) -> dict[str, Any] | None:
    """The student's placement columns from the row and its batch, or None if it is wrong."""
    row, line, before = item.row, item.line, len(problems.items)
    given: dict[str, Any] = {}
    department = program = year = None
    if row.department_code is not None:
        department = found.departments.get(row.department_code)
        if department is None:
            problems.add(line, "department_code", "Unknown department code", row.department_code)
        else:
            given["department_id"] = department.id
    if row.program_code is not None:
        program = found.programs.get(row.program_code)
        if program is None:
            problems.add(line, "program_code", "Unknown program code", row.program_code)
        else:
            given["program_id"] = program.id
            if department is not None and program.department_id != department.id:
                problems.add(
                    line,
                    "program_code",
                    f"Program {program.code} does not belong to department {department.code}",
                    program.code,
                )
    if row.academic_year is not None:
        year = found.years.get(row.academic_year)
        if year is None:
            problems.add(line, "academic_year", "Unknown academic year", row.academic_year)
        else:
            given["academic_year"] = year.code
    for field in ("year_of_study", "semester", "section", "grade_level", "track", "strand"):
        if getattr(row, field) is not None:
            given[field] = getattr(row, field)
    values: dict[str, Any] = {
        "department_id": department.id
        if department
        else (program.department_id if program else None),
        "program_id": program.id if program else None,
        "academic_year_id": year.id if year else None,
        **{
            f: getattr(row, f)
            for f in ("year_of_study", "semester", "section", "grade_level", "track", "strand")
        },
        "batch_id": None,
    }
    if row.batch_code is not None:
        batch = found.batches.get(row.batch_code)
        if batch is None:
            problems.add(line, "batch_code", "Unknown batch code", row.batch_code)
        elif not batch.is_active:
            problems.add(line, "batch_code", f"Batch {batch.code} is inactive", row.batch_code)
        else:
            _fit(item, batch, given, problems)
            values = _batch_values(batch)
    return values if len(problems.items) == before else None


def _fit(
    item: Parsed[StudentRow], batch: StudentBatch, given: dict[str, Any], problems: Problems
) -> None:
    """Placement cells that disagree with the batch are errors (leave them empty to take its)."""
    expected = placement.placement_values(batch)
    for field, value in given.items():
        if value != expected[field]:
            column = {"department_id": "department_code", "program_id": "program_code"}.get(
                field, field
            )
            problems.add(
                item.line,
                column,
                f"Disagrees with batch {batch.code} ({placement.jsonable(expected[field])}); "
                "leave it empty to take the batch's value",
                getattr(item.row, column),
            )


def _batch_values(batch: StudentBatch) -> dict[str, Any]:
    return {
        "department_id": batch.department_id,
        "program_id": batch.program_id,
        "academic_year_id": batch.academic_year_id,
        "year_of_study": batch.year_of_study,
        "semester": batch.semester,
        "section": batch.section,
        "grade_level": batch.grade_level,
        "track": batch.track,
        "strand": batch.strand,
        "batch_id": batch.id,
    }


def _check(
    rows: list[Parsed[StudentRow]],
    found: _Lookups,
    default_password: str | None,
    problems: Problems,
) -> list[tuple[Parsed[StudentRow], dict[str, Any]]]:
    """Every row's checks against the institution and the rest of the file."""
    first_seen(rows, lambda r: r.roll_number, "roll_number", "roll number", problems)
    seats: Counter[uuid.UUID] = Counter()
    checked = []
    for item in rows:
        row = item.row
        if row.roll_number in found.taken_rolls:
            problems.add(
                item.line,
                "roll_number",
                "Roll number already exists in the institution",
                row.roll_number,
            )
        elif (row.password or default_password) and row.roll_number in found.taken_usernames:
            problems.add(
                item.line,
                "roll_number",
                "A login with this username already exists",
                row.roll_number,
            )
        values = _placement(item, found, problems)
        if values is None:
            continue
        batch_id = values["batch_id"]
        if batch_id is not None and row.status is StudentStatus.ACTIVE:
            batch = found.batches[cast(str, row.batch_code)]
            seats[batch_id] += 1
            if placement.overfills(batch.capacity, found.active.get(batch_id, 0), seats[batch_id]):
                problems.add(
                    item.line,
                    "batch_code",
                    f"Batch {batch.code} is full ({batch.capacity} seats)",
                    row.batch_code,
                )
        checked.append((item, values))
    return checked


def import_students(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    text: str,
    *,
    dry_run: bool,
    default_password: str | None,
    progress: ProgressFn,
) -> ImportReport:
    """Check every row; unless a dry run, write them all in the caller's transaction or none."""
    problems = Problems()
    rows, count = read_rows(text, StudentRow, problems)
    progress("Checking rows", 0, count)
    found = _Lookups(session, institution_id, rows)
    checked = _check(rows, found, default_password, problems)
    progress("Checking rows", count, count)
    logins = sum(1 for item, _ in checked if item.row.password or default_password)
    created = {"students": len(checked), "logins": logins}
    early = report_before_writing(
        KIND, dry_run=dry_run, rows=count, problems=problems, created=created
    )
    if early is not None:
        return early
    ids = students_write.write(session, institution_id, checked, default_password, progress)
    outcomes = students_write.auto_enroll(session, institution_id, actor, ids, progress)
    record_import(
        session,
        institution_id,
        actor.user_id,
        KIND,
        "student",
        {"students": len(ids), "logins": logins, "auto_enrollment": outcomes},
    )
    return report(
        KIND,
        dry_run=False,
        rows=count,
        problems=problems,
        created=created,
        auto_enrollment=outcomes,
    )
