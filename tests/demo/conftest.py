"""A small demo in databases of its own, loaded once per backend and shared by the demo tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from registrar.db import Database
from registrar.demo import load_demo
from tests import dbs

DEMO_STUDENTS = 90
DEMO_SEED = 11


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A migrated database holding the demo (90 university students); read it, do not change it.

    It is not the shared test database, so the other tests never see these rows.
    """
    if request.param == "sqlite":
        url = dbs.sqlite_url(tmp_path_factory.mktemp("demo"))
    else:
        url = dbs.create_postgres_database("registrar_demo_test")
    database = dbs.migrated(url)
    load_demo(database, students=DEMO_STUDENTS, seed=DEMO_SEED)
    yield database
    database.dispose()
    if request.param == "postgres":
        dbs.drop_postgres_database(url)
