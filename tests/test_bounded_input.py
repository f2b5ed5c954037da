"""Inputs that once answered 500 (issue 9): each is now a clean refusal, on both databases."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.db import Database
from registrar.kit.bounds import INT32_MAX, MAX_OFFSET
from tests import factories
from tests.conftest import LoginFn
from tests.openapi_inputs import operations

TENANT = "ap-university"
NO_SUCH_ID = "00000000-0000-0000-0000-000000000000"


@pytest.fixture
def registrar(database: Database, login: LoginFn) -> dict[str, str]:
    """A registrar's Authorization header, in an institution with a student."""
    with database.session() as s:
        inst = factories.institution(s, tag=TENANT)
        factories.user(s, inst, "registrar", Role.REGISTRAR)
        dept = factories.department(s, inst, "CSE")
        factories.student(s, inst, "22CS001", of_batch=factories.batch(s, inst, dept=dept))
    return login("registrar", factories.PASSWORD, TENANT)


def assert_refused(response: Any, status: int = 422) -> dict[str, Any]:
    """A clean refusal: the status, strict JSON, the usual `error` key."""
    assert response.status_code == status, response.text
    body: dict[str, Any] = json.loads(response.text, parse_constant=_no_constant)
    assert isinstance(body.get("error"), str)
    return body


def _no_constant(name: str) -> None:
    raise AssertionError(f"the answer holds {name}, which is not JSON")


def error_types(body: dict[str, Any]) -> set[str]:
    return {item["type"] for item in body.get("detail", [])}


@pytest.mark.parametrize("name", ["ab\x00c", "\x00", "a\x1fb", "a\x7fb"])
@pytest.mark.usefixtures("registrar")
def test_a_control_character_in_the_login_username_is_refused(
    client: TestClient, name: str
) -> None:
    as_json = client.post("/auth/login", json={"username": name, "password": "whatever"})
    assert "control_character" in str(assert_refused(as_json)["detail"])
    as_form = client.post("/auth/login", data={"username": name, "password": "whatever"})
    assert "control_character" in str(assert_refused(as_form)["detail"])
    by_number = client.post("/auth/login", json={"student_number": name, "password": "x"})
    assert_refused(by_number)


@pytest.mark.usefixtures("registrar")
def test_a_nul_in_the_login_password_is_refused(client: TestClient) -> None:
    response = client.post("/auth/login", json={"username": "registrar", "password": "a\x00b"})
    assert_refused(response)


def test_a_nul_in_a_string_filter_or_a_body_field_is_refused(
    client: TestClient, registrar: dict[str, str]
) -> None:
    for path in ("/api/admin/departments", "/api/admin/students", "/api/admin/batches"):
        key = "q" if path.endswith("departments") else "search"
        listed = client.get(path, params={key: "CS\x00E"}, headers=registrar)
        assert error_types(assert_refused(listed)) == {"control_character"}
    created = client.post(
        "/api/admin/departments", json={"code": "EC\x00E", "name": "Electronics"}, headers=registrar
    )
    assert error_types(assert_refused(created)) == {"control_character"}
    assert client.get("/api/admin/departments", headers=registrar).json()["total"] == 1


def paginated_lists(client: TestClient) -> list[str]:
    """The paths of every list that takes `offset`."""
    spec = client.get("/openapi.json").json()
    return [
        path
        for method, path, operation in operations(spec)
        if method == "GET" and any(p["name"] == "offset" for p in operation.get("parameters", []))
    ]


