"""The helpers others call to announce things: who gets a message, and that it arrives."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from registrar.auth.models import Role
from registrar.db import Database
from registrar.notifications import service
from registrar.notifications.models import Notification, NotificationStatus, RecipientKind
from tests import factories
from tests.notifications.conftest import SmtpServer, make_worker


def stored(database: Database, ids: list[uuid.UUID]) -> list[Notification]:
    """The queued rows, in the order their ids were returned."""
    with database.session(write=False) as session:
        rows = {row.id: row for row in session.scalars(select(Notification))}
    return [rows[notification_id] for notification_id in ids]


def test_student_and_guardian_both_get_the_message(
    database: Database, smtp_server: SmtpServer
) -> None:
    with database.session() as session:
        inst = factories.institution(session)
        student = factories.student(
            session, inst, "ELEM123", email="elem123@school.test", guardian_email="mom@home.test"
        )
        ids = service.notify_student_and_guardian(
            session,
            institution_id=inst.id,
            student=student,
            event="enrollment.continuing",
            subject="Enrolled in Grade 5",
            body="Elementary: Grade 5, Section Narra, full school year SY2024-2025.",
        )
    queued = stored(database, ids)
    assert [(n.recipient_kind, n.recipient_email) for n in queued] == [
        (RecipientKind.STUDENT, "elem123@school.test"),
        (RecipientKind.GUARDIAN, "mom@home.test"),
    ]
    assert all(n.student_id == student.id for n in queued)

    assert make_worker(database, smtp_server.port).run_once().sent == 2

    received = {tuple(m.rcpt_tos): m.message for m in smtp_server.inbox.messages}
    assert set(received) == {("elem123@school.test",), ("mom@home.test",)}
    for message in received.values():
        assert message["Subject"] == "Enrolled in Grade 5"
        assert "Section Narra" in message.get_content()


def test_missing_addresses_are_skipped(database: Database) -> None:
    with database.session() as session:
        inst = factories.institution(session)
        no_guardian = factories.student(session, inst, guardian_email=None)
        only_guardian = factories.student(session, inst, email=None, guardian_email="dad@home.test")
        first = service.notify_student_and_guardian(
            session, institution_id=inst.id, student=no_guardian, event="e", subject="s", body="b"
        )
        second = service.notify_student_and_guardian(
            session, institution_id=inst.id, student=only_guardian, event="e", subject="s", body="b"
        )
    assert [n.recipient_kind for n in stored(database, first)] == [RecipientKind.STUDENT]
    assert [(n.recipient_kind, n.recipient_email) for n in stored(database, second)] == [
        (RecipientKind.GUARDIAN, "dad@home.test")
    ]


def test_registrars_with_an_address_are_notified(database: Database) -> None:
    with database.session() as session:
        inst = factories.institution(session)
        other = factories.institution(session)
        for username, role, email, active in [
            ("reg1", Role.REGISTRAR, "reg1@school.test", True),
            ("reg2", Role.REGISTRAR, "reg2@school.test", True),
            ("gone", Role.REGISTRAR, "gone@school.test", False),
            ("silent", Role.REGISTRAR, None, True),
            ("boss", Role.ADMIN, "boss@school.test", True),
        ]:
            user = factories.user(session, inst, username, role)
            user.email, user.is_active = email, active
        elsewhere = factories.user(session, other, "reg-elsewhere")
        elsewhere.email = "reg@elsewhere.test"
        session.flush()
        queued = service.notify_registrars(
            session,
            institution_id=inst.id,
            event="enrollment.continuing",
            subject="Continuing enrollment processed",
            body="ELEM123 enrolled in Grade 5.",
        )
    assert sorted(n.recipient_email or "" for n in stored(database, queued)) == [
        "reg1@school.test",
        "reg2@school.test",
    ]
    with database.session(write=False) as session:
        rows = session.scalars(select(Notification)).all()
    assert len(rows) == 2
    assert {(r.recipient_kind, r.status, r.institution_id) for r in rows} == {
        (RecipientKind.REGISTRAR, NotificationStatus.PENDING, inst.id)
    }


def test_a_long_subject_is_trimmed_not_refused(database: Database) -> None:
    with database.session() as session:
        inst = factories.institution(session)
        student = factories.student(session, inst, name="N" * 190)
        [queued] = service.notify_student_and_guardian(
            session,
            institution_id=inst.id,
            student=student,
            event="enrollment.continuing",
            subject=f"Enrollment confirmed for {student.name}",
            body="Grade 5",
        )
    with database.session(write=False) as session:
        subject = session.scalars(select(Notification.subject)).one()
    assert [row.subject for row in stored(database, [queued])] == [subject]
    assert len(subject) == 200
    assert subject.startswith("Enrollment confirmed for NNN")
    assert subject.endswith("…")
