"""What the engine takes and gives: who acts, and what an enroll or a drop did."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from registrar.auth.models import Role
from registrar.enrollment.models import Enrollment
from registrar.enrollment.rules import Violation
from registrar.errors import RegistrarError


@dataclass(frozen=True)
class Actor:
    """Who asks: a user with a role, or the system (user_id None)."""

    user_id: uuid.UUID | None
    role: Role | None


SYSTEM = Actor(user_id=None, role=None)


@dataclass(frozen=True)
class EnrollOutcome:
    """The enrollment (ENROLLED or WAITLISTED) and the warnings the rules raised."""

    enrollment: Enrollment
    warnings: list[Violation] = field(default_factory=list)


@dataclass(frozen=True)
class DropOutcome:
    """The dropped (or withdrawn) enrollment and whoever took the seat from the waitlist."""

    enrollment: Enrollment
    promoted: Enrollment | None
    promoted_from_position: int | None


class EnrollmentNotActive(RegistrarError):
    status_code = 400
    code = "enrollment_not_active"
