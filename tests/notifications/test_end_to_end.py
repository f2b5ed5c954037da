"""From the K-12 endpoint to the mailbox: the seed's messages arrive with the level's details."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import make_settings
from tests.enrollment.continuing import school as k12
from tests.notifications.conftest import SmtpServer, make_worker


@pytest.fixture
def pg_client(pg: Database) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(pg), pg)) as test_client:
        yield test_client


def _registrar_headers(client: TestClient) -> dict[str, str]:
    response = client.post(
        "/auth/login",
        json={"username": k12.REGISTRAR, "password": factories.PASSWORD},
        headers={"x-tenant-tag": k12.TAG},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}", "x-tenant-tag": k12.TAG}


def _mailbox(smtp_server: SmtpServer) -> dict[str, EmailMessage]:
    by_recipient: dict[str, EmailMessage] = {}
    for received in smtp_server.inbox.messages:
        [recipient] = received.rcpt_tos
        assert recipient not in by_recipient, f"{recipient} got two messages"
        by_recipient[recipient] = received.message
    return by_recipient


def test_elementary_enrollment_mails_student_guardian_and_registrar(
    pg: Database, pg_client: TestClient, smtp_server: SmtpServer
) -> None:
    with pg.session() as session:
        k12.build(session)
    headers = _registrar_headers(pg_client)

    response = pg_client.post(
        k12.PATH, json=k12.body("ELEM123", sectionId="SEC-G4-A"), headers=headers
    )
    assert response.status_code == 200, response.text
    assert smtp_server.inbox.messages == [], "nothing is sent inside the request"

    assert make_worker(pg, smtp_server.port).run_once().sent == 3

    mailbox = _mailbox(smtp_server)
    assert set(mailbox) == {
        "elem123@students.test",
        "parent.elem123@family.test",
        "registrar@school.test",
    }
    for message in mailbox.values():
        # Exactly, with no folding artefact: the subject is longer than 78 columns.
        assert message["Subject"] == (
            "Enrollment confirmed: Student ELEM123, Grade 4 (Elementary), SY2024-2025"
        )
        text = message.get_content()
        assert "Education level: Elementary" in text
        assert "Grade level: 4 (advanced from grade 3)" in text
        assert "Section: SEC-G4-A" in text
        assert "FRIDAY 08:00-08:50, room R101" in text
        assert "Total subjects: 6" in text
    listed = pg_client.get(
        "/api/admin/notifications", params={"status": "SENT"}, headers=headers
    ).json()
    assert listed["total"] == 3


def test_senior_high_enrollment_mails_semester_track_and_units(
    pg: Database, pg_client: TestClient, smtp_server: SmtpServer
) -> None:
    with pg.session() as session:
        k12.build(session)
    headers = _registrar_headers(pg_client)

    response = pg_client.post(
        k12.PATH,
        json=k12.body("SHS123", semesterId="SEM1", sectionId="SEC-G11-STEM-A"),
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert make_worker(pg, smtp_server.port).run_once().sent == 3

    guardian = _mailbox(smtp_server)["parent.shs123@family.test"]
    text = guardian.get_content()
    assert "Education level: Senior High School" in text
    assert "Semester: SEM1" in text
    assert "Track / strand: ACADEMIC / STEM" in text
    assert "Total units: 15" in text


def test_a_refused_enrollment_sends_nothing(
    pg: Database, pg_client: TestClient, smtp_server: SmtpServer
) -> None:
    with pg.session() as session:
        k12.build(session)
    headers = _registrar_headers(pg_client)

    response = pg_client.post(
        k12.PATH, json=k12.body("ELEM-3FAIL", sectionId="SEC-G4-A"), headers=headers
    )
    assert response.status_code == 400, response.text

    assert make_worker(pg, smtp_server.port).run_once().handled == 0
    assert smtp_server.inbox.messages == []
