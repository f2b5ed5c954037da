"""The OpenAPI document lists, for every operation, the refusals it may answer.

FastAPI documents each operation's success and the 422 of its parameters; the rest is added
here in one pass over the finished document, so that no endpoint has to remember it. Most of
it follows from an operation's shape (`refusals`): a token means 401 and 403, a body 413 and
422, an id in the path 404, a change 400 and 409, and anything past the probes may find the
worker or the database busy (503). What the shape cannot show is listed in `_BY_TAG` and
`_BY_OPERATION`. An operation that declares a body of its own for a code (the K-12 envelope,
the import report) keeps it, beside the common `ErrorBody`.

Every JSON body and successful answer then gets an example (`kit.openapi_examples`), made of
the examples the schemas carry (each model's `json_schema_extra`), so that /docs shows a request
and an answer in the demo's words and schemathesis sends the bodies as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import (
    validation_error_definition,
    validation_error_response_definition,
)

from registrar.errors import ErrorBody
from registrar.kit.openapi_examples import with_examples

WRITES = frozenset({"post", "put", "patch", "delete"})
TENANT_HEADER = "x-tenant-tag"

_SCHEMAS = "#/components/schemas/"
_ERROR = {"$ref": f"{_SCHEMAS}ErrorBody"}
# FastAPI's own 422 (`detail`: a list of problems), which the app's handler answers with
# `error` beside it; and a domain refusal of a field (`ValidationFailed`).
_INVALID = {"anyOf": [_ERROR, {"$ref": f"{_SCHEMAS}HTTPValidationError"}]}

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "schema": {"type": "integer"},
    }
}
_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The bearer challenge (RFC 6750)",
            "schema": {"type": "string"},
        }
    },
    429: _RETRY_AFTER,
    503: _RETRY_AFTER,
}
_DESCRIPTIONS = {
    400: "A rule refused the request; `error` says which, with its details beside it",
    401: "Not logged in, or the token is invalid or expired",
    403: "Logged in, but not allowed to do this",
    404: "Not found (another institution's or another student's records are not found either)",
    409: "Conflicts with the current state: already enrolled, section full, code in use",
    413: "The request body is too large",
    422: "Invalid input: the problems under `detail`, or the field named",
    429: "Too many attempts; try again after `Retry-After` seconds",
    503: "Busy, or the database is unavailable; try again after `Retry-After` seconds",
}

# What services refuse that an operation's shape does not show.
_BY_TAG: dict[str, frozenset[int]] = {
    # Every answer reads the student's own record (404 once it is gone) and batch (400 "No
    # batch assigned to student").
    "student portal": frozenset({400, 404}),
}
_BY_OPERATION: dict[tuple[str, str], frozenset[int]] = {
    ("post", "/auth/login"): frozenset({401, 429}),  # wrong credentials; too many attempts
    # The body names the student and the section; either may not be found.
    ("post", "/api/admin/enrollments"): frozenset({404}),
}

# A clock time as the API reads and writes it: "09:00", "09:00:00", no offset. JSON Schema's
# `format: time` is RFC 3339's full-time, which requires one ("09:00:00Z"), so the values the
# API sends would not match it.
CLOCK_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


def refusals(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation may answer, from its shape and the tables above."""
    codes = {503}  # the admission queue is full, or the database is busy or gone
    parameters = operation.get("parameters", [])
    secured = bool(operation.get("security"))
    if secured:
        codes |= {401, 403}
    if "requestBody" in operation:
        codes |= {413, 422}
    if parameters:
        codes.add(422)
    if any(parameter["in"] == "path" for parameter in parameters):
        codes.add(404)
    if any(parameter["name"] == TENANT_HEADER for parameter in parameters):
        codes |= {400, 404}  # an unknown institution; none named where several are served
    if secured and method in WRITES:
        codes |= {400, 409}  # a rule refused it; it clashes with what is there
    for tag in operation.get("tags", []):
        codes |= _BY_TAG.get(tag, frozenset())
    return codes | _BY_OPERATION.get((method, path), frozenset())


# The student's operations first (what most readers of the document call), then logging in,
# then the registrar's; the probes last. Tags not named here keep their order in between.
FIRST_TAGS = ("student portal", "semester registration", "student courses", "auth")
LAST_TAGS = ("health",)


def document_refusals(app: FastAPI, exempt: Iterable[str]) -> None:
    """Have the app's document list every operation's refusals (`exempt` paths, the probes,
    answer only what they declare themselves), a summary and examples on each, the student's
    first."""
    build: Callable[[], dict[str, Any]] = app.openapi
    skipped = frozenset(exempt)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            documented = with_examples(with_probe_examples(with_refusals(build(), skipped)))
            app.openapi_schema = student_first(summarized(documented))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _generated(operation: dict[str, Any]) -> bool:
    """True when FastAPI made the summary of the function's name (`Get Course`)."""
    summary = str(operation.get("summary", ""))
    made = summary.lower().replace(" ", "_")
    return not summary or str(operation.get("operationId", "")).lower().startswith(made + "_")


