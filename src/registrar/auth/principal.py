"""Who is asking: the user behind a token and their institution, as plain values.

Every authenticated request needs them, and they change rarely (a deactivation, a new grade
scale), so each worker keeps them for a few seconds instead of reading them on every request.
A deactivation in this process forgets the user at once; other worker processes and replicas
notice within the cache's lifetime (`AUTH_CACHE_SECONDS`).
"""

from __future__ import annotations

import threading
import time
import uuid
import weakref
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from registrar.auth.models import Role, User
from registrar.auth.tokens import TokenClaims
from registrar.institutions.models import Institution, InstitutionKind


@dataclass(frozen=True)
class UserRef:
    """A logged-in user."""

    id: uuid.UUID
    institution_id: uuid.UUID
    username: str
    role: Role
    full_name: str
    email: str | None

    @classmethod
    def of(cls, user: User) -> UserRef:
        """The plain view of a user row."""
        return cls(
            id=user.id,
            institution_id=user.institution_id,
            username=user.username,
            role=user.role,
            full_name=user.full_name,
            email=user.email,
        )


@dataclass(frozen=True)
class InstitutionRef:
    """The user's institution: its identity and the policies requests read."""

    id: uuid.UUID
    tag: str
    name: str
    kind: InstitutionKind
    grade_scale: tuple[dict[str, Any], ...]
    gpa_scale_max: Decimal
    passing_grade_points: Decimal
    min_credits: int
    max_credits: int
    default_waitlist_limit: int
    # A passed course may be repeated for a better grade; the best attempt then counts.
    allow_grade_improvement: bool = False

    @classmethod
    def of(
        cls, institution: Institution | Any, institution_id: uuid.UUID | None = None
    ) -> InstitutionRef:
        """The plain view of an institution: its ORM row, or any row with the same column names
        (the principal's query, whose own `id` is the user's, passes the institution's id)."""
        values = {f.name: getattr(institution, f.name) for f in fields(cls) if f.name != "id"}
        values["grade_scale"] = tuple(values["grade_scale"] or ())
        return cls(id=institution_id or institution.id, **values)


@dataclass(frozen=True)
class Principal:
    """The authenticated user, their institution, and the student record behind a student's
    login (None for staff, or a student login with no record)."""

    user: UserRef
    institution: InstitutionRef
    student_id: uuid.UUID | None = None

    @property
    def role(self) -> Role:
        """The user's role."""
        return self.user.role


class PrincipalCache:
    """Principals by user id, each kept for `ttl` seconds (0 keeps nothing)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._entries: dict[uuid.UUID, tuple[float, Principal]] = {}
        self._lock = threading.Lock()
        _caches.add(self)

    def get(self, claims: TokenClaims) -> Principal | None:
        """The cached principal for the token's user, if fresh and as the token says."""
        entry = self._entries.get(claims.user_id)
        if entry is None:
            return None
        expires, principal = entry
        if expires < time.monotonic():
            self.forget(claims.user_id)
            return None
        if principal.role is not claims.role or principal.institution.id != claims.institution_id:
            return None
        return principal

    def put(self, principal: Principal) -> None:
        """Keep a principal just read from the database."""
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()  # a crude bound: refilling costs one read per user
            self._entries[principal.user.id] = (time.monotonic() + self.ttl, principal)

    def forget(self, user_id: uuid.UUID) -> None:
        """Drop one user."""
        with self._lock:
            self._entries.pop(user_id, None)

    def clear(self) -> None:
        """Drop everyone (an institution changed)."""
        with self._lock:
            self._entries.clear()


MAX_ENTRIES = 100_000
_caches: weakref.WeakSet[PrincipalCache] = weakref.WeakSet()


def forget(user_ids: list[uuid.UUID] | None = None) -> None:
    """Forget users (all of them when None) in every cache of this process."""
    for cache in list(_caches):
        if user_ids is None:
            cache.clear()
        else:
            for user_id in user_ids:
                cache.forget(user_id)
