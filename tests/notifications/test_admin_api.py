"""The registrar's view of the outbox: list by status, retry a FAILED message."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.db import Database
from registrar.kit.columns import utcnow
from registrar.notifications.models import Notification, NotificationStatus
from tests import factories
from tests.conftest import LoginFn
from tests.notifications.conftest import SmtpServer, make_due, make_worker, queue, row

URL = "/api/admin/notifications"


def _set(database: Database, notification_id: uuid.UUID, **values: object) -> None:
    with database.session() as session:
        found = session.get(Notification, notification_id)
        assert found is not None
        for name, value in values.items():
            setattr(found, name, value)


def test_failed_message_is_listed_and_retry_requeues_it_for_delivery(
    client: TestClient, database: Database, login: LoginFn, stopped_smtp_server: SmtpServer
) -> None:
    with database.session() as session:
        inst = factories.institution(session, tag="sample-school")
        registrar = factories.user(session, inst, "registrar")
    [notification_id] = queue(database, inst, email="guardian@example.org")
    worker = make_worker(database, stopped_smtp_server.port, max_attempts=2, backoff_seconds=1)
    assert worker.run_once().retrying == 1
    make_due(database, notification_id, utcnow() - timedelta(seconds=1))
    assert worker.run_once().failed == 1
    headers = login("registrar", factories.PASSWORD, "sample-school")

    listed = client.get(URL, params={"status": "FAILED"}, headers=headers)

    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == 1
    [item] = body["items"]
    assert item["id"] == str(notification_id)
    assert item["status"] == "FAILED"
    assert item["attempts"] == 2
    assert item["recipient_email"] == "guardian@example.org"
    assert item["recipient_kind"] == "GUARDIAN"
    assert item["event"] == "enrollment.confirmed"
    assert item["subject"] == "Enrollment confirmed"
    assert item["last_error"]
    assert item["sent_at"] is None
    assert item["created_at"]
    assert client.get(URL, params={"status": "PENDING"}, headers=headers).json()["total"] == 0

    retried = client.post(f"{URL}/{notification_id}/retry", headers=headers)

    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "PENDING"
    assert retried.json()["attempts"] == 0
    with database.session(write=False) as session:
        [event] = session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == notification_id)
        ).all()
    assert event.action == "notification.retry"
    assert event.actor_user_id == registrar.id
    assert event.institution_id == inst.id
    assert event.details["attempts"] == 2
    assert event.details["last_error"]

    stopped_smtp_server.start()
    assert worker.run_once().sent == 1
    [received] = stopped_smtp_server.inbox.messages
    assert received.notification_id == str(notification_id)
    assert row(database, notification_id).status is NotificationStatus.SENT
    sent = client.get(URL, params={"status": "SENT"}, headers=headers).json()
    assert [item["id"] for item in sent["items"]] == [str(notification_id)]
    assert sent["items"][0]["sent_at"] is not None


def test_list_is_newest_first_paginated_and_of_one_institution(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as session:
        inst = factories.institution(session, tag="sample-school")
        factories.user(session, inst, "admin", Role.ADMIN)
        other = factories.institution(session, tag="other-school")
    ids = queue(database, inst, 3)
    queue(database, other, 2)
    start = utcnow() - timedelta(hours=1)
    for minutes, notification_id in enumerate(ids):
        _set(database, notification_id, created_at=start + timedelta(minutes=minutes))
    _set(database, ids[1], status=NotificationStatus.SENT, sent_at=utcnow())
    headers = login("admin", factories.PASSWORD, "sample-school")

    everything = client.get(URL, headers=headers).json()
    first = client.get(URL, params={"limit": 2}, headers=headers).json()
    second = client.get(URL, params={"limit": 2, "offset": 2}, headers=headers).json()
    pending = client.get(URL, params={"status": "PENDING"}, headers=headers).json()

    newest_first = [str(notification_id) for notification_id in reversed(ids)]
    assert [item["id"] for item in everything["items"]] == newest_first
    assert everything["total"] == 3
    assert [item["id"] for item in first["items"]] == newest_first[:2]
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    assert [item["id"] for item in second["items"]] == newest_first[2:]
    assert [item["id"] for item in pending["items"]] == [str(ids[2]), str(ids[0])]
    assert client.get(URL, params={"status": "LOST"}, headers=headers).status_code == 422


def test_only_registrars_of_the_institution_see_and_retry(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as session:
        inst = factories.institution(session, tag="sample-school")
        factories.user(session, inst, "registrar")
        factories.student(session, inst, "ELEM123")
        factories.user(session, inst, "teacher", Role.FACULTY)
        other = factories.institution(session, tag="other-school")
    [theirs] = queue(database, other)
    _set(database, theirs, status=NotificationStatus.FAILED, attempts=5)
    [pending] = queue(database, inst)
    registrar = login("registrar", factories.PASSWORD, "sample-school")

    assert client.get(URL).status_code == 401
    for username in ("ELEM123", "teacher"):
        headers = login(username, factories.PASSWORD, "sample-school")
        assert client.get(URL, headers=headers).status_code == 403
        assert client.post(f"{URL}/{pending}/retry", headers=headers).status_code == 403

    assert client.get(URL, headers=registrar).json()["total"] == 1
    not_ours = client.post(f"{URL}/{theirs}/retry", headers=registrar)
    assert not_ours.status_code == 404
    assert not_ours.json() == {"error": "Notification not found"}
    assert client.post(f"{URL}/{uuid.uuid4()}/retry", headers=registrar).status_code == 404
    assert row(database, theirs).status is NotificationStatus.FAILED

    not_failed = client.post(f"{URL}/{pending}/retry", headers=registrar)
    assert not_failed.status_code == 409
    assert not_failed.json() == {
        "error": "Only a FAILED notification can be retried",
        "status": "PENDING",
    }
