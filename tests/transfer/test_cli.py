"""`registrar import students|courses|sections FILE --institution TAG [--dry-run]`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from registrar.academics.models import Course
from registrar.auth.models import User
from registrar.auth.passwords import verify_password
from registrar.cli.app import app as cli
from registrar.config import get_settings
from registrar.db import Database, build_engine
from registrar.students.models import Student
from tests import factories
from tests.conftest import TEST_SECRET


@pytest.fixture
def sqlite_file(tmp_sqlite_url: str) -> Iterator[tuple[str, Database]]:
    """A temporary SQLite file migrated by `registrar migrate`, with one institution."""
    env = {"DATABASE_URL": tmp_sqlite_url, "SECRET_KEY": TEST_SECRET, "REGISTRAR_ENV": "test"}
    get_settings.cache_clear()
    migrated = CliRunner().invoke(cli, ["migrate"], env=env)
    assert migrated.exit_code == 0, migrated.output
    database = Database(build_engine(tmp_sqlite_url))
    with database.session() as s:
        inst = factories.institution(s, tag="ap-university")
        factories.department(s, inst, "CS")
    yield tmp_sqlite_url, database
    database.dispose()
    get_settings.cache_clear()


def run(url: str, *args: str) -> Result:
    get_settings.cache_clear()
    env = {"DATABASE_URL": url, "SECRET_KEY": TEST_SECRET, "REGISTRAR_ENV": "test"}
    return CliRunner().invoke(cli, ["import", *args], env=env)


def said(result: Result) -> str:
    """The output on one line (the console wraps long lines)."""
    return " ".join(result.output.split())


def counted(database: Database, model: type[object]) -> int:
    with database.session(write=False) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_import_students_dry_run_then_real(
    sqlite_file: tuple[str, Database], tmp_path: Path
) -> None:
    url, database = sqlite_file
    file = tmp_path / "students.csv"
    file.write_text("roll_number,name,department_code\n24CS001,Asha,CS\n24CS002,Bala,CS\n")
    dry = run(url, "students", str(file), "--institution", "ap-university", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "Dry run of 2 rows: all rows valid; would write 2 students" in said(dry)
    assert "Nothing written" in said(dry)
    assert counted(database, Student) == 0
    real = run(
        url,
        "students",
        str(file),
        "--institution",
        "ap-university",
        "--default-password",
        "welcome-2024",
    )
    assert real.exit_code == 0, real.output
    assert "Imported 2 students, 2 logins." in said(real)
    assert counted(database, Student) == 2
    with database.session(write=False) as s:
        stored = s.scalars(select(User).where(User.username == "24CS002")).one()
        assert verify_password(stored.password_hash, "welcome-2024")


def test_import_reports_bad_rows_and_writes_nothing(
    sqlite_file: tuple[str, Database], tmp_path: Path
) -> None:
    url, database = sqlite_file
    file = tmp_path / "courses.csv"
    file.write_text(
        "code,title,credits,department_code,prerequisites\n"
        "CS101,Programming,4,CS,\n"
        "CS102,Data Structures,4,XX,CS101\n"
    )
    dry = run(url, "courses", str(file), "--institution", "ap-university", "--dry-run")
    assert dry.exit_code == 1
    assert "line 3 [department_code]: 'XX': Unknown department code" in said(dry)
    real = run(url, "courses", str(file), "--institution", "ap-university")
    assert real.exit_code == 1
    assert "nothing was imported" in said(real)
    assert "line 3 [department_code]" in said(real)
    assert counted(database, Course) == 0
    unknown = run(url, "courses", str(file), "--institution", "nowhere")
    assert unknown.exit_code == 1
    assert "No institution tagged 'nowhere'" in said(unknown)
