"""Logging in and creating accounts."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registrar.auth import repository
from registrar.auth.models import Role, User
from registrar.auth.passwords import (
    HashingPool,
    burn_verification_time,
    hash_password,
    needs_rehash,
    verify_password,
)
from registrar.auth.principal import Principal, UserRef
from registrar.auth.tokens import INVALID_TOKEN, TokenClaims
from registrar.db import AsyncDatabase
from registrar.errors import Conflict, Unauthorized

BAD_CREDENTIALS = "Incorrect username or password"


def load_principal(session: Session, claims: TokenClaims) -> Principal:
    """The user a token names, still active, with the role the token names, and their
    (active) institution; the same 401 for anything else. One query."""
    found = repository.principal_of(session, claims.institution_id, claims.user_id)
    if found is None or found.user.role is not claims.role:
        raise Unauthorized(INVALID_TOKEN)
    return found


async def authenticate(
    serving: AsyncDatabase,
    hashing: HashingPool,
    institution_id: uuid.UUID,
    username: str,
    password: str,
) -> UserRef:
    """The user whose credentials these are; one message for every kind of mismatch.

    The account is read in a short session of its own: the password check that follows is
    slow on purpose, and a pooled connection must not wait idle through it. A hash made with
    older parameters is replaced by one made with today's.
    """
    async with serving.session(write=False) as session:
        account = await session.run_sync(repository.login_of, institution_id, username)
    if account is None or not account.is_active:
        await hashing.run(lambda: burn_verification_time(password))
        raise Unauthorized(BAD_CREDENTIALS)
    stored = account.password_hash
    if not await hashing.run(lambda: verify_password(stored, password)):
        raise Unauthorized(BAD_CREDENTIALS)
    if needs_rehash(stored):
        fresh = await hashing.run(lambda: hash_password(password))
        async with serving.session(write=True) as session:
            await session.run_sync(repository.replace_hash, account.user.id, stored, fresh)
    return account.user


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
