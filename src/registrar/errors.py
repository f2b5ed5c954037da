"""Domain errors: each carries its HTTP status; one handler turns them into JSON."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class ErrorBody(BaseModel):
    """The JSON of every refusal, as documented: `error` says what, details sit beside it."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"examples": [{"error": "Course section is full", "available_seats": 0}]},
    )

    error: str


class RegistrarError(Exception):
    """A refusal the client should see, with its status and the details that explain it."""

    status_code = 400
    code = "bad_request"
    # Seconds a client should wait before trying again (sent as Retry-After), if any.
    retry_after: int | None = None

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}

    def body(self) -> dict[str, Any]:
        """The JSON body: the message under `error`, with the details beside it."""
        return {"error": self.message, **self.details}

    def headers(self) -> dict[str, str] | None:
        """Headers the answer carries beside the body."""
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else None


class NotFound(RegistrarError):
    status_code = 404
    code = "not_found"


class Conflict(RegistrarError):
    status_code = 409
    code = "conflict"


class Unauthorized(RegistrarError):
    status_code = 401
    code = "unauthorized"

    def headers(self) -> dict[str, str] | None:
        """A bearer challenge (RFC 6750)."""
        return {"WWW-Authenticate": "Bearer"}


class Forbidden(RegistrarError):
    status_code = 403
    code = "forbidden"


class ValidationFailed(RegistrarError):
    status_code = 422
    code = "validation_failed"


class UnsupportedMediaType(RegistrarError):
    status_code = 415
    code = "unsupported_media_type"
