"""Who acts in a request, as the engine and the audit trail name them.

One home for turning a login into an `Actor` and for finding the student behind a login, so
the portal, batch courses, the students' admin and K-12 cannot disagree about either.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from registrar.auth.models import Role, User
from registrar.auth.principal import Principal
from registrar.errors import NotFound


@dataclass(frozen=True)
class Actor:
    """Who asks: a user with a role, or the system (user_id None)."""

    user_id: uuid.UUID | None
    role: Role | None

    @property
    def is_staff(self) -> bool:
        """A registrar, an administrator, or the system itself: who may act for a student."""
        return self.user_id is None or self.role in STAFF_ROLES


STAFF_ROLES = frozenset({Role.REGISTRAR, Role.ADMIN})
SYSTEM = Actor(user_id=None, role=None)


def actor_of(who: Principal | User) -> Actor:
    """The actor for a logged-in user, or for a user a request names to act (K-12's
    `processedBy`)."""
    if isinstance(who, Principal):
        return Actor(user_id=who.user.id, role=who.role)
    return Actor(user_id=who.id, role=who.role)


def student_id_of(principal: Principal) -> uuid.UUID:
    """The student record behind the login (read with the login); the seeds' 404 for a login
    without one."""
    if principal.student_id is None:
        raise NotFound("Student not found")
    return principal.student_id
