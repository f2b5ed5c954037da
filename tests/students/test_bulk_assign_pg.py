"""Bulk-assigning a thousand students on PostgreSQL: correct, in a bounded number of statements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from registrar.db import Database
from registrar.main import create_app
from registrar.students.models import Student, StudentBatch
from tests import factories
from tests.conftest import make_settings
from tests.students import world as world_module


@contextmanager
def counting(database: Database) -> Iterator[list[str]]:
    """Every statement the engine sends while the block runs."""
    seen: list[str] = []

    def listener(*args: Any) -> None:
        seen.append(args[2])

    event.listen(database.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", listener)


def test_bulk_assign_thousand_students_in_few_statements(pg: Database) -> None:
    with pg.session() as session:
        world = world_module.build(session)
        extra = {}
        for batch in (world.cs_a, world.cs_b, world.ee_a):
            assert batch.section is not None
            extra[batch.code] = world_module.many_students(
                session, batch, 330, batch.code[:2] + batch.section
            )
    with TestClient(create_app(make_settings(pg), pg)) as client:
        login = client.post(
            "/auth/login",
            json={"username": "registrar", "password": factories.PASSWORD},
            headers={"x-tenant-tag": world.inst.tag},
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        promotion = {
            "criteria": {"current_year_of_study": "1", "current_semester": "2"},
            "assignment": {"year_of_study": "2", "semester": "3", "academic_year": "2023-2024"},
        }
        client.patch(
            f"/api/admin/batches/{world.cs_2023_b.id}", json={"capacity": 400}, headers=headers
        )
        with counting(pg) as statements:
            response = client.post("/api/students/bulk-assign/", json=promotion, headers=headers)
        assert response.status_code == 200, response.text
    result = response.json()
    assert result["criteria_matched"] == result["updated_count"] == 990 + 7
    updates = [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    # One UPDATE per target group (three sections), none per student.
    assert len(updates) == 3, updates
    assert len(statements) <= 30, statements
    with pg.session() as session:
        moved = session.scalar(
            select(func.count())
            .select_from(Student)
            .join(StudentBatch, StudentBatch.id == Student.batch_id)
            .where(
                Student.institution_id == world.inst.id,
                Student.semester == 3,
                StudentBatch.semester == Student.semester,
                StudentBatch.section == Student.section,
                StudentBatch.academic_year_id == world.y23.id,
                Student.academic_year_id == world.y23.id,
            )
        )
        assert moved == 997
        capacities = dict(
            session.execute(
                select(StudentBatch.code, StudentBatch.capacity).where(
                    StudentBatch.academic_year_id == world.y23.id
                )
            ).all()
        )
    assert capacities == {"CS-2023-2-A": 333, "CS-2023-2-B": 400, "EE-2023-2-A": 332}
