"""CSV exports neutralise formula injection (OWASP): a cell a spreadsheet would run is quoted."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.enrollment.models import EnrollmentStatus
from tests import factories
from tests.transfer.conftest import Campus

FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rReturned",
]


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("name", FORMULAS)
def test_formula_cells_are_prefixed_with_a_quote(
    client: TestClient, registrar: dict[str, str], campus: Campus, database: Database, name: str
) -> None:
    with database.session() as s:
        section = factories.section(s, campus.inst, campus.dsa, campus.term)
        stu = factories.student(
            s, campus.inst, "22CS001", of_batch=campus.batch, with_login=False, name=name
        )
        factories.enrollment(s, campus.inst, stu, section, EnrollmentStatus.ENROLLED)
        section_id, batch_id = section.id, campus.batch.id
    term = campus.term.code
    for path in (
        f"/api/admin/sections/{section_id}/roster.csv",
        f"/api/admin/batches/{batch_id}/enrollments.csv?term={term}",
    ):
        response = client.get(path, headers=registrar)
        assert response.status_code == 200, response.text
        (row,) = rows_of(response.text)
        assert row["name"] == "'" + name
        assert row["roll_number"] == "22CS001"  # ordinary cells are left as they are


def test_numbers_are_not_quoted(
    client: TestClient, registrar: dict[str, str], campus: Campus, database: Database
) -> None:
    with database.session() as s:
        section = factories.section(s, campus.inst, campus.dsa, campus.term)
        stu = factories.student(s, campus.inst, "22CS001", of_batch=campus.batch, with_login=False)
        factories.enrollment(
            s, campus.inst, stu, section, EnrollmentStatus.COMPLETED, grade="A", attendance="90.5"
        )
        section_id = section.id
    response = client.get(f"/api/admin/sections/{section_id}/roster.csv", headers=registrar)
    (row,) = rows_of(response.text)
    assert row["attendance_percentage"] == "90.5"
