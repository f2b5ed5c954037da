"""Races through the real HTTP app: seats, waitlist order, promotion order, double submits.

Each test runs on PostgreSQL and on SQLite (the `database` fixture), against uvicorn serving
the app in a thread, with every request on its own client and connection, released together.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import time

import pytest
from sqlalchemy import select

from registrar.academics.models import Weekday
from registrar.db import Database
from registrar.enrollment import engine
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from tests import factories
from tests.concurrency.conftest import Request, fire, tokens_for
from tests.enrollment.support import assert_consistent
from tests.live import LiveServer

pytestmark = pytest.mark.concurrency

FULL_BODY = {
    "error": "Course section is full",
    "available_seats": 0,
    "waitlist_available": False,
    "code": "CAPACITY",
}


@dataclass
class Crowd:
    institution_id: uuid.UUID
    section_id: uuid.UUID
    students: list[uuid.UUID]
    tokens: list[str]


def crowd(database: Database, server: LiveServer, size: int, capacity: int, waitlist: int) -> Crowd:
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        crs = factories.course(s, inst, code="CS302")
        section = factories.section(
            s,
            inst,
            crs,
            term,
            capacity=capacity,
            waitlist_limit=waitlist,
            slots=((Weekday.THURSDAY, time(14), time(16)),),
        )
        people = [factories.student(s, inst) for _ in range(size)]
        ids = (inst.id, section.id, [p.id for p in people], [p.user_id for p in people])
    user_ids = [uid for uid in ids[3] if uid is not None]
    return Crowd(ids[0], ids[1], ids[2], tokens_for(database, server.settings, user_ids))


def rows(database: Database, section_id: uuid.UUID) -> list[Enrollment]:
    with database.session(write=False) as s:
        query = select(Enrollment).where(Enrollment.section_id == section_id)
        return list(s.scalars(query))


def test_200_students_race_for_30_seats_and_10_reserve_places(
    database: Database, live_server: LiveServer
) -> None:
    c = crowd(database, live_server, size=200, capacity=30, waitlist=10)
    path = f"/courses/{c.section_id}/register"
    replies = fire(live_server, [("POST", path, token, None) for token in c.tokens])

    outcomes = Counter((r.status, r.body.get("status")) for r in replies)
    assert outcomes == {(200, "ENROLLED"): 30, (200, "RESERVED"): 10, (409, None): 160}
    assert all(r.body == FULL_BODY for r in replies if r.status == 409)
    told = {c.students[r.index]: r.body["reserve_position"] for r in replies if r.status == 200}

    state = assert_consistent(database, c.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (30, 10)
    stored = rows(database, c.section_id)
    waiting = sorted(
        (r for r in stored if r.status is EnrollmentStatus.WAITLISTED),
        key=lambda r: r.waitlist_position or 0,
    )
    enrolled = [r for r in stored if r.status is EnrollmentStatus.ENROLLED]
    assert len(enrolled) == 30
    assert [r.waitlist_position for r in waiting] == list(range(1, 11))
    # Positions follow commit order: each was stamped under the section's row lock.
    stamps = [r.waitlisted_at for r in waiting if r.waitlisted_at is not None]
    assert len(stamps) == 10
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 10
    # Nobody was waitlisted before the last seat was taken.
    last_seat = max(r.enrolled_at for r in enrolled if r.enrolled_at is not None)
    assert last_seat < stamps[0]
    # What each client was told is what the database holds.
    assert {r.student_id: r.waitlist_position for r in stored} == told


def test_drops_racing_new_registrations_promote_in_waitlist_order(
    database: Database, live_server: LiveServer
) -> None:
    c = crowd(database, live_server, size=70, capacity=30, waitlist=10)
    with database.session() as s:
        for student in c.students[:40]:
            engine.enroll(
                s,
                institution_id=c.institution_id,
                student_id=student,
                section_id=c.section_id,
                actor=engine.SYSTEM,
            )
    queue = c.students[30:40]  # positions 1..10, in order
    drops = 8
    requests: list[Request] = [
        ("POST", f"/courses/{c.section_id}/drop", token, None) for token in c.tokens[:drops]
    ]
    newcomers = list(range(40, 70))
    requests += [
        ("POST", f"/courses/{c.section_id}/register", c.tokens[i], None) for i in newcomers
    ]
    replies = fire(live_server, requests)

    drop_replies = replies[:drops]
    assert all(r.status == 200 for r in drop_replies)
    assert all(r.body["promoted_from_position"] == 1 for r in drop_replies)
    promoted = {uuid.UUID(r.body["promoted_student_id"]) for r in drop_replies}
    assert promoted == set(queue[:drops])  # exactly the first eight, nobody else

    joined = [r for r in replies[drops:] if r.status == 200]
    assert all(r.body["status"] == "RESERVED" for r in joined)  # no seat ever came free
    assert len(joined) <= drops
    assert all(r.body == FULL_BODY for r in replies[drops:] if r.status == 409)

    state = assert_consistent(database, c.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (30, 2 + len(joined))
    stored = {r.student_id: r for r in rows(database, c.section_id)}
    # Promotions happened in queue order: each was stamped under the section's row lock.
    promotion_order = sorted(queue[:drops], key=lambda sid: stored[sid].enrolled_at or 0)
    assert promotion_order == queue[:drops]
    # The two left of the old queue lead; newcomers follow in the order they committed.
    waitlist = state["waitlist"]
    assert isinstance(waitlist, list)
    assert waitlist[:2] == queue[drops:]
    newcomer_ids = waitlist[2:]
    assert newcomer_ids == sorted(newcomer_ids, key=lambda sid: stored[sid].waitlisted_at or 0)
    # Each newcomer was told the position it joined at; every promotion committed after that
    # moved it one place forward, and nothing else did.
    told = {c.students[newcomers[r.index - drops]]: r.body["reserve_position"] for r in joined}
    assert set(told) == set(newcomer_ids)
    promoted_at = [stored[sid].enrolled_at for sid in queue[:drops]]
    for sid in newcomer_ids:
        joined_at = stored[sid].waitlisted_at
        assert joined_at is not None
        later = sum(1 for at in promoted_at if at is not None and at > joined_at)
        assert stored[sid].waitlist_position == told[sid] - later


def test_the_same_request_twice_at_once_enrolls_once(
    database: Database, live_server: LiveServer
) -> None:
    c = crowd(database, live_server, size=25, capacity=100, waitlist=10)
    path = f"/courses/{c.section_id}/register"
    requests: list[Request] = [("POST", path, token, None) for token in c.tokens for _ in (1, 2)]
    replies = fire(live_server, requests)

    for i, student in enumerate(c.students):
        pair = sorted(r.status for r in replies[2 * i : 2 * i + 2])
        assert pair == [200, 409], (student, pair)
    duplicates = [r.body for r in replies if r.status == 409]
    assert all(body["code"] == "ALREADY_ENROLLED" for body in duplicates)
    stored = rows(database, c.section_id)
    assert sorted(r.student_id for r in stored) == sorted(c.students)
    state = assert_consistent(database, c.section_id)
    assert state["enrolled_count"] == 25
