"""Logs: one line per request (ACCESS_LOG) with the request id of the `X-Request-ID` header, the
route, status, duration, user and institution; JSON lines (LOG_FORMAT=json) or plain text."""

from __future__ import annotations

import json
import logging
import logging.config

import pytest
from fastapi.testclient import TestClient

from registrar import logs
from registrar.auth.models import Role
from registrar.config import Settings
from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import make_settings


def _formatted(record: logging.LogRecord, log_format: logs.LogFormat) -> str:
    config = logs.dict_config(log_format)["formatters"]["default"]
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        options = {key: value for key, value in config.items() if key != "()"}
        return JsonFormatter(**options).format(record)
    return logging.Formatter(config["format"]).format(record)


def _access_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "registrar.access"]


def test_one_line_per_request_names_the_request_route_and_user(
    pg: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with pg.session() as session:
        school = factories.institution(session, tag="sample-school")
        user = factories.user(session, school, "registrar", Role.REGISTRAR)
        user_id = str(user.id)
    settings = make_settings(pg, ACCESS_LOG="true")
    with TestClient(create_app(settings, pg)) as client:
        login = client.post(
            "/auth/login", json={"username": "registrar", "password": factories.PASSWORD}
        )
        token = login.json()["access_token"]
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="registrar.access"):
            me = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
            missing = client.get("/api/admin/students/not-a-uuid")
    assert me.status_code == 200
    first, second = _access_records(caplog)
    line = json.loads(_formatted(first, "json"))
    assert line["logger"] == "registrar.access"
    assert line["level"] == "INFO"
    assert line["request_id"] == me.headers["x-request-id"]
    assert (line["method"], line["route"], line["status"]) == ("GET", "/auth/me", 200)
    assert line["duration_ms"] >= 0
    assert (line["user_id"], line["institution"]) == (user_id, "sample-school")
    assert "time" in line
    anonymous = json.loads(_formatted(second, "json"))
    assert anonymous["request_id"] == missing.headers["x-request-id"]
    assert (anonymous["status"], anonymous["user_id"], anonymous["institution"]) == (
        missing.status_code,
        None,
        None,
    )
    # Plain text for development: one readable line.
    text = _formatted(first, "text")
    assert "registrar.access GET /auth/me 200" in text


def test_no_access_line_unless_asked(
    sqlite_database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        TestClient(create_app(make_settings(sqlite_database), sqlite_database)) as client,
        caplog.at_level(logging.INFO, logger="registrar.access"),
    ):
        assert client.get("/health").status_code == 200
    assert _access_records(caplog) == []


@pytest.mark.parametrize(
    ("env", "configured", "expected"),
    [
        ("production", None, "json"),
        ("development", None, "text"),
        ("production", "TEXT", "text"),
        ("development", "json", "json"),
    ],
)
def test_log_format_follows_the_environment_unless_set(
    env: str, configured: str | None, expected: str
) -> None:
    values: dict[str, object] = {"REGISTRAR_ENV": env, "SECRET_KEY": "k3Y-" + "x1y2z3w4" * 5}
    if configured is not None:
        values["LOG_FORMAT"] = configured
    assert Settings(**values).logs_as() == expected  # type: ignore[arg-type]
