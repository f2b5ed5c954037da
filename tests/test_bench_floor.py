"""`bench/floor_app.py`, the stack's floor that `python -m bench.floor` compares the registrar
with, answers the same student's courses of a term as the registrar does."""

from __future__ import annotations

import pytest
from bench import floor_app, harness
from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.demo import load_demo
from registrar.demo.cohorts import FLAGSHIP_ROLL
from registrar.main import create_app
from tests.conftest import TEST_SECRET, make_settings


@pytest.mark.postgres
def test_the_floor_lists_the_courses_the_registrar_lists(
    pg: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_demo(pg, students=60, seed=7)
    settings = make_settings(pg, REGISTRAR_DEFAULT_TENANT=harness.TENANT)
    with TestClient(create_app(settings, pg)) as registrar:
        login = {"username": FLAGSHIP_ROLL, "password": harness.STUDENT_PASSWORD}
        token = registrar.post("/auth/login", json=login).json()["access_token"]
        bearer = {"Authorization": f"Bearer {token}"}
        semesters = registrar.get("/semesters/", headers=bearer).json()
        term = next(s["id"] for s in semesters if s["is_registration_open"])
        path = f"/semesters/{term}/my-courses"
        theirs = registrar.get(path, headers=bearer).json()
    assert theirs, "the flagship student holds places in the open term"

    monkeypatch.setenv("FLOOR_DATABASE_URL", pg.engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("FLOOR_SECRET", TEST_SECRET)
    with TestClient(floor_app.app) as floor:
        answers = [floor.get(p, headers=bearer) for p in (path, f"/raw{path}")]
        forged = floor.get(path, headers={"Authorization": "Bearer not-a-token"})

    expected = sorted(c["course_id"] for c in theirs)
    for answer in answers:  # through SQLAlchemy, and from psycopg alone
        assert answer.status_code == 200, answer.text
        assert sorted(c["course_id"] for c in answer.json()["courses"]) == expected
    assert answers[0].json() == answers[1].json()
    assert forged.status_code == 401
