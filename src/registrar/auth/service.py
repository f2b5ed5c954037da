"""Logging in and creating accounts."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registrar.auth import repository
from registrar.auth.models import Role, User
from registrar.auth.passwords import burn_verification_time, hash_password, verify_password
from registrar.db import Database
from registrar.errors import Conflict, Unauthorized

BAD_CREDENTIALS = "Incorrect username or password"


def authenticate(
    database: Database, institution_id: uuid.UUID, username: str, password: str
) -> User:
    """The user whose credentials these are; one message for every kind of mismatch.

    The account is read in a short session of its own: the password check that follows is
    slow on purpose, and a pooled connection must not wait idle through it.
    """
    with database.session(write=False) as session:
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
    taken = Conflict(f"Username {username!r} is already taken")
    if repository.find_by_username(session, institution_id, username) is not None:
        raise taken
    user = User(
        institution_id=institution_id,
        username=username,
        password_hash=hash_password(password),
        role=role,
        full_name=full_name,
        email=email,
    )
    session.flush()  # earlier pending rows fail here, not under the savepoint below
    try:
        # A concurrent insert of the same name passes the check above; the unique constraint
        # still refuses it, and the savepoint keeps the caller's transaction usable.
        with session.begin_nested():
            session.add(user)
    except IntegrityError as error:
        raise taken from error
    return user
