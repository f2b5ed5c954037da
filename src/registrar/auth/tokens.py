"""Signed access tokens (JWT, HS256 only)."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

import jwt

from registrar.auth.models import Role
from registrar.config import Settings
from registrar.errors import Unauthorized
from registrar.kit.columns import utcnow

ALGORITHM = "HS256"
INVALID_TOKEN = "Could not validate credentials"


@dataclass(frozen=True)
class TokenClaims:
    """What a valid token says about its bearer."""

    user_id: uuid.UUID
    institution_id: uuid.UUID
    role: Role


class TokenSubject(Protocol):
    """Whom a token is issued to: a user row or its plain view."""

    @property
    def id(self) -> uuid.UUID:
        """The user's id."""

    @property
    def institution_id(self) -> uuid.UUID:
        """The user's institution."""

    @property
    def role(self) -> Role:
        """The user's role."""


def issue_token(user: TokenSubject, settings: Settings) -> tuple[str, int]:
    """A signed token for the user and its lifetime in seconds."""
    lifetime = timedelta(minutes=settings.access_token_minutes)
    now = utcnow()
    claims = {
        "sub": str(user.id),
        "inst": str(user.institution_id),
        "role": user.role.value,
        "iss": settings.token_issuer,
        "iat": now,
        "exp": now + lifetime,
    }
    token = jwt.encode(claims, settings.signing_key(), algorithm=ALGORITHM)
    return token, int(lifetime.total_seconds())


# Tokens whose signature was checked, until they expire: a client sends the same token with
# every request, and checking it again costs more than the rest of a cached request.
_checked: dict[tuple[str, str, str], tuple[float, TokenClaims]] = {}
MAX_CHECKED = 50_000


def read_token(token: str, settings: Settings) -> TokenClaims:
    """The claims of a valid token; any flaw at all is the same 401."""
    key = (token, settings.signing_key(), settings.token_issuer)
    checked = _checked.get(key)
    if checked is not None and checked[0] > time.time():
        return checked[1]
    try:
        claims = jwt.decode(
            token,
            key[1],
            algorithms=[ALGORITHM],
            issuer=settings.token_issuer,
            options={"require": ["exp", "iat", "iss", "sub", "inst", "role"]},
        )
        found = TokenClaims(
            user_id=uuid.UUID(claims["sub"]),
            institution_id=uuid.UUID(claims["inst"]),
            role=Role(claims["role"]),
        )
        expires = float(claims["exp"])
    except (jwt.PyJWTError, ValueError, KeyError, TypeError) as error:
        raise Unauthorized(INVALID_TOKEN) from error
    if len(_checked) >= MAX_CHECKED:
        _checked.clear()
    _checked[key] = (expires, found)
    return found
