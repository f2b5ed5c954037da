"""`kit.direct.DirectSelect`: the same rows as SQLAlchemy's, sent by psycopg on PostgreSQL from
the second call on, seen by the statement counters, and with SQLAlchemy's errors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import anyio
import psycopg
import pytest
import uvloop
from sqlalchemy import (
    Connection,
    bindparam,
    column,
    create_engine,
    event,
    func,
    literal,
    select,
    table,
    text,
)
from sqlalchemy.exc import DBAPIError, OperationalError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from registrar.academics.models import CourseSection, Term
from registrar.db import Database, build_async_engine
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.kit.direct import DirectSelect
from tests import factories

HELD = (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED)

STATEMENT = (
    select(
        Enrollment.id,
        Enrollment.status,  # an enum column: SQLAlchemy's processor makes the Python enum
        Enrollment.grade_points,  # numeric: Decimal
        Enrollment.enrolled_at,  # timestamptz, through the project's column type
        Term.start_date,
        CourseSection.code.label("section_code"),
        literal(7).label("seven"),
    )
    .join(CourseSection, CourseSection.id == Enrollment.section_id)
    .join(Term, Term.id == CourseSection.term_id)
    .where(
        Enrollment.student_id == bindparam("student_id"),
        Enrollment.status.in_(HELD),  # a list fixed in the statement
        Enrollment.status != EnrollmentStatus.DROPPED,  # an enum bound in the statement
    )
    .order_by(CourseSection.code)
)


def a_student(database: Database) -> uuid.UUID:
    """A student ENROLLED in two sections, WAITLISTED in one, and with a DROPPED one."""
    with database.session() as s:
        inst = factories.institution(s)
        dept = factories.department(s, inst)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        me = factories.student(s, inst, with_login=False)
        for status, grade_points in (
            ("ENROLLED", "9.50"),
            ("ENROLLED", None),
            ("WAITLISTED", None),
            ("DROPPED", None),
        ):
            section = factories.section(s, inst, factories.course(s, inst, dept), term)
            factories.enrollment(s, inst, me, section, status, grade_points=grade_points)
        found: uuid.UUID = me.id
    return found


def _shape(rows: list[Any]) -> list[tuple[Any, ...]]:
    """Each row's keys, values and the values' types."""
    return [(tuple(row._mapping), tuple(row), tuple(type(value) for value in row)) for row in rows]


class Sent:
    """What the engine's cursor events saw: statements announced, and those SQLAlchemy ran."""

    def __init__(self, connection: Connection) -> None:
        self.announced = 0
        self.run_by_sqlalchemy = 0
        event.listen(connection, "before_cursor_execute", self._before)
        event.listen(connection, "after_cursor_execute", self._after)

    def _before(self, *_args: Any) -> None:
        self.announced += 1

    def _after(self, *_args: Any) -> None:
        self.run_by_sqlalchemy += 1


def test_the_rows_are_sqlalchemys_on_every_call(database: Database) -> None:
    student_id = a_student(database)
    direct = DirectSelect(STATEMENT)
    params = {"student_id": student_id}
    with database.engine.connect() as connection:
        expected = _shape(list(connection.execute(STATEMENT, params).all()))
        calls = [_shape(direct.all(connection, params)) for _ in range(3)]
    assert [row[1][1] for row in expected] == [
        EnrollmentStatus.ENROLLED,
        EnrollmentStatus.ENROLLED,
        EnrollmentStatus.WAITLISTED,
    ]
    assert Decimal("9.50") in [row[1][2] for row in expected]
    assert calls == [expected] * 3


@pytest.mark.postgres
def test_from_the_second_call_psycopg_sends_it_and_the_counters_see_it(pg: Database) -> None:
    student_id = a_student(pg)
    direct = DirectSelect(STATEMENT)
    with pg.engine.connect() as connection:
        sent = Sent(connection)
        for _ in range(3):
            direct.all(connection, {"student_id": student_id})
    assert sent.announced == 3  # the statement-count tests count every call
    assert sent.run_by_sqlalchemy == 1  # the first; then the driver


