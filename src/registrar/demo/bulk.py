"""Writing planned rows fast: multi-row inserts in chunks, parents before children."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import cast

from sqlalchemy import JSON, FromClause, Table, func, select, update
from sqlalchemy.orm import Session

from registrar import models  # noqa: F401 - every table must be in the metadata to sort them
from registrar.academics.models import CourseSection
from registrar.db import Base
from registrar.demo.common import Row, Rows
from registrar.enrollment.models import Enrollment, EnrollmentStatus

ProgressFn = Callable[[str, int, int], None]
CHUNK = 5000


def chunks(rows: Iterable[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    """Consecutive lists of at most `size` rows."""
    chunk: list[Row] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Writer:
    """Inserts rows in one session, stamping creation times and reporting progress."""

    def __init__(self, session: Session, now: datetime, progress: ProgressFn) -> None:
        self.session = session
        self.now = now
        self.progress = progress
        self.counts: dict[str, int] = {}
        self.copy = session.get_bind().dialect.name == "postgresql"

    def insert(self, table: Table, rows: list[Row]) -> None:
        """One executemany per set of keys (every row of one statement has the same keys)."""
        stamped = "created_at" in table.c
        groups: dict[tuple[str, ...], list[Row]] = {}
        for row in rows:
            if stamped:
                row.setdefault("created_at", self.now)
                row.setdefault("updated_at", self.now)
            groups.setdefault(tuple(row), []).append(row)
        for keys, group in groups.items():
            if self.copy and not any(isinstance(table.c[key].type, JSON) for key in keys):
                self._copy(table, keys, group)
            else:
                self.session.execute(table.insert(), group)
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def _copy(self, table: Table, keys: tuple[str, ...], rows: list[Row]) -> None:
        """PostgreSQL's COPY: an order of magnitude faster than multi-row INSERTs."""
        connection = self.session.connection().connection.driver_connection
        columns = ", ".join(f'"{key}"' for key in keys)
        with (
            connection.cursor() as cursor,  # type: ignore[union-attr]
            cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy,
        ):
            for row in rows:
                copy.write_row([row[key] for key in keys])

    def write(self, stage: str, rows: Rows) -> None:
        """Every planned row, tables in dependency order."""
        total = rows.count()
        done = 0
        self.progress(stage, done, total)
        for table in Base.metadata.sorted_tables:
            for chunk in chunks(rows.by_table.get(table, [])):
                self.insert(table, chunk)
                done += len(chunk)
                self.progress(stage, done, total)

    def stream(
        self, stage: str, model_table: FromClause, batches: Iterable[list[Row]], total: int
    ) -> None:
        """Rows produced a batch at a time (enrollments), inserted in chunks as they come."""
        table = cast(Table, model_table)
        done = 0
        self.progress(stage, done, total)
        pending: list[Row] = []
        for batch in batches:
            pending.extend(batch)
            while len(pending) >= CHUNK:
                self.insert(table, pending[:CHUNK])
                del pending[:CHUNK]
                done += CHUNK
                self.progress(stage, done, max(total, done))
        if pending:
            self.insert(table, pending)
            done += len(pending)
        self.progress(stage, done, done)


def refresh_counters(session: Session, institution_id: uuid.UUID) -> None:
    """Set every section's counters from its rows (the invariant every writer keeps)."""
    sections = cast(Table, CourseSection.__table__)
    enrollments = cast(Table, Enrollment.__table__)
    seated = [EnrollmentStatus.ENROLLED.value, EnrollmentStatus.COMPLETED.value]
    enrolled = (
        select(func.count())
        .where(enrollments.c.section_id == sections.c.id, enrollments.c.status.in_(seated))
        .scalar_subquery()
    )
    waitlisted = (
        select(func.count())
        .where(
            enrollments.c.section_id == sections.c.id,
            enrollments.c.status == EnrollmentStatus.WAITLISTED.value,
        )
        .scalar_subquery()
    )
    session.execute(
        update(sections)
        .where(sections.c.institution_id == institution_id)
        .values(enrolled_count=enrolled, waitlisted_count=waitlisted)
    )
