"""Which institution a request speaks for: header, default, the only one, or the token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.auth.passwords import hash_password
from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import make_settings

B_PASSWORD = "b-school-password"


def two_institutions(database: Database) -> None:
    """`ap-university` and `sample-school`, each with a `registrar` of its own password."""
    with database.session() as session:
        a = factories.institution(session, tag="ap-university", name="AP University")
        b = factories.institution(session, tag="sample-school", name="Sample School")
        factories.user(session, a, "registrar", Role.REGISTRAR)
        other = factories.user(session, b, "registrar", Role.REGISTRAR)
        other.password_hash = hash_password(B_PASSWORD)


def log_in(
    client: TestClient, password: str = factories.PASSWORD, tenant: str | None = None
) -> tuple[int, dict[str, str]]:
    headers = {"x-tenant-tag": tenant} if tenant is not None else {}
    response = client.post(
        "/auth/login", json={"username": "registrar", "password": password}, headers=headers
    )
    return response.status_code, response.json()


def institution_of(client: TestClient, token: str, tenant: str | None = None) -> str:
    headers = {"Authorization": f"Bearer {token}"}
    if tenant is not None:
        headers["x-tenant-tag"] = tenant
    response = client.get("/auth/me", headers=headers)
    assert response.status_code == 200, response.text
    tag: str = response.json()["institution"]["tag"]
    return tag


def test_the_same_username_logs_into_the_institution_the_header_names(
    client: TestClient, database: Database
) -> None:
    two_institutions(database)
    status_a, body_a = log_in(client, tenant="ap-university")
    status_b, body_b = log_in(client, B_PASSWORD, tenant="sample-school")
    assert (status_a, status_b) == (200, 200)
    assert institution_of(client, body_a["access_token"]) == "ap-university"
    assert institution_of(client, body_b["access_token"]) == "sample-school"


def test_credentials_are_checked_against_the_named_institution_only(
    client: TestClient, database: Database
) -> None:
    two_institutions(database)
    assert log_in(client, B_PASSWORD, tenant="ap-university")[0] == 401
    assert log_in(client, factories.PASSWORD, tenant="sample-school")[0] == 401


def test_without_header_the_only_institution_is_used(
    client: TestClient, database: Database
) -> None:
    with database.session() as session:
        inst = factories.institution(session, tag="only-one")
        factories.user(session, inst, "registrar")
    status, body = log_in(client)
    assert status == 200, body
    assert institution_of(client, body["access_token"]) == "only-one"


def test_without_header_an_inactive_institution_does_not_count(
    client: TestClient, database: Database
) -> None:
    with database.session() as session:
        live = factories.institution(session, tag="live")
        factories.institution(session, tag="closed", is_active=False)
        factories.user(session, live, "registrar")
    status, body = log_in(client)
    assert status == 200, body
    assert institution_of(client, body["access_token"]) == "live"


def test_without_header_several_institutions_need_one_named(
    client: TestClient, database: Database
) -> None:
    two_institutions(database)
    status, body = log_in(client)
    assert status == 400
    assert "x-tenant-tag" in body["error"]


def test_without_any_institution_the_error_says_so(client: TestClient) -> None:
    status, body = log_in(client)
    assert status == 400
    assert "no institution" in body["error"].lower()


@pytest.fixture
def default_client(database: Database) -> Iterator[TestClient]:
    """An app configured with REGISTRAR_DEFAULT_TENANT=sample-school."""
    settings = make_settings(database, REGISTRAR_DEFAULT_TENANT="sample-school")
    with TestClient(create_app(settings, database)) as client:
        yield client


def test_without_header_the_configured_default_is_used(
    default_client: TestClient, database: Database
) -> None:
    two_institutions(database)
    status, body = log_in(default_client, B_PASSWORD)
    assert status == 200, body
    assert institution_of(default_client, body["access_token"]) == "sample-school"
    assert log_in(default_client)[0] == 401  # A's password does not open B


def test_the_header_wins_over_the_default(default_client: TestClient, database: Database) -> None:
    two_institutions(database)
    status, body = log_in(default_client, tenant="ap-university")
    assert status == 200, body
    assert institution_of(default_client, body["access_token"]) == "ap-university"


def test_an_unknown_default_is_404(database: Database) -> None:
    two_institutions(database)
    settings = make_settings(database, REGISTRAR_DEFAULT_TENANT="no-such-place")
    with TestClient(create_app(settings, database)) as client:
        status, body = log_in(client)
    assert status == 404
    assert "no-such-place" in body["error"]


@pytest.mark.parametrize("tag", ["no-such-school", "AP-UNIVERSITY", "closed-school"])
def test_an_unknown_or_closed_tag_is_404(client: TestClient, database: Database, tag: str) -> None:
    two_institutions(database)
    with database.session() as session:
        factories.institution(session, tag="closed-school", is_active=False)
    status, body = log_in(client, tenant=tag)
    assert status == 404
    assert body == {"error": f"Unknown institution {tag!r}"}


def test_a_token_of_institution_a_stays_a_whatever_the_header(
    client: TestClient, database: Database
) -> None:
    two_institutions(database)
    token = log_in(client, tenant="ap-university")[1]["access_token"]
    assert institution_of(client, token, tenant="sample-school") == "ap-university"
    assert institution_of(client, token, tenant="no-such-school") == "ap-university"
    assert institution_of(client, token) == "ap-university"


def test_a_token_survives_other_institutions_appearing(
    client: TestClient, database: Database
) -> None:
    """Logged in while alone (no header); still the same institution once there are two."""
    with database.session() as session:
        inst = factories.institution(session, tag="ap-university")
        factories.user(session, inst, "registrar")
    token = log_in(client)[1]["access_token"]
    with database.session() as session:
        factories.institution(session, tag="sample-school")
    assert institution_of(client, token) == "ap-university"
