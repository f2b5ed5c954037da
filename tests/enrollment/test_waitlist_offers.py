"""Waitlist offers: in OFFER mode a seat that opens is held for the head of the waitlist, who
accepts or declines it; an offer not answered in time passes to the next in line."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.housekeeping import Housekeeping
from registrar.institutions.models import WaitlistMode
from registrar.kit.columns import utcnow
from registrar.notifications.models import Notification
from tests import factories
from tests.conftest import LoginFn
from tests.enrollment.support import assert_consistent

ENROLL = "/api/student-portal/courses/enroll/"
DROP = "/api/student-portal/courses/drop/"
ENROLLED = "/api/student-portal/courses/enrolled/"
OFFERS = "/api/student-portal/courses/offers"


@dataclass
class Queue:
    section: uuid.UUID
    term: uuid.UUID
    students: list[uuid.UUID]
    logins: list[dict[str, str]]
    registrar: dict[str, str]


def _queue(database: Database, login: LoginFn, *, mode: WaitlistMode | None) -> Queue:
    """A one-seat section; the institution offers seats for 24 hours, the section as `mode`."""
    with database.session() as s:
        inst = factories.institution(s, waitlist_mode=WaitlistMode.OFFER, offer_hours=24)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        course = factories.course(s, inst, code="CS302", title="Database Management Systems")
        section = factories.section(s, inst, course, term, capacity=1, slots=())
        section.waitlist_mode = mode
        pupils = [factories.student(s, inst) for _ in range(4)]
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        names = [inst.tag, registrar.username, *(p.roll_number for p in pupils)]
        ids = (section.id, [p.id for p in pupils], term.id)
    tag = names[0]
    return Queue(
        section=ids[0],
        term=ids[2],
        students=ids[1],
        logins=[login(roll, factories.PASSWORD, tag) for roll in names[2:]],
        registrar=login(names[1], factories.PASSWORD, tag),
    )


def _enroll(client: TestClient, queue: Queue, who: int) -> dict[str, object]:
    answer = client.post(
        ENROLL, json={"course_section_id": str(queue.section)}, headers=queue.logins[who]
    )
    assert answer.status_code == 201, answer.text
    enrollment: dict[str, object] = answer.json()["enrollment"]
    return enrollment


def _status(database: Database, queue: Queue, who: int) -> Enrollment:
    with database.session(write=False) as s:
        row = s.scalar(
            select(Enrollment).where(
                Enrollment.section_id == queue.section,
                Enrollment.student_id == queue.students[who],
            )
        )
    assert row is not None
    return row


def _full_with_a_queue(client: TestClient, queue: Queue) -> str:
    """Student 0 seated, 1 and 2 waiting; student 0 drops: the seat is offered to student 1."""
    seat = str(_enroll(client, queue, 0)["id"])
    for who in (1, 2):
        assert _enroll(client, queue, who)["status"] == "WAITLISTED"
    dropped = client.post(DROP, json={"enrollment_id": seat}, headers=queue.logins[0])
    assert dropped.status_code == 200, dropped.text
    assert dropped.json()["promoted"]["student_id"] == str(queue.students[1])
    return str(_status_id(client, queue, 1))


def _status_id(client: TestClient, queue: Queue, who: int) -> str:
    listed = client.get(f"{ENROLLED}?status=OFFERED", headers=queue.logins[who]).json()
    [offer] = listed["enrolled_courses"]
    assert offer["enrollment"]["status"] == "OFFERED"
    assert offer["enrollment"]["offer_expires_at"]
    return str(offer["enrollment_id"])


def test_a_freed_seat_is_held_for_the_head_who_accepts_it(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    queue = _queue(database, login, mode=None)  # the institution's OFFER mode
    offer = _full_with_a_queue(client, queue)
    held = _status(database, queue, 1)
    assert held.offer_expires_at is not None
    hours = (held.offer_expires_at - utcnow()).total_seconds() / 3600
    assert 23.9 < hours <= 24
    # The held seat is nobody else's: a newcomer queues behind student 2.
    late = _enroll(client, queue, 3)
    assert (late["status"], late["waitlist_position"]) == ("WAITLISTED", 2)
    assert_consistent(database, queue.section)

    accepted = client.post(f"{OFFERS}/{offer}/accept", headers=queue.logins[1])
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["enrollment"]["status"] == "ENROLLED"
    assert _status(database, queue, 1).status is EnrollmentStatus.ENROLLED
    assert_consistent(database, queue.section)
    with database.session(write=False) as s:
        events = set(
            s.scalars(
                select(Notification.event).where(Notification.student_id == queue.students[1])
            )
        )
    assert {"enrollment.offered", "enrollment.enrolled"} <= events
    again = client.post(f"{OFFERS}/{offer}/accept", headers=queue.logins[1])
    assert again.status_code == 400


def test_a_declined_offer_passes_to_the_next_in_line(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    queue = _queue(database, login, mode=None)
    offer = _full_with_a_queue(client, queue)
    stranger = client.post(f"{OFFERS}/{offer}/decline", headers=queue.logins[2])
    assert stranger.status_code == 404
    declined = client.post(f"{OFFERS}/{offer}/decline", headers=queue.logins[1])
    assert declined.status_code == 200, declined.text
    assert declined.json()["promoted"]["student_id"] == str(queue.students[2])
    assert _status(database, queue, 1).status is EnrollmentStatus.DROPPED
    assert _status(database, queue, 2).status is EnrollmentStatus.OFFERED
    assert_consistent(database, queue.section)


def test_an_offer_not_answered_in_time_is_passed_on_by_the_worker(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    queue = _queue(database, login, mode=None)
    offer = _full_with_a_queue(client, queue)
    with database.session() as s:
        s.execute(
            update(Enrollment)
            .where(Enrollment.id == uuid.UUID(offer))
            .values(offer_expires_at=utcnow() - timedelta(minutes=1))
        )
    late = client.post(f"{OFFERS}/{offer}/accept", headers=queue.logins[1])
    assert (late.status_code, late.json()["code"]) == (409, "OFFER_EXPIRED")
    assert Housekeeping(database).expire_offers() == 1
    gone = _status(database, queue, 1)
    assert (gone.status, gone.drop_reason) == (EnrollmentStatus.DROPPED, "The offer expired")
    assert _status(database, queue, 2).status is EnrollmentStatus.OFFERED
    assert Housekeeping(database).expire_offers() == 0  # the new offer has its own 24 hours
    assert_consistent(database, queue.section)
    with database.session(write=False) as s:
        told = s.scalars(
            select(Notification.event).where(Notification.student_id == queue.students[1])
        ).all()
    assert "enrollment.offer_expired" in told


def test_a_section_may_move_its_waitlist_at_once_whatever_the_institution_does(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    queue = _queue(database, login, mode=WaitlistMode.AUTO_ENROLL)
    seat = str(_enroll(client, queue, 0)["id"])
    _enroll(client, queue, 1)
    client.post(DROP, json={"enrollment_id": seat}, headers=queue.logins[0])
    assert _status(database, queue, 1).status is EnrollmentStatus.ENROLLED


def test_a_raised_capacity_offers_its_new_seats_in_order(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    queue = _queue(database, login, mode=None)
    for who in range(3):
        _enroll(client, queue, who)
    raised = client.patch(
        f"/api/admin/sections/{queue.section}", json={"max_students": 2}, headers=queue.registrar
    )
    assert raised.status_code == 200, raised.text
    assert [p["student_id"] for p in raised.json()["promoted"]] == [str(queue.students[1])]
    assert _status(database, queue, 1).status is EnrollmentStatus.OFFERED
    assert _status(database, queue, 2).waitlist_position == 1
    assert_consistent(database, queue.section)


def test_the_registrar_sets_the_mode_for_the_institution_and_a_section(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    queue = _queue(database, login, mode=None)
    url = "/api/admin/institution/policy"
    assert client.get(url, headers=queue.registrar).json()["waitlist_mode"] == "OFFER"
    changed = client.patch(
        url, json={"waitlist_mode": "AUTO_ENROLL", "offer_hours": 12}, headers=queue.registrar
    )
    assert changed.status_code == 200, changed.text
    assert (changed.json()["waitlist_mode"], changed.json()["offer_hours"]) == ("AUTO_ENROLL", 12)
    refused = client.patch(url, json={"offer_hours": 0}, headers=queue.registrar)
    assert refused.status_code == 422
    student = client.patch(url, json={"offer_hours": 5}, headers=queue.logins[0])
    assert student.status_code == 403
    section = client.patch(
        f"/api/admin/sections/{queue.section}",
        json={"waitlist_mode": "OFFER", "offer_hours": 6},
        headers=queue.registrar,
    )
    assert (section.json()["waitlist_mode"], section.json()["offer_hours"]) == ("OFFER", 6)
    _full_with_a_queue(client, queue)  # the section's OFFER wins over the institution's
    held = _status(database, queue, 1)
    assert held.offer_expires_at is not None
    assert (held.offer_expires_at - utcnow()) <= timedelta(hours=6)
    audited = client.get(
        "/api/admin/audit?action=institution.policy_updated", headers=queue.registrar
    )
    assert audited.json()["total"] == 1


def test_a_waiting_student_sees_how_fast_the_list_moves(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    queue = _queue(database, login, mode=WaitlistMode.AUTO_ENROLL)
    seat = str(_enroll(client, queue, 0)["id"])
    for who in (1, 2):
        _enroll(client, queue, who)

    def seen_by_the_last() -> dict[str, object]:
        listed = client.get(f"{ENROLLED}?status=WAITLISTED", headers=queue.logins[2]).json()
        [row] = listed["enrolled_courses"]
        details: dict[str, object] = row["enrollment"]
        return details

    before = seen_by_the_last()
    assert (before["waitlist_position"], before["seats_to_waitlist_last_7_days"]) == (2, 0)
    client.post(DROP, json={"enrollment_id": seat}, headers=queue.logins[0])
    after = seen_by_the_last()
    assert (after["waitlist_position"], after["seats_to_waitlist_last_7_days"]) == (1, 1)


def test_a_seed_002_client_sees_the_offered_seat_as_reserved_and_may_give_it_up(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    queue = _queue(database, login, mode=None)
    _full_with_a_queue(client, queue)
    mine = client.get(f"/semesters/{queue.term}/my-courses", headers=queue.logins[1]).json()
    assert [course["status"] for course in mine] == ["RESERVED"]
    given_up = client.post(f"/courses/{queue.section}/drop", headers=queue.logins[1])
    assert given_up.status_code == 200, given_up.text
    assert _status(database, queue, 2).status is EnrollmentStatus.OFFERED
    assert_consistent(database, queue.section)
