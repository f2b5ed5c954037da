"""`registrar create-user` (migrate and serve are covered in test_migrations and test_config)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner, Result

from registrar.auth import repository as auth_repository
from registrar.auth.models import Role, User
from registrar.cli.app import app as cli
from registrar.config import get_settings
from registrar.db import Database
from tests import factories
from tests.conftest import TEST_SECRET

Run = Callable[..., Result]


@pytest.fixture
def run(database: Database) -> Iterator[Run]:
    """Run the CLI against the test database."""
    env = {
        "DATABASE_URL": database.engine.url.render_as_string(hide_password=False),
        "SECRET_KEY": TEST_SECRET,
        "REGISTRAR_ENV": "test",
    }

    def invoke(*args: str, stdin: str | None = None) -> Result:
        get_settings.cache_clear()
        return CliRunner().invoke(cli, list(args), env=env, input=stdin)

    yield invoke
    get_settings.cache_clear()


@pytest.fixture
def school(database: Database) -> str:
    with database.session() as s:
        factories.institution(s, tag="ap-university")
    return "ap-university"


def one_line(output: str) -> str:
    return " ".join(output.split())


def users(database: Database) -> list[tuple[str, Role]]:
    with database.session(write=False) as s:
        return [(row.username, row.role) for row in s.execute(select(User.username, User.role))]


def test_create_user_makes_a_login_that_works(run: Run, school: str, client: TestClient) -> None:
    result = run(
        "create-user",
        "--institution",
        school,
        "--username",
        "dean",
        "--password",
        "dean-password-1",
        "--full-name",
        "Dean of Studies",
        "--email",
        "dean@ap-university.edu",
    )
    assert result.exit_code == 0, result.output
    assert "Created REGISTRAR dean in ap-university" in one_line(result.output)

    response = client.post("/auth/login", json={"username": "dean", "password": "dean-password-1"})
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert (me["username"], me["role"], me["full_name"]) == ("dean", "REGISTRAR", "Dean of Studies")
    assert me["email"] == "dean@ap-university.edu"
    assert me["institution"]["tag"] == school
    wrong = client.post("/auth/login", json={"username": "dean", "password": "dean-password-2"})
    assert wrong.status_code == 401


def test_create_user_prompts_for_the_password_twice(
    run: Run, school: str, client: TestClient
) -> None:
    result = run(
        "create-user",
        "--institution",
        school,
        "--username",
        "clerk",
        "--role",
        "faculty",
        stdin="typed-secret\ntyped-secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "typed-secret" not in result.output  # hidden input
    response = client.post("/auth/login", json={"username": "clerk", "password": "typed-secret"})
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    me = client.get("/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["role"] == "FACULTY"


def test_a_duplicate_username_exits_1_and_changes_nothing(
    run: Run, school: str, database: Database
) -> None:
    first = run("create-user", "--institution", school, "--username", "dean", "--password", "a1")
    assert first.exit_code == 0, first.output
    again = run(
        "create-user",
        "--institution",
        school,
        "--username",
        "dean",
        "--password",
        "b2",
        "--role",
        "admin",
    )
    assert again.exit_code == 1
    assert "'dean' is already taken" in one_line(again.output)
    assert "Traceback" not in again.output
    assert users(database) == [("dean", Role.REGISTRAR)]


def test_the_same_username_in_another_institution_is_fine(
    run: Run, school: str, database: Database
) -> None:
    with database.session() as s:
        factories.institution(s, tag="sample-school")
    for tag in (school, "sample-school"):
        result = run("create-user", "--institution", tag, "--username", "dean", "--password", "x")
        assert result.exit_code == 0, result.output
    assert users(database) == [("dean", Role.REGISTRAR), ("dean", Role.REGISTRAR)]


@pytest.mark.usefixtures("school")
def test_an_unknown_institution_exits_1(run: Run, database: Database) -> None:
    result = run(
        "create-user", "--institution", "no-such-school", "--username", "dean", "--password", "x"
    )
    assert result.exit_code == 1
    assert "No institution tagged 'no-such-school'" in one_line(result.output)
    assert users(database) == []


def test_an_unknown_role_is_refused(run: Run, school: str, database: Database) -> None:
    result = run(
        "create-user",
        "--institution",
        school,
        "--username",
        "dean",
        "--password",
        "x",
        "--role",
        "superuser",
    )
    assert result.exit_code != 0
    assert users(database) == []


def test_a_name_taken_by_a_concurrent_writer_exits_1_cleanly(
    run: Run, school: str, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run("create-user", "--institution", school, "--username", "dean", "--password", "a1")
    assert first.exit_code == 0, first.output
    # the check found nothing (as if the other insert had not committed yet)
    monkeypatch.setattr(auth_repository, "find_by_username", lambda *_args: None)
    again = run("create-user", "--institution", school, "--username", "dean", "--password", "b2")
    assert again.exit_code == 1
    assert again.exception is None or isinstance(again.exception, SystemExit)
    assert "'dean' is already taken" in one_line(again.output)
    assert users(database) == [("dean", Role.REGISTRAR)]
