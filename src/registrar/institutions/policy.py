"""Reading and changing the institution's registration policy, audited."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from registrar.audit import service as audit
from registrar.errors import NotFound, ValidationFailed
from registrar.institutions import repository
from registrar.institutions.models import Institution
from registrar.institutions.schemas import PolicyRead, PolicyUpdate

# Fields a body may send as null: the others are left as they are when null.
NULLABLE = frozenset({"max_waitlists_per_term"})


def _institution(session: Session, institution_id: uuid.UUID) -> Institution:
    found = repository.get(session, institution_id)
    if found is None:
        raise NotFound("Institution not found")
    return found


def read(session: Session, institution_id: uuid.UUID) -> PolicyRead:
    """The institution's policy."""
    return PolicyRead.model_validate(_institution(session, institution_id))


def update(
    session: Session, institution_id: uuid.UUID, actor_user_id: uuid.UUID, data: PolicyUpdate
) -> PolicyRead:
    """Change the fields sent; the running workers see it at once (the catalog stamp moves)."""
    institution = _institution(session, institution_id)
    changes = {
        key: value
        for key, value in data.model_dump(exclude_unset=True).items()
        if value is not None or key in NULLABLE
    }
    low = changes.get("min_credits", institution.min_credits)
    high = changes.get("max_credits", institution.max_credits)
    if low > high:
        raise ValidationFailed(
            "min_credits cannot be above max_credits",
            details={"min_credits": low, "max_credits": high},
        )
    diff: dict[str, Any] = {}
    for key, value in changes.items():
        before = getattr(institution, key)
        if before != value:
            diff[key] = {"before": _plain(before), "after": _plain(value)}
            setattr(institution, key, value)
    if diff:
        session.flush()
        audit.record(
            session,
            institution_id=institution_id,
            actor_user_id=actor_user_id,
            action="institution.policy_updated",
            entity_type="institution",
            entity_id=institution_id,
            details=diff,
        )
    return PolicyRead.model_validate(institution)


def _plain(value: object) -> object:
    return getattr(value, "value", value)
