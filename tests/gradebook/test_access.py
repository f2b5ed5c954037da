"""Who may keep a section's gradebook: its faculty, the registrar; nobody of another institution."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.db import Database
from registrar.institutions.models import Institution
from tests import factories
from tests.conftest import LoginFn
from tests.gradebook import world as w


def _calls(client: TestClient, book: w.Gradebook, headers: dict[str, str]) -> list[Any]:
    """One call of every gradebook endpoint of the section."""
    first = book.enrollment_ids[0]
    return [
        client.get(book.url("roster"), headers=headers),
        client.put(book.url(f"grades/{first}"), headers=headers, json={"grade": "A"}),
        client.put(book.url("grades"), headers=headers, json=[{"roll_number": book.rolls[0]}]),
        client.post(
            book.url("grades/upload"),
            headers=headers,
            params={"dry_run": "true"},
            files={"file": ("g.csv", f"roll_number,grade\n{book.rolls[0]},A\n", "text/csv")},
        ),
        client.post(book.url("complete"), headers=headers, json={"allow_incomplete": True}),
    ]


def _outsider(database: Database) -> tuple[str, str, str]:
    """A registrar and a faculty member of another institution, and its tag."""
    with database.session() as s:
        other = factories.institution(s)
        registrar = factories.user(s, other, factories.unique("reg"), Role.REGISTRAR)
        teacher = factories.unique("teacher")
        w.teacher_login(s, other, teacher)
        return other.tag, registrar.username, teacher


@pytest.mark.parametrize("who", ["teacher", "registrar"])
def test_the_sections_faculty_and_the_registrar_may(
    client: TestClient, database: Database, login: LoginFn, who: str
) -> None:
    with database.session() as s:
        book = w.build(s)
    headers = w.headers_of(login, book, getattr(book, who))

    statuses = [r.status_code for r in _calls(client, book, headers)]

    # the whole-roster row names a student but records nothing: a 422 past the access check
    assert statuses == [200, 200, 422, 200, 200]


def test_an_admin_of_the_institution_may(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
        inst = s.get(Institution, book.institution_id)
        assert inst is not None
        admin = factories.user(s, inst, factories.unique("admin"), Role.ADMIN).username
    headers = w.headers_of(login, book, admin)

    assert [r.status_code for r in _calls(client, book, headers)] == [200, 200, 422, 200, 200]


def test_another_faculty_member_is_forbidden(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    headers = w.headers_of(login, book, book.other_teacher)

    responses = _calls(client, book, headers)

    assert [r.status_code for r in responses] == [403] * 5
    assert all(row[1] is None for row in w.rows(database, book).values())


def test_a_faculty_login_without_a_faculty_row_is_forbidden(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
        inst = s.get(Institution, book.institution_id)
        assert inst is not None
        bare = factories.user(s, inst, factories.unique("fac"), Role.FACULTY).username

    responses = _calls(client, book, w.headers_of(login, book, bare))

    assert [r.status_code for r in responses] == [403] * 5


def test_a_student_is_forbidden(client: TestClient, database: Database, login: LoginFn) -> None:
    with database.session() as s:
        book = w.build(s)
    headers = w.headers_of(login, book, book.rolls[0])

    assert [r.status_code for r in _calls(client, book, headers)] == [403] * 5


def test_another_institution_does_not_find_the_section(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    with database.session() as s:
        book = w.build(s)
    tag, registrar, teacher = _outsider(database)

    for username in (registrar, teacher):
        responses = _calls(client, book, login(username, factories.PASSWORD, tag))
        assert [r.status_code for r in responses] == [404] * 5, username
        assert all(r.json()["error"] == "Course section not found" for r in responses)
    assert all(row[1] is None for row in w.rows(database, book).values())


def test_without_a_token(client: TestClient, database: Database) -> None:
    with database.session() as s:
        book = w.build(s)

    assert [r.status_code for r in _calls(client, book, {})] == [401] * 5
