"""The whole API explored from its own OpenAPI document by schemathesis, as a registrar and as a
student, on a small demo in PostgreSQL behind a real server.

Every operation gets a bounded number of generated requests (valid and invalid ones, a fixed
seed): none may answer with a server error, a status code the document does not list, or a body
that does not match the documented schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from registrar.config import Settings
from registrar.demo import load_demo
from registrar.main import create_app
from tests import dbs
from tests.conftest import TEST_SECRET
from tests.live import LiveServer, serve_live

EXAMPLES_PER_OPERATION = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
USERS = {"registrar": "registrar123", "22CS001": "student123"}
TENANT = "ap-university"


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    """The app on a small demo of its own (what the exploration changes stays there)."""
    url = dbs.create_postgres_database("registrar_explored")
    database = dbs.migrated(url)
    load_demo(database, students=60, seed=5)
    try:
        # Generous login limits: the exploration signs in with made-up names many times.
        with serve_live(
            database,
            REGISTRAR_DEFAULT_TENANT=TENANT,
            LOGIN_FAILURES_PER_ADDRESS="100000 per minute",
            LOGIN_FAILURES_PER_ACCOUNT="100000 per minute",
        ) as server:
            yield server
    finally:
        database.dispose()
        dbs.drop_postgres_database(url)


@pytest.fixture(scope="module")
def tokens(live: LiveServer) -> dict[str, dict[str, str]]:
    """The Authorization header of each role the exploration plays."""
    headers: dict[str, dict[str, str]] = {}
    for username, password in USERS.items():
        answer = httpx.post(
            f"{live.url}/auth/login",
            json={"username": username, "password": password},
            headers={"x-tenant-tag": TENANT},
        )
        assert answer.status_code == 200, answer.text
        headers[username] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
    return headers


def _document() -> dict[str, Any]:
    """The document the app serves (built without opening any database)."""
    app = create_app(
        Settings(REGISTRAR_ENV="test", DATABASE_URL="sqlite:///unused.db", SECRET_KEY=TEST_SECRET)
    )
    return app.openapi()


schema = schemathesis.openapi.from_dict(_document())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_breaks_its_schema(
    case: Any, live: LiveServer, tokens: dict[str, dict[str, str]]
) -> None:
    for role in tokens.values():
        case.call_and_validate(base_url=live.url, headers=role, checks=CHECKS)
