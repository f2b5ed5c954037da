"""The backup and restore of docs/operations.md, once for real: scripts/backup.sh (pg_dump) of a
database with enrollments, scripts/restore.sh (pg_restore, then `registrar migrate`) into a new
one, and the copy holds the same rows, the same counters and a schema at head."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from registrar import migrate
from registrar.db import Database, build_engine
from tests import dbs, factories

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("institutions", "users", "students", "course_sections", "enrollments", "audit_events")

pytestmark = pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="needs PostgreSQL's client tools (pg_dump, pg_restore)",
)


def libpq(database: Database) -> str:
    return database.engine.url.render_as_string(hide_password=False).replace("+psycopg", "")


def snapshot(database: Database) -> dict[str, object]:
    with database.engine.connect() as connection:
        counts: dict[str, object] = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in TABLES
        }
        counts["counters"] = connection.execute(
            text("SELECT code, enrolled_count, waitlisted_count FROM course_sections ORDER BY code")
        ).all()
        counts["versions"] = (
            connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        )
    return counts


@pytest.fixture
def restored() -> Iterator[Database]:
    url = dbs.create_postgres_database("registrar_restore")
    database = Database(build_engine(url, pool_size=1, max_overflow=0))
    yield database
    database.dispose()
    dbs.drop_postgres_database(url)


@pytest.mark.postgres
def test_a_backup_restores_into_an_empty_database(
    pg: Database, restored: Database, tmp_path: Path
) -> None:
    with pg.session() as s:
        inst = factories.institution(s)
        year = factories.academic_year(s, inst)
        section = factories.section(
            s, inst, factories.course(s, inst), factories.term(s, inst, year)
        )
        for _ in range(3):
            factories.enrollment(s, inst, factories.student(s, inst), section)
    dump = tmp_path / "registrar.dump"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for script, args in (
        ("backup.sh", [libpq(pg), str(dump)]),
        ("restore.sh", [str(dump), libpq(restored)]),
    ):
        run = subprocess.run(
            [str(ROOT / "scripts" / script), *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stdout + run.stderr
    before, after = snapshot(pg), snapshot(restored)
    assert after == before
    assert before["enrollments"] == 3
    assert migrate.schema_state(after["versions"]) == "current"  # type: ignore[arg-type]