@pytest.mark.postgres
def test_a_list_bound_per_call_gets_a_placeholder_per_value(pg: Database) -> None:
    student_id = a_student(pg)
    statement = select(Enrollment.status).where(
        Enrollment.student_id == bindparam("student_id"),
        Enrollment.status.in_(bindparam("statuses", expanding=True)),
    )
    direct = DirectSelect(statement)
    asked: tuple[list[EnrollmentStatus], ...] = (
        [EnrollmentStatus.DROPPED],
        [EnrollmentStatus.WAITLISTED, EnrollmentStatus.DROPPED],
        [],  # SQLAlchemy renders an empty list as an expression of its own
        [EnrollmentStatus.ENROLLED],
        [EnrollmentStatus.ENROLLED, EnrollmentStatus.DROPPED],
    )
    with pg.engine.connect() as connection:
        sent = Sent(connection)
        answers = [
            sorted(
                row.status
                for row in direct.all(connection, {"student_id": student_id, "statuses": statuses})
            )
            for statuses in asked
        ]
    assert answers == [
        [EnrollmentStatus.DROPPED],
        sorted([EnrollmentStatus.WAITLISTED, EnrollmentStatus.DROPPED]),
        [],
        [EnrollmentStatus.ENROLLED, EnrollmentStatus.ENROLLED],
        sorted([EnrollmentStatus.ENROLLED, EnrollmentStatus.ENROLLED, EnrollmentStatus.DROPPED]),
    ]
    assert sent.announced == 5
    assert sent.run_by_sqlalchemy == 2  # the first call, and the empty list


@pytest.mark.postgres
def test_a_driver_error_is_sqlalchemys(pg: Database) -> None:
    direct = DirectSelect(select(func.pg_sleep(bindparam("seconds")).label("slept")))
    with pg.engine.connect() as connection:
        direct.all(connection, {"seconds": 0})
        connection.execute(text("SET statement_timeout = 50"))
        with pytest.raises(OperationalError) as raised:
            direct.all(connection, {"seconds": 2})
        assert isinstance(raised.value.orig, psycopg.errors.QueryCanceled)
        assert not raised.value.connection_invalidated
        connection.rollback()
        connection.execute(text("SET statement_timeout = 0"))
        assert [tuple(row) for row in direct.all(connection, {"seconds": 0})] == [("",)]


@pytest.mark.postgres
def test_a_connection_lost_midway_is_invalidated(pg: Database) -> None:
    direct = DirectSelect(select(literal(1).label("one"), bindparam("value").label("value")))
    with pg.engine.connect() as connection:
        direct.all(connection, {"value": 1})
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with pg.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        with pytest.raises(DBAPIError) as raised:
            direct.all(connection, {"value": 2})
        assert raised.value.connection_invalidated
        assert connection.invalidated


