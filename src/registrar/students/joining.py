"""What the students package asks of enrollment when students join or leave.

Enrolling them in a batch's courses and dropping them from the old batch's is the engine's work,
and the engine imports students; so students name only these protocols (their shapes are in
`students.schemas`), and the endpoints pass the enrollment package's implementations in
(`enrollment.batch_courses.subscriptions.SUBSCRIPTIONS`, `enrollment.engine.release_places`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from registrar.auth.actor import Actor
from registrar.students.schemas import EnrollmentPlan, Reconciled


class ReleasePlaces(Protocol):
    """Gives up every seat and waitlist place a student holds (to the heads of the waitlists):
    `enrollment.engine.release_places`."""

    def __call__(
        self,
        session: Session,
        *,
        institution_id: uuid.UUID,
        student_id: uuid.UUID,
        actor: Actor,
        reason: str,
    ) -> Sequence[object]:
        """Release the places; what was dropped."""


@dataclass(frozen=True)
class BatchMove:
    """A student leaving one batch (or none) for another (or none)."""

    student_id: uuid.UUID
    roll_number: str
    from_batch_id: uuid.UUID | None
    to_batch_id: uuid.UUID | None


class Subscriptions(Protocol):
    """Keeps students' enrollments true to their batch: a student who moves loses the old
    batch's courses the new one does not share and gets the new one's auto-enroll courses
    (`enrollment.batch_courses.subscriptions.SUBSCRIPTIONS`). `plan` writes nothing; `carry_out`
    does exactly what the plan says, through the engine."""

    def plan(
        self, session: Session, institution_id: uuid.UUID, moves: Sequence[BatchMove]
    ) -> list[EnrollmentPlan]:
        """What moving these students would do to their enrollments, in the order given."""

    def carry_out(
        self,
        session: Session,
        institution_id: uuid.UUID,
        actor: Actor,
        plans: Sequence[EnrollmentPlan],
    ) -> list[Reconciled]:
        """Drop, enroll and relink as planned; what happened to each student."""
