"""K-12: marks recorded in the gradebook and completed are what the standing rules judge."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from registrar.academics.models import CourseSection
from registrar.db import Database
from registrar.institutions.models import Institution
from tests import factories
from tests.conftest import LoginFn
from tests.enrollment.continuing import school as school_module
from tests.enrollment.continuing.school import PATH, body

LAST_YEAR = {"MATH7": "MATH7-2023", "ENG7": "ENG7-2023", "SCI7": "SCI7-2023"}


@pytest.mark.parametrize(
    ("marks", "status", "error"),
    [
        ({"MATH7": 85, "ENG7": 80, "SCI7": "90"}, 200, None),
        (
            {"MATH7": 70, "ENG7": 72, "SCI7": 74.4},
            400,
            "Student has 3 failed subjects, exceeding the maximum allowed",
        ),
    ],
)
def test_recorded_marks_decide_continuing_enrollment(
    client: TestClient,
    database: Database,
    login: LoginFn,
    marks: dict[str, float | str],
    status: int,
    error: str | None,
) -> None:
    with database.session() as s:
        school = school_module.build(s)
        inst = s.get(Institution, school.institution_id)
        assert inst is not None
        pupil = factories.student(s, inst, "JHS-GRADEBOOK", grade_level=7)
        enrollments = {}
        for subject, code in LAST_YEAR.items():
            taught = s.get(CourseSection, school.sections[code])
            assert taught is not None
            enrollments[subject] = factories.enrollment(s, inst, pupil, taught).id
    registrar = login(school_module.REGISTRAR, factories.PASSWORD, school.tag)

    for subject, code in LAST_YEAR.items():
        url = f"/api/sections/{school.sections[code]}"
        mark = marks[subject]
        entry = {"grade": mark} if isinstance(mark, str) else {"percent": mark}
        recorded = client.put(
            f"{url}/grades/{enrollments[subject]}",
            headers=registrar,
            json={**entry, "attendance_percentage": 95},
        )
        assert recorded.status_code == 200, recorded.text
        done = client.post(f"{url}/complete", headers=registrar)
        assert done.status_code == 200, done.text
        assert done.json()["completed_count"] == 1

    response = client.post(
        PATH,
        json=body("JHS-GRADEBOOK", sectionId="SEC-G8-A"),
        headers={**registrar, "x-tenant-tag": school.tag},
    )

    assert response.status_code == status, response.text
    if error is not None:
        assert response.json()["error"] == error
        assert response.json()["failedSubjects"] == ["ENG7", "MATH7", "SCI7"]