def test_an_offset_of_2_63_is_refused_on_every_paginated_list(
    client: TestClient, registrar: dict[str, str], login: LoginFn
) -> None:
    lists = paginated_lists(client)
    assert len(lists) >= 10
    # 22CS001 (a student of the fixture's institution) reads the student portal's lists.
    student = login("22CS001", factories.PASSWORD, TENANT)
    for path in lists:
        # A list under one row: any id will do, since the query is validated first.
        concrete = re.sub(r"\{[^}]+\}", NO_SUCH_ID, path)
        who = student if path.startswith("/api/student-portal/") else registrar
        response = client.get(concrete, params={"offset": 2**63}, headers=who)
        assert error_types(assert_refused(response)) == {"less_than_equal"}, path
        if "{" not in path:
            last = client.get(concrete, params={"offset": MAX_OFFSET}, headers=who)
            assert last.status_code == 200, (path, last.text)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/admin/students", "year_of_study"),
        ("/api/admin/students", "semester"),
        ("/api/admin/students", "grade_level"),
        ("/api/admin/batches", "semester"),
        ("/api/admin/courses", "catalog_semester"),
        ("/api/admin/courses", "grade_level"),
    ],
)
def test_integer_filters_beyond_int32_are_refused(
    client: TestClient, registrar: dict[str, str], path: str, name: str
) -> None:
    for value in (2**31, 2**63, -(2**31) - 1):
        response = client.get(path, params={name: value}, headers=registrar)
        assert_refused(response)
    fits = client.get(path, params={name: INT32_MAX}, headers=registrar)
    assert fits.status_code == 200
    assert fits.json()["items"] == []


def test_a_batch_capacity_of_2_40_is_refused(client: TestClient, registrar: dict[str, str]) -> None:
    body = {"code": "CS-2024-BIG", "capacity": 2**40}
    created = client.post("/api/admin/batches", json=body, headers=registrar)
    assert_refused(created)
    made = client.post(
        "/api/admin/batches", json={"code": "CS-2024-OK", "capacity": 70}, headers=registrar
    )
    assert made.status_code == 201, made.text
    changed = client.patch(
        f"/api/admin/batches/{made.json()['id']}", json={"capacity": 2**40}, headers=registrar
    )
    assert_refused(changed)


NON_FINITE = ["NaN", "Infinity", "-Infinity", "1e309", "-1e309"]


@pytest.mark.parametrize("number", NON_FINITE)
@pytest.mark.usefixtures("registrar")
def test_non_finite_numbers_in_a_login_body_are_refused(client: TestClient, number: str) -> None:
    for text in (
        f'{{"username": {number}, "password": "x"}}',
        f'{{"username": "registrar", "password": "{factories.PASSWORD}", "extra": [{number}]}}',
    ):
        response = client.post(
            "/auth/login", content=text, headers={"Content-Type": "application/json"}
        )
        assert_refused(response)


@pytest.mark.parametrize("number", NON_FINITE)
def test_non_finite_numbers_in_a_json_body_are_refused(
    client: TestClient, registrar: dict[str, str], number: str
) -> None:
    headers = {**registrar, "Content-Type": "application/json"}
    for text in (
        f'{{"code": "EEE", "name": {number}}}',  # echoed by the 422 before
        f'{{"code": "EEE", "name": "Electrical", "ignored": {{"deep": [1, {number}]}}}}',
    ):
        response = client.post("/api/admin/departments", content=text, headers=headers)
        assert_refused(response)
    graded = client.put(
        f"/api/sections/{NO_SUCH_ID}/grades",
        content=f'[{{"roll_number": "22CS001", "percent": {number}}}]',
        headers=headers,
    )
    assert_refused(graded)
    assert client.get("/api/admin/departments", headers=registrar).json()["total"] == 1


def test_a_422_echoes_only_a_short_excerpt_of_the_input(
    client: TestClient, registrar: dict[str, str]
) -> None:
    huge = "x" * 200_000
    response = client.post(
        "/api/admin/departments", json={"code": huge, "name": huge}, headers=registrar
    )
    body = assert_refused(response)
    assert len(response.content) < 2_000
    assert {tuple(item["loc"]) for item in body["detail"]} == {("body", "code"), ("body", "name")}
    assert all(len(item["input"]) <= 41 for item in body["detail"])
    # A missing field's input is the whole object: it is not echoed back.
    missing = client.post("/api/admin/departments", json={"name": huge}, headers=registrar)
    assert len(missing.content) < 2_000
    anonymous = client.post("/auth/login", json={"username": huge, "password": huge})
    assert len(assert_refused(anonymous).__repr__()) < 2_000
