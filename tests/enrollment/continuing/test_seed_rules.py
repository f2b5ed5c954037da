"""Seed 004's rules through the endpoint, on SQLite and PostgreSQL: ids as the admin API returns
them, the fixed subject load of a full-year grade, the homeroom's own capacity, and the failed
subjects counted per level period.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.db import Database
from registrar.institutions.models import EducationLevel, LevelPolicy
from tests import factories
from tests.conftest import LoginFn
from tests.enrollment.continuing import school as school_module
from tests.enrollment.continuing.school import PATH, body

Send = Callable[[dict[str, Any]], httpx.Response]
ELEMENTARY_CORE = ["MATH4", "ENG4", "SCI4", "FIL4", "AP4"]


@pytest.fixture
def headers(database: Database, login: LoginFn) -> dict[str, str]:
    """The factory school on the backend under test, and its registrar's headers."""
    with database.session() as session:
        built = school_module.build(session)
    return {**login("REGISTRAR_001", factories.PASSWORD, built.tag), "x-tenant-tag": built.tag}


@pytest.fixture
def send(client: TestClient, headers: dict[str, str]) -> Send:
    """POST a body to the K-12 endpoint as the registrar."""
    return lambda request: client.post(PATH, json=request, headers=headers)


def admin_id(client: TestClient, headers: dict[str, str], what: str, code: str) -> str:
    """The id the admin API lists for the row with that code."""
    search = "search" if what == "batches" else "q"
    listed = client.get(f"/api/admin/{what}", params={search: code}, headers=headers)
    assert listed.status_code == 200, listed.text
    found: str = next(item["id"] for item in listed.json()["items"] if item["code"] == code)
    return found


def refused(response: httpx.Response, error: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    payload: dict[str, Any] = response.json()
    assert (payload["success"], payload["error"]) == (False, error)
    return payload


def test_a_homeroom_is_accepted_by_the_id_the_admin_api_returns(
    client: TestClient, headers: dict[str, str], send: Send
) -> None:
    homeroom = admin_id(client, headers, "batches", "SEC-G4-A")

    response = send(body("ELEM123", sectionId=homeroom))

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["enrollment"]["section"] == "SEC-G4-A"
    assert data["summary"]["enrollmentInfo"]["totalSubjects"] == 6


def test_subjects_and_schedules_are_accepted_by_the_ids_the_admin_api_returns(
    client: TestClient, headers: dict[str, str], send: Send
) -> None:
    subjects: list[dict[str, str]] = [
        {"subjectId": admin_id(client, headers, "courses", code)} for code in ELEMENTARY_CORE
    ]
    subjects.append(
        {
            "subjectId": admin_id(client, headers, "courses", "COMP4"),
            "scheduleId": admin_id(client, headers, "sections", "SCH456"),
        }
    )

    response = send(body("ELEM123", subjectsToEnroll=subjects))

    assert response.status_code == 200, response.text
    chosen = {
        s["code"]: s["schedule"]["scheduleId"]
        for s in response.json()["data"]["summary"]["subjects"]
    }
    assert sorted(chosen) == sorted([*ELEMENTARY_CORE, "COMP4"])
    assert chosen["COMP4"] == "SCH456"


def test_an_unknown_id_is_still_not_found(send: Send) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    refused(send(body("ELEM123", sectionId=unknown)), f"Section not found: {unknown}")


def test_elementary_by_subject_needs_every_core_subject_of_the_grade(send: Send) -> None:
    # COMP4 is not core; FIL4 and AP4 are.
    subjects = [{"subjectId": code} for code in ("MATH4", "ENG4", "SCI4", "COMP4")]

    payload = refused(
        send(body("ELEM123", subjectsToEnroll=subjects)),
        "Missing core subjects of grade 4: AP4, FIL4",
    )

    assert payload["missingSubjects"] == ["AP4", "FIL4"]
    assert payload["gradeLevel"] == 4
    # The whole core load, without the optional subject, is enough.
    done = send(body("ELEM123", subjectsToEnroll=[{"subjectId": c} for c in ELEMENTARY_CORE]))
    assert done.status_code == 200, done.text


def test_junior_high_by_subject_needs_every_core_subject_of_the_grade(send: Send) -> None:
    payload = refused(
        send(body("JHS-OK", subjectsToEnroll=[{"subjectId": "MATH8"}])),
        "Missing core subjects of grade 8: ENG8, SCI8",
    )
    assert payload["missingSubjects"] == ["ENG8", "SCI8"]


def test_senior_high_keeps_its_unit_range_instead(send: Send) -> None:
    # Four of the five first-semester subjects: 12 units, too few, whatever is core.
    subjects = [{"subjectId": c} for c in ("PRECAL11", "GENMATH11", "ORALCOM11", "GENCHEM11")]
    refused(
        send(body("SHS123", semesterId="SEM1", subjectsToEnroll=subjects)),
        "Unit load of 12 is outside the allowed range of 15-30 units per semester",
    )
    subjects.append({"subjectId": "EARTHSCI11"})
    assert send(body("SHS123", semesterId="SEM1", subjectsToEnroll=subjects)).status_code == 200


def set_level_capacity(database: Database, capacity: int) -> None:
    with database.session() as session:
        policy = session.scalar(
            select(LevelPolicy).where(LevelPolicy.level == EducationLevel.ELEMENTARY)
        )
        assert policy is not None
        policy.section_capacity = capacity


def test_the_homeroom_is_full_at_its_own_capacity(
    client: TestClient, headers: dict[str, str], send: Send
) -> None:
    # ELEM-FILLER already sits in SEC-G4-A; the level's default (50) is no second limit.
    homeroom = admin_id(client, headers, "batches", "SEC-G4-A")
    changed = client.patch(f"/api/admin/batches/{homeroom}", json={"capacity": 1}, headers=headers)
    assert changed.status_code == 200, changed.text

    payload = refused(send(body("ELEM123", sectionId="SEC-G4-A")), "Section is already full")

    assert (payload["sectionId"], payload["capacity"]) == ("SEC-G4-A", 1)


def test_the_levels_section_capacity_does_not_cap_a_larger_homeroom(
    database: Database, send: Send
) -> None:
    set_level_capacity(database, 1)  # SEC-G4-A holds 60, ELEM-FILLER is in it

    response = send(body("ELEM123", sectionId="SEC-G4-A"))

    assert response.status_code == 200, response.text


def test_the_failed_subjects_listed_are_the_ones_counted_in_the_semester(send: Send) -> None:
    # SHS-SPLIT failed three subjects in the first semester and two in the second.
    payload = refused(
        send(body("SHS-SPLIT", semesterId="SEM1", sectionId="SEC-G12-STEM-A")),
        "Student has 3 failed subjects, exceeding the maximum allowed",
    )
    assert payload["failedSubjects"] == ["EARTHSCI11", "GENCHEM11", "ORALCOM11"]
    assert (payload["period"], payload["term"]) == ("SEMESTER", "SY2023-2024-SEM1")


def test_the_failed_subjects_listed_are_the_ones_counted_in_the_year(send: Send) -> None:
    payload = refused(
        send(body("JHS-3FAIL", sectionId="SEC-G8-A")),
        "Student has 3 failed subjects, exceeding the maximum allowed",
    )
    assert payload["failedSubjects"] == ["ENG7", "MATH7", "SCI7"]
    assert payload["period"] == "YEAR"
    assert "term" not in payload
