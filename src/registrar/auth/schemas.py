"""Login and identity shapes."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from registrar.auth.models import Role
from registrar.kit.bounds import OneLine

LoginName = Annotated[str, Field(min_length=1, max_length=64), OneLine]


class LoginRequest(BaseModel):
    """Credentials; registration clients send `student_number` where others send `username`."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"username": "22CS001", "password": "student123"}]}
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "access_token": (
                        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIyY2E2OWNmZi1mNjA3LTQyMmM"
                        "tOGFkMi0wMzhjOWNlZWNmY2EiLCJpbnN0IjoiMjExNjkwNzctNDVhMS00ZGQ2LThkZDctOWE"
                        "2MTQzNjNjMmVmIiwicm9sZSI6IlNUVURFTlQiLCJpc3MiOiJyZWdpc3RyYXIiLCJpYXQiOjE"
                        "3OTYwNzM4OTMsImV4cCI6MTc5NjA3NzQ5M30.6LHq7IkW6H2Q2jvSoukreiCfx2rLc53rOGs"
                        "SUJ_xe-M"
                    ),
                    "token_type": "bearer",
                    "expires_in": 3600,
                }
            ]
        }
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "2ca69cff-f607-422c-8ad2-038c9ceecfca",
                    "username": "22CS001",
                    "role": "STUDENT",
                    "full_name": "Jyothi Paruchuri",
                    "email": "22cs001@apu.edu.in",
                    "institution": {
                        "id": "21169077-45a1-4dd6-8dd7-9a614363c2ef",
                        "tag": "ap-university",
                        "name": "Andhra Pradesh Technological University",
                    },
                    "student": {
                        "id": "d84490ff-77f8-4849-9196-81f853241856",
                        "roll_number": "22CS001",
                        "name": "Jyothi Paruchuri",
                    },
                }
            ]
        }
    )

    id: uuid.UUID
    username: str
    role: Role
    full_name: str
    email: str | None
    institution: InstitutionBrief
    student: StudentBrief | None = None
