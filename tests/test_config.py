"""Settings from the environment: database URLs, the signing secret, CORS."""

from __future__ import annotations

import multiprocessing
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from registrar import serving
from registrar.cli.app import app as cli
from registrar.config import (
    SECRET_KEY_FILE_NAME,
    ConfigurationError,
    Settings,
    get_settings,
    normalize_database_url,
)
from registrar.db import Database, build_engine
from registrar.main import create_app
from registrar.serving import ServeOptions
from tests import dbs, factories
from tests.conftest import make_settings

LONG_SECRET = "a-production-secret-that-is-certainly-long-enough"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No stray SECRET_KEY, .env file or cached settings from the machine running the tests."""
    for name in ("SECRET_KEY", "REGISTRAR_ENV", "DATABASE_URL", "CORS_ORIGINS", "API_DOCS"):
        monkeypatch.delenv(name, raising=False)
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def one_line(text_: str) -> str:
    """Console output with its line wrapping undone."""
    return " ".join(text_.split())


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("postgresql://user@host:5432/db", "postgresql+psycopg://user@host:5432/db"),
        ("postgresql://user:pw@host/db", "postgresql+psycopg://user:pw@host/db"),
        ("postgres://user@host:5432/db", "postgresql+psycopg://user@host:5432/db"),
        ("postgresql+psycopg2://user@host:5432/db", "postgresql+psycopg://user@host:5432/db"),
        ("sqlite:///path.db", "sqlite+pysqlite:///path.db"),
        ("sqlite:////var/lib/registrar/path.db", "sqlite+pysqlite:////var/lib/registrar/path.db"),
    ],
)
def test_plain_database_urls_map_to_our_drivers(written: str, expected: str) -> None:
    assert normalize_database_url(written) == expected
    assert Settings(DATABASE_URL=written).database_url == expected


def test_plain_sqlite_url_from_the_environment_opens_a_working_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'plain.db'}")
    settings = Settings()
    database = Database(build_engine(settings.database_url))
    try:
        with database.engine.connect() as connection:
            assert connection.execute(text("SELECT 1")).scalar() == 1
        assert database.engine.driver == "pysqlite"
    finally:
        database.dispose()
    assert (tmp_path / "plain.db").exists()


@pytest.mark.parametrize(
    "written",
    ["mysql://user@host/db", "mongodb://host/db", "oracle://user@host/db", "not a url at all"],
)
def test_other_database_urls_are_refused_clearly(written: str) -> None:
    with pytest.raises(ConfigurationError, match="DATABASE_URL"):
        Settings(DATABASE_URL=written)


def test_production_without_secret_refuses_to_start() -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY must be set"):
        Settings(REGISTRAR_ENV="production")


def test_production_refuses_a_short_secret_and_accepts_a_long_one() -> None:
    with pytest.raises(ConfigurationError, match="at least 32"):
        Settings(REGISTRAR_ENV="production", SECRET_KEY="short")
    settings = Settings(REGISTRAR_ENV="production", SECRET_KEY=LONG_SECRET)
    assert settings.signing_key() == LONG_SECRET


@pytest.mark.parametrize(
    ("weak", "reason"),
    [
        ("a" * 64, "one short sequence repeated"),
        ("ab" * 20, "one short sequence repeated"),
        ("password1" * 4, "one short sequence repeated"),
        ("0" * 31 + "1", "only 2 distinct characters"),
        ("0110100110010110" * 2 + "1", "only 2 distinct characters"),
        ("abcdefaabbccddeeffabcdefabcdeffedcba", "only 6 distinct characters"),
    ],
)
def test_production_refuses_an_obviously_weak_secret(weak: str, reason: str) -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY is too weak") as refused:
        Settings(REGISTRAR_ENV="production", SECRET_KEY=weak)
    assert reason in str(refused.value)
    assert weak not in str(refused.value)  # a secret is never echoed, not even a bad one


@pytest.mark.parametrize(
    "strong",
    [
        LONG_SECRET,
        "3f9a0c1b7e2d4a6b8c0d1e2f3a4b5c6d",  # 32 hex digits: 128 random bits
        "Xq7-vN2_pL9kR4tY8wZ1mB6cF3hJ0sD5gA",  # secrets.token_urlsafe
    ],
)
def test_production_accepts_random_looking_secrets(strong: str) -> None:
    assert Settings(REGISTRAR_ENV="production", SECRET_KEY=strong).signing_key() == strong


def test_weak_secrets_are_only_refused_in_production() -> None:
    assert Settings(REGISTRAR_ENV="development", SECRET_KEY="a" * 64).signing_key() == "a" * 64


def test_serve_refuses_a_weak_production_secret(fake_uvicorn: FakeUvicorn, tmp_path: Path) -> None:
    env = {
        "REGISTRAR_ENV": "production",
        "SECRET_KEY": "a" * 64,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
    }
    result = CliRunner().invoke(cli, ["serve", "--port", "8765"], env=env)
    assert result.exit_code != 0
    assert "SECRET_KEY is too weak" in one_line(result.output)
    assert fake_uvicorn.calls == []


def test_api_docs_follow_the_environment_unless_set() -> None:
    assert Settings(REGISTRAR_ENV="development").docs_enabled()
    assert Settings(REGISTRAR_ENV="test").docs_enabled()
    production = {"REGISTRAR_ENV": "production", "SECRET_KEY": LONG_SECRET}
    assert not Settings(**production).docs_enabled()  # type: ignore[arg-type]
    assert Settings(**production, API_DOCS="true").docs_enabled()  # type: ignore[arg-type]
    assert not Settings(REGISTRAR_ENV="development", API_DOCS="false").docs_enabled()


def test_production_ignores_a_generated_development_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registrar.db'}"
    Settings(DATABASE_URL=url).signing_key()  # development: generated and kept
    assert (tmp_path / SECRET_KEY_FILE_NAME).exists()
    with pytest.raises(ConfigurationError, match="SECRET_KEY must be set"):
        Settings(REGISTRAR_ENV="production", DATABASE_URL=url)


class FakeUvicorn:
    """Records what `serve` would have started."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, target: str, **options: Any) -> None:
        self.calls.append({"target": target, **options})


