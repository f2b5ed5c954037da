"""Every student-portal endpoint wants a STUDENT's token: none is 401, another role is 403."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.db import Database
from tests import factories
from tests.conftest import LoginFn

BASE = "/api/student-portal/courses"
CALLS = [
    ("GET", "/enrolled/", None),
    ("GET", "/available/", None),
    ("GET", "/batch/", None),
    ("POST", "/enroll/", {"course_section_id": str(uuid.uuid4())}),
    ("POST", "/drop/", {"enrollment_id": str(uuid.uuid4())}),
]


@pytest.mark.parametrize(("method", "path", "body"), CALLS)
def test_only_students_get_in(
    client: TestClient,
    database: Database,
    login: LoginFn,
    method: str,
    path: str,
    body: dict[str, str] | None,
) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        factories.user(s, inst, "registrar", Role.REGISTRAR)
        factories.user(s, inst, "teacher", Role.FACULTY)

    anonymous = client.request(method, BASE + path, json=body)
    assert anonymous.status_code == 401
    assert anonymous.json() == {"error": "Not authenticated"}
    for username in ("registrar", "teacher"):
        headers = login(username, factories.PASSWORD, inst.tag)
        response = client.request(method, BASE + path, json=body, headers=headers)
        assert response.status_code == 403, response.text
        assert response.json() == {"error": "You do not have permission to do this"}
