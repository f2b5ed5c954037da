"""Seed 002's register with `?dry_run=true`: every rule's verdict, and nothing written."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from registrar.academics.models import CourseSection, Term
from registrar.audit.models import AuditEvent
from registrar.db import Database
from registrar.enrollment.models import Enrollment
from registrar.idempotency.models import IdempotencyKey
from registrar.institutions.models import Institution
from registrar.notifications.models import Notification
from tests import factories
from tests.conftest import LoginFn
from tests.portal.registration.conftest import Campus

DRY = {"dry_run": "true"}


def register_path(section_id: uuid.UUID) -> str:
    return f"/courses/{section_id}/register"


def written(database: Database) -> dict[str, int]:
    """Every row a registration writes, and the sections' counters."""
    with database.session(write=False) as session:
        return {
            "enrollments": session.scalar(select(func.count(Enrollment.id))) or 0,
            "audit": session.scalar(select(func.count(AuditEvent.id))) or 0,
            "notifications": session.scalar(select(func.count(Notification.id))) or 0,
            "keys": session.scalar(select(func.count(IdempotencyKey.id))) or 0,
            "seats": session.scalar(select(func.sum(CourseSection.enrolled_count))) or 0,
            "reserved": session.scalar(select(func.sum(CourseSection.waitlisted_count))) or 0,
        }


def by_rule(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {check["rule"]: check for check in answer["checks"]}


def failed(answer: dict[str, Any]) -> list[str]:
    return [check["rule"] for check in answer["checks"] if not check["passed"]]


def locked_and_closed(database: Database, campus: Campus) -> uuid.UUID:
    """A section that breaks two rules at once: its term's registration has not opened, and
    its course needs one nobody has passed."""
    with database.session() as s:
        inst = s.scalar(select(Institution).where(Institution.tag == campus.tag))
        term = s.get(Term, campus.closed_term)
        assert inst is not None
        assert term is not None
        basics = factories.course(s, inst, code="CS201")
        advanced = factories.course(s, inst, code="CS402")
        factories.prerequisites_of(s, advanced, basics)
        return factories.section(s, inst, advanced, term).id


def test_an_allowed_registration_passes_every_rule_and_writes_nothing(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    student = login(campus.rolls[0], factories.PASSWORD)
    before = written(database)
    key = {**student, "Idempotency-Key": "try-then-do"}

    tried = client.post(register_path(campus.algo), params=DRY, headers=key)

    assert tried.status_code == 200, tried.text
    answer = tried.json()
    assert (answer["dry_run"], answer["outcome"]) == (True, "ENROLLED")
    assert failed(answer) == []
    rules = set(by_rule(answer))
    assert {"PREREQUISITES", "TIMETABLE_CLASH", "WINDOW_CLOSED", "HOLD", "CAPACITY"} <= rules
    assert written(database) == before
    # The key was not used up: the real request with it registers, and is not a replay.
    done = client.post(register_path(campus.algo), headers=key)
    assert done.status_code == 200
    assert done.json()["status"] == "ENROLLED"
    assert "idempotent-replayed" not in done.headers


def test_every_broken_rule_is_listed_but_the_real_request_names_the_first(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    section = locked_and_closed(database, campus)
    student = login(campus.rolls[0], factories.PASSWORD)
    before = written(database)

    tried = client.post(register_path(section), params=DRY, headers=student)

    assert tried.status_code == 200, tried.text
    answer = tried.json()
    assert answer["outcome"] == "REFUSED"
    assert failed(answer) == ["WINDOW_CLOSED", "PREREQUISITES"]
    checks = by_rule(answer)
    assert checks["WINDOW_CLOSED"]["message"] == "Registration is not open for this semester"
    assert checks["PREREQUISITES"]["message"] == "Prerequisites not met"
    assert checks["TIMETABLE_CLASH"] == {
        "rule": "TIMETABLE_CLASH",
        "passed": True,
        "overridden": False,
        "message": "OK",
        "details": {},
    }
    assert written(database) == before

    real = client.post(register_path(section), headers=student)
    assert real.status_code == 400
    assert real.json()["error"] == "Registration is not open for this semester"
    assert real.json()["code"] == "WINDOW_CLOSED"


def test_a_full_course_would_reserve_then_refuse_as_registering_does(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    a, b, c, _ = (login(roll, factories.PASSWORD) for roll in campus.rolls)
    assert client.post(register_path(campus.dbms), headers=a).json()["status"] == "ENROLLED"
    before = written(database)

    reserve = client.post(register_path(campus.dbms), params=DRY, headers=b).json()

    assert reserve["outcome"] == "WAITLISTED"
    assert failed(reserve) == []
    assert written(database) == before
    assert client.post(register_path(campus.dbms), headers=b).json()["status"] == "RESERVED"
    before = written(database)

    full = client.post(register_path(campus.dbms), params=DRY, headers=c).json()

    assert full["outcome"] == "REFUSED"
    assert failed(full) == ["CAPACITY"]
    assert by_rule(full)["CAPACITY"]["message"] == "Course section is full"
    assert written(database) == before
    real = client.post(register_path(campus.dbms), headers=c)
    assert real.status_code == 409
    assert real.json()["code"] == "CAPACITY"


def test_a_dry_run_needs_what_registering_needs(
    client: TestClient, login: LoginFn, campus: Campus
) -> None:
    assert client.post(register_path(campus.algo), params=DRY).status_code == 401
    registrar = login("registrar", factories.PASSWORD)
    staff = client.post(register_path(campus.algo), params=DRY, headers=registrar)
    assert staff.status_code == 403
    student = login(campus.rolls[0], factories.PASSWORD)
    missing = client.post(register_path(uuid.uuid4()), params=DRY, headers=student)
    assert missing.status_code == 404
