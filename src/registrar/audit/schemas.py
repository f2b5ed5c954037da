"""The audit trail as registrars and students read it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from registrar.kit.bounds import FilterText

# The trail of a hold on 22CS001 as `GET /api/admin/audit.csv?student_id=...` writes it.
TRAIL_CSV_EXAMPLE = (
    "at,action,entity,entity_id,actor,actor_role,reason,details\r\n"
    "2024-08-05T11:40:12+00:00,hold.released,hold,f0fccb89-67bd-4221-a0d6-56f358d2f763,registrar,"
    'REGISTRAR,Paid at the accounts office,"{""student_id"": '
    '""d84490ff-77f8-4849-9196-81f853241856"", ""type"": ""FINANCIAL""}"\r\n'
    "2024-08-02T10:15:00+00:00,hold.placed,hold,f0fccb89-67bd-4221-a0d6-56f358d2f763,registrar,"
    'REGISTRAR,Semester 5 tuition fee unpaid,"{""student_id"": '
    '""d84490ff-77f8-4849-9196-81f853241856"", ""type"": ""FINANCIAL""}"\r\n'
)


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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "a35f8d75-59e2-4901-9628-7ada747ebc42",
                    "username": "registrar",
                    "role": "REGISTRAR",
                }
            ]
        }
    )

    id: uuid.UUID
    username: str
    role: str


class AuditItem(BaseModel):
    """One event: `details` holds before/after, `reason` and `overrides` where they apply."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "76a792eb-1655-4f52-ada5-33b14e35bb14",
                    "at": "2024-08-02T10:15:00Z",
                    "actor": {
                        "id": "a35f8d75-59e2-4901-9628-7ada747ebc42",
                        "username": "registrar",
                        "role": "REGISTRAR",
                    },
                    "action": "hold.placed",
                    "entity": "hold",
                    "entity_id": "f0fccb89-67bd-4221-a0d6-56f358d2f763",
                    "details": {
                        "student_id": "d84490ff-77f8-4849-9196-81f853241856",
                        "type": "FINANCIAL",
                        "reason": "Semester 5 tuition fee unpaid",
                    },
                }
            ]
        }
    )

    id: uuid.UUID
    at: datetime
    actor: AuditActor | None
    action: str
    entity: str
    entity_id: uuid.UUID | None
    details: dict[str, Any]
