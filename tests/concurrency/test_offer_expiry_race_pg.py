"""An offer accepted at the moment it expires: exactly one of the two answers wins.

The student's accept and the worker's expiry both lock the student, the section and the
enrollment in the engine's one order, and each judges the offer's time again under those
locks: either the student has the seat, or it has passed to the next in line, never both.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment import engine, offers
from registrar.enrollment.engine import Actor
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.enrollment.outcomes import OfferExpired
from registrar.institutions.models import WaitlistMode
from registrar.kit.columns import utcnow
from tests import factories
from tests.enrollment.support import assert_consistent

ROUNDS = 30


@dataclass
class Offer:
    institution_id: uuid.UUID
    section_id: uuid.UUID
    offer_id: uuid.UUID
    holder: uuid.UUID  # the student offered the seat
    next_in_line: uuid.UUID
    actor: Actor


def _offer(database: Database) -> Offer:
    """A one-seat section in OFFER mode: the seat offered to the head, one more waiting."""
    with database.session() as s:
        inst = factories.institution(s, waitlist_mode=WaitlistMode.OFFER, offer_hours=1)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        section = factories.section(s, inst, factories.course(s, inst), term, capacity=1)
        clerk = factories.user(s, inst, role=Role.REGISTRAR)
        actor = Actor(clerk.id, Role.REGISTRAR)
        students = [factories.student(s, inst, with_login=False).id for _ in range(3)]
        ids = [
            engine.enroll(
                s, institution_id=inst.id, student_id=student, section_id=section.id, actor=actor
            ).enrollment.id
            for student in students
        ]
        engine.drop(s, institution_id=inst.id, enrollment_id=ids[0], actor=actor)
        return Offer(inst.id, section.id, ids[1], students[1], students[2], actor)


def _race(database: Database, offer: Offer, expires_in: float) -> tuple[str, str]:
    """Accept and expire, both released when the offer's time comes."""
    deadline = utcnow() + timedelta(seconds=expires_in)
    with database.session() as s:
        s.execute(
            update(Enrollment)
            .where(Enrollment.id == offer.offer_id)
            .values(offer_expires_at=deadline)
        )
    start = threading.Barrier(2)

    def accept() -> str:
        start.wait()
        time.sleep(max((deadline - utcnow()).total_seconds(), 0))
        try:
            with database.session() as s:
                engine.accept_offer(
                    s,
                    institution_id=offer.institution_id,
                    enrollment_id=offer.offer_id,
                    actor=offer.actor,
                )
        except OfferExpired:
            return "too late"
        return "accepted"

    def expire() -> str:
        start.wait()
        time.sleep(max((deadline - utcnow()).total_seconds(), 0))
        with database.session() as s:
            passed = offers.expire(
                s, institution_id=offer.institution_id, enrollment_id=offer.offer_id
            )
        return "expired" if passed is not None else "kept"

    with ThreadPoolExecutor(2) as pool:
        accepted, expired = pool.submit(accept), pool.submit(expire)
        return accepted.result(), expired.result()


def _statuses(database: Database, offer: Offer) -> dict[uuid.UUID, EnrollmentStatus]:
    with database.session(write=False) as s:
        rows = s.execute(
            select(Enrollment.student_id, Enrollment.status).where(
                Enrollment.section_id == offer.section_id
            )
        ).all()
    return dict(rows)


@pytest.mark.postgres
def test_accept_at_the_moment_of_expiry_gives_the_seat_to_exactly_one(pg: Database) -> None:
    seen: set[tuple[str, str]] = set()
    for round_ in range(ROUNDS):
        offer = _offer(pg)
        # Some rounds release both a little before the deadline, some after: the accept wins
        # only before it, and only if it locks first.
        answers = _race(pg, offer, expires_in=0.05 + (round_ % 3) * 0.01)
        seen.add(answers)
        statuses = _statuses(pg, offer)
        if answers[0] == "accepted":
            assert answers[1] == "kept", answers
            assert statuses[offer.holder] is EnrollmentStatus.ENROLLED
            assert statuses[offer.next_in_line] is EnrollmentStatus.WAITLISTED
        else:
            assert answers == ("too late", "expired"), answers
            assert statuses[offer.holder] is EnrollmentStatus.DROPPED
            assert statuses[offer.next_in_line] is EnrollmentStatus.OFFERED
        assert_consistent(pg, offer.section_id)
    assert seen <= {("accepted", "kept"), ("too late", "expired")}, seen
