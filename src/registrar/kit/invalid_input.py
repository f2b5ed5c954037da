"""Invalid input is a 422 that echoes at most an excerpt of it, and JSON numbers must be finite.

FastAPI's own handler echoes each offending value whole (a megabyte string comes back as a
megabyte) and crashes on a NaN it tries to echo, since strict JSON has no NaN. Python's JSON
parser accepts `NaN`, `Infinity` and `1e309` (which becomes infinity): a request dependency
refuses them before any model sees them, wherever they sit in the body.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from registrar.kit.bounds import echo, excerpt

INVALID = "Invalid input"
# Problems listed in one answer; a list of ten thousand bad rows needs only the first few.
MAX_PROBLEMS = 50
_MESSAGE_CHARS = 200


def _problem(item: dict[str, Any]) -> dict[str, Any]:
    problem: dict[str, Any] = {
        "type": str(item.get("type", "value_error")),
        "loc": [part if isinstance(part, int) else excerpt(str(part)) for part in item["loc"]],
        "msg": excerpt(str(item.get("msg", "")), _MESSAGE_CHARS),
    }
    if "input" in item:
        problem["input"] = echo(item["input"])
    context = item.get("ctx")
    if isinstance(context, dict):
        # Scalars as they are (cut short); anything else, such as a validator's exception, as text.
        problem["ctx"] = {
            str(key): echo(value if isinstance(value, int | float | str) else str(value))
            for key, value in context.items()
        }
    return problem


def invalid_answer(error: RequestValidationError) -> JSONResponse:
    """The 422: `error`, and under `detail` each problem's location, message and an excerpt."""
    problems = [_problem(dict(item)) for item in error.errors()[:MAX_PROBLEMS]]
    return JSONResponse(status_code=422, content={"error": INVALID, "detail": problems})


def _non_finite_at(value: Any, path: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    """Where the first NaN or infinity of a parsed JSON document is, if any."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path
    if isinstance(value, dict):
        for key, item in value.items():
            found = _non_finite_at(item, (*path, key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = _non_finite_at(item, (*path, index))
            if found is not None:
                return found
    return None


async def finite_json(request: Request) -> None:
    """Refuse a JSON body holding NaN, Infinity or a number too large for a double (422)."""
    route = request.scope.get("route")
    if getattr(route, "body_field", None) is None:
        return  # the route reads no body, so it never parsed one
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and not (media == "application/json" or media.endswith("+json")):
        return  # a form or a file: not JSON
    try:
        document = await request.json()  # already parsed by FastAPI: this reads its cache
    except ValueError:
        return  # not JSON after all; FastAPI has said so already or reads the body as bytes
    refuse_non_finite(document)


def refuse_non_finite(document: Any) -> None:
    """Raise the 422 when a parsed JSON body holds NaN or an infinity, naming where."""
    where = _non_finite_at(document, ("body",))
    if where is not None:
        raise RequestValidationError(
            [
                {
                    "type": "finite_number",
                    "loc": where,
                    "msg": "Input should be a finite number",
                    "input": None,
                }
            ]
        )


def install_invalid_input_handler(app: FastAPI) -> None:
    """Answer RequestValidationError with the short 422."""

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, error: RequestValidationError) -> JSONResponse:
        return invalid_answer(error)
