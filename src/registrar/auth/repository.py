"""Queries for users."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from registrar.auth.models import User


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
