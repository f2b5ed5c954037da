"""Logging in and creating accounts."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.auth import repository
from registrar.auth.models import Role, User
from registrar.auth.passwords import burn_verification_time, hash_password, verify_password
from registrar.errors import Conflict, Unauthorized

BAD_CREDENTIALS = "Incorrect username or password"


def authenticate(session: Session, institution_id: uuid.UUID, username: str, password: str) -> User:
    """The user whose credentials these are; one message for every kind of mismatch."""
    user = repository.find_by_username(session, institution_id, username)
    if user is None or not user.is_active:
        burn_verification_time(password)
        raise Unauthorized(BAD_CREDENTIALS)
    if not verify_password(user.password_hash, password):
        raise Unauthorized(BAD_CREDENTIALS)
    return user


def create_user(
    session: Session,
    institution_id: uuid.UUID,
    *,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    email: str | None = None,
) -> User:
    """A new account; the username must be free in the institution."""
    if repository.find_by_username(session, institution_id, username) is not None:
        raise Conflict(f"Username {username!r} is already taken")
    user = User(
        institution_id=institution_id,
        username=username,
        password_hash=hash_password(password),
        role=role,
        full_name=full_name,
        email=email,
    )
    session.add(user)
    session.flush()
    return user
