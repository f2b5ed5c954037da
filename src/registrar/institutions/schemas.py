"""The institution's registration policy as a registrar reads and changes it."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from registrar.institutions.models import WaitlistMode

Credits = Annotated[int, Field(ge=0, le=200)]

_POLICY_EXAMPLE: dict[str, JsonValue] = {
    "min_credits": 15,
    "max_credits": 30,
    "max_waitlists_per_term": 3,
    "reenroll_cooldown_minutes": 15,
    "default_waitlist_limit": 10,
    "allow_grade_improvement": False,
    "waitlist_mode": "OFFER",
    "offer_hours": 48,
}


class PolicyRead(BaseModel):
    """The rules every registration of the institution follows (a term or section may narrow
    some of them)."""

    model_config = ConfigDict(
        from_attributes=True, json_schema_extra={"examples": [_POLICY_EXAMPLE]}
    )

    min_credits: int
    max_credits: int
    max_waitlists_per_term: int | None
    reenroll_cooldown_minutes: int
    default_waitlist_limit: int
    allow_grade_improvement: bool
    waitlist_mode: WaitlistMode
    offer_hours: int


class PolicyUpdate(BaseModel):
    """The fields to change; the others stay."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"waitlist_mode": "OFFER", "offer_hours": 24}]},
    )

    min_credits: Credits | None = None
    max_credits: Credits | None = None
    max_waitlists_per_term: Annotated[int, Field(ge=0, le=100)] | None = Field(
        default=None, description="null in the body: no limit"
    )
    reenroll_cooldown_minutes: Annotated[int, Field(ge=0, le=10080)] | None = None
    default_waitlist_limit: Annotated[int, Field(ge=0, le=100000)] | None = None
    allow_grade_improvement: bool | None = None
    waitlist_mode: WaitlistMode | None = Field(
        default=None,
        description="AUTO_ENROLL: a seat that opens goes to the head of the waitlist at once; "
        "OFFER: it is held for them for offer_hours to accept or decline",
    )
    offer_hours: Annotated[int, Field(ge=1, le=720)] | None = None
