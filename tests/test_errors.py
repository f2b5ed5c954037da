"""Request ids, domain errors, unexpected failures, and commits that fail after the endpoint."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from registrar.academics.models import Department
from registrar.db import Database
from registrar.deps import SessionDep
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.errors import Conflict, NotFound
from registrar.institutions.models import Institution
from registrar.main import REQUEST_ID_HEADER, create_app
from tests import factories
from tests.conftest import make_settings

SECRET_DETAIL = "password=hunter2 at db.internal:5432"


class Calls:
    """Which endpoints ran to their end."""

    finished: list[str]

    def __init__(self) -> None:
        self.finished = []


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def app(database: Database, calls: Calls) -> FastAPI:
    """The real app, plus throwaway routes that fail in the ways under test."""
    app = create_app(make_settings(database), database)

    @app.get("/test/boom")
    def boom() -> dict[str, str]:
        raise RuntimeError(SECRET_DETAIL)

    @app.get("/test/async-boom")
    async def async_boom() -> dict[str, str]:
        raise KeyError(SECRET_DETAIL)

    def failing_dependency() -> Iterator[None]:
        raise ValueError(SECRET_DETAIL)
        yield  # pragma: no cover - a generator dependency that fails before yielding

    @app.get("/test/dependency-boom", dependencies=[Depends(failing_dependency)])
    def dependency_boom() -> dict[str, str]:
        return {"status": "unreachable"}

    @app.get("/test/not-found")
    def not_found() -> dict[str, str]:
        raise NotFound("No such thing", details={"thing_id": "42"})

    @app.get("/test/conflict")
    def conflict() -> dict[str, str]:
        raise Conflict("Already there")

    @app.post("/test/departments/{code}")
    def add_department(code: str, session: SessionDep) -> dict[str, str]:
        """Adds without flushing: a duplicate is only found when the session commits."""
        inst_id = session.scalars(select(Institution.id)).one()
        session.add(Department(institution_id=inst_id, code=code, name="Added"))
        calls.finished.append(f"department {code}")
        return {"status": "saved"}

    @app.post("/test/deferred-violation")
    def deferred_violation(session: SessionDep) -> dict[str, str]:
        """Writes what the database refuses only at COMMIT (a deferred constraint)."""
        inst_id = session.scalars(select(Institution.id)).one()
        session.add(Department(institution_id=inst_id, code="LATE", name="Added"))
        if database.is_sqlite:
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            session.add(
                Enrollment(
                    institution_id=inst_id,
                    student_id=uuid.uuid4(),  # no such student: checked at COMMIT
                    section_id=uuid.uuid4(),
                    status=EnrollmentStatus.ENROLLED,
                    enrollment_date=date(2024, 7, 1),
                )
            )
        else:
            session.execute(
                text(
                    "CREATE TEMP TABLE commit_probe (x int UNIQUE DEFERRABLE INITIALLY DEFERRED)"
                    " ON COMMIT DROP"
                )
            )
            session.execute(text("INSERT INTO commit_probe VALUES (1), (1)"))
        session.flush()  # every INSERT succeeds: only COMMIT can refuse
        calls.finished.append("deferred")
        return {"status": "saved"}

    return app


@pytest.fixture
def test_client(app: FastAPI) -> Iterator[TestClient]:
    # Server exceptions are not re-raised: the test sees what a real client would see.
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_every_response_carries_a_request_id(test_client: TestClient) -> None:
    responses = [
        test_client.get("/health"),
        test_client.get("/auth/me"),
        test_client.get("/no/such/route"),
        test_client.post("/auth/login", json={}),
        test_client.delete("/health"),
        test_client.get("/test/boom"),
        test_client.get("/test/not-found"),
    ]
    assert [r.status_code for r in responses] == [200, 401, 404, 422, 405, 500, 404]
    ids = [r.headers[REQUEST_ID_HEADER] for r in responses]
    assert all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in ids)
    assert len(set(ids)) == len(ids)


def test_a_request_id_sent_by_the_client_is_echoed(test_client: TestClient) -> None:
    for path in ("/health", "/auth/me", "/test/boom", "/no/such/route"):
        response = test_client.get(path, headers={REQUEST_ID_HEADER: f"trace-{path}"})
        assert response.headers[REQUEST_ID_HEADER] == f"trace-{path}"


@pytest.mark.parametrize("sent", ["has spaces in it", "x" * 129, 'quote"d', "new\tline"])
def test_an_odd_request_id_is_replaced_not_echoed(test_client: TestClient, sent: str) -> None:
    response = test_client.get("/health", headers={REQUEST_ID_HEADER: sent})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers[REQUEST_ID_HEADER])


@pytest.mark.parametrize("path", ["/test/boom", "/test/async-boom", "/test/dependency-boom"])
def test_an_unexpected_error_is_a_bare_500(
    test_client: TestClient, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    with caplog.at_level(logging.ERROR, logger="registrar"):
        response = test_client.get(path, headers={REQUEST_ID_HEADER: "req-123"})
    assert response.status_code == 500
    assert response.json() == {"error": "Internal server error", "request_id": "req-123"}
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text
    # the details go to the log, tied to the request id
    logged = [r for r in caplog.records if "req-123" in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None


def test_domain_errors_carry_their_status_and_details(test_client: TestClient) -> None:
    missing = test_client.get("/test/not-found")
    assert missing.status_code == 404
    assert missing.json() == {"error": "No such thing", "thing_id": "42"}
    assert "www-authenticate" not in missing.headers
    clash = test_client.get("/test/conflict")
    assert clash.status_code == 409
    assert clash.json() == {"error": "Already there"}


@pytest.fixture
def institution(database: Database) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        factories.department(s, inst, "CSE")


def departments(database: Database) -> list[str]:
    with database.session(write=False) as s:
        return sorted(s.scalars(select(Department.code)))


@pytest.mark.usefixtures("institution")
def test_a_write_is_committed_before_the_response(
    test_client: TestClient, database: Database
) -> None:
    response = test_client.post("/test/departments/ECE")
    assert response.status_code == 200
    assert departments(database) == ["CSE", "ECE"]


@pytest.mark.usefixtures("institution")
def test_a_commit_that_fails_is_an_error_not_a_200(
    test_client: TestClient, database: Database, calls: Calls
) -> None:
    response = test_client.post("/test/departments/CSE")
    assert calls.finished == ["department CSE"]  # the endpoint itself returned normally
    assert response.status_code == 500
    assert response.json()["error"] == "Internal server error"
    assert departments(database) == ["CSE"]


@pytest.mark.usefixtures("institution")
def test_a_constraint_checked_only_at_commit_is_an_error_not_a_200(
    test_client: TestClient, database: Database, calls: Calls
) -> None:
    response = test_client.post("/test/deferred-violation")
    assert calls.finished == ["deferred"]  # flushed, returned; only COMMIT could refuse
    assert response.status_code == 500
    assert departments(database) == ["CSE"]
    with database.session(write=False) as s:
        assert s.scalars(select(Enrollment.id)).all() == []


def test_the_frameworks_own_refusals_use_the_error_body(client: TestClient) -> None:
    broken = client.post(
        "/auth/login", content=b"[\xff}M", headers={"content-type": "application/json"}
    )
    assert broken.status_code in (400, 422)
    assert isinstance(broken.json()["error"], str)
    unknown = client.get("/no-such-page")
    assert unknown.status_code == 404
    assert unknown.json() == {"error": "Not Found"}
    wrong_method = client.delete("/health")
    assert wrong_method.status_code == 405
    assert wrong_method.json() == {"error": "Method Not Allowed"}
    assert "allow" in wrong_method.headers
