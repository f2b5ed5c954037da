"""Writing planned rows fast: multi-row inserts in chunks, parents before children."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import cast

import psycopg
from psycopg import Copy
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import (
    JSON,
    ForeignKeyConstraint,
    FromClause,
    Table,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

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

    def _stamp(self, table: Table, row: Row) -> Row:
        if "created_at" in table.c:
            row.setdefault("created_at", self.now)
            row.setdefault("updated_at", self.now)
        return row

    def _count(self, table: Table, rows: int) -> None:
        self.counts[table.name] = self.counts.get(table.name, 0) + rows

    @contextmanager
    def _copier(self, table: Table, keys: tuple[str, ...]) -> Iterator[Copy]:
        """A COPY into the table (PostgreSQL); a thread sends while Python makes more rows."""
        connection = self.session.connection().connection.driver_connection
        assert isinstance(connection, psycopg.Connection)
        columns = ", ".join(f'"{key}"' for key in keys)
        statement = f'COPY "{table.name}" ({columns}) FROM STDIN'
        with (
            connection.cursor() as cursor,
            cursor.copy(statement, writer=QueuedLibpqWriter(cursor)) as copy,
        ):
            yield copy

    def insert(self, table: Table, rows: list[Row]) -> None:
        """COPY (or one executemany) per set of keys: a statement's rows share their keys."""
        groups: dict[tuple[str, ...], list[Row]] = {}
        for row in rows:
            groups.setdefault(tuple(self._stamp(table, row)), []).append(row)
        for keys, group in groups.items():
            if self.copy and not any(isinstance(table.c[key].type, JSON) for key in keys):
                with self._copier(table, keys) as copy:
                    for row in group:
                        copy.write_row([row[key] for key in keys])
            else:
                self.session.execute(table.insert(), group)
        self._count(table, len(rows))

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
        """Rows produced a batch at a time (enrollments), written as they come.

        On PostgreSQL one COPY takes the whole stream, so the server indexes and checks rows
        while Python makes the next ones; elsewhere, multi-row INSERTs in chunks. Every row
        of the stream must have the same keys.
        """
        table = cast(Table, model_table)
        self.progress(stage, 0, total)
        rows = (self._stamp(table, row) for batch in batches for row in batch)
        first = next(rows, None)
        done = 0
        if first is not None and self.copy:
            keys = tuple(first)
            with self._copier(table, keys) as copy:
                for row in itertools.chain([first], rows):
                    copy.write_row([row[key] for key in keys])
                    done += 1
                    if done % CHUNK == 0:
                        self.progress(stage, done, max(total, done))
            self._count(table, done)
        elif first is not None:
            for chunk in chunks(itertools.chain([first], rows)):
                self.insert(table, chunk)
                done += len(chunk)
                self.progress(stage, done, max(total, done))
        self.progress(stage, done, done)


@contextmanager
def checks_after_load(session: Session, model_table: FromClause) -> Iterator[None]:
    """Into an empty PostgreSQL table, add its foreign keys and plain indexes after the load.

    The PostgreSQL manual's advice for populating a database: checking a foreign key row by
    row costs more than the insert itself (three lookups per enrollment), while one
    validating join and one sorted index build at the end are cheap. The constraints come
    from the models, so they are the ones the migration made; the primary key and unique
    constraints stay in place throughout, and all of it is in the load's transaction.
    """
    table = cast(Table, model_table)
    postgres = session.get_bind().dialect.name == "postgresql"
    if not postgres or session.scalar(select(exists().select_from(table))):
        yield
        return
    foreign_keys = [c for c in table.constraints if isinstance(c, ForeignKeyConstraint)]
    indexes = [index for index in table.indexes if not index.unique]
    for foreign_key in foreign_keys:
        session.execute(DropConstraint(foreign_key))
    for index in indexes:
        session.execute(DropIndex(index))
    yield
    for index in indexes:
        session.execute(CreateIndex(index))
    for foreign_key in foreign_keys:
        session.execute(AddConstraint(foreign_key))


def refresh_counters(session: Session, institution_id: uuid.UUID) -> None:
    """Set the counters of every section with enrollments from its rows, in one pass.

    Sections are inserted with zero counters; one grouped scan of the institution's
    enrollments then gives each its seated (ENROLLED or COMPLETED) and waitlisted counts.
    """
    sections = cast(Table, CourseSection.__table__)
    enrollments = cast(Table, Enrollment.__table__)
    seated = [EnrollmentStatus.ENROLLED.value, EnrollmentStatus.COMPLETED.value]
    counts = (
        select(
            enrollments.c.section_id,
            func.count().filter(enrollments.c.status.in_(seated)).label("seated"),
            func.count()
            .filter(enrollments.c.status == EnrollmentStatus.WAITLISTED.value)
            .label("waiting"),
        )
        .where(enrollments.c.institution_id == institution_id)
        .group_by(enrollments.c.section_id)
        .subquery()
    )
    session.execute(
        update(sections)
        .where(sections.c.id == counts.c.section_id)
        .values(enrolled_count=counts.c.seated, waitlisted_count=counts.c.waiting)
    )
