"""The student portal's enroll endpoint under a rush, through a live server.

This endpoint returns a response model, which FastAPI validates on a worker thread before the
session commits; without the app's admission limit, 200 simultaneous enrollments exhaust the
worker threads behind one section's row lock and the server stops answering.
"""

from __future__ import annotations

from collections import Counter

import pytest

from registrar.db import Database
from tests.concurrency.conftest import fire
from tests.concurrency.test_registration_race import crowd, rows
from tests.enrollment.support import assert_consistent
from tests.live import LiveServer

pytestmark = pytest.mark.concurrency

ENROLL = "/api/student-portal/courses/enroll/"


def test_200_students_rush_one_portal_section(database: Database, live_server: LiveServer) -> None:
    c = crowd(database, live_server, size=200, capacity=30, waitlist=10)
    body = {"course_section_id": str(c.section_id), "enrollment_type": "REGULAR"}
    replies = fire(live_server, [("POST", ENROLL, token, body) for token in c.tokens])

    outcomes = Counter((r.status, r.body.get("enrollment", {}).get("status")) for r in replies)
    assert outcomes == {(201, "ENROLLED"): 30, (201, "WAITLISTED"): 10, (409, None): 160}
    assert all(r.body["error"] == "Course section is full" for r in replies if r.status == 409)
    state = assert_consistent(database, c.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (30, 10)
    positions = sorted(
        r.waitlist_position or 0 for r in rows(database, c.section_id) if r.waitlist_position
    )
    assert positions == list(range(1, 11))
