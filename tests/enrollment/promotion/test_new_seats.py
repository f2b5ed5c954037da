"""Seats that appear go to the head of the waitlist first: nobody jumps the queue."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.notifications.models import Notification
from tests import factories
from tests.conftest import LoginFn
from tests.enrollment.support import assert_consistent


@dataclass
class Queue:
    registrar: dict[str, str]
    students: list[dict[str, str]]  # the first holds the seat, the next two wait, in order
    student_ids: list[uuid.UUID]
    section_id: uuid.UUID


@pytest.fixture
def queue(database: Database, login: LoginFn, client: TestClient) -> Queue:
    """A one-seat section: one student in it, two waiting (positions 1 and 2), one newcomer."""
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        section = factories.section(
            s, inst, factories.course(s, inst), term, capacity=1, waitlist_limit=5, slots=()
        )
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        people = [factories.student(s, inst) for _ in range(4)]
        names = (inst.tag, registrar.username, [p.roll_number for p in people])
        ids = [p.id for p in people]
        section_id = section.id
    found = Queue(
        registrar=login(names[1], factories.PASSWORD, names[0]),
        students=[login(roll, factories.PASSWORD, names[0]) for roll in names[2]],
        student_ids=ids,
        section_id=section_id,
    )
    for student in found.students[:3]:
        answer = client.post(f"/courses/{section_id}/register", headers=student)
        assert answer.is_success, answer.text
    return found


def _statuses(database: Database, section_id: uuid.UUID) -> dict[uuid.UUID, EnrollmentStatus]:
    with database.session(write=False) as s:
        rows = s.execute(
            select(Enrollment.student_id, Enrollment.status).where(
                Enrollment.section_id == section_id
            )
        )
        return {row.student_id: row.status for row in rows}


def test_a_raised_capacity_seats_the_waitlist_in_arrival_order(
    client: TestClient, database: Database, queue: Queue
) -> None:
    raised = client.patch(
        f"/api/admin/sections/{queue.section_id}",
        json={"max_students": 2},
        headers=queue.registrar,
    )
    assert raised.status_code == 200, raised.text
    body = raised.json()
    assert [p["student_id"] for p in body["promoted"]] == [str(queue.student_ids[1])]
    assert (body["enrolled"], body["waitlisted"], body["available_seats"]) == (2, 1, 0)
    statuses = _statuses(database, queue.section_id)
    assert statuses[queue.student_ids[1]] is EnrollmentStatus.ENROLLED
    assert statuses[queue.student_ids[2]] is EnrollmentStatus.WAITLISTED
    # The newcomer finds no free seat: the one that appeared went to the head of the list.
    late = client.post(f"/courses/{queue.section_id}/register", headers=queue.students[3])
    assert late.json()["status"] == "RESERVED"
    state = assert_consistent(database, queue.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (2, 2)
    with database.session(write=False) as s:
        told = s.scalars(
            select(Notification.student_id).where(Notification.event == "enrollment.promoted")
        ).all()
    assert told == [queue.student_ids[1]]


def test_seats_beyond_the_waitlist_stay_free(
    client: TestClient, database: Database, queue: Queue
) -> None:
    raised = client.patch(
        f"/api/admin/sections/{queue.section_id}",
        json={"max_students": 10},
        headers=queue.registrar,
    )
    assert raised.status_code == 200, raised.text
    promoted = [p["student_id"] for p in raised.json()["promoted"]]
    assert promoted == [str(queue.student_ids[1]), str(queue.student_ids[2])]
    state = assert_consistent(database, queue.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (3, 0)
    unchanged = client.patch(
        f"/api/admin/sections/{queue.section_id}", json={"code": "B"}, headers=queue.registrar
    )
    assert unchanged.json()["promoted"] == []


def test_a_waiting_student_sees_their_place_move_up(client: TestClient, queue: Queue) -> None:
    def place() -> list[int | None]:
        answer = client.get(
            "/api/student-portal/courses/enrolled/",
            params={"status": "WAITLISTED"},
            headers=queue.students[2],
        )
        assert answer.status_code == 200, answer.text
        return [row["enrollment"]["waitlist_position"] for row in answer.json()["enrolled_courses"]]

    assert place() == [2]
    client.patch(
        f"/api/admin/sections/{queue.section_id}",
        json={"max_students": 2},
        headers=queue.registrar,
    )
    assert place() == [1]


def test_a_deactivated_students_seat_goes_to_the_head_of_the_list(
    client: TestClient, database: Database, queue: Queue
) -> None:
    gone = client.delete(f"/api/admin/students/{queue.student_ids[0]}", headers=queue.registrar)
    assert gone.status_code == 200, gone.text
    statuses = _statuses(database, queue.section_id)
    assert statuses[queue.student_ids[0]] is EnrollmentStatus.DROPPED
    assert statuses[queue.student_ids[1]] is EnrollmentStatus.ENROLLED
    assert statuses[queue.student_ids[2]] is EnrollmentStatus.WAITLISTED
    state = assert_consistent(database, queue.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (1, 1)


def test_a_registrars_drop_gives_the_seat_to_the_head_of_the_list(
    client: TestClient, database: Database, queue: Queue
) -> None:
    with database.session(write=False) as s:
        seat = s.scalars(
            select(Enrollment.id).where(
                Enrollment.section_id == queue.section_id,
                Enrollment.student_id == queue.student_ids[0],
            )
        ).one()
    dropped = client.post(
        f"/api/admin/enrollments/{seat}/drop",
        json={"reason": "Transferred to another college"},
        headers=queue.registrar,
    )
    assert dropped.status_code == 200, dropped.text
    assert dropped.json()["promoted"]["student_id"] == str(queue.student_ids[1])
    state = assert_consistent(database, queue.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (1, 1)
