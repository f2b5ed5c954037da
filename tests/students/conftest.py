"""Fixtures of the student tests: the small university and logged-in headers."""

from __future__ import annotations

import pytest

from registrar.db import Database
from tests.conftest import LoginFn
from tests.factories import PASSWORD
from tests.students import world as world_module
from tests.students.world import World


@pytest.fixture
def world(database: Database) -> World:
    with database.session() as session:
        return world_module.build(session)


@pytest.fixture
def registrar(world: World, login: LoginFn) -> dict[str, str]:
    return login("registrar", PASSWORD, world.inst.tag)


@pytest.fixture
def admin(world: World, login: LoginFn) -> dict[str, str]:
    return login("admin", PASSWORD, world.inst.tag)


@pytest.fixture
def other_registrar(world: World, login: LoginFn) -> dict[str, str]:
    return login("other-registrar", PASSWORD, world.other.tag)
