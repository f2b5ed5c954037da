"""Examples for every JSON body and successful answer of an OpenAPI document.

A model carries its example (`json_schema_extra={"examples": [...]}` or a field's `examples`);
`with_examples` puts one on each operation's JSON media, made of those of its schema's parts
where the schema has none of its own (a list, a page, an envelope), so that the document shows
an example wherever a body is sent or answered. It also undoes what the document's generation
does to examples: FastAPI drops every None of the document (`exclude_none`), examples included,
and pydantic sorts their keys.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from registrar.kit.pagination import Page, PageParams

_SCHEMAS = "#/components/schemas/"


def with_examples(document: dict[str, Any]) -> dict[str, Any]:
    """Each operation's JSON body and successful JSON answers with an example, unless the
    route declares its own: one made of its schema's examples (`example_of`)."""
    schemas = document.get("components", {}).get("schemas", {})
    for schema in schemas.values():
        if "examples" in schema:
            schema["examples"] = [_as_written(e, schema, schemas) for e in schema["examples"]]
    for item in document.get("paths", {}).values():
        for operation in item.values():
            for media in _json_media(operation):
                if "example" in media:  # the route's own
                    media["example"] = _as_written(
                        media["example"], media.get("schema", {}), schemas
                    )
                if "example" in media or "examples" in media:
                    continue
                found = example_of(media.get("schema", {}), schemas)
                if found and found[0] is not None:  # a body left out is no example of one
                    media["example"] = found[0]
    return document


def _json_media(operation: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The JSON media of an operation's body and of its successful answers."""
    contents = [operation.get("requestBody", {}).get("content", {})]
    for code, response in operation.get("responses", {}).items():
        if code.startswith("2"):
            contents.append(response.get("content", {}))
    for content in contents:
        if "application/json" in content:
            yield content["application/json"]


def example_of(schema: dict[str, Any], schemas: dict[str, Any]) -> tuple[Any, ...]:
    """An example of `schema`: its own, else one made of its parts' examples.

    `(example,)`, or `()` when a required part has none (`None` is an example of a nullable
    value). A list shows one item; a page (`Page`) one item of its first page.
    """
    if schema.get("examples"):
        return (copy.deepcopy(schema["examples"][0]),)
    if "$ref" in schema:
        return example_of(schemas[schema["$ref"].removeprefix(_SCHEMAS)], schemas)
    if "const" in schema:
        return (schema["const"],)
    if schema.get("enum"):
        return (schema["enum"][0],)
    choices = schema.get("anyOf") or schema.get("oneOf") or schema.get("allOf")
    if choices:
        return _first_example(choices, schemas)
    if schema.get("type") == "array":
        item = example_of(schema.get("items", {}), schemas)
        return ([*item],) if item else ()
    properties: dict[str, Any] = schema.get("properties", {})
    if properties.keys() == Page.model_fields.keys():
        item = example_of(properties["items"]["items"], schemas)
        page = {"items": [*item], "total": 1, "limit": PageParams().limit, "offset": 0}
        return (page,) if item else ()
    return _object_example(schema, schemas) if properties else ()


def _first_example(choices: list[dict[str, Any]], schemas: dict[str, Any]) -> tuple[Any, ...]:
    """The example of the first choice that has one, else null if null is a choice."""
    for choice in choices:
        if choice.get("type") != "null" and (found := example_of(choice, schemas)):
            return found
    return (None,) if {"type": "null"} in choices else ()


def _object_example(schema: dict[str, Any], schemas: dict[str, Any]) -> tuple[Any, ...]:
    """An object of its properties' examples; optional ones without any, or null, left out."""
    example: dict[str, Any] = {}
    required = set(schema.get("required", ()))
    for name, part in schema["properties"].items():
        found = example_of(part, schemas)
        if name in required and not found:
            return ()
        if name in required or (found and found[0] is not None):
            example[name] = found[0]
    return (example,) if any(value is not None for value in example.values()) else ()


def _as_written(example: Any, schema: dict[str, Any], schemas: dict[str, Any]) -> Any:
    """An example as its model wrote it. FastAPI drops every None of the document, examples
    included (a required property missing from an object was null), and pydantic sorts their
    keys (put back in the order of the schema's properties)."""
    shape = _shape_of(example, schema, schemas)
    if isinstance(example, list):
        return [_as_written(item, shape.get("items", {}), schemas) for item in example]
    if not isinstance(example, dict):
        return example
    properties: dict[str, Any] = shape.get("properties", {})
    others = shape.get("additionalProperties")
    nulls = {
        name: None
        for name in shape.get("required", ())
        if name not in example and {"type": "null"} in properties.get(name, {}).get("anyOf", [])
    }
    order = {name: rank for rank, name in enumerate(properties)}
    names = sorted({**example, **nulls}, key=lambda name: order.get(name, len(order)))
    return {
        name: _as_written(
            example.get(name),
            properties.get(name, others if isinstance(others, dict) else {}),
            schemas,
        )
        for name in names
    }


def _shape_of(example: Any, schema: dict[str, Any], schemas: dict[str, Any]) -> dict[str, Any]:
    """The schema (or the choice of it) that describes an object or list example."""
    if "$ref" in schema:
        return _shape_of(example, schemas[schema["$ref"].removeprefix(_SCHEMAS)], schemas)
    for choice in schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", []):
        shape = _shape_of(example, choice, schemas)
        if ("properties" if isinstance(example, dict) else "items") in shape:
            return shape
    return schema
