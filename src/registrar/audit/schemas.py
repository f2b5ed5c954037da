"""The audit trail as registrars and students read it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from registrar.kit.bounds import FilterText


class AuditFilters(BaseModel):
    """Which events to list; every filter given must hold."""

    student_id: uuid.UUID | None = Field(
        default=None, description="Events about the student: their record, enrollments, holds"
    )
    actor_user_id: uuid.UUID | None = Field(default=None, description="Events done by this user")
    action: FilterText | None = Field(
        default=None, description="One action, e.g. enrollment.enroll, or a prefix: enrollment."
    )
    section_id: uuid.UUID | None = Field(
        default=None, description="Events about the section and its enrollments"
    )
    since: AwareDatetime | None = Field(default=None, description="At or after (ISO 8601)")
    until: AwareDatetime | None = Field(default=None, description="Before (ISO 8601)")


class AuditActor(BaseModel):
    """Who did it; null for the system (a command, the worker)."""

    id: uuid.UUID
    username: str
    role: str


class AuditItem(BaseModel):
    """One event: `details` holds before/after, `reason` and `overrides` where they apply."""

    id: uuid.UUID
    at: datetime
    actor: AuditActor | None
    action: str
    entity: str
    entity_id: uuid.UUID | None
    details: dict[str, Any]
