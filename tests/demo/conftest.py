"""A small demo, loaded once per backend for the whole module that asks for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from registrar.db import Database
from registrar.demo import load_demo
from tests import dbs

DEMO_STUDENTS = 90
DEMO_SEED = 11


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo(request: pytest.FixtureRequest) -> Iterator[Database]:
    """A database holding the demo (90 university students), emptied when the module ends."""
    database: Database = request.getfixturevalue(f"{request.param}_database")
    dbs.wipe(database)
    load_demo(database, students=DEMO_STUDENTS, seed=DEMO_SEED)
    yield database
    dbs.wipe(database)
