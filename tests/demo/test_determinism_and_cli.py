"""The same seed gives the same demo; the CLI loads it and `--if-empty` leaves it alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from registrar.cli.app import app
from registrar.config import get_settings
from registrar.db import Database, build_engine
from registrar.demo import load_demo
from registrar.enrollment.models import Enrollment
from registrar.students.models import Student
from tests import dbs


def _load(folder: Path, seed: int) -> dict[str, Any]:
    folder.mkdir()
    database = dbs.migrated(dbs.sqlite_url(folder))
    try:
        load_demo(database, students=60, seed=seed)
        with database.session(write=False) as session:
            students = session.execute(
                select(Student.id, Student.roll_number, Student.name).order_by(Student.roll_number)
            ).all()
            enrollments = session.execute(
                select(
                    Enrollment.id,
                    Enrollment.student_id,
                    Enrollment.section_id,
                    Enrollment.grade,
                    Enrollment.grade_points,
                    Enrollment.attendance_percentage,
                ).order_by(Enrollment.id)
            ).all()
        return {"students": students, "enrollments": enrollments}
    finally:
        database.dispose()


def test_same_seed_same_rows_other_seed_other_rows(tmp_path: Path) -> None:
    first = _load(tmp_path / "a", seed=5)
    again = _load(tmp_path / "b", seed=5)
    other = _load(tmp_path / "c", seed=6)
    assert first == again
    assert len(first["enrollments"]) > 500
    assert first["students"] != other["students"]
    assert first["enrollments"] != other["enrollments"]
    # The seeds' fixed accounts exist whatever the seed.
    for load in (first, other):
        rolls = {roll for _id, roll, _name in load["students"]}
        assert {"22CS001", "ELEM123", "SHS123"} <= rolls


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = dbs.sqlite_url(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("REGISTRAR_ENV", "test")
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_cli_demo_loads_once_with_if_empty(cli_database: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    loaded = runner.invoke(app, ["demo", "--students", "40", "--seed", "3", "--if-empty"])
    assert loaded.exit_code == 0, loaded.output
    assert "Demo loaded" in loaded.output
    database = Database(build_engine(cli_database))
    try:
        with database.session(write=False) as session:
            before = session.scalar(select(func.count()).select_from(Student))
        again = runner.invoke(app, ["demo", "--students", "40", "--if-empty"])
        assert again.exit_code == 0, again.output
        assert "nothing loaded" in again.output
        with database.session(write=False) as session:
            after = session.scalar(select(func.count()).select_from(Student))
    finally:
        database.dispose()
    assert before == after
    assert before is not None
    assert before > 40


@pytest.mark.usefixtures("cli_database")
def test_cli_demo_refuses_a_second_load_without_if_empty() -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    assert runner.invoke(app, ["demo", "--students", "10"]).exit_code == 0
    again = runner.invoke(app, ["demo", "--students", "10"])
    assert again.exit_code == 1
    assert "already exists" in again.output
