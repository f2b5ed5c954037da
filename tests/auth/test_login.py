"""POST /auth/login (JSON, student number, OAuth2 form) and GET /auth/me."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from registrar.auth.models import Role, User
from registrar.db import Database
from tests import factories

TENANT = "ap-university"


@pytest.fixture
def people(database: Database) -> dict[str, Any]:
    """An institution with a registrar, a student (with a batch) and an inactive account."""
    with database.session() as session:
        inst = factories.institution(session, tag=TENANT, name="AP University")
        registrar = factories.user(session, inst, "registrar", Role.REGISTRAR)
        dept = factories.department(session, inst)
        group = factories.batch(session, inst, dept=dept, code="CS-2024-3-A")
        student = factories.student(session, inst, "22CS001", of_batch=group)
        inactive = factories.user(session, inst, "gone", Role.REGISTRAR)
        inactive.is_active = False
        return {
            "institution_id": str(inst.id),
            "registrar_id": str(registrar.id),
            "student_id": str(student.id),
            "student_user_id": str(student.user_id),
        }


def assert_token_answer(response: Any) -> str:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 60 * 60
    assert body["access_token"].count(".") == 2
    assert response.headers["cache-control"] == "no-store"
    token: str = body["access_token"]
    return token


def me(client: TestClient, token: str) -> dict[str, Any]:
    response = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_json_username_login_then_me(client: TestClient, people: dict[str, Any]) -> None:
    response = client.post(
        "/auth/login", json={"username": "registrar", "password": factories.PASSWORD}
    )
    who = me(client, assert_token_answer(response))
    assert who["id"] == people["registrar_id"]
    assert who["username"] == "registrar"
    assert who["role"] == "REGISTRAR"
    assert who["institution"] == {
        "id": people["institution_id"],
        "tag": TENANT,
        "name": "AP University",
    }
    assert who["student"] is None


def test_registration_clients_log_in_with_student_number(
    client: TestClient, people: dict[str, Any]
) -> None:
    response = client.post(
        "/auth/login", json={"student_number": "22CS001", "password": factories.PASSWORD}
    )
    who = me(client, assert_token_answer(response))
    assert who["id"] == people["student_user_id"]
    assert who["role"] == "STUDENT"
    assert who["institution"]["tag"] == TENANT
    assert who["student"] == {
        "id": people["student_id"],
        "roll_number": "22CS001",
        "name": "Student 22CS001",
    }


def test_students_log_in_with_their_roll_number_as_username(
    client: TestClient, people: dict[str, Any]
) -> None:
    response = client.post(
        "/auth/login", json={"username": "22CS001", "password": factories.PASSWORD}
    )
    assert me(client, assert_token_answer(response))["student"]["id"] == people["student_id"]


def test_oauth2_password_form_as_the_docs_send_it(
    client: TestClient, people: dict[str, Any]
) -> None:
    form = {
        "grant_type": "password",
        "username": "registrar",
        "password": factories.PASSWORD,
        "scope": "",
    }
    response = client.post("/auth/login", data=form)
    assert response.request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert me(client, assert_token_answer(response))["id"] == people["registrar_id"]


def test_multipart_form_login(client: TestClient, people: dict[str, Any]) -> None:
    response = client.post(
        "/auth/login",
        files={"username": (None, "registrar"), "password": (None, factories.PASSWORD)},
    )
    assert me(client, assert_token_answer(response))["id"] == people["registrar_id"]


def test_docs_authorize_button_points_at_login(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    flows = [s["flows"]["password"] for s in schemes.values() if s.get("type") == "oauth2"]
    assert flows == [{"scopes": {}, "tokenUrl": "/auth/login"}]
    body = schema["paths"]["/auth/login"]["post"]["requestBody"]["content"]
    assert {"application/json", "application/x-www-form-urlencoded"} <= set(body)
    me_security = schema["paths"]["/auth/me"]["get"]["security"]
    assert me_security == [{name: []} for name in schemes]


def refused(response: Any) -> dict[str, Any]:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.usefixtures("people")
def test_wrong_password_unknown_user_and_inactive_user_look_the_same(client: TestClient) -> None:
    attempts = [
        {"username": "registrar", "password": "not-the-password"},
        {"username": "nobody", "password": factories.PASSWORD},
        {"username": "gone", "password": factories.PASSWORD},
        {"student_number": "99XX999", "password": factories.PASSWORD},
        {"student_number": "22CS001", "password": "wrong"},
    ]
    bodies = [refused(client.post("/auth/login", json=attempt)) for attempt in attempts]
    form = {"username": "registrar", "password": "wrong", "grant_type": "password"}
    bodies.append(refused(client.post("/auth/login", data=form)))

    assert all(body == bodies[0] for body in bodies)
    assert set(bodies[0]) == {"error"}
    message = bodies[0]["error"].lower()
    assert "username or password" in message
    for hint in ("inactive", "unknown", "not found", "exist", "disabled", "wrong password"):
        assert hint not in message


def test_a_deactivated_account_cannot_log_in(client: TestClient, database: Database) -> None:
    with database.session() as session:
        inst = factories.institution(session)
        factories.user(session, inst, "leaving")
    creds = {"username": "leaving", "password": factories.PASSWORD}
    assert client.post("/auth/login", json=creds).status_code == 200
    with database.session() as session:
        session.execute(update(User).where(User.username == "leaving").values(is_active=False))
    refused(client.post("/auth/login", json=creds))


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    "body",
    [
        b"{}",
        b'{"username": "registrar"}',
        b'{"password": "secret123"}',
        b'{"username": "", "password": "secret123"}',
        b'{"username": "registrar", "password": ""}',
        b'{"username": 42, "password": "secret123"}',
        b'{"username": "registrar", "password": "secret123"',
        b'["registrar", "secret123"]',
        b"",
        b'{"username": "' + b"x" * 65 + b'", "password": "secret123"}',
    ],
)
def test_invalid_json_bodies_are_422(client: TestClient, body: bytes) -> None:
    response = client.post(
        "/auth/login", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "Invalid login request"
    assert response.json()["detail"]
    assert b"secret123" not in response.content  # a password is never echoed back


@pytest.mark.usefixtures("people")
@pytest.mark.parametrize(
    "form",
    [{"username": "registrar"}, {"password": "secret123"}, {"username": "", "password": "x"}],
)
def test_invalid_forms_are_422(client: TestClient, form: dict[str, str]) -> None:
    response = client.post("/auth/login", data=form)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "Invalid login request"


def test_me_without_a_token_is_401(client: TestClient) -> None:
    body = refused(client.get("/auth/me"))
    assert body == {"error": "Not authenticated"}