@pytest.fixture
def fake_uvicorn(monkeypatch: pytest.MonkeyPatch) -> FakeUvicorn:
    fake = FakeUvicorn()
    monkeypatch.setattr(uvicorn, "run", fake)
    return fake


def test_serve_exits_with_the_message_in_production_without_secret(
    fake_uvicorn: FakeUvicorn, tmp_path: Path
) -> None:
    env = {
        "REGISTRAR_ENV": "production",
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
    }
    result = CliRunner().invoke(cli, ["serve", "--port", "8765"], env=env)
    assert result.exit_code != 0
    assert "SECRET_KEY must be set when REGISTRAR_ENV=production" in one_line(result.output)
    assert fake_uvicorn.calls == []


def test_serve_starts_in_production_with_a_secret(
    fake_uvicorn: FakeUvicorn, tmp_path: Path
) -> None:
    env = {
        "REGISTRAR_ENV": "production",
        "SECRET_KEY": LONG_SECRET,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
    }
    result = CliRunner().invoke(cli, ["serve", "--port", "8765"], env=env)
    assert result.exit_code == 0, result.output
    assert len(fake_uvicorn.calls) == 1
    call = fake_uvicorn.calls[0]
    assert call["target"] == "registrar.main:create_app"
    assert call["factory"] is True
    assert call["port"] == 8765
    assert call["access_log"] is False
    assert call["server_header"] is False  # no `server: uvicorn` banner


