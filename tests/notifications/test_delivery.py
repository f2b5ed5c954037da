"""The worker against a real SMTP server: delivery, an outage, retries, giving up, leases."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from registrar.db import Database
from registrar.kit.columns import utcnow
from registrar.notifications import service
from registrar.notifications.models import NotificationStatus
from tests import factories
from tests.notifications.conftest import (
    SENDER,
    SmtpServer,
    free_port,
    make_due,
    make_worker,
    queue,
    row,
    smtp_config,
)


def test_queued_row_is_delivered_and_marked_sent(
    database: Database, smtp_server: SmtpServer
) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    [notification_id] = queue(
        database,
        inst,
        email="guardian@example.org",
        subject="Enrollment confirmed: Grade 5",
        body="Maria is enrolled in Grade 5 - Section Narra for SY2024-2025.",
    )

    before = utcnow()
    report = make_worker(database, smtp_server.port).run_once()

    assert report.sent == 1
    [received] = smtp_server.inbox.messages
    assert received.mail_from == SENDER
    assert not received.tls  # no STARTTLS unless configured
    assert received.rcpt_tos == ["guardian@example.org"]
    assert received.message["To"] == "guardian@example.org"
    assert received.message["Subject"] == "Enrollment confirmed: Grade 5"
    assert received.message["X-Registrar-Event"] == "enrollment.confirmed"
    assert received.notification_id == str(notification_id)
    assert received.message.get_content().strip() == (
        "Maria is enrolled in Grade 5 - Section Narra for SY2024-2025."
    )
    sent = row(database, notification_id)
    assert sent.status is NotificationStatus.SENT
    assert sent.sent_at is not None
    assert sent.sent_at >= before
    assert sent.attempts == 1
    assert sent.last_error is None
    # Nothing is sent twice: a second pass finds nothing to do.
    assert make_worker(database, smtp_server.port).run_once().handled == 0
    assert len(smtp_server.inbox.messages) == 1


def test_server_down_loses_nothing_and_the_row_is_sent_when_it_is_back(
    database: Database, stopped_smtp_server: SmtpServer
) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    [notification_id] = queue(database, inst)
    worker = make_worker(database, stopped_smtp_server.port, backoff_seconds=30)

    started = utcnow()
    report = worker.run_once()

    assert report.retrying == 1
    waiting = row(database, notification_id)
    assert waiting.status is NotificationStatus.PENDING
    assert waiting.attempts == 1
    assert "Connection" in (waiting.last_error or "")
    # backoff * 2**attempts = 60 s from the failure
    assert waiting.next_attempt_at >= started + timedelta(seconds=59)
    assert waiting.sent_at is None

    stopped_smtp_server.start()
    assert worker.run_once().handled == 0, "not due yet: the backoff is honoured"
    assert stopped_smtp_server.inbox.messages == []

    make_due(database, notification_id, utcnow() - timedelta(seconds=1))
    assert worker.run_once().sent == 1
    [received] = stopped_smtp_server.inbox.messages
    assert received.notification_id == str(notification_id)
    sent = row(database, notification_id)
    assert sent.status is NotificationStatus.SENT
    assert sent.attempts == 2


def test_last_failure_marks_failed(database: Database, stopped_smtp_server: SmtpServer) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    [notification_id] = queue(database, inst)
    worker = make_worker(database, stopped_smtp_server.port, max_attempts=3, backoff_seconds=1)

    for attempt in (1, 2):
        assert worker.run_once().retrying == 1
        assert row(database, notification_id).status is NotificationStatus.PENDING
        assert row(database, notification_id).attempts == attempt
        make_due(database, notification_id, utcnow() - timedelta(seconds=1))
    assert worker.run_once().failed == 1

    failed = row(database, notification_id)
    assert failed.status is NotificationStatus.FAILED
    assert failed.attempts == 3
    assert failed.last_error
    # A FAILED row is never picked up again, however long one waits.
    make_due(database, notification_id, utcnow() - timedelta(days=1))
    stopped_smtp_server.start()
    assert worker.run_once().handled == 0
    assert stopped_smtp_server.inbox.messages == []


def test_refused_recipient_fails_at_once_and_others_still_go(
    database: Database, smtp_server: SmtpServer
) -> None:
    smtp_server.inbox.refuse.add("nobody@example.org")
    with database.session() as session:
        inst = factories.institution(session)
    [refused] = queue(database, inst, email="nobody@example.org")
    [accepted] = queue(database, inst, email="someone@example.org")

    report = make_worker(database, smtp_server.port, batch_size=5).run_once()

    assert (report.sent, report.failed) == (1, 1)
    assert row(database, refused).status is NotificationStatus.FAILED
    assert "550" in (row(database, refused).last_error or "")
    assert row(database, accepted).status is NotificationStatus.SENT
    assert [m.rcpt_tos for m in smtp_server.inbox.messages] == [["someone@example.org"]]


def test_row_without_address_is_failed_not_sent(
    database: Database, smtp_server: SmtpServer
) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    [notification_id] = queue(database, inst, email=None)

    assert make_worker(database, smtp_server.port).run_once().failed == 1

    failed = row(database, notification_id)
    assert failed.status is NotificationStatus.FAILED
    assert failed.last_error == "no recipient e-mail address"
    assert smtp_server.inbox.messages == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_login_credentials_reach_the_server(database: Database) -> None:
    logins: list[tuple[bytes, bytes]] = []

    def authenticator(*args: object) -> AuthResult:
        auth_data = args[-1]
        assert isinstance(auth_data, LoginPassword)
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"s3cret")

    server = SmtpServer(
        port=free_port(),
        kwargs={"authenticator": authenticator, "auth_required": True, "auth_require_tls": False},
    ).start()
    try:
        with database.session() as session:
            inst = factories.institution(session)
        [good] = queue(database, inst)
        smtp = smtp_config(server.port, username="mailer", password="s3cret")
        assert make_worker(database, server.port, smtp=smtp).run_once().sent == 1
        assert logins == [(b"mailer", b"s3cret")]
        assert row(database, good).status is NotificationStatus.SENT

        [refused_login] = queue(database, inst)
        wrong = smtp_config(server.port, username="mailer", password="wrong", timeout=1.0)
        assert make_worker(database, server.port, smtp=wrong).run_once().retrying == 1
        waiting = row(database, refused_login)
        # A login problem is the server's or the configuration's, never the message's: retry.
        assert waiting.status is NotificationStatus.PENDING
        assert waiting.last_error
        assert len(server.inbox.messages) == 1
    finally:
        server.stop()


def test_claimed_row_is_invisible_until_its_lease_ends(
    database: Database, smtp_server: SmtpServer
) -> None:
    """A worker that died after claiming: nobody sends meanwhile, then the row is retried."""
    with database.session() as session:
        inst = factories.institution(session)
    [notification_id] = queue(database, inst)
    now = utcnow()
    with database.session() as session:
        claims, taken = service.claim_due(
            session,
            now=now,
            due_before=now,
            limit=10,
            lease_until=now + timedelta(minutes=5),
            max_attempts=5,
        )
    assert taken == 1
    assert claims[0].message.id == notification_id

    assert make_worker(database, smtp_server.port).run_once().handled == 0
    assert smtp_server.inbox.messages == []

    make_due(database, notification_id, utcnow() - timedelta(seconds=1))  # the lease ran out
    assert make_worker(database, smtp_server.port).run_once().sent == 1
    assert row(database, notification_id).attempts == 2
    # The dead worker's late report cannot overwrite the newer outcome.
    with database.session() as session:
        assert service.mark_sent(session, claims[0], now=utcnow()) is False


def test_interrupted_last_attempt_is_failed_rather_than_repeated(
    database: Database, smtp_server: SmtpServer
) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    [notification_id] = queue(database, inst)
    now = utcnow()
    with database.session() as session:
        service.claim_due(
            session, now=now, due_before=now, limit=1, lease_until=now, max_attempts=1
        )

    assert make_worker(database, smtp_server.port, max_attempts=1).run_once().failed == 1
    assert row(database, notification_id).status is NotificationStatus.FAILED
    assert smtp_server.inbox.messages == []


def test_stop_request_releases_the_rest_of_the_batch(
    database: Database, smtp_server: SmtpServer
) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    ids = queue(database, inst, 4)
    stop = threading.Event()
    smtp_server.inbox.on_message = stop  # the stop arrives while the first message is sent

    report = make_worker(database, smtp_server.port, batch_size=4, stop=stop).run_once()

    assert (report.sent, report.released) == (1, 3)
    rows = [row(database, notification_id) for notification_id in ids]
    assert sum(r.status is NotificationStatus.SENT for r in rows) == 1
    untried = [r for r in rows if r.status is NotificationStatus.PENDING]
    assert len(untried) == 3
    assert all(r.attempts == 0 and r.next_attempt_at <= utcnow() for r in untried)


def test_non_ascii_text_arrives_intact(database: Database, smtp_server: SmtpServer) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    queue(
        database,
        inst,
        email="madre@example.org",
        subject="Matrícula confirmada — Grado 5",
        body="José Niño: Sección Narra, año escolar SY2024-2025.",
    )

    assert make_worker(database, smtp_server.port).run_once().sent == 1

    [received] = smtp_server.inbox.messages
    assert received.message["Subject"] == "Matrícula confirmada — Grado 5"
    assert received.message["Content-Transfer-Encoding"] == "quoted-printable"
    assert received.message.get_content().strip() == (
        "José Niño: Sección Narra, año escolar SY2024-2025."
    )


def test_header_injection_is_refused_for_good(database: Database, smtp_server: SmtpServer) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    [bad] = queue(database, inst, subject="Enrolled\nBcc: everyone@example.org")
    [good] = queue(database, inst)

    report = make_worker(database, smtp_server.port, batch_size=5).run_once()

    assert (report.sent, report.failed) == (1, 1)
    assert row(database, bad).status is NotificationStatus.FAILED
    assert "cannot build the message" in (row(database, bad).last_error or "")
    assert row(database, good).status is NotificationStatus.SENT
    assert [m.rcpt_tos for m in smtp_server.inbox.messages] == [["parent@example.org"]]
