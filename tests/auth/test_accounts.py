"""Creating accounts, and what logging in holds while it checks a password."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.auth import passwords, repository, service
from registrar.auth.models import Role, User
from registrar.db import Database
from registrar.errors import Conflict
from tests import factories


def usernames(database: Database) -> list[str]:
    with database.session(write=False) as s:
        return sorted(s.scalars(select(User.username)))


def test_create_user_refuses_a_taken_name(database: Database) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        service.create_user(s, inst.id, username="dean", password="pw", role=Role.REGISTRAR)
        with pytest.raises(Conflict, match="'dean' is already taken"):
            service.create_user(s, inst.id, username="dean", password="pw", role=Role.FACULTY)
    assert usernames(database) == ["dean"]


def test_a_name_taken_between_check_and_insert_is_a_conflict_and_the_rest_commits(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if another request took the name after our check: the constraint decides."""
    with database.session() as s:
        inst = factories.institution(s)
        factories.user(s, inst, "dean")
    monkeypatch.setattr(repository, "find_by_username", lambda *_args: None)
    with database.session() as s:
        factories.user(s, s.get_one(type(inst), inst.id), "clerk")
        with pytest.raises(Conflict, match="'dean' is already taken"):
            service.create_user(s, inst.id, username="dean", password="pw", role=Role.ADMIN)
        factories.user(s, s.get_one(type(inst), inst.id), "librarian")  # still usable
    assert usernames(database) == ["clerk", "dean", "librarian"]


def test_no_connection_is_held_while_a_password_is_checked(
    client: TestClient, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Argon2 is slow on purpose; a pool of four must not wait on it."""
    with database.session() as s:
        factories.user(s, factories.institution(s), "registrar")
    held: list[int] = []
    real_verify = passwords.verify_password  # what `service` calls until it is patched below

    def verify(password_hash: str, password: str) -> bool:
        held.append(database.engine.pool.checkedout())  # type: ignore[attr-defined]
        return real_verify(password_hash, password)

    monkeypatch.setattr(service, "verify_password", verify)
    response = client.post(
        "/auth/login", json={"username": "registrar", "password": factories.PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert held == [0]
