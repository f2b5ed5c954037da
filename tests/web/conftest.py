"""The pages' fixtures: a small campus, and a browser-like client (no redirects followed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from registrar.config import Settings
from registrar.db import Database
from registrar.main import create_app
from tests.web import campus as made


@pytest.fixture
def campus(database: Database) -> made.Campus:
    return made.build(database)


@pytest.fixture
def browser(database: Database, settings: Settings) -> Iterator[TestClient]:
    """A client that keeps cookies and, like a test of forms should, sees each redirect."""
    with TestClient(create_app(settings, database), follow_redirects=False) as client:
        yield client


@pytest.fixture
def student(browser: TestClient, campus: made.Campus) -> TestClient:
    """The browser, signed in as 22CS001."""
    made.sign_in(browser, campus.student, campus.tenant)
    return browser


@pytest.fixture
def registrar(browser: TestClient, campus: made.Campus) -> TestClient:
    """The browser, signed in as the registrar."""
    made.sign_in(browser, campus.registrar, campus.tenant)
    return browser
