"""Hot reads sent by the driver itself on PostgreSQL, on the request's own connection.

SQLAlchemy builds the statement, renders it once, and types its rows; on PostgreSQL each call
then goes to psycopg directly, skipping what SQLAlchemy does around every execution (the
execution context, its cursor adapter, the result's metadata): in one process, one request at
a time, 15 to 20 % of the CPU of a read that sends one statement (`my-courses`, `enrolled/`),
and under load the simplest app on this stack answered twice as many requests a second from
psycopg alone as through SQLAlchemy (`python -m bench.floor`).

The rows are SQLAlchemy `Row`s with the keys and Python values SQLAlchemy gives (enums, the
project's column types), and the statement is seen by SQLAlchemy's `before_cursor_execute`
listeners (the statement-count tests). As SQLAlchemy does: a driver error is raised as
SQLAlchemy's; a connection found broken is invalidated with the pool's older ones; one
cancelled mid-statement is not used again; a read on a connection outside a transaction
begins one; a value a column's type refuses is a `StatementError`. An `IN` list gets a
placeholder per value, as SQLAlchemy renders it, under names no other bind has. SQLite, an
empty `IN` list (which SQLAlchemy renders as an expression of its own), and a bind name
SQLAlchemy escapes take SQLAlchemy's path; the answer is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import BindParameter, Connection, Select
from sqlalchemy.engine.result import result_tuple
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.util import await_

from registrar.kit.core import AnyRow

Processor = Callable[[Any], Any]

_POSTCOMPILE = "__[POSTCOMPILE_"
# Texts kept per statement, one for each combination of its lists' lengths (as SQLAlchemy's
# own cache renders an expanding IN once per length).
MAX_TEXTS = 256


@dataclass
class _Rendered:
    """The statement as psycopg takes it, with what turns values in and out."""

    sql: str  # with a marker for each list bound per call
    binds: list[tuple[str, Any, Processor | None]]  # name, default value, bind processor
    constants: dict[str, Any]  # an IN list fixed in the statement, one parameter per value
    # IN lists bound per call: the base of their values' names, and their bind processor.
    lists: dict[str, tuple[str, Processor | None]]
    make_row: Callable[[Sequence[Any]], AnyRow]
    # The text for each combination of the lists' lengths met so far.
    by_lengths: dict[tuple[int, ...], str] = field(default_factory=dict)
    # Filled in by the first call, from the types PostgreSQL reports.
    converters: list[tuple[int, Processor]] | None = None

    def text_for(self, lengths: tuple[int, ...]) -> str:
        """The statement with each list's marker replaced by one placeholder per value."""
        found = self.by_lengths.get(lengths)
        if found is None:
            found = self.sql
            for (name, (base, _process)), length in zip(self.lists.items(), lengths, strict=True):
                found = found.replace(f"{_POSTCOMPILE}{name}]", _placeholders(base, length))
            if len(self.by_lengths) >= MAX_TEXTS:
                self.by_lengths.clear()
            self.by_lengths[lengths] = found
        return found


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
        lengths = tuple(len(params.get(name) or ()) for name in rendered.lists)
        if 0 in lengths:  # SQLAlchemy's own text for an empty IN list (or its error for none)
            return list(connection.execute(self.statement, params).all())
        return self._sent(connection, rendered, params, rendered.text_for(lengths))

    def _render(self, connection: Connection, keys: list[str]) -> _Rendered | None:
        dialect = connection.dialect
        compiled = self.statement.compile(dialect=dialect)
        sql = compiled.string
        taken = set(compiled.bind_names.values())
        binds: list[tuple[str, Any, Processor | None]] = []
        constants: dict[str, Any] = {}
        lists: dict[str, tuple[str, Processor | None]] = {}
        for bind, name in compiled.bind_names.items():
            process = _bind_processor(bind, dialect)
            if not bind.expanding:
                binds.append((name, bind.effective_value, process))
                continue
            base = _element_base(name, taken)
            if bind.effective_value is None:
                lists[name] = (base, process)
                continue
            values = list(bind.effective_value)
            if not values:  # SQLAlchemy's own expression for an empty list
                self._plain = True
                return None
            sql = sql.replace(f"{_POSTCOMPILE}{name}]", _placeholders(base, len(values)))
            constants.update(
                (f"{base}_{index}", process(value) if process else value)
                for index, value in enumerate(values, 1)
            )
        left = sql
        for name in lists:
            left = left.replace(f"{_POSTCOMPILE}{name}]", "")
        # A bind SQLAlchemy renders anew for each call, or one whose name it escapes in the
        # text: not ours to send.
        if _POSTCOMPILE in left or compiled.escaped_bind_names:
            self._plain = True
            return None
        return _Rendered(sql, binds, constants, lists, result_tuple(keys))

    def _sent(
        self, connection: Connection, rendered: _Rendered, params: Mapping[str, Any], sql: str
    ) -> list[AnyRow]:
        try:
            values = _values(rendered, params)
        except Exception as error:  # a value the column's type refuses, as SQLAlchemy says it
            raise StatementError(str(error), sql, dict(params), error) from error
        driver = connection.connection.driver_connection
        if driver is None:  # pragma: no cover - a checked-out connection always has one
            raise RuntimeError("the connection has no driver connection")
        if not connection.in_transaction():
            connection.begin()  # as SQLAlchemy's autobegin: its books and the driver's agree
        connection.dispatch.before_cursor_execute(connection, None, sql, values, None, False)
        describe = rendered.converters is None  # the columns' types are read once
        dbapi_error = connection.dialect.loaded_dbapi.Error
        try:
            if connection.dialect.is_async:
                found, description = await_(_fetch(driver, sql, values, describe))
            else:  # the synchronous engine of the CLI and the worker threads
                found, description = _fetch_blocking(driver, sql, values, describe)
        except dbapi_error as error:
            broken = bool(driver.closed or driver.broken)
            if broken:
                _invalidate_pool(connection, error)
            raise DBAPIError.instance(
                sql,
                values,
                error,
                dbapi_error,
                connection_invalidated=broken,
                dialect=connection.dialect,
            ) from error
        except BaseException:
            # Cancelled mid-statement (a timeout, a shutdown): the connection's state is
            # unknown, so it is not used again, as SQLAlchemy does on the same exit.
            connection.invalidate()
            raise
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


