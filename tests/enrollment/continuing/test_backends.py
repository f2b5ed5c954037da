"""The endpoint on both backends: the embedded SQLite default as well as PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from registrar.db import Database
from tests import factories
from tests.conftest import LoginFn
from tests.enrollment.continuing import school as school_module
from tests.enrollment.continuing.school import PATH, body


def test_section_enrollment_and_a_refusal(
    database: Database, client: TestClient, login: LoginFn
) -> None:
    with database.session() as session:
        built = school_module.build(session)
    headers = {**login("REGISTRAR_001", factories.PASSWORD, built.tag), "x-tenant-tag": built.tag}

    done = client.post(
        PATH, json=body("SHS123", semesterId="SEM1", sectionId="SEC-G11-STEM-A"), headers=headers
    )
    low = client.post(PATH, json=body("JHS-LOWGPA", sectionId="SEC-G8-A"), headers=headers)

    assert done.status_code == 200, done.text
    assert done.json()["data"]["summary"]["enrollmentInfo"]["totalUnits"] == 15
    assert low.status_code == 400
    assert low.json() == {
        "success": False,
        "error": "Student's GPA (72.33) is below the required minimum of 75",
    }
