"""Queries for users."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from registrar.auth.models import User
from registrar.auth.principal import UserRef
from registrar.students.models import Student


def find_by_username(session: Session, institution_id: uuid.UUID, username: str) -> User | None:
    """The user of the institution with that username, if any."""
    return session.scalar(
        select(User).where(User.institution_id == institution_id, User.username == username)
    )


def get_active(session: Session, institution_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
    """The active user with that id in the institution, if any."""
    return session.scalar(
        select(User).where(
            User.id == user_id, User.institution_id == institution_id, User.is_active.is_(True)
        )
    )


@dataclass(frozen=True)
class Login:
    """What a login checks: the account, its hash and whether it may log in."""

    user: UserRef
    password_hash: str
    is_active: bool


def login_of(session: Session, institution_id: uuid.UUID, username: str) -> Login | None:
    """The account a login names, as plain values."""
    user = find_by_username(session, institution_id, username)
    if user is None:
        return None
    return Login(user=UserRef.of(user), password_hash=user.password_hash, is_active=user.is_active)


def replace_hash(session: Session, user_id: uuid.UUID, old_hash: str, new_hash: str) -> None:
    """Store a fresh hash of the same password, unless the password changed meanwhile."""
    session.execute(
        update(User)
        .where(User.id == user_id, User.password_hash == old_hash)
        .values(password_hash=new_hash),
        execution_options={"synchronize_session": False},
    )


def student_of_user(
    session: Session, institution_id: uuid.UUID, user_id: uuid.UUID
) -> uuid.UUID | None:
    """The id of the student record a login belongs to, if any."""
    return session.scalar(
        select(Student.id).where(
            Student.institution_id == institution_id, Student.user_id == user_id
        )
    )
