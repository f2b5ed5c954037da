"""Queries for users."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from registrar.auth.models import User
from registrar.auth.principal import InstitutionRef, Principal, UserRef
from registrar.institutions.models import Institution
from registrar.students.models import Student


def find_by_username(session: Session, institution_id: uuid.UUID, username: str) -> User | None:
    """The user of the institution with that username, if any."""
    return session.scalar(
        select(User).where(User.institution_id == institution_id, User.username == username)
    )


def get(session: Session, institution_id: uuid.UUID, user_id: uuid.UUID) -> User | None:
    """The user with that id in the institution, active or not."""
    return session.scalar(
        select(User).where(User.id == user_id, User.institution_id == institution_id)
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


_PRINCIPAL = (
    select(
        User.id,
        User.institution_id,
        User.username,
        User.role,
        User.full_name,
        User.email,
        Institution.tag,
        Institution.name,
        Institution.kind,
        Institution.grade_scale,
        Institution.gpa_scale_max,
        Institution.passing_grade_points,
        Institution.min_credits,
        Institution.max_credits,
        Institution.default_waitlist_limit,
        Institution.allow_grade_improvement,
        Student.id.label("student_id"),
    )
    .join(Institution, Institution.id == User.institution_id)
    .outerjoin(
        Student, (Student.user_id == User.id) & (Student.institution_id == User.institution_id)
    )
    .where(
        User.id == bindparam("user_id"),
        User.institution_id == bindparam("institution_id"),
        User.is_active.is_(True),
        Institution.is_active.is_(True),
    )
)


def principal_of(
    session: Session, institution_id: uuid.UUID, user_id: uuid.UUID
) -> Principal | None:
    """An active user of an active institution, with the student record behind the login."""
    row = (
        session.connection()
        .execute(_PRINCIPAL, {"user_id": user_id, "institution_id": institution_id})
        .one_or_none()
    )
    if row is None:
        return None
    return Principal(
        user=UserRef(
            id=row.id,
            institution_id=row.institution_id,
            username=row.username,
            role=row.role,
            full_name=row.full_name,
            email=row.email,
        ),
        institution=InstitutionRef.of(row, row.institution_id),
        student_id=row.student_id,
    )
