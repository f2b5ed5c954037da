"""STARTTLS and implicit TLS (SMTPS) against a server with a certificate made by the test."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from registrar.db import Database
from registrar.notifications.models import NotificationStatus
from tests import factories
from tests.notifications.conftest import SmtpServer, free_port, make_worker, queue, row, smtp_config

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl CLI")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def trust_certificate(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust the test certificate the way an operator trusts a private CA: SSL_CERT_FILE."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


def _start(**kwargs: object) -> SmtpServer:
    return SmtpServer(port=free_port(), kwargs=dict(kwargs)).start()


@pytest.fixture
def servers() -> Iterator[list[SmtpServer]]:
    started: list[SmtpServer] = []
    yield started
    for server in started:
        server.stop()


def _accept(*args: object) -> AuthResult:
    auth_data = args[-1]
    assert isinstance(auth_data, LoginPassword)
    return AuthResult(success=(auth_data.login, auth_data.password) == (b"mailer", b"s3cret"))


@pytest.mark.usefixtures("trust_certificate")
def test_starttls_then_login(
    database: Database, server_context: ssl.SSLContext, servers: list[SmtpServer]
) -> None:
    # The server refuses mail before STARTTLS and AUTH before TLS (aiosmtpd's default).
    server = _start(
        tls_context=server_context,
        require_starttls=True,
        authenticator=_accept,
        auth_required=True,
    )
    servers.append(server)
    with database.session() as session:
        inst = factories.institution(session)
    [notification_id] = queue(database, inst)
    smtp = smtp_config(server.port, starttls=True, username="mailer", password="s3cret")

    assert make_worker(database, server.port, smtp=smtp).run_once().sent == 1

    [received] = server.inbox.messages
    assert received.tls
    assert row(database, notification_id).status is NotificationStatus.SENT


@pytest.mark.usefixtures("trust_certificate")
def test_implicit_tls(
    database: Database, server_context: ssl.SSLContext, servers: list[SmtpServer]
) -> None:
    server = _start(ssl_context=server_context)
    servers.append(server)
    with database.session() as session:
        inst = factories.institution(session)
    [notification_id] = queue(database, inst)
    smtp = smtp_config(server.port, use_ssl=True)

    assert make_worker(database, server.port, smtp=smtp).run_once().sent == 1

    [received] = server.inbox.messages
    assert received.tls
    assert row(database, notification_id).status is NotificationStatus.SENT


def test_untrusted_certificate_is_refused_and_the_row_waits(
    database: Database, server_context: ssl.SSLContext, servers: list[SmtpServer]
) -> None:
    server = _start(tls_context=server_context, require_starttls=True)
    servers.append(server)
    with database.session() as session:
        inst = factories.institution(session)
    [notification_id] = queue(database, inst)
    smtp = smtp_config(server.port, starttls=True)

    assert make_worker(database, server.port, smtp=smtp).run_once().retrying == 1

    assert server.inbox.messages == []
    waiting = row(database, notification_id)
    assert waiting.status is NotificationStatus.PENDING
    assert "CERTIFICATE_VERIFY_FAILED" in (waiting.last_error or "")
