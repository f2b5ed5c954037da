"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from registrar.deps import ServingDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


# A probe answers quickly or not at all: an orchestrator's probe has its own short timeout.
READY_SECONDS = 3.0


_NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {
        "description": "The database does not answer",
        "headers": {"Retry-After": {"description": "Seconds", "schema": {"type": "integer"}}},
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "status": {"const": "unavailable"},
                        "database": {"const": "down"},
                    },
                    "required": ["status", "database"],
                }
            }
        },
    }
}


@router.get("/ready", response_model=None, responses=_NOT_READY)
async def ready(serving: ServingDep) -> dict[str, str] | JSONResponse:
    """The database answers (through the same pool the requests use), within a few seconds."""
    try:
        with anyio.fail_after(READY_SECONDS):
            async with serving.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError, TimeoutError):
        return JSONResponse(
            status_code=503,
            content={"status": "unavailable", "database": "down"},
            headers={"Retry-After": "5"},
        )
    return {"status": "ready", "database": "ok"}
