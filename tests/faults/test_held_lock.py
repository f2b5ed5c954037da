"""A section's row held locked elsewhere (a long transaction, a stuck client, a slow batch job)
while 64 students try to register into it: the rest of the service must not notice, and the
blocked students must hear 503 with Retry-After within the bounds, not hang."""

from __future__ import annotations

import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
import psycopg
import pytest

from registrar.db import Database
from tests import factories
from tests.concurrency.conftest import tokens_for
from tests.live import serve_live

CLIENTS = 64
LOCK_TIMEOUT = 3.0
SECTION_WAIT = 1.0
# A request stuck behind the lock (or behind a pool the blocked requests had drained) would take
# at least the lock timeout; one that is not takes milliseconds. The bound sits between the two
# with room for a loaded CI machine.
UNBLOCKED_BOUND = LOCK_TIMEOUT - 1.0
# The longest a blocked client may wait: the lock timeout (the first writers give up on the
# lock then, and the gate turns the others away at once), plus slack: the 64 clients run as
# threads of this process, beside the server, and share its interpreter; on a loaded 2-core
# machine their own scheduling alone has taken over 5 s. A client that hung would wait the
# 30 s of its own timeout, which is also as long as the lock could be held.
BLOCKED_BOUND = LOCK_TIMEOUT + 9.0


@dataclass
class Campus:
    term: uuid.UUID
    locked: uuid.UUID
    other: uuid.UUID
    users: list[uuid.UUID]


def campus(database: Database) -> Campus:
    with database.session() as s:
        inst = factories.institution(s, tag="ap-university")
        term = factories.term(s, inst, factories.academic_year(s, inst))
        locked = factories.section(s, inst, factories.course(s, inst), term, capacity=200, slots=())
        other = factories.section(s, inst, factories.course(s, inst), term, capacity=10, slots=())
        students = [factories.student(s, inst) for _ in range(CLIENTS + 2)]
        users = [student.user_id for student in students if student.user_id]
        return Campus(term.id, locked.id, other.id, users)


@dataclass(frozen=True)
class Answer:
    status: int
    retry_after: str | None
    seconds: float


def call(client: httpx.Client, method: str, path: str, token: str | None = None) -> Answer:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    started = time.monotonic()
    response = client.request(method, path, headers=headers)
    return Answer(
        response.status_code, response.headers.get("retry-after"), time.monotonic() - started
    )


@pytest.mark.postgres
def test_a_locked_section_stalls_only_its_own_registrations(pg: Database) -> None:
    place = campus(pg)
    with serve_live(
        pg, DB_LOCK_TIMEOUT=str(LOCK_TIMEOUT), SECTION_WAIT=str(SECTION_WAIT)
    ) as server:
        tokens = tokens_for(pg, server.settings, place.users)
        blocked_tokens, reader, other_student = tokens[:CLIENTS], tokens[-2], tokens[-1]
        dsn = pg.engine.url.render_as_string(hide_password=False).replace("+psycopg", "")
        with psycopg.connect(dsn) as holder, httpx.Client(base_url=server.url, timeout=30) as probe:
            holder.execute(
                "SELECT id FROM course_sections WHERE id = %s FOR UPDATE", (place.locked,)
            )

            def register_blocked(token: str) -> Answer:
                with httpx.Client(base_url=server.url, timeout=30) as client:
                    return call(client, "POST", f"/courses/{place.locked}/register", token)

            with ThreadPoolExecutor(CLIENTS) as pool:
                blocked = [pool.submit(register_blocked, token) for token in blocked_tokens]
                time.sleep(0.3)  # they are all waiting now
                health = call(probe, "GET", "/health")
                read = call(probe, "GET", f"/semesters/{place.term}/my-courses", reader)
                elsewhere = call(probe, "POST", f"/courses/{place.other}/register", other_student)
                answers = [future.result() for future in blocked]
            holder.rollback()

        assert (health.status, read.status, elsewhere.status) == (200, 200, 200)
        slowest = max(health.seconds, read.seconds, elsewhere.seconds)
        assert slowest < UNBLOCKED_BOUND, (health, read, elsewhere)
        assert {answer.status for answer in answers} == {503}
        assert all(answer.retry_after for answer in answers)
        assert max(answer.seconds for answer in answers) < BLOCKED_BOUND

        # Once the lock is gone (and the gate's short stall has passed), the section takes
        # students again.
        time.sleep(SECTION_WAIT)
        with httpx.Client(base_url=server.url, timeout=30) as client:
            again = call(client, "POST", f"/courses/{place.locked}/register", blocked_tokens[0])
        assert again.status == 200
