"""Writing many rows at once: COPY on PostgreSQL, multi-row INSERTs elsewhere.

The demo loader and the CSV importers write through this; it knows tables, not the domain.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import psycopg
from psycopg import Copy
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import JSON, FromClause, Table
from sqlalchemy.orm import Session

from registrar.db import Base

Row = dict[str, Any]


@dataclass
class Rows:
    """Rows to insert, by table, in the order they were planned."""

    by_table: dict[Table, list[Row]] = field(default_factory=lambda: defaultdict(list))

    def add(self, table: FromClause, row: Row) -> Row:
        """Plan one row (`Model.__table__` or a Table); returns it so callers can refer to it."""
        self.by_table[cast(Table, table)].append(row)
        return row

    def count(self) -> int:
        """How many rows are planned in all."""
        return sum(len(rows) for rows in self.by_table.values())


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
