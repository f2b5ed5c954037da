"""Divisions and statistics cost a fixed number of queries, however many students there are."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import make_settings
from tests.students import world as world_module
from tests.students.test_bulk_assign_pg import counting


def test_divisions_and_statistics_query_counts(pg: Database) -> None:
    with pg.session() as session:
        world = world_module.build(session)
        for batch in (world.cs_a, world.cs_b, world.ee_a, world.cs_2023_b):
            world_module.many_students(session, batch, 120, batch.code.replace("-", ""))
    with TestClient(create_app(make_settings(pg), pg)) as client:
        login = client.post(
            "/auth/login",
            json={"username": "registrar", "password": factories.PASSWORD},
            headers={"x-tenant-tag": world.inst.tag},
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

        def selects(path: str, **params: object) -> tuple[int, dict[str, Any]]:
            with counting(pg) as statements:
                response = client.get(path, params=params, headers=headers)
            assert response.status_code == 200, response.text
            return len(statements), response.json()

        # The token's user comes from the worker's cache (or, on a miss, the request path's
        # async engine): every statement counted here is the endpoint's own.
        count, tree = selects("/api/students/divisions/")
        assert count == 2
        sections = tree["CS"]["programs"][world.cs_btech.code]["years"]["2022-2023"]
        section_a = sections["year_of_study"]["1"]["semesters"]["2"]["sections"]["A"]
        assert section_a["count"] == 123
        assert len(section_a["students"]) == 50
        count, _ = selects("/api/students/divisions/", include_students="false")
        assert count == 1
        count, stats = selects("/api/students/division-statistics/")
        assert count == 1
        assert stats["CS"]["total_students"] == 5 + 3 * 120  # world.py, plus CS A, B and 2023 B
