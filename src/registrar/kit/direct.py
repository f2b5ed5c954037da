"""Hot reads sent by the driver itself on PostgreSQL, on the request's own connection.

SQLAlchemy builds the statement, renders it once, and types its rows; on PostgreSQL each call
then goes to psycopg directly, skipping what SQLAlchemy does around every execution (the
execution context, its cursor adapter, the result's metadata): in one process, one request at
a time, 15 to 20 % of the CPU of a read that sends one statement (`my-courses`, `enrolled/`),
and under load the simplest app on this stack answered twice as many requests a second from
psycopg alone as through SQLAlchemy (`python -m bench.floor`).

The rows are SQLAlchemy `Row`s with the keys and Python values SQLAlchemy gives (enums, the
project's column types), and the statement is seen by SQLAlchemy's `before_cursor_execute`
listeners (the statement-count tests). A driver error is raised as SQLAlchemy's, and a
connection it broke is invalidated, as SQLAlchemy does. SQLite, and a call that binds a list
for an `IN` (rendered differently for each length), take SQLAlchemy's path; the answer is the
same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Connection, Select
from sqlalchemy.engine.result import result_tuple
from sqlalchemy.exc import DBAPIError
from sqlalchemy.util import await_

from registrar.kit.core import AnyRow

Processor = Callable[[Any], Any]

_POSTCOMPILE = "__[POSTCOMPILE_"


@dataclass
class _Rendered:
    """The statement as psycopg takes it, with what turns values in and out."""

    sql: str
    binds: list[tuple[str, Any, Processor | None]]  # name, default value, bind processor
    constants: dict[str, Any]  # an IN list fixed in the statement, one parameter per value
    expanding: frozenset[str]  # the names of those lists
    make_row: Callable[[Sequence[Any]], AnyRow]
    # Filled in by the first call, from the types PostgreSQL reports.
    converters: list[tuple[int, Processor]] | None = None


class DirectSelect:
    """A Core SELECT whose calls on PostgreSQL are sent by psycopg (see the module's docstring)."""

    def __init__(self, statement: Select[*tuple[Any, ...]]) -> None:
        self.statement = statement
        self._rendered: _Rendered | None = None
        self._plain = False  # True when the statement cannot be sent directly

    def all(self, connection: Connection, params: Mapping[str, Any]) -> list[AnyRow]:
        """Every row of the statement with `params`, on `connection`."""
        if self._plain or connection.dialect.name != "postgresql":
            return list(connection.execute(self.statement, params).all())
        rendered = self._rendered
        if rendered is None:
            result = connection.execute(self.statement, params)
            rows = list(result.all())
            self._rendered = self._render(connection, list(result.keys()))
            return rows
        if not rendered.expanding.isdisjoint(params):
            return list(connection.execute(self.statement, params).all())
        return self._sent(connection, rendered, params)

    def _render(self, connection: Connection, keys: list[str]) -> _Rendered | None:
        dialect = connection.dialect
        compiled = self.statement.compile(dialect=dialect)
        sql = compiled.string
        binds: list[tuple[str, Any, Processor | None]] = []
        constants: dict[str, Any] = {}
        expanding: set[str] = set()
        for name, bind in compiled.binds.items():
            process = _bind_processor(bind, dialect)
            if not bind.expanding:
                binds.append((name, bind.effective_value, process))
                continue
            values = list(bind.effective_value or ())
            names = [f"{name}_{index}" for index in range(1, len(values) + 1)]
            placeholders = ", ".join(f"%({each})s" for each in names)
            sql = sql.replace(f"{_POSTCOMPILE}{name}]", placeholders)
            constants.update(
                (each, process(value) if process else value)
                for each, value in zip(names, values, strict=True)
            )
            expanding.add(name)
        if _POSTCOMPILE in sql:  # a bind SQLAlchemy renders for each call: not ours to send
            self._plain = True
            return None
        return _Rendered(sql, binds, constants, frozenset(expanding), result_tuple(keys))

    def _sent(
        self, connection: Connection, rendered: _Rendered, params: Mapping[str, Any]
    ) -> list[AnyRow]:
        values = dict(rendered.constants)
        for name, default, process in rendered.binds:
            value = params.get(name, default)
            values[name] = process(value) if process is not None else value
        driver = connection.connection.driver_connection
        if driver is None:  # pragma: no cover - a checked-out connection always has one
            raise RuntimeError("the connection has no driver connection")
        connection.dispatch.before_cursor_execute(
            connection, None, rendered.sql, values, None, False
        )
        describe = rendered.converters is None  # the columns' types are read once
        try:
            if connection.dialect.is_async:
                found, description = await_(_fetch(driver, rendered.sql, values, describe))
            else:  # the synchronous engine of the CLI and the worker threads
                found, description = _fetch_blocking(driver, rendered.sql, values, describe)
        except connection.dialect.loaded_dbapi.Error as error:
            broken = bool(driver.closed or driver.broken)
            if broken:
                connection.invalidate(error)
            raise DBAPIError.instance(
                rendered.sql,
                values,
                error,
                connection.dialect.loaded_dbapi.Error,
                connection_invalidated=broken,
                dialect=connection.dialect,
            ) from error
        converters = rendered.converters
        if converters is None:
            converters = rendered.converters = self._converters(connection, description)
        make_row = rendered.make_row
        if not converters:
            return [make_row(row) for row in found]
        rows = []
        for row in found:
            cells = list(row)
            for index, convert in converters:
                cells[index] = convert(cells[index])
            rows.append(make_row(tuple(cells)))
        return rows

    def _converters(self, connection: Connection, description: Any) -> list[tuple[int, Processor]]:
        """The result processors SQLAlchemy would apply, by column position."""
        dialect = connection.dialect
        columns = list(self.statement.selected_columns)
        if len(columns) != len(description):  # pragma: no cover - one column per selected one
            raise RuntimeError("the statement's columns do not match its result")
        found: list[tuple[int, Processor]] = []
        for index, (column, reported) in enumerate(zip(columns, description, strict=True)):
            process = column.type.dialect_impl(dialect).result_processor(
                dialect, reported.type_code
            )
            if process is not None:
                found.append((index, process))
        return found


async def _fetch(
    driver: Any, sql: str, values: dict[str, Any], describe: bool
) -> tuple[list[Any], Any]:
    """One statement's rows (and, when asked, their description) in one await: one greenlet
    switch."""
    async with driver.cursor() as cursor:
        await cursor.execute(sql, values)
        return await cursor.fetchall(), cursor.description if describe else None


def _fetch_blocking(
    driver: Any, sql: str, values: dict[str, Any], describe: bool
) -> tuple[list[Any], Any]:
    with driver.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall(), cursor.description if describe else None


def _bind_processor(bind: BindParameter[Any], dialect: Any) -> Processor | None:
    process: Processor | None = bind.type.dialect_impl(dialect).bind_processor(dialect)
    return process
