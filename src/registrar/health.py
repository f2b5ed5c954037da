"""Liveness and readiness probes."""

from __future__ import annotations

from typing import Any

import anyio
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from registrar import migrate
from registrar.deps import ServingDep

router = APIRouter(tags=["health"])


@router.get("/health")
async def health() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


# A probe answers quickly or not at all: an orchestrator's probe has its own short timeout.
READY_SECONDS = 3.0


_STATE = {
    "type": "object",
    "properties": {
        "status": {"enum": ["ready", "unavailable"]},
        "database": {"enum": ["ok", "down"]},
        "schema": {
            "enum": ["current", "behind", "ahead"],
            "description": "`current`: at this release's head migration; `behind`: run "
            "`registrar migrate` (not ready until then); `ahead`: a newer release migrated it "
            "(still ready: migrations only add what old releases can ignore)",
        },
    },
    "required": ["status", "database"],
}

_NOT_READY: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {"schema": _STATE}}},
    503: {
        "description": "The database does not answer, or its schema is behind this release",
        "headers": {"Retry-After": {"description": "Seconds", "schema": {"type": "integer"}}},
        "content": {"application/json": {"schema": _STATE}},
    },
}

_VERSIONS = text("SELECT version_num FROM alembic_version")


@router.get("/ready", response_model=None, responses=_NOT_READY)
async def ready(serving: ServingDep) -> dict[str, str] | JSONResponse:
    """The database answers (through the same pool the requests use), within a few seconds,
    and its schema is at this release's head migration."""
    try:
        with anyio.fail_after(READY_SECONDS):
            async with serving.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                try:
                    applied = (await connection.execute(_VERSIONS)).scalars().all()
                except DBAPIError:
                    applied = []  # never migrated: no alembic_version table yet
    except (SQLAlchemyError, OSError, TimeoutError):
        return JSONResponse(
            status_code=503,
            content={"status": "unavailable", "database": "down"},
            headers={"Retry-After": "5"},
        )
    schema = migrate.schema_state(applied)
    if schema == "behind":
        return JSONResponse(
            status_code=503,
            content={"status": "unavailable", "database": "ok", "schema": schema},
            headers={"Retry-After": "5"},
        )
    return {"status": "ready", "database": "ok", "schema": schema}
