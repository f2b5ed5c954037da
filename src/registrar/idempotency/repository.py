"""Queries of the idempotency keys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from registrar.idempotency.models import IdempotencyKey
from registrar.kit.core import AnyRow, table_of

_KEYS = table_of(IdempotencyKey)
_FIND = select(_KEYS.c.fingerprint, _KEYS.c.status_code, _KEYS.c.response).where(
    _KEYS.c.institution_id == bindparam("institution_id"),
    _KEYS.c.user_id == bindparam("user_id"),
    _KEYS.c.key == bindparam("key"),
    _KEYS.c.expires_at > bindparam("now"),
)
_INSERT = insert(_KEYS)


def find(
    session: Session, institution_id: uuid.UUID, user_id: uuid.UUID, key: str, now: datetime
) -> AnyRow | None:
    """The answer kept for the user's key, if it has not expired."""
    params = {"institution_id": institution_id, "user_id": user_id, "key": key, "now": now}
    return session.connection().execute(_FIND, params).one_or_none()


def lock(session: Session, token: int) -> bool:
    """Try to take the key's lock for the rest of the transaction (PostgreSQL); SQLite's
    writers run one at a time, so its lock is the transaction itself."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return True
    return bool(connection.scalar(select(func.pg_try_advisory_xact_lock(token))))


def insert_answer(session: Session, values: dict[str, Any]) -> None:
    """Keep an answer (replacing an expired one for the same key)."""
    connection = session.connection()
    connection.execute(
        delete(_KEYS).where(
            _KEYS.c.institution_id == values["institution_id"],
            _KEYS.c.user_id == values["user_id"],
            _KEYS.c.key == values["key"],
        )
    )
    connection.execute(_INSERT, values)


def purge(session: Session, now: datetime) -> int:
    """Forget every expired answer; how many."""
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.expires_at <= now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
