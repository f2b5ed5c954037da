"""Reading an import file into typed rows, collecting every problem with its line and column."""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Table
from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.errors import ValidationFailed
from registrar.kit.bounds import excerpt
from registrar.kit.bulk import Writer, chunks
from registrar.kit.columns import utcnow
from registrar.transfer.csv_rows import Row, columns_of

if TYPE_CHECKING:
    from _csv import Reader

R = TypeVar("R", bound=Row)
ProgressFn = Callable[[str, int, int], None]
MAX_REPORTED = 10000


def no_progress(_stage: str, _done: int, _total: int) -> None:
    """A progress callback that shows nothing (the HTTP endpoints)."""


class RowError(BaseModel):
    """One problem of the file: the line (the header is line 1), the column, and why."""

    line: int
    column: str | None = None
    value: str | None = None
    reason: str


class ImportReport(BaseModel):
    """What an import found and did; on a dry run `created` counts what a real run would write."""

    kind: str
    dry_run: bool
    ok: bool = Field(description="True when every row is valid (and, if not a dry run, written)")
    rows: int = Field(description="Data rows read (the header excluded)")
    valid_rows: int
    error_count: int
    errors: list[RowError]
    created: dict[str, int] = Field(default_factory=dict)
    auto_enrollment: dict[str, int] = Field(
        default_factory=dict,
        description="Students: outcomes of enrolling them in their batch's auto-enroll courses",
    )


class ImportRefusal(ImportReport):
    """The 422 of a real run with bad rows: why nothing was imported, and the whole report."""

    error: str


class Problems:
    """The errors found so far; a row with any error is not written."""

    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.bad_lines: set[int] = set()

    def add(self, line: int, column: str | None, reason: str, value: object = None) -> None:
        """Record a problem of a line."""
        self.bad_lines.add(line)
        # A cell can be 131,072 characters long: the report shows an excerpt of it.
        shown = None if value is None else excerpt(str(value))
        named = None if column is None else excerpt(column)
        self.items.append(RowError(line=line, column=named, value=shown, reason=reason))

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True)
class Parsed(Generic[R]):
    """A row that passed its own checks, with the line it started on."""

    line: int
    row: R


def _column_name(raw: str) -> str:
    return re.sub(r"[\s\-]+", "_", raw.strip().lstrip("\ufeff").lower())


def read_rows(text: str, model: type[R], problems: Problems) -> tuple[list[Parsed[R]], int]:
    """Parse the CSV: header errors stop here; each bad cell of a row is reported.

    A file that is not CSV past some line (a cell over the csv module's field limit) is refused
    whole, with that line: nothing after it could be trusted.
    """
    reader = csv.reader(io.StringIO(text))
    try:
        return _read_rows(reader, model, problems)
    except csv.Error as error:
        raise ValidationFailed(
            f"Line {reader.line_num} is not readable CSV: {excerpt(str(error), 80)}",
            details={"line": reader.line_num},
        ) from error


def _read_rows(reader: Reader, model: type[R], problems: Problems) -> tuple[list[Parsed[R]], int]:
    header = next(reader, None)
    if header is None:
        problems.add(1, None, "The file is empty; the first line must name the columns")
        return [], 0
    names = [_column_name(h) for h in header]
    required, optional = columns_of(model)
    known = set(required) | set(optional)
    for name in sorted({n for n in names if n not in known}):
        problems.add(
            1,
            name or None,
            f"Unknown column {excerpt(name)!r}; known: {', '.join(required + optional)}",
        )
    present = Counter(names)
    for name in required:
        if name not in present:
            problems.add(1, name, f"Missing required column {name!r}")
    for name, times in present.items():
        if times > 1:
            problems.add(1, name, f"Column {excerpt(name)!r} appears twice")
    if problems:
        return [], sum(1 for _ in reader)
    parsed: list[Parsed[R]] = []
    count = 0
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are not rows
        count += 1
        if len(cells) != len(names):
            problems.add(line, None, f"{len(cells)} cells where the header names {len(names)}")
            continue
        values = {n: c.strip() for n, c in zip(names, cells, strict=True) if c.strip()}
        try:
            parsed.append(Parsed(line, model.model_validate(values)))
        except ValidationError as error:
            for item in error.errors():
                column = str(item["loc"][0]) if item["loc"] else None
                reason = str(item["msg"]).removeprefix("Value error, ")
                problems.add(line, column, reason, values.get(column or ""))
    return parsed, count


def first_seen(
    rows: Iterable[Parsed[R]], key: Callable[[R], str], column: str, what: str, problems: Problems
) -> None:
    """Report every row whose key an earlier row of the file already used."""
    seen: dict[str, int] = {}
    for item in rows:
        value = key(item.row)
        if value in seen:
            problems.add(
                item.line,
                column,
                f"Duplicate {what} in the file (first on line {seen[value]})",
                value,
            )
        else:
            seen[value] = item.line


def report(
    kind: str,
    *,
    dry_run: bool,
    rows: int,
    problems: Problems,
    created: dict[str, int],
    auto_enrollment: dict[str, int] | None = None,
) -> ImportReport:
    """The report; errors sorted by line, at most MAX_REPORTED of them listed."""
    errors = sorted(problems.items, key=lambda e: (e.line, e.column or ""))
    return ImportReport(
        kind=kind,
        dry_run=dry_run,
        ok=not errors,
        rows=rows,
        valid_rows=0 if 1 in problems.bad_lines else rows - len(problems.bad_lines),
        error_count=len(errors),
        errors=errors[:MAX_REPORTED],
        created=created,
        auto_enrollment=auto_enrollment or {},
    )


def report_before_writing(
    kind: str, *, dry_run: bool, rows: int, problems: Problems, created: dict[str, int]
) -> ImportReport | None:
    """The report of a dry run, or the 422 of a real run with problems; None when it may write.

    `created` is what a real run would create; a report with problems says nothing was.
    """
    if not problems and not dry_run:
        return None
    result = report(
        kind, dry_run=dry_run, rows=rows, problems=problems, created=created if not problems else {}
    )
    if problems and not dry_run:
        raise refuse(result)
    return result


def record_import(
    session: Session,
    institution_id: uuid.UUID,
    actor_user_id: uuid.UUID | None,
    kind: str,
    entity_type: str,
    details: dict[str, Any],
) -> None:
    """Audit a written import (one event for the whole file), in the import's transaction."""
    audit.record(
        session,
        institution_id=institution_id,
        actor_user_id=actor_user_id,
        action=f"{kind}.imported",
        entity_type=entity_type,
        entity_id=None,
        details=details,
    )


def refuse(result: ImportReport) -> ValidationFailed:
    """The 422 a real run with bad rows ends in: nothing is written, the report says why."""
    lines = len({e.line for e in result.errors})
    return ValidationFailed(
        f"{result.error_count} problem(s) on {lines} line(s) of the {result.kind} file; "
        "nothing was imported",
        details=result.model_dump(mode="json"),
    )


def write_rows(
    session: Session, table: Table, rows: list[dict[str, Any]], stage: str, progress: ProgressFn
) -> None:
    """Insert rows in chunks (COPY on PostgreSQL), reporting progress."""
    writer = Writer(session, utcnow(), no_progress)
    done = 0
    progress(stage, 0, len(rows))
    for chunk in chunks(rows):
        writer.insert(table, chunk)
        done += len(chunk)
        progress(stage, done, len(rows))
