"""Every input of every operation, read from the OpenAPI document: bounded, and free of controls.

These hold for endpoints added later too: a new string that forgets `OneLine`, or a new integer
without bounds that fit PostgreSQL's INTEGER, fails here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.db import Database
from registrar.kit.bounds import INT32_MAX, INT32_MIN
from tests import factories
from tests.conftest import LoginFn
from tests.openapi_inputs import Input, inputs, is_free_text

TENANT = "ap-university"
ANY_ID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/openapi.json").json()
    return document


def test_every_integer_input_has_bounds_that_fit_an_int32(spec: dict[str, Any]) -> None:
    unbounded = []
    for item in inputs(spec):
        if item.schema.get("type") != "integer":
            continue
        low = item.schema.get("minimum", item.schema.get("exclusiveMinimum"))
        high = item.schema.get("maximum", item.schema.get("exclusiveMaximum"))
        if low is None or high is None or low < INT32_MIN or high > INT32_MAX:
            unbounded.append(f"{item.method} {item.path} {item.where} {item.loc}: {low}..{high}")
    assert unbounded == []


@pytest.fixture
def tokens(database: Database, login: LoginFn) -> dict[str, dict[str, str]]:
    with database.session() as s:
        inst = factories.institution(s, tag=TENANT)
        factories.user(s, inst, "registrar", Role.REGISTRAR)
        factories.student(s, inst, "22CS001")
    return {
        "registrar": login("registrar", factories.PASSWORD, TENANT),
        "student": login("22CS001", factories.PASSWORD, TENANT),
    }


def probe(schema: dict[str, Any]) -> str:
    """Text that meets the input's own length rules and holds a NUL."""
    length = max(int(schema.get("minLength", 1)), 2)
    return "A" * (length - 1) + "\x00"


def send(client: TestClient, item: Input, value: str, headers: dict[str, str]) -> Any:
    path = re.sub(r"\{[^}]+\}", ANY_ID, item.path)
    if item.where == "query":
        return client.request(item.method, path, params={str(item.loc[0]): value}, headers=headers)
    return client.request(item.method, path, json=item.body_with(value), headers=headers)


def refused_for_control(response: Any, item: Input) -> bool:
    """Refused at this very input (not merely for another): for its control character, or
    because the text does not parse (a clock time)."""
    body = response.json()
    if response.status_code == 400 and "fields" in body:  # the K-12 route's own envelope
        return ".".join(str(p) for p in item.loc) in body["fields"]
    if response.status_code != 422:
        return False
    return any(
        (problem["type"] == "control_character" or problem["type"].endswith("_parsing"))
        and [str(p) for p in problem["loc"]][-len(item.loc) :] == [str(p) for p in item.loc]
        for problem in body.get("detail", [])
    )


def test_every_free_text_input_refuses_control_characters(
    client: TestClient, spec: dict[str, Any], tokens: dict[str, dict[str, str]]
) -> None:
    accepted = []
    probed = 0
    for item in inputs(spec):
        if not is_free_text(item.schema):
            continue
        probed += 1
        response = send(client, item, probe(item.schema), tokens["registrar"])
        if response.status_code == 403:  # a student's endpoint
            response = send(client, item, probe(item.schema), tokens["student"])
        if not refused_for_control(response, item):
            answer = f"{response.status_code} {response.text[:160]}"
            accepted.append(f"{item.method} {item.path} {item.where} {item.loc}: {answer}")
    assert probed > 100
    assert not accepted, "\n".join(accepted)
