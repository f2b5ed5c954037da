"""Responses built inside the endpoint's own worker thread.

FastAPI validates a returned model in a *second* trip to the thread pool, after the endpoint
returns but before a `scope="function"` session dependency commits. Under a registration rush
every pool thread can be busy waiting for the section's row lock (or SQLite's write lock)
held by exactly such a finished request, which then waits for a free thread to serialize its
answer: a deadlock until some timeout. Returning a ready `JSONResponse` skips that trip, so
the transaction commits (in FastAPI's unlimited exit worker) without needing a pool thread.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi.responses import JSONResponse
from pydantic import BaseModel


def respond(payload: BaseModel | Sequence[BaseModel], status_code: int = 200) -> JSONResponse:
    """The payload as JSON, serialized here and now."""
    if isinstance(payload, BaseModel):
        content: object = payload.model_dump(mode="json")
    else:
        content = [item.model_dump(mode="json") for item in payload]
    return JSONResponse(content=content, status_code=status_code)
