"""What the engine takes and gives: who acts, and what an enroll or a drop did."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from registrar.auth.models import Role
from registrar.enrollment.catalog import CatalogSection
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.enrollment.rules import Violation
from registrar.errors import RegistrarError


@dataclass(frozen=True)
class Actor:
    """Who asks: a user with a role, or the system (user_id None)."""

    user_id: uuid.UUID | None
    role: Role | None


SYSTEM = Actor(user_id=None, role=None)


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


@dataclass(frozen=True)
class DropOutcome:
    """The dropped (or withdrawn) enrollment, its section, and whoever took the seat."""

    enrollment: EnrollmentRecord
    section: CatalogSection
    promoted: EnrollmentRecord | None
    promoted_from_position: int | None


class EnrollmentNotActive(RegistrarError):
    status_code = 400
    code = "enrollment_not_active"
