"""A small university for the import and export tests, and a logged-in registrar."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Course,
    Department,
    Faculty,
    Room,
    Term,
)
from registrar.auth.models import Role
from registrar.db import Database
from registrar.institutions.models import Institution
from registrar.students.models import StudentBatch
from tests import factories
from tests.conftest import LoginFn
from tests.factories import PASSWORD


@dataclass
class Campus:
    inst: Institution
    other: Institution
    cs: Department
    ee: Department
    btech: AcademicProgram
    year: AcademicYear
    term: Term
    batch: StudentBatch
    full_batch: StudentBatch
    room: Room
    teacher: Faculty
    dsa: Course


@pytest.fixture
def campus(database: Database) -> Campus:
    with database.session() as s:
        inst = factories.institution(s, tag="ap-university")
        factories.user(s, inst, "registrar", Role.REGISTRAR)
        factories.user(s, inst, "prof", Role.FACULTY)
        other = factories.institution(s, tag="other-university")
        factories.user(s, other, "other-registrar", Role.REGISTRAR)
        cs = factories.department(s, inst, "CS")
        ee = factories.department(s, inst, "EE")
        btech = factories.program(s, inst, cs)
        year = factories.academic_year(s, inst, "2024-2025")
        term = factories.term(s, inst, year, code="2024-ODD")
        batch = factories.batch(
            s, inst, dept=cs, prog=btech, year=year, code="CS-2024-3-A", capacity=60
        )
        full = factories.batch(
            s, inst, dept=cs, prog=btech, year=year, code="CS-2024-3-B", section="B", capacity=1
        )
        factories.student(s, inst, "22CS900", of_batch=full, with_login=False)
        room = factories.room(s, inst, "CS-101")
        teacher = factories.faculty(s, inst, cs)
        dsa = factories.course(s, inst, cs, "CS301")
        return Campus(inst, other, cs, ee, btech, year, term, batch, full, room, teacher, dsa)


@pytest.fixture
def registrar(campus: Campus, login: LoginFn) -> dict[str, str]:
    return login("registrar", PASSWORD, campus.inst.tag)


def count(database: Database, column: object) -> int:
    """Rows of a model (or column's table) in the database."""
    with database.session(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(column)) or 0)  # type: ignore[arg-type]


def post_csv(
    client: TestClient, path: str, text: str, headers: dict[str, str], **params: object
) -> httpx.Response:
    """POST a CSV body as text/csv."""
    response: httpx.Response = client.post(
        path,
        content=text.encode(),
        params=params,
        headers={**headers, "Content-Type": "text/csv"},
    )
    return response
