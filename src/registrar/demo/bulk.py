"""Writing planned rows fast: multi-row inserts in chunks, parents before children."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from sqlalchemy import (
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
from registrar.enrollment.models import Enrollment, EnrollmentStatus


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
