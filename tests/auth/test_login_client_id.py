"""/docs' Authorize dialog logs into any institution: the OAuth2 client id is the tenant tag,
sent in the form (or JSON) or as the user part of `Authorization: Basic` (Swagger UI's default).
"""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.auth.test_tenancy import B_PASSWORD, institution_of, two_institutions
from tests.conftest import make_settings


@pytest.fixture
def school_client(database: Database) -> TestClient:
    """An app whose clients land in the university unless they say otherwise."""
    two_institutions(database)
    settings = make_settings(database, REGISTRAR_DEFAULT_TENANT="ap-university")
    return TestClient(create_app(settings, database))


def _form(client_id: str | None = None, password: str = B_PASSWORD) -> dict[str, str]:
    form = {"grant_type": "password", "username": "registrar", "password": password}
    if client_id is not None:
        form["client_id"] = client_id
    return form


def _basic(client_id: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:".encode()).decode()}


def test_the_form_client_id_names_the_school(school_client: TestClient) -> None:
    with school_client as client:
        response = client.post("/auth/login", data=_form("sample-school"))
        assert response.status_code == 200, response.text
        assert institution_of(client, response.json()["access_token"]) == "sample-school"


def test_a_basic_header_client_id_names_the_school(school_client: TestClient) -> None:
    with school_client as client:
        response = client.post("/auth/login", data=_form(), headers=_basic("sample-school"))
        assert response.status_code == 200, response.text
        assert institution_of(client, response.json()["access_token"]) == "sample-school"


def test_the_schools_registrar_never_lands_in_the_university(school_client: TestClient) -> None:
    with school_client as client:
        # The school's password against the default institution's account of the same name.
        assert client.post("/auth/login", data=_form()).status_code == 401
        # An empty client id (Authorize left blank) is the default institution.
        blank = client.post("/auth/login", data=_form(""), headers=_basic(""))
        assert blank.status_code == 401
        university = client.post("/auth/login", data=_form("", factories.PASSWORD))
        assert university.status_code == 200
        token = university.json()["access_token"]
        assert institution_of(client, token) == "ap-university"


def test_json_clients_may_send_it_too_and_an_unknown_one_is_not_found(
    school_client: TestClient,
) -> None:
    with school_client as client:
        body = {"username": "registrar", "password": B_PASSWORD, "client_id": "sample-school"}
        assert client.post("/auth/login", json=body).status_code == 200
        unknown = client.post("/auth/login", json={**body, "client_id": "no-such-school"})
        assert unknown.status_code == 404
        assert unknown.json()["error"] == "Unknown institution 'no-such-school'"
