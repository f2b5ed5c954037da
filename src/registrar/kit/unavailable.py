"""A database that is slow, locked or gone is a 503 with Retry-After, never a hang or a bare 500.

The waits themselves are bounded where the engines are built (`db.Limits`): a pool checkout
timeout, a connect timeout, `lock_timeout` and `statement_timeout`, TCP keepalives. This module
recognises what those bounds raise, and anything else that means "try again in a moment".
"""

from __future__ import annotations

import logging
import sqlite3

import psycopg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

logger = logging.getLogger("registrar")

BUSY = "The service is busy; try again shortly"
DOWN = "The database is unavailable; try again shortly"

# SQLSTATEs that mean the request may well succeed if sent again.
_BUSY_STATES = {
    "55P03": "lock timeout",
    "57014": "statement timeout",
    "40P01": "deadlock",
    "40001": "serialization failure",
    "53300": "too many connections",
}
_DOWN_STATE_PREFIXES = ("08", "57P")  # connection exceptions; admin shutdown, cannot connect now
_CONNECTION_ERRORS = (psycopg.OperationalError, sqlite3.OperationalError)


def transient_kind(error: DBAPIError) -> str | None:
    """'busy' or 'down' when the error says the database will likely answer a retry."""
    state = getattr(error.orig, "sqlstate", None) or ""
    if state in _BUSY_STATES:
        return "busy"
    if error.connection_invalidated or state.startswith(_DOWN_STATE_PREFIXES):
        return "down"
    message = str(error.orig).lower()
    if "database is locked" in message:  # SQLite's busy timeout
        return "busy"
    if isinstance(error.orig, _CONNECTION_ERRORS) and not state:
        # No SQLSTATE came back: psycopg could not connect (refused, timed out) or the
        # connection broke; SQLite could not open its file.
        return "down"
    return None


def unavailable(kind: str) -> JSONResponse:
    """The 503 answer for a busy or unreachable database."""
    busy = kind == "busy"
    return JSONResponse(
        status_code=503,
        content={"error": BUSY if busy else DOWN},
        headers={"Retry-After": "1" if busy else "5"},
    )


def install_unavailable_handlers(app: FastAPI) -> None:
    """Answer 503 for the database errors a retry may cure; let the rest be a 500."""

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, error: DBAPIError) -> JSONResponse:
        kind = transient_kind(error)
        if kind is None:
            raise error
        logger.warning(
            "database %s on %s %s: %s", kind, request.method, request.url.path, error.orig
        )
        return unavailable(kind)

    @app.exception_handler(PoolTimeout)
    async def pool_timeout(request: Request, _error: PoolTimeout) -> JSONResponse:
        logger.warning("no database connection free for %s %s", request.method, request.url.path)
        return unavailable("busy")