def test_serve_with_several_workers_gives_each_a_socket_of_its_own(
    monkeypatch: pytest.MonkeyPatch, fake_uvicorn: FakeUvicorn, tmp_path: Path
) -> None:
    started: list[tuple[ServeOptions, int]] = []
    monkeypatch.setattr(serving, "supervise", lambda options, n: started.append((options, n)))
    env = {
        "REGISTRAR_ENV": "production",
        "SECRET_KEY": LONG_SECRET,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'r.db'}",
        "ACCESS_LOG": "true",
    }
    result = CliRunner().invoke(cli, ["serve", "--port", "8765", "--workers", "3"], env=env)
    assert result.exit_code == 0, result.output
    assert fake_uvicorn.calls == []
    [(options, workers)] = started
    assert (options.host, options.port, workers) == ("127.0.0.1", 8765, 3)
    # JSON lines in production, from every worker (see test_logs.py).
    assert options.log_config is not None
    assert options.log_config["formatters"]["default"]["()"].endswith("JsonFormatter")


def test_development_secret_is_generated_once_and_kept_beside_the_database(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    url = f"sqlite:///{data / 'registrar.db'}"
    first = Settings(DATABASE_URL=url)
    key = first.signing_key()

    key_file = data / SECRET_KEY_FILE_NAME
    assert key_file.read_text().strip() == key
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key) >= 32
    assert not (Path.cwd() / SECRET_KEY_FILE_NAME).exists()
    assert [p.name for p in data.iterdir()] == [SECRET_KEY_FILE_NAME]  # no draft left behind

    second = Settings(DATABASE_URL=url)
    assert second.signing_key() == key
    assert first.signing_key() == key


def test_a_token_issued_before_a_restart_still_works_after_it(tmp_path: Path) -> None:
    database = dbs.migrated(dbs.sqlite_url(tmp_path), pool_size=1)
    try:
        with database.session() as session:
            factories.user(session, factories.institution(session), "keeper")
        before = make_settings(database, SECRET_KEY=None, REGISTRAR_ENV="development")
        with TestClient(create_app(before, database)) as client:
            response = client.post(
                "/auth/login", json={"username": "keeper", "password": factories.PASSWORD}
            )
            assert response.status_code == 200, response.text
            token = response.json()["access_token"]
        assert (tmp_path / SECRET_KEY_FILE_NAME).exists()

        after = make_settings(database, SECRET_KEY=None, REGISTRAR_ENV="development")
        with TestClient(create_app(after, database)) as client:
            me = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        assert me.json()["username"] == "keeper"
    finally:
        database.dispose()


def _key_of(url: str) -> str:
    return Settings(DATABASE_URL=url).signing_key()


def test_workers_starting_together_agree_on_one_generated_key(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registrar.db'}"
    with multiprocessing.get_context("fork").Pool(8) as pool:
        keys = pool.map(_key_of, [url] * 32)
    assert len(set(keys)) == 1
    assert (tmp_path / SECRET_KEY_FILE_NAME).read_text().strip() == keys[0]


def test_cors_origins_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "http://a.test, https://b.test,")
    assert Settings().cors_origins == ["http://a.test", "https://b.test"]


def test_cors_origins_from_a_json_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", '["http://a.test"]')
    assert Settings().cors_origins == ["http://a.test"]


def test_no_cors_origins_by_default() -> None:
    assert Settings().cors_origins == []


def test_configured_origins_are_allowed_and_others_are_not(
    monkeypatch: pytest.MonkeyPatch, sqlite_database: Database
) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "http://portal.test,http://admin.test")
    settings = make_settings(sqlite_database)
    assert settings.cors_origins == ["http://portal.test", "http://admin.test"]
    preflight = {"Access-Control-Request-Method": "POST"}
    with TestClient(create_app(settings, sqlite_database)) as client:
        allowed = client.options(
            "/auth/login", headers={**preflight, "Origin": "http://admin.test"}
        )
        refused = client.options("/auth/login", headers={**preflight, "Origin": "http://evil.test"})
        simple = client.get("/health", headers={"Origin": "http://portal.test"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "http://admin.test"
    assert "access-control-allow-origin" not in refused.headers
    assert simple.headers["access-control-allow-origin"] == "http://portal.test"
