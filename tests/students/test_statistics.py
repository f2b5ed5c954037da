"""`GET /api/students/division-statistics/`: numbers checked against the rows built."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.students.models import Gender
from tests import factories
from tests.students.world import World

URL = "/api/students/division-statistics/"


def test_numbers_per_department(
    client: TestClient, database: Database, world: World, registrar: dict[str, str]
) -> None:
    with database.session() as session:
        factories.student(
            session,
            world.inst,
            "23CS001",
            of_batch=world.cs_2023_b,
            with_login=False,
            gender=Gender.M,
            category=None,
        )
    response = client.get(URL, headers=registrar)
    assert response.status_code == 200, response.text
    stats = response.json()
    assert list(stats) == ["CS", "EE"]
    assert stats["CS"] == {
        "department_id": str(world.cs.id),
        "department_name": world.cs.name,
        "department_code": "CS",
        "total_students": 6,  # 22CS004 is inactive
        "by_year": {
            "2022-2023": {"total": 5, "sections": {"A": 3, "B": 2}},
            "2023-2024": {"total": 1, "sections": {"B": 1}},
        },
        "by_year_of_study": {"1": 5, "2": 1},
        "by_semester": {"2": 5, "3": 1},
        "by_gender": {"F": 3, "M": 3},
        "by_quota": {"BC": 2, "OC": 3, "UNSPECIFIED": 1},
    }
    assert stats["EE"]["total_students"] == 2
    assert stats["EE"]["by_quota"] == {"OC": 1, "SC": 1}
    assert stats["EE"]["by_gender"] == {"F": 1, "M": 1}


def test_filters(
    client: TestClient, world: World, registrar: dict[str, str], other_registrar: dict[str, str]
) -> None:
    only_ee = client.get(URL, params={"department": str(world.ee.id)}, headers=registrar).json()
    assert list(only_ee) == ["EE"]
    assert client.get(URL, params={"academic_year": "2023-2024"}, headers=registrar).json() == {}
    in_2022 = client.get(URL, params={"academic_year": "2022-2023"}, headers=registrar).json()
    assert in_2022["CS"]["total_students"] == 5
    other = client.get(URL, headers=other_registrar).json()
    assert list(other) == ["UNASSIGNED"]
    assert other["UNASSIGNED"]["total_students"] == 1
    assert other["UNASSIGNED"]["by_year"] == {
        "UNASSIGNED": {"total": 1, "sections": {"UNASSIGNED": 1}}
    }


@pytest.mark.usefixtures("world")
def test_statistics_follow_a_promotion(client: TestClient, registrar: dict[str, str]) -> None:
    promotion = {
        "criteria": {"current_year_of_study": 1, "current_semester": 2},
        "assignment": {"year_of_study": 2, "semester": 3, "academic_year": "2023-2024"},
    }
    assert (
        client.post("/api/students/bulk-assign/", json=promotion, headers=registrar).status_code
        == 200
    )
    cs = client.get(URL, headers=registrar).json()["CS"]
    assert cs["by_year"] == {"2023-2024": {"total": 5, "sections": {"A": 3, "B": 2}}}
    assert cs["by_year_of_study"] == {"2": 5}
    assert cs["by_semester"] == {"3": 5}
