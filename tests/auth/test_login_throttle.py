"""Failed logins are limited per account and per client address; the limits are shared by
every worker through Redis when REDIS_URL is set (this machine runs one on 6379)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import make_settings

REDIS = "redis://127.0.0.1:6379/0"


@contextmanager
def app_client(database: Database, **settings: str) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database, **settings), database)) as client:
        yield client


def accounts(database: Database, count: int) -> tuple[str, list[str]]:
    with database.session() as s:
        inst = factories.institution(s)
        names = [factories.student(s, inst).roll_number for _ in range(count)]
        return inst.tag, names


def log_in(client: TestClient, tag: str, name: str, password: str) -> tuple[int, dict[str, Any]]:
    """The status, and the answer's headers merged with its JSON body (whose values may be
    numbers, as `retry_after_seconds` is)."""
    response = client.post(
        "/auth/login",
        json={"username": name, "password": password},
        headers={"x-tenant-tag": tag},
    )
    return response.status_code, dict(response.headers) | response.json()


def test_an_account_is_locked_after_its_failures_whoever_knows_the_password(
    database: Database,
) -> None:
    tag, [victim, bystander] = accounts(database, 2)
    with app_client(database, LOGIN_FAILURES_PER_ACCOUNT="5 per 15 minutes") as client:
        statuses = [log_in(client, tag, victim, "guess")[0] for _ in range(5)]
        assert statuses == [401] * 5
        status, answer = log_in(client, tag, victim, factories.PASSWORD)
        assert status == 429
        assert answer["error"] == "Too many failed sign-ins; try again later"
        assert 0 < int(answer["retry-after"]) <= 15 * 60
        assert answer["retry_after_seconds"] == int(answer["retry-after"])
        # Someone else's account is not locked by it.
        assert log_in(client, tag, bystander, factories.PASSWORD)[0] == 200


def test_a_success_forgives_the_accounts_failures(database: Database) -> None:
    tag, [name] = accounts(database, 1)
    with app_client(database, LOGIN_FAILURES_PER_ACCOUNT="3 per 15 minutes") as client:
        assert [log_in(client, tag, name, "guess")[0] for _ in range(2)] == [401, 401]
        assert log_in(client, tag, name, factories.PASSWORD)[0] == 200
        assert [log_in(client, tag, name, "guess")[0] for _ in range(2)] == [401, 401]
        assert log_in(client, tag, name, factories.PASSWORD)[0] == 200


def test_one_address_guessing_at_many_accounts_is_stopped(database: Database) -> None:
    tag, names = accounts(database, 4)
    with app_client(database, LOGIN_FAILURES_PER_ADDRESS="3 per 15 minutes") as client:
        assert [log_in(client, tag, name, "guess")[0] for name in names[:3]] == [401] * 3
        assert log_in(client, tag, names[3], factories.PASSWORD)[0] == 429


def test_the_counts_are_shared_through_redis(database: Database) -> None:
    tag, [name] = accounts(database, 1)
    shared = {
        "REDIS_URL": REDIS,
        "REDIS_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        "LOGIN_FAILURES_PER_ACCOUNT": "4 per 15 minutes",
    }
    # Two apps stand for two workers (or replicas): each sees the other's failures.
    with app_client(database, **shared) as first, app_client(database, **shared) as second:
        assert [log_in(first, tag, name, "guess")[0] for _ in range(2)] == [401, 401]
        assert [log_in(second, tag, name, "guess")[0] for _ in range(2)] == [401, 401]
        assert log_in(first, tag, name, factories.PASSWORD)[0] == 429
        assert log_in(second, tag, name, factories.PASSWORD)[0] == 429


def test_an_unreachable_redis_does_not_lock_everyone_out(database: Database) -> None:
    tag, [name] = accounts(database, 1)
    down = {"REDIS_URL": "redis://127.0.0.1:9/0", "LOGIN_FAILURES_PER_ACCOUNT": "1 per minute"}
    with app_client(database, **down) as client:
        assert log_in(client, tag, name, "guess")[0] == 401
        assert log_in(client, tag, name, factories.PASSWORD)[0] == 200
