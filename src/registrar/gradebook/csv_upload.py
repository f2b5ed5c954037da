"""Grades from a CSV file: `roll_number,grade,attendance_percentage` (and optionally `percent`).

A dry run reports every bad line (line, column, reason) and changes nothing; a real run records
every line or, if any is bad, none.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from registrar.auth.principal import Principal
from registrar.errors import ValidationFailed
from registrar.gradebook import service
from registrar.gradebook.marks import MarkInput
from registrar.gradebook.schemas import UploadChange, UploadError, UploadReport
from registrar.gradebook.service import RowInput
from registrar.kit.bounds import excerpt

COLUMNS = ("roll_number", "grade", "percent", "attendance_percentage")
MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Line:
    """A readable data line and the row it asks for."""

    line: int
    row: RowInput


def _decimal(text: str, column: str, line: int, errors: list[UploadError]) -> Decimal | None:
    """A number cell: empty is None; `91.5%` reads as 91.5."""
    text = text.strip().removesuffix("%").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        reason = f"Not a number: {excerpt(text)!r}"
        errors.append(UploadError(line=line, column=column, reason=reason))
        return None
    return value


def _header(names: list[str]) -> list[UploadError]:
    errors: list[UploadError] = []
    expected = ", ".join(COLUMNS)
    seen: set[str] = set()
    for name in names:
        if name not in COLUMNS:
            reason = f"Unknown column {excerpt(name)!r}; the columns are {expected}"
            errors.append(UploadError(line=1, column=excerpt(name) or None, reason=reason))
        elif name in seen:
            errors.append(UploadError(line=1, column=name, reason="Column given twice"))
        seen.add(name)
    if "roll_number" not in names:
        errors.append(UploadError(line=1, column="roll_number", reason="Missing column"))
    if not any(name in names for name in COLUMNS[1:]):
        reason = "Give at least one of the columns grade, percent, attendance_percentage"
        errors.append(UploadError(line=1, column=None, reason=reason))
    return errors


def parse(data: bytes) -> tuple[list[Line], list[UploadError]]:
    """The file's data lines and every problem found reading them (line 1 is the header)."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed(f"The file is larger than {MAX_BYTES // 1_000_000} MB")
    try:
        text = data.decode("utf-8-sig")  # a spreadsheet's byte-order mark is not a column name
    except UnicodeDecodeError as error:
        raise ValidationFailed("The file is not UTF-8 text") from error
    reader = csv.reader(io.StringIO(text, newline=""))
    lines: list[Line] = []
    errors: list[UploadError] = []
    try:
        header = next(reader, None)
        if header is None:
            expected = "roll_number,grade,attendance_percentage"
            return [], [UploadError(line=1, column=None, reason=f"Empty file: expected {expected}")]
        names = [name.strip().lower() for name in header]
        errors = _header(names)
        if errors:
            return [], errors  # without a sound header no line can be read
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(names):
                reason = f"Expected {len(names)} fields, found {len(record)}"
                errors.append(UploadError(line=line, column=None, reason=reason))
                continue
            cells = dict(zip(names, record, strict=True))
            grade = cells.get("grade", "").strip() or None
            entry = MarkInput(
                grade=grade,
                percent=_decimal(cells.get("percent", ""), "percent", line, errors),
                attendance_percentage=_decimal(
                    cells.get("attendance_percentage", ""), "attendance_percentage", line, errors
                ),
            )
            row = RowInput(enrollment_id=None, roll_number=cells["roll_number"], entry=entry)
            lines.append(Line(line=line, row=row))
    except csv.Error as error:
        errors.append(UploadError(line=reader.line_num, column=None, reason=f"Bad CSV: {error}"))
    return lines, errors


def upload(
    session: Session, principal: Principal, section_id: uuid.UUID, data: bytes, *, dry_run: bool
) -> UploadReport:
    """Check (dry run) or record (all-or-nothing) the grades of a CSV file for the section."""
    section = service.section_for(session, principal, section_id)
    lines, errors = parse(data)
    unreadable = {error.line for error in errors}
    changes, problems = service.plan(
        session,
        principal,
        section,
        [line.row for line in lines],
        lock=not dry_run,
        place=lambda index: f"line {lines[index].line}",
    )
    for problem in problems:
        line = lines[problem.index].line
        # A cell that could not be read is reported once, not again as "nothing to record".
        if problem.field is None and line in unreadable:
            continue
        errors.append(UploadError(line=line, column=problem.field, reason=problem.reason))
    bad_lines = {error.line for error in errors}
    changes = [change for change in changes if lines[change.index].line not in bad_lines]
    if not lines and not errors:
        errors.append(UploadError(line=2, column=None, reason="The file has no data lines"))
    errors.sort(key=lambda error: error.line)
    report = [
        UploadChange(
            line=lines[change.index].line,
            enrollment_id=change.row.enrollment.id,
            roll_number=change.row.roll_number,
            before=service.snapshot(change.row.enrollment),
            after=service.after(change.row.enrollment, change.marks),
        )
        for change in changes
    ]
    if dry_run:
        valid = not errors
        return UploadReport(
            dry_run=True, valid=valid, rows=len(lines), errors=errors, changes=report
        )
    if errors:
        raise ValidationFailed(
            f"Nothing was recorded: {len({error.line for error in errors})} line(s) have problems",
            details={"errors": [error.model_dump() for error in errors]},
        )
    for change in changes:
        service.apply(session, principal, section.id, change.row, change.marks)
    return UploadReport(dry_run=False, valid=True, rows=len(lines), errors=[], changes=report)