def _values(rendered: _Rendered, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters as psycopg takes them: through the columns' bind processors, each value
    of an IN list under its own name."""
    values = dict(rendered.constants)
    for name, default, process in rendered.binds:
        value = params.get(name, default)
        values[name] = process(value) if process is not None else value
    for name, (base, process) in rendered.lists.items():
        for index, value in enumerate(params[name], 1):
            values[f"{base}_{index}"] = process(value) if process is not None else value
    return values


def _invalidate_pool(connection: Connection, error: BaseException) -> None:
    """A connection found broken: the pool's older connections are taken for broken too (the
    server restarted or failed over), so each is replaced when next checked out rather than
    failing a request first; as SQLAlchemy does on a disconnect."""
    connection.engine.pool._invalidate(connection.connection, error)
    connection.invalidate(error)


def _element_base(name: str, taken: set[str]) -> str:
    """A base for the names of a list's values (`base_1`, `base_2`...) that no other bind of
    the statement has, whatever the list's length."""
    base = name
    while any(
        other != name and other.startswith(f"{base}_") and other[len(base) + 1 :].isdigit()
        for other in taken
    ):
        base += "_"
    return base


def _placeholders(name: str, count: int) -> str:
    return ", ".join(f"%({name}_{index})s" for index in range(1, count + 1))


def _fetch_blocking(
    driver: Any, sql: str, values: dict[str, Any], describe: bool
) -> tuple[list[Any], Any]:
    with driver.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall(), cursor.description if describe else None


def _bind_processor(bind: BindParameter[Any], dialect: Any) -> Processor | None:
    process: Processor | None = bind.type.dialect_impl(dialect).bind_processor(dialect)
    return process
