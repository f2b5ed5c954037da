"""Request and response shapes of holds."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from registrar.holds.models import HoldType
from registrar.kit.bounds import Lines

Reason = Annotated[str, Field(min_length=1, max_length=500), Lines]


class HoldCreate(BaseModel):
    """A hold to place on a student."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "type": "FINANCIAL",
                    "reason": "Semester 5 tuition fee unpaid",
                    "expires_at": "2024-09-30T17:00:00+05:30",
                }
            ]
        },
    )

    type: HoldType
    reason: Reason = Field(description="Why; registrars see it, the student does not")
    expires_at: AwareDatetime | None = Field(
        default=None, description="When the hold lapses by itself (ISO 8601 with a time zone)"
    )


class HoldRelease(BaseModel):
    """Why a hold is released."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Paid at the accounts office"}]}
    )

    reason: Reason


class HoldRead(BaseModel):
    """A hold as registrars see it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "f0fccb89-67bd-4221-a0d6-56f358d2f763",
                    "student_id": "d84490ff-77f8-4849-9196-81f853241856",
                    "type": "FINANCIAL",
                    "reason": "Semester 5 tuition fee unpaid",
                    "placed_by_user_id": "a35f8d75-59e2-4901-9628-7ada747ebc42",
                    "placed_at": "2024-08-02T10:15:00Z",
                    "expires_at": None,
                    "active": True,
                    "released_at": None,
                    "released_by_user_id": None,
                    "release_reason": None,
                }
            ]
        }
    )

    id: uuid.UUID
    student_id: uuid.UUID
    type: HoldType
    reason: str
    placed_by_user_id: uuid.UUID
    placed_at: datetime
    expires_at: datetime | None
    active: bool
    released_at: datetime | None
    released_by_user_id: uuid.UUID | None
    release_reason: str | None


class StudentHoldRead(BaseModel):
    """A hold as its student sees it: the type, not the registrar's private reason."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "f0fccb89-67bd-4221-a0d6-56f358d2f763",
                    "type": "FINANCIAL",
                    "placed_at": "2024-08-02T10:15:00Z",
                    "expires_at": None,
                }
            ]
        }
    )

    id: uuid.UUID
    type: HoldType
    placed_at: datetime
    expires_at: datetime | None


class HoldSummary(BaseModel):
    """A hold named in a refusal."""

    type: HoldType
    expires_at: datetime | None
