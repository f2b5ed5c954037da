"""Retries against a real server on PostgreSQL: a twin still running is told 409, and a request
whose database connection was killed half-way left nothing, so its retry enrolls exactly once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import psycopg
import pytest
from sqlalchemy import func, select

from registrar.db import Database
from registrar.enrollment.models import Enrollment
from tests import factories
from tests.concurrency.conftest import tokens_for
from tests.live import LiveServer, serve_live


@dataclass
class Campus:
    section: uuid.UUID
    user: uuid.UUID


def campus(database: Database) -> Campus:
    with database.session() as s:
        inst = factories.institution(s, tag="ap-university")
        term = factories.term(s, inst, factories.academic_year(s, inst))
        section = factories.section(s, inst, factories.course(s, inst), term, slots=())
        student = factories.student(s, inst)
        assert student.user_id is not None
        return Campus(section.id, student.user_id)


def dsn(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False).replace("+psycopg", "")


@contextmanager
def section_locked(database: Database, section: uuid.UUID) -> Iterator[psycopg.Connection]:
    """The section's row held locked by another connection until the block ends."""
    with psycopg.connect(dsn(database)) as holder:
        holder.execute("SELECT id FROM course_sections WHERE id = %s FOR UPDATE", (section,))
        yield holder
        holder.rollback()


def waiting_backend(database: Database) -> int:
    """The pid of the server's connection waiting for the locked row.

    Only this test's database: the other test worker's servers wait on locks of their own.
    """
    with psycopg.connect(dsn(database), autocommit=True) as probe:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            row = probe.execute(
                "SELECT pid FROM pg_stat_activity WHERE application_name = 'registrar' "
                "AND wait_event_type = 'Lock' AND datname = current_database()"
            ).fetchone()
            if row is not None:
                return int(row[0])
            time.sleep(0.05)
    raise AssertionError("no request is waiting for the lock")


def register(server: LiveServer, section: uuid.UUID, token: str, key: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
    with httpx.Client(base_url=server.url, timeout=30) as client:
        return client.post(f"/courses/{section}/register", headers=headers)


def enrolled(database: Database, section: uuid.UUID) -> int:
    with database.session(write=False) as s:
        found = s.scalar(
            select(func.count()).select_from(Enrollment).where(Enrollment.section_id == section)
        )
        return int(found or 0)


@pytest.mark.postgres
def test_a_twin_sent_while_the_first_runs_is_told_409(pg: Database) -> None:
    place = campus(pg)
    with serve_live(pg, DB_LOCK_TIMEOUT="10") as server:
        [token] = tokens_for(pg, server.settings, [place.user])
        with ThreadPoolExecutor(1) as pool:
            with section_locked(pg, place.section):
                first: Future[httpx.Response] = pool.submit(
                    register, server, place.section, token, "twin"
                )
                waiting_backend(pg)  # the first holds the key and waits for the row
                twin = register(server, place.section, token, "twin")
            answer = first.result()
        assert twin.status_code == 409, twin.text
        assert twin.headers["retry-after"] == "1"
        assert answer.status_code == 200
        replay = register(server, place.section, token, "twin")
        assert (replay.status_code, replay.json()) == (200, answer.json())
    assert enrolled(pg, place.section) == 1


@pytest.mark.postgres
def test_a_retry_after_a_killed_connection_enrolls_exactly_once(pg: Database) -> None:
    place = campus(pg)
    with serve_live(pg, DB_LOCK_TIMEOUT="10") as server:
        [token] = tokens_for(pg, server.settings, [place.user])
        with ThreadPoolExecutor(1) as pool, section_locked(pg, place.section) as holder:
            first: Future[httpx.Response] = pool.submit(
                register, server, place.section, token, "retry-me"
            )
            holder.execute("SELECT pg_terminate_backend(%s)", (waiting_backend(pg),))
            lost = first.result()
        assert lost.status_code == 503
        assert enrolled(pg, place.section) == 0  # nothing half-done was kept

        retried = register(server, place.section, token, "retry-me")
        assert retried.status_code == 200
        again = register(server, place.section, token, "retry-me")
        assert (again.status_code, again.json()) == (200, retried.json())
    assert enrolled(pg, place.section) == 1
