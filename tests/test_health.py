"""GET /health (the process) and GET /ready (the database, and its schema's migration)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from registrar.db import Database, build_engine
from registrar.main import create_app
from tests import dbs
from tests.conftest import make_settings

# Port 9 (discard) on the loopback: nothing listens there, so connecting fails at once.
UNREACHABLE_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:9/registrar"


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "schema": "current"}


@pytest.fixture
def unreachable() -> Database:
    return Database(build_engine(UNREACHABLE_POSTGRES, pool_size=1, max_overflow=0))


def test_not_ready_when_postgres_is_unreachable(unreachable: Database) -> None:
    with TestClient(create_app(make_settings(unreachable), unreachable)) as client:
        ready = client.get("/ready")
        health = client.get("/health")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "down"}
    assert "127.0.0.1" not in ready.text  # no connection details in the answer
    assert health.status_code == 200  # the process itself is fine


def test_not_ready_when_the_sqlite_file_cannot_be_opened(tmp_path: Path) -> None:
    missing = Database(build_engine(f"sqlite+pysqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}"))
    settings = make_settings(missing)
    with TestClient(create_app(settings, missing)) as client:
        ready = client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["database"] == "down"


def _ready(database: Database) -> tuple[int, dict[str, str]]:
    with TestClient(create_app(make_settings(database), database)) as client:
        response = client.get("/ready")
    return response.status_code, response.json()


def test_not_ready_before_the_schema_is_migrated(tmp_path: Path) -> None:
    empty = Database(build_engine(dbs.sqlite_url(tmp_path)))
    try:
        status, body = _ready(empty)
    finally:
        empty.dispose()
    assert status == 503
    assert body == {"status": "unavailable", "database": "ok", "schema": "behind"}


def test_ready_but_says_so_when_a_newer_release_migrated_the_schema(tmp_path: Path) -> None:
    newer = dbs.migrated(dbs.sqlite_url(tmp_path))
    try:
        with newer.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'f0f0f0f0f0f0'"))
        status, body = _ready(newer)
    finally:
        newer.dispose()
    assert status == 200
    assert body == {"status": "ready", "database": "ok", "schema": "ahead"}
