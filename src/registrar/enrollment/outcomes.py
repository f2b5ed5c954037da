"""What the engine gives: what an enroll or a drop did, and its refusals as the client sees them.

This is the edge between the pure rules and HTTP: which status a broken rule answers with is
decided here, not in `rules.py`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from registrar.enrollment.catalog import CatalogSection
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.enrollment.rules import RuleCode, Violation
from registrar.errors import RegistrarError

# A refusal is a 400 (the request breaks a rule) unless another request holds what was asked
# for: a place already taken by this student, or the section's last seat.
CONFLICTS: frozenset[RuleCode] = frozenset({RuleCode.ALREADY_ENROLLED, RuleCode.CAPACITY})


def status_of(code: RuleCode) -> int:
    """The HTTP status of a refusal on this rule."""
    return 409 if code in CONFLICTS else 400


class EnrollmentRefused(RegistrarError):
    """An enrollment a rule forbids, answered with the rule's status (`status_of`)."""

    def __init__(self, violation: Violation) -> None:
        super().__init__(violation.message, details=violation.details)
        self.violation = violation
        self.code = violation.code.value
        self.status_code = status_of(violation.code)

    def body(self) -> dict[str, Any]:
        """The seed's error body, with the rule's code beside it."""
        return {"error": self.message, **self.details, "code": self.violation.code.value}


@dataclass(frozen=True)
class EnrollmentRecord:
    """An enrollment row as the engine wrote it: plain values, no ORM object."""

    id: uuid.UUID
    institution_id: uuid.UUID
    student_id: uuid.UUID
    section_id: uuid.UUID
    status: EnrollmentStatus
    enrollment_type: EnrollmentType
    enrollment_date: date
    grade: str | None
    grade_points: Decimal | None
    attendance_percentage: Decimal | None
    waitlist_position: int | None
    notes: str
    drop_reason: str | None
    enrolled_at: datetime | None
    waitlisted_at: datetime | None
    dropped_at: datetime | None
    completed_at: datetime | None
    # An OFFERED seat's deadline to accept.
    offer_expires_at: datetime | None = None

    @classmethod
    def of(cls, row: Any) -> EnrollmentRecord:
        """From a row (or an ORM object) that has every field."""
        return cls(**{name: getattr(row, name) for name in _FIELDS})


_FIELDS = tuple(f.name for f in fields(EnrollmentRecord))


@dataclass(frozen=True)
class EnrollOutcome:
    """The enrollment (ENROLLED or WAITLISTED), its section, and the warnings the rules raised."""

    enrollment: EnrollmentRecord
    section: CatalogSection
    warnings: list[Violation] = field(default_factory=list)
    # The rules a registrar's overrides set aside for this enrollment (recorded in its audit).
    overridden: list[RuleCode] = field(default_factory=list)
    # The linked LAB or TUTORIAL sections taken with this lecture, in the order asked.
    linked: list[EnrollOutcome] = field(default_factory=list)


@dataclass(frozen=True)
class DropOutcome:
    """The dropped (or withdrawn) enrollment, its section, and whoever took the seat."""

    enrollment: EnrollmentRecord
    section: CatalogSection
    promoted: EnrollmentRecord | None
    promoted_from_position: int | None
    # The student's places in the lecture's linked sections, dropped with it.
    linked: list[DropOutcome] = field(default_factory=list)


class EnrollmentNotActive(RegistrarError):
    status_code = 400
    code = "enrollment_not_active"


class OfferExpired(RegistrarError):
    """An offered seat answered after its time: it is no longer the student's to take."""

    status_code = 409
    code = "OFFER_EXPIRED"

    def body(self) -> dict[str, Any]:
        """The message, the offer's deadline, and the code, as a rule's refusal carries it."""
        return {**super().body(), "code": self.code}

    def __init__(self, expired_at: datetime) -> None:
        super().__init__(
            "The offer of this seat has expired",
            details={"offer_expires_at": expired_at.isoformat()},
        )
