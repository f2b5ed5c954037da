"""An app on PostgreSQL with the factory-built school, and a poster for the endpoint."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import make_settings
from tests.enrollment.continuing import school as school_module
from tests.enrollment.continuing.school import PATH, School

Post = Callable[..., httpx.Response]


@pytest.fixture
def pg_client(pg: Database) -> Iterator[TestClient]:
    """An HTTP client of the app on PostgreSQL."""
    with TestClient(create_app(make_settings(pg), pg)) as test_client:
        yield test_client


@pytest.fixture
def school(pg: Database) -> School:
    """The factory-built K-12 school on PostgreSQL."""
    with pg.session() as session:
        return school_module.build(session)


@pytest.fixture
def token(pg_client: TestClient) -> Callable[..., dict[str, str]]:
    """Log in to the school and return the Authorization header."""

    def _token(username: str, tag: str = school_module.TAG) -> dict[str, str]:
        response = pg_client.post(
            "/auth/login",
            json={"username": username, "password": factories.PASSWORD},
            headers={"x-tenant-tag": tag},
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return _token


@pytest.fixture
def post(pg_client: TestClient, token: Callable[..., dict[str, str]], school: School) -> Post:
    """POST a request body to the endpoint, as the registrar unless told otherwise."""

    def _post(
        body: Any,
        *,
        user: str | None = school_module.REGISTRAR,
        tag: str | None = school.tag,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = {**(headers or {}), **(token(user) if user else {})}
        if tag:
            headers["x-tenant-tag"] = tag
        if isinstance(body, (bytes, str)):
            headers["content-type"] = "application/json"
            response: httpx.Response = pg_client.post(PATH, content=body, headers=headers)
        else:
            response = pg_client.post(PATH, json=body, headers=headers)
        return response

    return _post
