"""`Idempotency-Key`: a retry gets the first answer, never a second change."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from registrar.cli.app import app as cli
from registrar.config import get_settings
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.idempotency.models import IdempotencyKey
from registrar.kit.columns import utcnow
from tests import factories
from tests.conftest import LoginFn


@dataclass
class Campus:
    tag: str
    section: uuid.UUID
    other: uuid.UUID
    rolls: list[str]


@pytest.fixture
def campus(database: Database) -> Campus:
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        section = factories.section(s, inst, factories.course(s, inst), term, slots=())
        other = factories.section(s, inst, factories.course(s, inst), term, slots=())
        rolls = [factories.student(s, inst).roll_number for _ in range(2)]
        return Campus(inst.tag, section.id, other.id, rolls)


def enrollments(database: Database, section: uuid.UUID) -> int:
    with database.session(write=False) as s:
        found = s.scalar(
            select(func.count())
            .select_from(Enrollment)
            .where(Enrollment.section_id == section, Enrollment.status == EnrollmentStatus.ENROLLED)
        )
        return int(found or 0)


def test_a_retry_gets_the_first_answer_and_changes_nothing(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    headers = {**login(campus.rolls[0], factories.PASSWORD, campus.tag), "Idempotency-Key": "k-1"}
    first = client.post(f"/courses/{campus.section}/register", headers=headers)
    again = client.post(f"/courses/{campus.section}/register", headers=headers)
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert enrollments(database, campus.section) == 1
    # Without the key the same request is a new one: refused, already enrolled.
    plain = {k: v for k, v in headers.items() if k != "Idempotency-Key"}
    assert client.post(f"/courses/{campus.section}/register", headers=plain).status_code == 409


def test_the_same_key_for_another_request_is_refused(
    client: TestClient, login: LoginFn, campus: Campus
) -> None:
    headers = {**login(campus.rolls[0], factories.PASSWORD, campus.tag), "Idempotency-Key": "k-2"}
    assert client.post(f"/courses/{campus.section}/register", headers=headers).status_code == 200
    other = client.post(f"/courses/{campus.other}/register", headers=headers)
    assert other.status_code == 422
    assert other.json()["error"] == "This Idempotency-Key was used for another request"
    # The portal's enroll takes a body: another body is another request too.
    body = {"course_section_id": str(campus.other), "enrollment_type": "REGULAR"}
    portal = "/api/student-portal/courses/enroll/"
    assert client.post(portal, json=body, headers={**headers, "Idempotency-Key": "k-3"}).is_success
    body["enrollment_type"] = "AUDIT"
    assert (
        client.post(portal, json=body, headers={**headers, "Idempotency-Key": "k-3"}).status_code
        == 422
    )


def test_keys_are_each_users_own(client: TestClient, login: LoginFn, campus: Campus) -> None:
    for roll in campus.rolls:
        headers = {**login(roll, factories.PASSWORD, campus.tag), "Idempotency-Key": "shared"}
        response = client.post(f"/courses/{campus.section}/register", headers=headers)
        assert response.status_code == 200
        assert "idempotent-replayed" not in response.headers


def test_a_refusal_is_not_kept(client: TestClient, login: LoginFn, campus: Campus) -> None:
    student = login(campus.rolls[0], factories.PASSWORD, campus.tag)
    path = f"/courses/{campus.section}"
    assert client.post(f"{path}/register", headers=student).status_code == 200
    keyed = {**student, "Idempotency-Key": "k-4"}
    assert client.post(f"{path}/register", headers=keyed).status_code == 409  # already in
    assert client.post(f"{path}/drop", headers=student).status_code == 200
    # Sent again, the request is asked again (and now succeeds), not answered 409 again.
    again = client.post(f"{path}/register", headers=keyed)
    assert again.status_code == 200
    assert "idempotent-replayed" not in again.headers


@pytest.mark.parametrize("key", ["", "x" * 256, "tab\there", "del\x7f"])
def test_a_bad_key_is_refused(client: TestClient, login: LoginFn, campus: Campus, key: str) -> None:
    headers = {**login(campus.rolls[0], factories.PASSWORD, campus.tag)}
    response = client.post(
        f"/courses/{campus.section}/register",
        headers={**headers, "Idempotency-Key": key},
    )
    assert response.status_code == 422


def test_registrar_worker_forgets_keys_older_than_a_day(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    headers = {**login(campus.rolls[0], factories.PASSWORD, campus.tag), "Idempotency-Key": "old"}
    assert client.post(f"/courses/{campus.section}/register", headers=headers).status_code == 200
    with database.session() as s:
        s.execute(update(IdempotencyKey).values(expires_at=utcnow() - timedelta(seconds=1)))
    get_settings.cache_clear()
    url = database.engine.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(
        cli,
        ["worker", "--once"],
        env={"DATABASE_URL": url, "SECRET_KEY": "worker-test-secret-key-long-enough-0123456789"},
    )
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    with database.session(write=False) as s:
        assert s.scalar(select(func.count()).select_from(IdempotencyKey)) == 0
