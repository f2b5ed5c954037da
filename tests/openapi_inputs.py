"""The inputs every operation of the OpenAPI document declares: query parameters and JSON fields."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

# Strings with one of these formats are parsed into something else (a UUID, a date) first.
PARSED_FORMATS = {"uuid", "date", "date-time", "time", "email", "binary", "password"}


@dataclass(frozen=True)
class Input:
    """One scalar input: where it goes and the JSON Schema it declares."""

    method: str
    path: str
    where: str  # "query" or "body"
    loc: tuple[str | int, ...]  # under the query string, or inside the JSON body
    schema: dict[str, Any]

    def body_with(self, value: object) -> Any:
        """A JSON body with `value` at this input's place and nothing else."""
        document: Any = value
        for part in reversed(self.loc):
            document = [document] if isinstance(part, int) else {part: document}
        return document


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation of the document."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, operation


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _scalars(
    spec: dict[str, Any], schema: dict[str, Any], loc: tuple[str | int, ...]
) -> Iterator[tuple[tuple[str | int, ...], dict[str, Any]]]:
    schema = _resolve(spec, schema)
    branches = schema.get("anyOf") or schema.get("oneOf") or []
    if branches:
        types = {_resolve(spec, b).get("type") for b in branches}
        for branch in branches:
            # A Decimal is a number or its text; its text is parsed, not kept.
            if "number" in types and _resolve(spec, branch).get("type") == "string":
                continue
            yield from _scalars(spec, branch, loc)
        return
    kind = schema.get("type")
    if kind == "object":
        for name, sub in schema.get("properties", {}).items():
            yield from _scalars(spec, sub, (*loc, name))
    elif kind == "array":
        yield from _scalars(spec, schema.get("items", {}), (*loc, 0))
    elif kind in ("string", "integer", "number"):
        yield loc, schema


def inputs(spec: dict[str, Any]) -> Iterator[Input]:
    """Every scalar query parameter and JSON body field of every operation."""
    for method, path, operation in operations(spec):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "query":
                for loc, schema in _scalars(spec, parameter["schema"], (parameter["name"],)):
                    yield Input(method, path, "query", loc, schema)
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            for loc, schema in _scalars(spec, content["application/json"]["schema"], ()):
                yield Input(method, path, "body", loc, schema)


def is_free_text(schema: dict[str, Any]) -> bool:
    """A string kept as it is sent (not an enum, a UUID, a date...)."""
    return (
        schema.get("type") == "string"
        and "enum" not in schema
        and "const" not in schema
        and schema.get("format") not in PARSED_FORMATS
    )
