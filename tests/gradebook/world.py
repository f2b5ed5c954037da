"""A section with a roster, its teacher's login, another teacher and the registrar."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection, TermKind
from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.institutions import grading
from registrar.institutions.models import Institution, InstitutionKind
from tests import factories
from tests.conftest import LoginFn


@dataclass
class Gradebook:
    """Ids and logins of one section's gradebook."""

    tenant: str
    institution_id: uuid.UUID
    section_id: uuid.UUID
    teacher: str  # the section's faculty member's login
    other_teacher: str  # a faculty member of the same institution, not teaching it
    registrar: str
    rolls: list[str]  # the ENROLLED students, in roll-number order
    enrollment_ids: list[uuid.UUID]
    others: dict[str, uuid.UUID] = field(default_factory=dict)  # enrollments by status

    def url(self, tail: str = "") -> str:
        """A gradebook URL of this section."""
        return f"/api/sections/{self.section_id}/{tail}"


def teacher_login(session: Session, inst: Institution, username: str) -> Any:
    """A faculty member with a FACULTY login."""
    teacher = factories.faculty(session, inst)
    teacher.user_id = factories.user(session, inst, username, Role.FACULTY).id
    session.flush()
    return teacher


def build(
    session: Session,
    *,
    scale: list[dict[str, Any]] | None = None,
    kind: InstitutionKind = InstitutionKind.UNIVERSITY,
    students: int = 3,
    with_others: bool = False,
) -> Gradebook:
    """An institution on `scale` (10-point by default) with one section and its roster.

    `with_others` adds a DROPPED, a WITHDRAWN and a WAITLISTED enrollment to the section.
    """
    inst = factories.institution(
        session, kind=kind, grade_scale=grading.TEN_POINT_SCALE if scale is None else scale
    )
    year = factories.academic_year(session, inst, "2024-2025")
    term = factories.term(session, inst, year, TermKind.ODD)
    course = factories.course(session, inst, code=factories.unique("CS"), title="Compilers")
    teacher_name, other_name = factories.unique("teacher"), factories.unique("teacher")
    teacher = teacher_login(session, inst, teacher_name)
    teacher_login(session, inst, other_name)
    registrar = factories.user(session, inst, factories.unique("registrar"), Role.REGISTRAR)
    section = factories.section(session, inst, course, term, teacher=teacher)
    prefix = factories.unique("R")
    rolls = [f"{prefix}{n:03d}" for n in range(students)]
    enrollments = [
        factories.enrollment(session, inst, factories.student(session, inst, roll), section)
        for roll in rolls
    ]
    book = Gradebook(
        tenant=inst.tag,
        institution_id=inst.id,
        section_id=section.id,
        teacher=teacher_name,
        other_teacher=other_name,
        registrar=registrar.username,
        rolls=rolls,
        enrollment_ids=[row.id for row in enrollments],
    )
    if with_others:
        for status in ("DROPPED", "WITHDRAWN", "WAITLISTED"):
            student = factories.student(session, inst, f"ZZ{factories.unique(status[:3])}")
            book.others[status] = factories.enrollment(session, inst, student, section, status).id
    return book


def headers_of(login: LoginFn, book: Gradebook, username: str) -> dict[str, str]:
    """Auth headers of one of the gradebook's logins (or a student's roll number)."""
    return login(username, factories.PASSWORD, book.tenant)


def rows(database: Database, book: Gradebook) -> dict[uuid.UUID, tuple[Any, ...]]:
    """(status, grade, grade_points, attendance) of every enrollment of the section."""
    with database.session(write=False) as s:
        found = s.execute(
            select(
                Enrollment.id,
                Enrollment.status,
                Enrollment.grade,
                Enrollment.grade_points,
                Enrollment.attendance_percentage,
            ).where(Enrollment.section_id == book.section_id)
        )
        return {row[0]: tuple(row[1:]) for row in found}


def audit_events(database: Database, book: Gradebook) -> list[AuditEvent]:
    """The institution's audit events about enrollments, oldest first."""
    with database.session(write=False) as s:
        return list(
            s.scalars(
                select(AuditEvent)
                .where(
                    AuditEvent.institution_id == book.institution_id,
                    AuditEvent.entity_type == "enrollment",
                )
                .order_by(AuditEvent.occurred_at)
            )
        )


def counters(database: Database, book: Gradebook) -> tuple[int, int]:
    """The section's (enrolled_count, waitlisted_count)."""
    with database.session(write=False) as s:
        found = s.execute(
            select(CourseSection.enrolled_count, CourseSection.waitlisted_count).where(
                CourseSection.id == book.section_id
            )
        ).one()
        return int(found[0]), int(found[1])


def statuses(database: Database, book: Gradebook) -> dict[uuid.UUID, EnrollmentStatus]:
    """The status of every enrollment of the section."""
    return {key: value[0] for key, value in rows(database, book).items()}


def put(client: TestClient, url: str, headers: dict[str, str], body: Any) -> Any:
    """PUT json and return the response."""
    return client.put(url, headers=headers, json=body)
