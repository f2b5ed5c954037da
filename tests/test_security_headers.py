"""Security headers on every answer: errors, 404s and 500s included; caching kept off personal
data unless an endpoint chose otherwise; HSTS only over HTTPS."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from registrar.auth.models import Role
from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import make_settings

API_POLICY = "default-src 'none'; frame-ancestors 'none'"


@pytest.fixture
def app(database: Database) -> FastAPI:
    app = create_app(make_settings(database), database)

    @app.get("/test/boom")
    def boom() -> dict[str, str]:
        raise RuntimeError("unexpected")

    return app


@pytest.fixture
def test_client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def campus(database: Database) -> dict[str, Any]:
    """An institution with an open term and one section, a student and a registrar."""
    with database.session() as s:
        inst = factories.institution(s, tag="ap-university")
        year = factories.academic_year(s, inst)
        term = factories.term(s, inst, year)
        factories.section(s, inst, factories.course(s, inst, code="CS301"), term)
        student = factories.student(s, inst)
        factories.user(s, inst, "registrar", Role.REGISTRAR)
        return {"tag": inst.tag, "term": term.id, "roll": student.roll_number}


def _login(client: TestClient, username: str) -> Response:
    response: Response = client.post(
        "/auth/login", json={"username": username, "password": factories.PASSWORD}
    )
    return response


def assert_secured(response: Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_every_answer_carries_the_security_headers(test_client: TestClient) -> None:
    responses = [
        test_client.get("/health"),
        test_client.get("/auth/me"),
        test_client.get("/no/such/route"),
        test_client.post("/auth/login", json={}),
        test_client.delete("/health"),
        test_client.get("/test/boom"),
    ]
    assert [r.status_code for r in responses] == [200, 401, 404, 422, 405, 500]
    for response in responses:
        assert_secured(response)
        # The API answers JSON: nothing in it may load, run or be framed.
        assert response.headers["content-security-policy"] == API_POLICY
        assert "server" not in response.headers


@pytest.mark.usefixtures("campus")
def test_answers_are_not_stored_by_caches(test_client: TestClient) -> None:
    login = _login(test_client, "registrar")
    assert login.status_code == 200, login.text
    token = {"Authorization": f"Bearer {login.json()['access_token']}"}
    answers = [
        login,
        test_client.get("/auth/me", headers=token),
        test_client.get("/api/admin/departments", headers=token),
        test_client.get("/auth/me"),  # a refusal says something about the caller too
        test_client.get("/api/admin/departments/not-an-id", headers=token),
    ]
    assert [r.status_code for r in answers] == [200, 200, 200, 401, 422]
    for response in answers:
        assert response.headers["cache-control"] == "no-store"
        assert_secured(response)


def test_a_cache_control_the_endpoint_chose_is_kept(
    test_client: TestClient, campus: dict[str, Any]
) -> None:
    login = _login(test_client, campus["roll"])
    token = {"Authorization": f"Bearer {login.json()['access_token']}"}
    listing = test_client.get(f"/semesters/{campus['term']}/courses", headers=token)
    assert listing.status_code == 200, listing.text
    assert listing.headers["cache-control"] == "private, no-cache"
    assert_secured(listing)
    again = test_client.get(
        f"/semesters/{campus['term']}/courses",
        headers={**token, "If-None-Match": listing.headers["etag"]},
    )
    assert again.status_code == 304
    assert again.headers["cache-control"] == "private, no-cache"
    assert_secured(again)


def test_strict_transport_security_only_over_https(app: FastAPI) -> None:
    with TestClient(app, base_url="https://registrar.test") as secure:
        over_tls = [secure.get("/health"), secure.get("/no/such/route"), secure.get("/auth/me")]
    with TestClient(app) as plain:
        in_clear = plain.get("/health")
    for response in over_tls:
        assert (
            response.headers["strict-transport-security"] == "max-age=63072000; includeSubDomains"
        )
    # Over plain HTTP the header means nothing, and a proxy that strips TLS must not pin it.
    assert "strict-transport-security" not in in_clear.headers


def test_the_request_id_is_still_sent(test_client: TestClient) -> None:
    response = test_client.get("/health", headers={"X-Request-ID": "trace-1"})
    assert response.headers["x-request-id"] == "trace-1"
    assert_secured(response)
