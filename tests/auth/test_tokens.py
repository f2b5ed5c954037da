"""Access tokens: what a real one carries, and every way a bad one is refused.

These tests forge tokens on purpose; everywhere else tokens come from logging in.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from registrar.auth.models import Role, User
from registrar.config import Settings
from registrar.db import Database
from registrar.institutions.models import Institution
from tests import factories
from tests.conftest import LoginFn

INVALID = {"error": "Could not validate credentials"}


def b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64(part: str) -> dict[str, Any]:
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


class World:
    """One institution with a registrar and a student, both logged in through the API."""

    def __init__(self, database: Database, login: LoginFn, settings: Settings) -> None:
        with database.session() as session:
            inst = factories.institution(session, tag="ap-university")
            other = factories.institution(session, tag="other-school")
            registrar = factories.user(session, inst, "registrar", Role.REGISTRAR)
            student = factories.student(session, inst, "22CS001")
            stranger = factories.user(session, other, "registrar", Role.REGISTRAR)
        self.institution_id = str(inst.id)
        self.other_institution_id = str(other.id)
        self.registrar_id = str(registrar.id)
        self.student_user_id = str(student.user_id)
        self.stranger_id = str(stranger.id)
        self.key = settings.signing_key()
        self.issuer = settings.token_issuer
        self.registrar_token = self._token(login("registrar", factories.PASSWORD, "ap-university"))
        self.student_token = self._token(login("22CS001", factories.PASSWORD, "ap-university"))

    @staticmethod
    def _token(headers: dict[str, str]) -> str:
        return headers["Authorization"].removeprefix("Bearer ")

    def claims(self, token: str) -> dict[str, Any]:
        """The claims of a real token, checked with our key."""
        decoded: dict[str, Any] = jwt.decode(
            token, self.key, algorithms=["HS256"], issuer=self.issuer
        )
        return decoded

    def sign(self, claims: dict[str, Any], key: str | None = None, alg: str = "HS256") -> str:
        return jwt.encode(claims, key or self.key, algorithm=alg)


@pytest.fixture
def world(database: Database, login: LoginFn, settings: Settings) -> World:
    return World(database, login, settings)


def call_me(client: TestClient, token: str) -> Any:
    return client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})


def outlive_auth_cache(client: TestClient) -> None:
    """Each worker keeps a user for AUTH_CACHE_SECONDS: a change made elsewhere (another
    worker, another replica, SQL) shows once that has passed."""
    time.sleep(client.app.state.settings.auth_cache_seconds + 0.05)  # type: ignore[attr-defined]


def test_a_real_token_pins_hs256_and_carries_its_claims(client: TestClient, world: World) -> None:
    header = jwt.get_unverified_header(world.registrar_token)
    assert header == {"alg": "HS256", "typ": "JWT"}
    claims = world.claims(world.registrar_token)
    assert claims["sub"] == world.registrar_id
    assert claims["inst"] == world.institution_id
    assert claims["role"] == "REGISTRAR"
    assert claims["iss"] == "registrar"
    now = time.time()
    assert claims["iat"] <= now + 1
    assert claims["exp"] - claims["iat"] == 60 * 60
    assert now + 60 * 60 - 5 < claims["exp"] <= now + 60 * 60 + 1

    student = world.claims(world.student_token)
    assert (student["sub"], student["role"]) == (world.student_user_id, "STUDENT")
    assert call_me(client, world.student_token).json()["role"] == "STUDENT"


def test_token_lifetime_follows_settings(database: Database) -> None:
    from registrar.main import create_app
    from tests.conftest import make_settings

    with database.session() as session:
        factories.user(session, factories.institution(session), "registrar")
    settings = make_settings(database, ACCESS_TOKEN_MINUTES=5)
    with TestClient(create_app(settings, database)) as client:
        body = client.post(
            "/auth/login", json={"username": "registrar", "password": factories.PASSWORD}
        ).json()
    assert body["expires_in"] == 300
    claims = jwt.decode(body["access_token"], settings.signing_key(), algorithms=["HS256"])
    assert claims["exp"] - claims["iat"] == 300


Forge = Callable[[World], str]


def _resigned(change: Callable[[dict[str, Any]], None]) -> Forge:
    """A real registrar token with its claims changed and signed again with the real key."""

    def forge(world: World) -> str:
        claims = world.claims(world.registrar_token)
        change(claims)
        return world.sign(claims)

    return forge


def _expired(claims: dict[str, Any]) -> None:
    claims["iat"] = int(time.time()) - 7200
    claims["exp"] = int(time.time()) - 60


def _tampered_role(world: World) -> str:
    head, payload, signature = world.student_token.split(".")
    claims = unb64(payload)
    claims["role"] = "REGISTRAR"
    return f"{head}.{b64(claims)}.{signature}"


def _tampered_subject(world: World) -> str:
    head, payload, signature = world.student_token.split(".")
    claims = unb64(payload)
    claims["sub"] = world.registrar_id
    return f"{head}.{b64(claims)}.{signature}"


def _tampered_expiry(world: World) -> str:
    head, payload, signature = world.registrar_token.split(".")
    claims = unb64(payload)
    claims["exp"] = claims["exp"] + 3600
    return f"{head}.{b64(claims)}.{signature}"


def _other_key(world: World) -> str:
    return world.sign(world.claims(world.registrar_token), key="another-key-" + "x" * 40)


def _alg_none(world: World) -> str:
    claims = world.claims(world.registrar_token)
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


def _alg_none_with_signature(world: World) -> str:
    _head, payload, signature = world.registrar_token.split(".")
    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{payload}.{signature}"


def _hs512(world: World) -> str:
    return world.sign(world.claims(world.registrar_token), alg="HS512")


def _without(claim: str) -> Forge:
    return _resigned(lambda claims: claims.pop(claim))


def _other_institution(world: World) -> str:
    """The right user, but the token names another institution."""
    return _resigned(lambda claims: claims.update(inst=world.other_institution_id))(world)


def _user_of_other_institution(world: World) -> str:
    return _resigned(lambda claims: claims.update(sub=world.stranger_id))(world)


BAD_TOKENS: dict[str, Forge] = {
    "expired": _resigned(_expired),
    "tampered role": _tampered_role,
    "tampered subject": _tampered_subject,
    "tampered expiry": _tampered_expiry,
    "other key": _other_key,
    "alg none": _alg_none,
    "alg none, signature kept": _alg_none_with_signature,
    "HS512 with our key": _hs512,
    "wrong issuer": _resigned(lambda claims: claims.update(iss="someone-else")),
    "missing exp": _without("exp"),
    "missing iat": _without("iat"),
    "missing iss": _without("iss"),
    "missing sub": _without("sub"),
    "missing inst": _without("inst"),
    "missing role": _without("role"),
    "role not ours": _resigned(lambda claims: claims.update(role="SUPERUSER")),
    "role not the user's": _resigned(lambda claims: claims.update(role="ADMIN")),
    "sub not a uuid": _resigned(lambda claims: claims.update(sub="registrar")),
    "unknown user": _resigned(lambda claims: claims.update(sub=str(uuid.uuid4()))),
    "not yet valid": _resigned(lambda claims: claims.update(nbf=int(time.time()) + 3600)),
    "exp not a number": _resigned(lambda claims: claims.update(exp="tomorrow")),
    "other institution": _other_institution,
    "user of another institution": _user_of_other_institution,
    "garbage": lambda _world: "garbage",
    "three garbage parts": lambda _world: "aaa.bbb.ccc",
    "truncated": lambda world: world.registrar_token[:-5],
}


def test_bad_tokens_get_one_401(client: TestClient, world: World) -> None:
    """Every forgery in BAD_TOKENS, checked in one go (logging in is slow on purpose)."""
    answers: dict[str, tuple[int, Any, str | None]] = {}
    for kind, forge in BAD_TOKENS.items():
        token = forge(world)
        assert token != world.registrar_token, kind
        response = call_me(client, token)
        answers[kind] = (
            response.status_code,
            response.json(),
            response.headers.get("www-authenticate"),
        )
    wrong = {kind: answer for kind, answer in answers.items() if answer != (401, INVALID, "Bearer")}
    assert wrong == {}
    # the real token still works, so each refusal was about the token and nothing else
    assert call_me(client, world.registrar_token).status_code == 200


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer ", "Basic cmVnaXN0cmFyOnNlY3JldA==", "Token x"]
)
def test_missing_authorization_is_401(
    client: TestClient, world: World, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.get("/auth/me", headers=headers)
    assert response.status_code == 401, response.text
    assert response.json() == {"error": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Bearer"
    assert call_me(client, world.registrar_token).status_code == 200


def test_token_of_a_user_deactivated_after_issue(
    client: TestClient, world: World, database: Database
) -> None:
    assert call_me(client, world.student_token).status_code == 200
    with database.session() as session:
        session.execute(
            update(User).where(User.id == uuid.UUID(world.student_user_id)).values(is_active=False)
        )
    outlive_auth_cache(client)
    response = call_me(client, world.student_token)
    assert response.status_code == 401
    assert response.json() == INVALID
    assert call_me(client, world.registrar_token).status_code == 200


def test_token_of_a_user_whose_role_changed_after_issue(
    client: TestClient, world: World, database: Database
) -> None:
    with database.session() as session:
        session.execute(
            update(User).where(User.id == uuid.UUID(world.registrar_id)).values(role=Role.FACULTY)
        )
    outlive_auth_cache(client)
    response = call_me(client, world.registrar_token)
    assert response.status_code == 401
    assert response.json() == INVALID


def test_token_of_a_deactivated_institution(
    client: TestClient, world: World, database: Database
) -> None:
    with database.session() as session:
        session.execute(
            update(Institution)
            .where(Institution.id == uuid.UUID(world.institution_id))
            .values(is_active=False)
        )
    outlive_auth_cache(client)
    response = call_me(client, world.registrar_token)
    assert response.status_code == 401
    assert response.json() == INVALID


def test_a_token_signed_under_another_issuer_setting_is_refused(
    database: Database, world: World
) -> None:
    from registrar.main import create_app
    from tests.conftest import make_settings

    settings = make_settings(database, TOKEN_ISSUER="registrar-staging")
    with TestClient(create_app(settings, database)) as staging:
        assert call_me(staging, world.registrar_token).status_code == 401


def test_expiry_is_checked_against_the_clock(client: TestClient, world: World) -> None:
    """A token one second from expiry works; the same token one second past it does not."""
    claims = world.claims(world.registrar_token)
    now = int(datetime.now(UTC).timestamp())
    claims.update(iat=now - 100, exp=now + 30)
    assert call_me(client, world.sign(claims)).status_code == 200
    claims.update(exp=now - 1)
    assert call_me(client, world.sign(claims)).status_code == 401
