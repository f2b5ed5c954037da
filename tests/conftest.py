"""Fixtures: real databases (PostgreSQL and SQLite), the app, and logged-in clients."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from registrar.config import Settings
from registrar.db import Database
from registrar.main import create_app
from tests import dbs

TEST_SECRET = "test-secret-key-that-is-long-enough-for-hs256-signing"


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database]:
    """A fresh PostgreSQL database for this test run (one per xdist worker)."""
    url = dbs.create_postgres_database()
    database = dbs.migrated(url)
    yield database
    database.dispose()
    dbs.drop_postgres_database(url)


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A fresh SQLite file for this test run."""
    database = dbs.migrated(dbs.sqlite_url(tmp_path_factory.mktemp("sqlite")))
    yield database
    database.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> Iterator[Database]:
    """Each backend in turn, emptied after the test."""
    db: Database = request.getfixturevalue(f"{request.param}_database")
    yield db
    dbs.wipe(db)


@pytest.fixture
def pg(postgres_database: Database) -> Iterator[Database]:
    """PostgreSQL only (for what only the real server decides), emptied after the test."""
    yield postgres_database
    dbs.wipe(postgres_database)


def make_settings(database: Database, **overrides: object) -> Settings:
    """Settings for a test app on the given database."""
    values: dict[str, object] = {
        "REGISTRAR_ENV": "test",
        "DATABASE_URL": database.engine.url.render_as_string(hide_password=False),
        "SECRET_KEY": TEST_SECRET,
        # Short, so tests of changes made behind the app's back need not wait long.
        "AUTH_CACHE_SECONDS": "0.2",
        # Lists rebuilt for every request: tests read their own writes at once.
        "LIST_CACHE_SECONDS": "0",
        "BATCH_COUNTS_SECONDS": "0",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(database: Database) -> Settings:
    return make_settings(database)


@pytest.fixture
def client(database: Database, settings: Settings) -> Iterator[TestClient]:
    """An HTTP client of the app on the test database."""
    with TestClient(create_app(settings, database)) as test_client:
        yield test_client


@pytest.fixture
def steady_client(database: Database) -> Iterator[TestClient]:
    """An app whose workers keep principals for a minute: a request counts only its own work."""
    settings = make_settings(database, AUTH_CACHE_SECONDS="60")
    with TestClient(create_app(settings, database)) as test_client:
        yield test_client


LoginFn = Callable[..., dict[str, str]]


@pytest.fixture
def login(client: TestClient) -> LoginFn:
    """Log in through the API and return the Authorization header."""

    def _login(username: str, password: str, tenant: str | None = None) -> dict[str, str]:
        headers = {"x-tenant-tag": tenant} if tenant else {}
        response = client.post(
            "/auth/login", json={"username": username, "password": password}, headers=headers
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    return _login


@pytest.fixture
def tmp_sqlite_url(tmp_path: Path) -> str:
    return dbs.sqlite_url(tmp_path)


# The end-to-end tests of the web pages keep a screenshot of each main page here (gitignored).
SCREENSHOTS = Path(__file__).parent / "artifacts" / "screenshots"
_STARTED = time.time()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where this run's screenshots of the web pages are, when it took any."""
    taken = (
        [shot for shot in SCREENSHOTS.glob("*.png") if shot.stat().st_mtime >= _STARTED]
        if SCREENSHOTS.is_dir()
        else []
    )
    if taken:
        terminalreporter.write_sep("-", "screenshots of the web pages")
        terminalreporter.write_line(f"{len(taken)} screenshots in {SCREENSHOTS}")
