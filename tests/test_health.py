"""GET /health (the process) and GET /ready (the database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from registrar.db import Database, build_engine
from registrar.main import create_app
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
    assert response.json() == {"status": "ready", "database": "ok"}


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