def summarized(document: dict[str, Any]) -> dict[str, Any]:
    """Each operation's summary: its own, else the first sentence of its description (the
    endpoint's docstring), rather than one made of the function's name."""
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not _generated(operation):
                continue
            paragraph = str(operation.get("description", "")).strip().split("\n\n", 1)[0]
            sentence = " ".join(paragraph.split()).split(". ", 1)[0].removesuffix(".")
            if sentence:
                operation["summary"] = sentence
    return document


def _tag_rank(item: dict[str, Any], order: dict[str, int]) -> int:
    tags = [tag for operation in item.values() for tag in operation.get("tags", [])]
    return min((order[tag] for tag in tags), default=len(order))


def student_first(document: dict[str, Any]) -> dict[str, Any]:
    """The document's paths and tags in reading order: the student's first (FIRST_TAGS)."""
    paths: dict[str, Any] = document.get("paths", {})
    seen = [tag for item in paths.values() for op in item.values() for tag in op.get("tags", [])]
    middle = [tag for tag in dict.fromkeys(seen) if tag not in FIRST_TAGS + LAST_TAGS]
    names = [*FIRST_TAGS, *middle, *LAST_TAGS]
    order = {tag: rank for rank, tag in enumerate(names)}
    document["paths"] = dict(sorted(paths.items(), key=lambda kv: _tag_rank(kv[1], order)))
    document["tags"] = [{"name": tag} for tag in names if tag in seen]
    return document


def with_refusals(document: dict[str, Any], exempt: frozenset[str]) -> dict[str, Any]:
    """The document with each operation's refusals and the schemas they refer to."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorBody"] = ErrorBody.model_json_schema(ref_template=_SCHEMAS + "{model}")
    schemas.setdefault("ValidationError", validation_error_definition)
    schemas.setdefault("HTTPValidationError", validation_error_response_definition)
    for path, item in document.get("paths", {}).items():
        if path in exempt:
            continue
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            for code in refusals(path, method, operation):
                responses[str(code)] = _refusal(code, responses.get(str(code)))
            operation["responses"] = dict(sorted(responses.items(), key=_status_order))
    _declare_clock_times(document)
    return document


def _refusal(code: int, declared: dict[str, Any] | None) -> dict[str, Any]:
    """The response for `code`: the common error body, beside any the route declared."""
    common = _INVALID if code == 422 else _ERROR
    declared = declared or {}
    own = declared.get("content", {}).get("application/json", {}).get("schema")
    description = declared.get("description")
    if description in (None, HTTPStatus(code).phrase, "Validation Error"):
        description = _DESCRIPTIONS.get(code, HTTPStatus(code).phrase)
    response: dict[str, Any] = {
        **declared,
        "description": description,
        "content": {"application/json": {"schema": _either(own, common)}},
    }
    if code in _HEADERS:
        response["headers"] = {**_HEADERS[code], **declared.get("headers", {})}
    return response


def _either(own: dict[str, Any] | None, common: dict[str, Any]) -> dict[str, Any]:
    """A schema that admits `own` (if any) and every choice of `common`, each once."""
    choices: list[dict[str, Any]] = []
    for schema in (own, common):
        for choice in (schema or {}).get("anyOf", [schema] if schema else []):
            if choice not in choices:
                choices.append(choice)
    return choices[0] if len(choices) == 1 else {"anyOf": choices}


def _status_order(item: tuple[str, Any]) -> tuple[int, str]:
    code = item[0]
    return (int(code), code) if code.isdigit() else (1000, code)


def _declare_clock_times(node: object) -> None:
    """Replace every `format: time` with the pattern of the clock times the API uses."""
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            del node["format"]
            node["pattern"] = CLOCK_TIME
            node.setdefault("examples", ["09:00:00"])
        for value in node.values():
            _declare_clock_times(value)
    elif isinstance(node, list):
        for value in node:
            _declare_clock_times(value)


# The probes answer plain dicts, with no model to carry an example.
_PROBE_EXAMPLES: dict[tuple[str, str], dict[str, str]] = {
    ("get", "/health"): {"status": "ok"},
    ("get", "/ready"): {"status": "ready", "database": "ok", "schema": "current"},
}


def with_probe_examples(document: dict[str, Any]) -> dict[str, Any]:
    """The probes' answers with their examples (`with_examples` makes the others')."""
    for (method, path), example in _PROBE_EXAMPLES.items():
        answer = document.get("paths", {}).get(path, {}).get(method, {}).get("responses", {})
        if "200" in answer:
            answer["200"]["content"]["application/json"]["example"] = example
    return document
