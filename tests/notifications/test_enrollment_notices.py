"""Mail for every change: enrolled, waitlisted, promoted, dropped, withdrawn and holds each
write a notice to the student (and, at a school, to the guardian) in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from registrar.academics.models import Term
from registrar.auth.models import Role
from registrar.db import Database
from registrar.institutions.models import InstitutionKind
from registrar.kit.columns import utcnow
from registrar.notifications import messages
from registrar.notifications.models import Notification, RecipientKind
from tests import factories
from tests.conftest import LoginFn

ENROLL = "/api/student-portal/courses/enroll/"
DROP = "/api/student-portal/courses/drop/"


@dataclass
class Class:
    section: uuid.UUID
    term: uuid.UUID
    first: dict[str, str]
    second: dict[str, str]
    first_id: uuid.UUID
    second_id: uuid.UUID
    registrar: dict[str, str]


def _class(database: Database, login: LoginFn, kind: InstitutionKind) -> Class:
    """A one-seat section and two students with a guardian's address on file."""
    with database.session() as s:
        inst = factories.institution(s, kind=kind)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        course = factories.course(s, inst, code="CS201", title="Programming Fundamentals")
        section = factories.section(s, inst, course, term, capacity=1, code="CS201-A", slots=())
        pupils = [
            factories.student(s, inst, guardian_email=f"parent{n}@example.in") for n in (1, 2)
        ]
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        names = [inst.tag, *(p.roll_number for p in pupils), registrar.username]
        ids = (section.id, term.id, pupils[0].id, pupils[1].id)
    tag = names[0]
    return Class(
        section=ids[0],
        term=ids[1],
        first=login(names[1], factories.PASSWORD, tag),
        second=login(names[2], factories.PASSWORD, tag),
        first_id=ids[2],
        second_id=ids[3],
        registrar=login(names[3], factories.PASSWORD, tag),
    )


def _notices(database: Database, student_id: uuid.UUID) -> list[tuple[str, RecipientKind]]:
    """The student's notices as (event, recipient), sorted (rows of one second tie)."""
    with database.session(write=False) as s:
        rows = s.execute(
            select(Notification.event, Notification.recipient_kind).where(
                Notification.student_id == student_id
            )
        ).all()
    return sorted((event, kind) for event, kind in rows)


def _bodies(database: Database, student_id: uuid.UUID, event: str) -> list[str]:
    with database.session(write=False) as s:
        return list(
            s.scalars(
                select(Notification.subject + "\n" + Notification.body).where(
                    Notification.student_id == student_id, Notification.event == event
                )
            )
        )


def _enroll(client: TestClient, headers: dict[str, str], section: uuid.UUID) -> str:
    answer = client.post(ENROLL, json={"course_section_id": str(section)}, headers=headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["enrollment"]["id"])


def test_every_change_of_a_university_student_is_told_to_the_student_only(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    place = _class(database, login, InstitutionKind.UNIVERSITY)
    seat = _enroll(client, place.first, place.section)
    _enroll(client, place.second, place.section)  # waitlisted at position 1
    dropped = client.post(
        DROP, json={"enrollment_id": seat, "reason": "Timetable change"}, headers=place.first
    )
    assert dropped.status_code == 200, dropped.text
    student = RecipientKind.STUDENT
    assert _notices(database, place.first_id) == [
        ("enrollment.dropped", student),
        ("enrollment.enrolled", student),
    ]
    assert _notices(database, place.second_id) == [
        ("enrollment.promoted", student),
        ("enrollment.waitlisted", student),
    ]
    [waitlisted] = _bodies(database, place.second_id, "enrollment.waitlisted")
    assert "position 1" in waitlisted
    assert "CS201 Programming Fundamentals, section CS201-A" in waitlisted
    [gone] = _bodies(database, place.first_id, "enrollment.dropped")
    assert gone.startswith("Dropped from CS201")
    assert "Reason: Timetable change" in gone


def test_at_a_school_the_guardian_hears_of_every_change_too(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    place = _class(database, login, InstitutionKind.K12)
    seat = _enroll(client, place.first, place.section)
    with database.session() as s:  # past the drop deadline: a drop is a withdrawal
        s.execute(
            update(Term)
            .where(Term.id == place.term)
            .values(drop_deadline=utcnow() - timedelta(days=1))
        )
    answer = client.post(DROP, json={"enrollment_id": seat}, headers=place.first)
    assert answer.status_code == 200, answer.text
    assert _notices(database, place.first_id) == [
        ("enrollment.enrolled", RecipientKind.GUARDIAN),
        ("enrollment.enrolled", RecipientKind.STUDENT),
        ("enrollment.withdrawn", RecipientKind.GUARDIAN),
        ("enrollment.withdrawn", RecipientKind.STUDENT),
    ]
    [withdrawn, _copy] = _bodies(database, place.first_id, "enrollment.withdrawn")
    assert "stays on your record as WITHDRAWN" in withdrawn


def test_a_hold_is_told_with_its_type_not_its_reason(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    place = _class(database, login, InstitutionKind.K12)
    url = f"/api/admin/students/{place.first_id}/holds"
    body = {"type": "FINANCIAL", "reason": "Tuition for term 2 unpaid: Rs 42,000"}
    placed = client.post(url, json=body, headers=place.registrar)
    assert placed.status_code == 201, placed.text
    assert _notices(database, place.first_id) == [
        ("hold.placed", RecipientKind.GUARDIAN),
        ("hold.placed", RecipientKind.STUDENT),
    ]
    texts = _bodies(database, place.first_id, "hold.placed")
    assert all("financial hold" in text and "42,000" not in text for text in texts)


@pytest.mark.parametrize("event", messages.events())
def test_every_template_renders_a_subject_and_a_body(event: str) -> None:
    values = {
        "course_code": "CS201",
        "course_title": "Programming Fundamentals",
        "section_code": "CS201-A",
        "position": 3,
        "reason": "Moved to the evening batch",
        "by_staff": True,
        "was_waitlisted": False,
        "kind": "financial",
        "hours": 48,
        "expires": utcnow(),
    }
    said = messages.render(event, **values)
    assert said.event == event
    assert said.subject
    assert "{{" not in said.subject + said.body
    assert said.body.strip()
