"""Two registrars booking the same room at the same time: exactly one of them gets it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from registrar.academics.models import CourseSection, TimetableSlot
from registrar.db import Database
from tests import factories
from tests.academics.conftest import Office, institution

ATTEMPTS = 6


def test_concurrent_bookings_of_one_room_admit_exactly_one(
    client: TestClient, database: Database, office: Office
) -> None:
    with database.session() as session:
        inst = institution(session, office.institution_id)
        year = factories.academic_year(session, inst)
        term = factories.term(session, inst, year)
        courses = [factories.course(session, inst).id for _ in range(ATTEMPTS)]
        room = factories.room(session, inst, "LH-1")
        term_id, room_id = term.id, room.id
    start = threading.Barrier(ATTEMPTS)

    def book(n: int) -> int:
        payload = {
            "course_id": str(courses[n]),
            "term_id": str(term_id),
            "code": f"RACE-{n}",
            "max_students": 30,
            "timetable": [
                {"day": "TUESDAY", "start_time": "11:00", "end_time": "12:00", "room": "LH-1"}
            ],
        }
        # One app, one event loop: the threads' requests run in it side by side.
        start.wait()
        response = client.post("/api/admin/sections", json=payload, headers=office.headers)
        return int(response.status_code)

    with ThreadPoolExecutor(ATTEMPTS) as pool:
        codes = sorted(pool.map(book, range(ATTEMPTS)))
    assert codes == [201] + [409] * (ATTEMPTS - 1)
    with database.session(write=False) as session:
        booked = session.scalar(
            select(func.count())
            .select_from(TimetableSlot)
            .join(CourseSection, CourseSection.id == TimetableSlot.section_id)
            .where(TimetableSlot.room_id == room_id, CourseSection.is_active.is_(True))
        )
    assert booked == 1
