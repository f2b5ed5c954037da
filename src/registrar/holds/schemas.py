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

    model_config = ConfigDict(extra="forbid")

    type: HoldType
    reason: Reason = Field(description="Why; registrars see it, the student does not")
    expires_at: AwareDatetime | None = Field(
        default=None, description="When the hold lapses by itself (ISO 8601 with a time zone)"
    )


class HoldRelease(BaseModel):
    """Why a hold is released."""

    model_config = ConfigDict(extra="forbid")

    reason: Reason


class HoldRead(BaseModel):
    """A hold as registrars see it."""

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

    id: uuid.UUID
    type: HoldType
    placed_at: datetime
    expires_at: datetime | None


class HoldSummary(BaseModel):
    """A hold named in a refusal."""

    type: HoldType
    expires_at: datetime | None
