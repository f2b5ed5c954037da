"""A real SMTP server (aiosmtpd) per test, and helpers to queue and inspect outbox rows."""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from registrar.db import Database
from registrar.institutions.models import Institution
from registrar.notifications.models import Notification, RecipientKind
from registrar.notifications.outbox import enqueue
from registrar.notifications.smtp import NOTIFICATION_HEADER, SmtpConfig
from registrar.notifications.worker import Worker

SENDER = "registrar@school.test"


@dataclass
class Received:
    """One message as the server took it: envelope and parsed content."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool = False

    @property
    def notification_id(self) -> str:
        return str(self.message[NOTIFICATION_HEADER])


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps every message, refuses some recipients, may be slow."""

    refuse: set[str] = field(default_factory=set)
    delay_seconds: float = 0.0
    on_message: threading.Event | None = None
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, _session: Any, envelope: Any) -> str:
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    parsed,
                    tls=server.transport.get_extra_info("ssl_object") is not None,
                )
            )
        if self.on_message is not None:
            self.on_message.set()
        return "250 Message accepted for delivery"

    def count_by_id(self) -> Counter[str]:
        with self.lock:
            return Counter(received.notification_id for received in self.messages)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class SmtpServer:
    """An aiosmtpd server that can be started (and stopped) on a fixed port."""

    port: int
    inbox: Inbox = field(default_factory=Inbox)
    controller: Controller | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)

    def start(self) -> SmtpServer:
        self.controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, **self.kwargs
        )
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A running SMTP server on a free port of 127.0.0.1."""
    server = SmtpServer(port=free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def stopped_smtp_server() -> Iterator[SmtpServer]:
    """An SMTP server on a free port, not started yet: the port is closed until `start()`."""
    server = SmtpServer(port=free_port())
    yield server
    server.stop()


def smtp_config(port: int, **overrides: Any) -> SmtpConfig:
    """Settings of the test server."""
    values: dict[str, Any] = {"host": "127.0.0.1", "port": port, "sender": SENDER, "timeout": 5.0}
    values.update(overrides)
    return SmtpConfig(**values)


def make_worker(database: Database, port: int, **options: Any) -> Worker:
    """A worker sending to 127.0.0.1:port."""
    smtp = options.pop("smtp", None) or smtp_config(port)
    return Worker(database, smtp, **options)


def queue(
    database: Database,
    inst: Institution,
    count: int = 1,
    *,
    email: str | None = "parent@example.org",
    subject: str = "Enrollment confirmed",
    body: str = "Grade 5 - Section Narra, school year SY2024-2025.",
) -> list[uuid.UUID]:
    """Queue `count` rows and commit them; returns their ids."""
    with database.session() as session:
        return [
            enqueue(
                session,
                institution_id=inst.id,
                recipient_kind=RecipientKind.GUARDIAN,
                recipient_email=email,
                event="enrollment.confirmed",
                subject=f"{subject} #{index}" if count > 1 else subject,
                body=body,
            )
            for index in range(count)
        ]


def row(database: Database, notification_id: uuid.UUID) -> Notification:
    """The row as committed now."""
    with database.session(write=False) as session:
        found = session.scalar(select(Notification).where(Notification.id == notification_id))
        assert found is not None
        return found


def make_due(database: Database, notification_id: uuid.UUID, at: datetime) -> None:
    """Move a row's next attempt to `at` (how the tests move time)."""
    with database.session() as session:
        found = session.get(Notification, notification_id)
        assert found is not None
        found.next_attempt_at = at
