"""A small university for the page tests: one student's batch offers three electives."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import time

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from registrar.academics.models import Course, CourseSection, Weekday
from registrar.auth.models import Role
from registrar.db import Database
from tests import factories
from tests.portal.student_portal import world as w

CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
FORM_KEY = re.compile(r'name="form_key" value="([^"]*)"')


@dataclass(frozen=True)
class Campus:
    """Ids the tests act on."""

    tenant: str
    student: str  # 22CS001, whose batch offers the electives
    other: str  # another student of the batch, holding the full section's only seat
    registrar: str
    open_section: uuid.UUID  # CS341: seats free
    full_section: uuid.UUID  # CS342: no seat, waitlist room
    locked_section: uuid.UUID  # CS350: a prerequisite not passed
    other_enrollment: uuid.UUID
    batch: uuid.UUID
    department: uuid.UUID
    term: uuid.UUID  # the term open for registration (last year's is open too, in tests)


def _elective(
    s: Session, world: w.World, code: str, title: str, day: Weekday, capacity: int, *pre: Course
) -> tuple[Course, CourseSection]:
    course = factories.course(
        s, world.inst, world.dept, code, credits=3, title=title, prerequisites=pre
    )
    section = factories.section(
        s,
        world.inst,
        course,
        world.term,
        capacity=capacity,
        slots=((day, time(14), time(15, 30)),),
        teacher=world.teacher,
        where=world.room,
    )
    factories.batch_course(
        s,
        world.inst,
        world.batch,
        course,
        world.year,
        assignment_type="ELECTIVE",
        auto_enroll=False,
    )
    return course, section


def build(database: Database) -> Campus:
    """The seed's 22CS001 in CS-2024-3-A, a classmate, a registrar, and three electives."""
    with database.session() as s:
        world = w.build(s)
        world.term.min_credits = 0  # no "below the minimum" warning on every enrollment
        w.history(s, world)
        _, open_section = _elective(
            s, world, "CS341", "Artificial Intelligence", Weekday.MONDAY, 30
        )
        _, full_section = _elective(s, world, "CS342", "Cloud Computing", Weekday.TUESDAY, 1)
        never = factories.course(s, world.inst, world.dept, "CS399", title="Research Methods")
        _, locked = _elective(s, world, "CS350", "Compilers", Weekday.THURSDAY, 30, never)
        other = w.other_student(s, world, "22CS002", name="Ravi Kumar")
        taken = factories.enrollment(s, world.inst, other, full_section)
        factories.user(s, world.inst, "registrar", Role.REGISTRAR)
        return Campus(
            tenant=world.tenant,
            student="22CS001",
            other="22CS002",
            registrar="registrar",
            open_section=open_section.id,
            full_section=full_section.id,
            locked_section=locked.id,
            other_enrollment=taken.id,
            batch=world.batch.id,
            department=world.dept.id,
            term=world.term.id,
        )


def csrf_of(page: Response | str) -> str:
    """The CSRF token a page's forms carry."""
    found = CSRF.search(page if isinstance(page, str) else page.text)
    assert found, "the page has no form token"
    return found.group(1)


def form_key_of(page: Response) -> str:
    """The one-time key a page's action forms carry."""
    found = FORM_KEY.search(page.text)
    assert found, "the page has no action form"
    return found.group(1)


def sign_in(client: TestClient, username: str, tenant: str) -> Response:
    """Sign in through the page, as a browser does (the answer is the redirect)."""
    page = client.get("/sign-in")
    answer: Response = client.post(
        "/sign-in",
        data={
            "csrf_token": csrf_of(page),
            "username": username,
            "password": factories.PASSWORD,
            "institution": tenant,
        },
    )
    assert answer.status_code == 303, answer.text
    return answer
