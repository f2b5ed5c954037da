"""The one migration tree builds, removes and rebuilds the schema, and matches the models."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

import registrar.models  # noqa: F401 - every table in the metadata
from registrar import migrate
from registrar.academics.models import Department
from registrar.auth.models import User
from registrar.cli.app import app as cli
from registrar.config import get_settings
from registrar.db import Base, Database, build_engine
from registrar.students.models import Student
from tests import dbs, factories

ALL_TABLES = set(Base.metadata.tables) | {"alembic_version"}


@pytest.fixture(params=["sqlite", "postgres"])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A brand-new, empty database of each backend."""
    if request.param == "sqlite":
        database = Database(build_engine(dbs.sqlite_url(tmp_path)))
        yield database
        database.dispose()
        return
    url = dbs.create_postgres_database("registrar_migrations")
    database = Database(build_engine(url))
    try:
        yield database
    finally:
        database.dispose()
        dbs.drop_postgres_database(url)


def tables(database: Database) -> set[str]:
    return set(inspect(database.engine).get_table_names())


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        revision: str | None = MigrationContext.configure(connection).get_current_revision()
        return revision


def head_revision(database: Database) -> str:
    head = ScriptDirectory.from_config(migrate.alembic_config(database)).get_current_head()
    assert head is not None
    return head


def differences(database: Database) -> list[Any]:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        found: list[Any] = compare_metadata(context, Base.metadata)
        return found


def user_objects(database: Database) -> list[str]:
    """Indexes, sequences and types a downgrade might leave behind (PostgreSQL)."""
    if database.is_sqlite:
        query = "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    else:
        query = """
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public'
            UNION ALL
            SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
        """
    with database.engine.connect() as connection:
        return sorted(str(row[0]) for row in connection.execute(text(query)))


def test_upgrade_downgrade_upgrade(fresh: Database) -> None:
    assert tables(fresh) == set()

    migrate.upgrade(fresh)
    assert tables(fresh) == ALL_TABLES
    assert current_revision(fresh) == head_revision(fresh)

    migrate.downgrade(fresh, "base")
    assert tables(fresh) == {"alembic_version"}
    assert current_revision(fresh) is None
    leftovers = [name for name in user_objects(fresh) if "alembic_version" not in name]
    assert leftovers == []

    migrate.upgrade(fresh)
    assert tables(fresh) == ALL_TABLES
    assert current_revision(fresh) == head_revision(fresh)
    assert differences(fresh) == []


def test_models_match_the_migration(fresh: Database) -> None:
    migrate.upgrade(fresh)
    assert differences(fresh) == []


def test_the_comparison_would_notice_a_drift(fresh: Database) -> None:
    """The check above can fail: drop one index and the comparison reports it."""
    migrate.upgrade(fresh)
    with fresh.engine.begin() as connection:
        connection.execute(text("DROP INDEX ix_enrollments_student_id_status"))
    found = differences(fresh)
    assert [diff[0] for diff in found] == ["add_index"]
    assert found[0][1].name == "ix_enrollments_student_id_status"


def test_upgrading_twice_changes_nothing(fresh: Database) -> None:
    migrate.upgrade(fresh)
    migrate.upgrade(fresh)
    assert tables(fresh) == ALL_TABLES


@pytest.fixture
def cli_env(tmp_path: Path) -> Iterator[dict[str, str | None]]:
    get_settings.cache_clear()
    yield {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "REGISTRAR_ENV": "development",
        "SECRET_KEY": "cli-test-secret-key-long-enough-for-hs256",
    }
    get_settings.cache_clear()


def test_registrar_migrate_builds_a_fresh_sqlite_file(
    cli_env: dict[str, str | None], tmp_path: Path
) -> None:
    result = CliRunner().invoke(cli, ["migrate"], env=cli_env)
    assert result.exit_code == 0, result.output
    database = Database(build_engine(f"sqlite+pysqlite:///{tmp_path / 'cli.db'}"))
    try:
        assert tables(database) == ALL_TABLES
        assert current_revision(database) == head_revision(database)
        assert differences(database) == []
    finally:
        database.dispose()

    get_settings.cache_clear()
    again = CliRunner().invoke(cli, ["migrate"], env=cli_env)
    assert again.exit_code == 0, again.output


def _rebuild_institutions(config: Config) -> None:
    """What a future SQLite batch migration of `institutions` does: copy, drop, rename."""
    operations = Operations(MigrationContext.configure(config.attributes["connection"]))
    with operations.batch_alter_table("institutions", recreate="always") as batch:
        batch.add_column(sa.Column("probe", sa.Integer(), nullable=True))


def test_a_sqlite_table_rebuild_keeps_the_rows_that_reference_it(tmp_path: Path) -> None:
    database = dbs.migrated(dbs.sqlite_url(tmp_path), pool_size=1)
    try:
        with database.session() as session:
            inst = factories.institution(session)
            factories.student(session, inst, "22CS001")
            factories.department(session, inst, "CSE")
        migrate.run(database, _rebuild_institutions)

        with database.session(write=False) as session:
            assert session.scalars(select(Department.code)).all() == ["CSE"]
            assert session.scalars(select(Student.roll_number)).all() == ["22CS001"]
            assert session.scalars(select(User.username)).all() == ["22CS001"]
        # and foreign keys are enforced again afterwards
        with pytest.raises(IntegrityError), database.session() as session:
            session.execute(
                insert(Department).values(institution_id=uuid.uuid4(), code="X", name="X")
            )
    finally:
        database.dispose()