@pytest.mark.postgres
def test_the_request_paths_async_connections_send_it_too(pg: Database) -> None:
    student_id = a_student(pg)
    direct = DirectSelect(STATEMENT)
    params = {"student_id": student_id}

    def both(connection: Connection) -> tuple[list[Any], list[list[Any]], int]:
        sent = Sent(connection)
        expected = _shape(list(connection.execute(STATEMENT, params).all()))
        calls = [_shape(direct.all(connection, params)) for _ in range(3)]
        return expected, calls, sent.run_by_sqlalchemy

    async def scenario() -> tuple[list[Any], list[list[Any]], int]:
        engine = build_async_engine(pg.engine.url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(both)
        finally:
            await engine.dispose()

    expected, calls, run_by_sqlalchemy = uvloop.run(scenario())
    assert len(expected) == 3
    assert calls == [expected] * 3
    assert run_by_sqlalchemy == 2  # the reference and the first call


PROBE = table("direct_probe", column("k"), column("k_1"))


@pytest.fixture
def probe(pg: Database) -> Iterator[Connection]:
    """A connection with a temporary table of three rows: (1, 10), (2, 20), (3, 30)."""
    with pg.engine.connect() as connection:
        connection.execute(text("CREATE TEMPORARY TABLE direct_probe (k int, k_1 int)"))
        connection.execute(text("INSERT INTO direct_probe VALUES (1, 10), (2, 20), (3, 30)"))
        yield connection


@pytest.mark.postgres
def test_an_in_lists_values_never_take_another_binds_name(probe: Connection) -> None:
    # SQLAlchemy names a list's values k_1, k_2...: here k_1 is another bind's name.
    statement = select(PROBE.c.k).where(
        PROBE.c.k.in_(bindparam("k", expanding=True)), PROBE.c.k_1 == bindparam("k_1")
    )
    direct = DirectSelect(statement)
    answers = [
        [tuple(row) for row in direct.all(probe, {"k": [1, 2], "k_1": 20})] for _ in range(3)
    ]
    assert answers == [[(2,)]] * 3


@pytest.mark.postgres
def test_an_empty_list_fixed_in_the_statement_is_sqlalchemys_to_render(probe: Connection) -> None:
    direct = DirectSelect(select(PROBE.c.k).where(PROBE.c.k.not_in([])).order_by(PROBE.c.k))
    answers = [[row.k for row in direct.all(probe, {})] for _ in range(3)]
    assert answers == [[1, 2, 3]] * 3


@pytest.mark.postgres
def test_a_value_the_type_refuses_is_a_statement_error(pg: Database) -> None:
    direct = DirectSelect(select(Enrollment.id).where(Enrollment.enrolled_at > bindparam("since")))
    with pg.engine.connect() as connection:
        direct.all(connection, {"since": datetime.now(UTC)})
        with pytest.raises(StatementError):
            direct.all(connection, {"since": datetime(2026, 1, 1)})  # no time zone


@pytest.mark.postgres
def test_a_broken_connection_renews_the_whole_pool(pg: Database) -> None:
    engine = create_engine(pg.engine.url, pool_size=3, max_overflow=0)
    direct = DirectSelect(select(bindparam("value").label("value")))
    try:
        held = [engine.connect() for _ in range(3)]
        for connection in held:
            direct.all(connection, {"value": 1})
            direct.all(connection, {"value": 1})
        pids = [c.execute(text("SELECT pg_backend_pid()")).scalar_one() for c in held]
        for connection in held:
            connection.close()
        with pg.engine.connect() as other:
            for pid in pids:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        failures = 0
        for _ in range(4):
            with engine.connect() as connection:
                try:
                    direct.all(connection, {"value": 2})
                except DBAPIError:
                    failures += 1
        assert failures == 1  # the first finds its connection gone; the rest get new ones
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_read_cancelled_midway_leaves_no_connection_behind(pg: Database) -> None:
    direct = DirectSelect(select(func.pg_sleep(bindparam("seconds")).label("slept")))

    async def sleep_past(engine: AsyncEngine, bound: float) -> None:
        async with engine.connect() as connection:
            with anyio.fail_after(bound):
                await connection.run_sync(direct.all, {"seconds": 5})

    async def scenario() -> list[Any]:
        engine = build_async_engine(pg.engine.url, pool_size=1, max_overflow=0)
        try:
            async with engine.connect() as connection:
                await connection.run_sync(direct.all, {"seconds": 0})
            with pytest.raises(TimeoutError):
                await sleep_past(engine, 0.2)
            async with engine.connect() as connection:  # the pool's one connection, renewed
                return [tuple(row) for row in await connection.run_sync(direct.all, {"seconds": 0})]
        finally:
            await engine.dispose()

    assert uvloop.run(scenario()) == [("",)]


@pytest.mark.postgres
def test_a_read_begins_a_transaction_as_sqlalchemy_would(pg: Database) -> None:
    direct = DirectSelect(select(bindparam("value").label("value")))
    with pg.engine.connect() as connection:
        direct.all(connection, {"value": 1})
        connection.commit()
        direct.all(connection, {"value": 2})
        assert connection.in_transaction()
        connection.commit()
        connection.execution_options(isolation_level="SERIALIZABLE")  # refused mid-transaction
