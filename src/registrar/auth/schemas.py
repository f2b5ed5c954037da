"""Login and identity shapes."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, Field, field_validator, model_validator

from registrar.auth.models import Role
from registrar.kit.bounds import OneLine

LoginName = Annotated[str, Field(min_length=1, max_length=64), OneLine]


class LoginRequest(BaseModel):
    """Credentials; registration clients send `student_number` where others send `username`."""

    username: LoginName | None = None
    student_number: LoginName | None = None
    password: Annotated[str, Field(min_length=1, max_length=256), OneLine]
    # OAuth2's client id names the institution: /docs' Authorize dialog has no header field.
    client_id: Annotated[str, Field(max_length=64), OneLine] | None = Field(
        default=None, description="The institution's tag (as `x-tenant-tag`), e.g. sample-school"
    )

    @field_validator("client_id", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if value == "" else value

    @model_validator(mode="after")
    def _one_name(self) -> LoginRequest:
        if not (self.username or self.student_number):
            raise ValueError("username (or student_number) is required")
        return self

    @property
    def login_name(self) -> str:
        """The name to look the account up by."""
        return self.username or self.student_number or ""


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class InstitutionBrief(BaseModel):
    id: uuid.UUID
    tag: str
    name: str


class StudentBrief(BaseModel):
    id: uuid.UUID
    roll_number: str
    name: str


class MeResponse(BaseModel):
    id: uuid.UUID
    username: str
    role: Role
    full_name: str
    email: str | None
    institution: InstitutionBrief
    student: StudentBrief | None = None
