"""A registrar of one institution, logged in, next to a second institution with its own rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.db import Database
from registrar.institutions.models import Institution
from tests import factories
from tests.conftest import LoginFn


@dataclass
class Office:
    """The registrar's institution and the headers of their login."""

    institution_id: uuid.UUID
    tag: str
    headers: dict[str, str]
    other_institution_id: uuid.UUID
    other_tag: str


@pytest.fixture
def office(database: Database, login: LoginFn) -> Office:
    """A logged-in registrar; a second institution exists so every test can cross tenants."""
    with database.session() as session:
        inst = factories.institution(session)
        other = factories.institution(session)
        user = factories.user(session, inst, role=Role.REGISTRAR)
        ids = (inst.id, inst.tag, user.username, other.id, other.tag)
    headers = login(ids[2], factories.PASSWORD, tenant=ids[1])
    return Office(ids[0], ids[1], headers, ids[3], ids[4])


@pytest.fixture
def student_headers(database: Database, login: LoginFn, office: Office) -> dict[str, str]:
    """A STUDENT of the registrar's institution, logged in."""
    with database.session() as session:
        inst = institution(session, office.institution_id)
        user = factories.user(session, inst, role=Role.STUDENT)
        username = user.username
    return login(username, factories.PASSWORD, tenant=office.tag)


def institution(session: Session, institution_id: uuid.UUID) -> Institution:
    """An institution row, for factories that need one."""
    found = session.get(Institution, institution_id)
    assert found is not None
    return found


def audit_count(database: Database, entity_id: uuid.UUID, action: str) -> int:
    """How many audit events of this action name the entity."""
    with database.session(write=False) as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.entity_id == entity_id, AuditEvent.action == action)
            )
            or 0
        )


def audit_details(database: Database, entity_id: uuid.UUID, action: str) -> dict[str, Any]:
    """The details of the latest audit event of this action on the entity."""
    with database.session(write=False) as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_id == entity_id, AuditEvent.action == action)
            .order_by(AuditEvent.occurred_at.desc())
        ).first()
        assert event is not None, f"no {action} audit event"
        return dict(event.details)
