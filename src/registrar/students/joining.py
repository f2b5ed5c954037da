"""What the students package asks of enrollment when students join or leave.

Enrolling them in the batch's auto-enroll courses is the engine's work, and the engine imports
students; so students name only this protocol, and the endpoints pass the engine's
`enrollment.batch_courses.service.enroll_joiners` in.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.orm import Session

from registrar.auth.actor import Actor
from registrar.students.schemas import StudentOutcome


class EnrollJoiners(Protocol):
    """Enrolls students who just joined batches (student id, batch id) in those batches'
    auto-enroll courses, and says what happened to each. Enrollment is the engine's: the
    caller passes it in (`enrollment.batch_courses.service.enroll_joiners`), so students
    never import the engine that imports them."""

    def __call__(
        self,
        session: Session,
        institution_id: uuid.UUID,
        actor: Actor,
        joined: Sequence[tuple[uuid.UUID, uuid.UUID]],
    ) -> list[StudentOutcome]:
        """Enroll the joiners; what happened to each in each course."""


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
