"""Request bodies over the limit are refused with 413 before they are parsed, logged in or not."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from registrar.auth.models import Role
from registrar.db import Database
from registrar.main import REQUEST_ID_HEADER, create_app
from tests import factories
from tests.conftest import make_settings

TENANT = "ap-university"
KIB = 1024


@pytest.fixture
def small_limits(database: Database) -> Iterator[TestClient]:
    """An app that takes 4 KiB of JSON and 16 KiB of upload."""
    with database.session() as s:
        inst = factories.institution(s, tag=TENANT)
        factories.user(s, inst, "registrar", Role.REGISTRAR)
    settings = make_settings(database, MAX_JSON_BYTES=str(4 * KIB), MAX_UPLOAD_BYTES=str(16 * KIB))
    with TestClient(create_app(settings, database)) as client:
        yield client


def assert_too_large(response: object, limit: int) -> None:
    assert response.status_code == 413, response.text  # type: ignore[attr-defined]
    assert response.json() == {  # type: ignore[attr-defined]
        "error": f"The request body is larger than {limit} bytes",
        "max_bytes": limit,
    }
    assert REQUEST_ID_HEADER in response.headers  # type: ignore[attr-defined]


def padded_login(size: int) -> bytes:
    """A login body of exactly `size` bytes."""
    head, tail = b'{"username": "registrar", "password": "', b'"}'
    return head + b"p" * (size - len(head) - len(tail)) + tail


def test_the_default_json_limit_is_one_mib(client: TestClient) -> None:
    response = client.post(
        "/auth/login",
        content=padded_login(1024 * KIB + 1),
        headers={"Content-Type": "application/json"},
    )
    assert_too_large(response, 1024 * KIB)


def test_an_anonymous_body_over_the_limit_is_refused_by_its_declared_length(
    small_limits: TestClient,
) -> None:
    headers = {"Content-Type": "application/json"}
    over = small_limits.post("/auth/login", content=padded_login(4 * KIB + 1), headers=headers)
    assert_too_large(over, 4 * KIB)
    at = small_limits.post("/auth/login", content=padded_login(4 * KIB), headers=headers)
    assert at.status_code == 422  # read and parsed: the password is too long, not the body


def test_a_streamed_body_is_counted_as_it_arrives(small_limits: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        body = padded_login(8 * KIB)
        for start in range(0, len(body), 1000):
            yield body[start : start + 1000]

    response = small_limits.post(
        "/auth/login", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_too_large(response, 4 * KIB)


def test_a_body_on_a_route_that_reads_none_is_refused_too(small_limits: TestClient) -> None:
    response = small_limits.post(
        "/auth/me", content=b"x" * (4 * KIB + 1), headers={"Content-Type": "application/json"}
    )
    assert_too_large(response, 4 * KIB)


def test_uploads_have_their_own_larger_limit(small_limits: TestClient) -> None:
    token = small_limits.post(
        "/auth/login",
        json={"username": "registrar", "password": factories.PASSWORD},
        headers={"x-tenant-tag": TENANT},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    csv = "code,title,credits\n" + "".join(f"C{i:05d},Course {i},3\n" for i in range(500))
    assert 4 * KIB < len(csv) < 16 * KIB
    as_csv = small_limits.post(
        "/api/admin/courses/import",
        params={"dry_run": "true"},
        content=csv.encode(),
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert as_csv.status_code == 200, as_csv.text
    as_file = small_limits.post(
        "/api/admin/courses/import",
        params={"dry_run": "true"},
        files={"file": ("courses.csv", csv.encode(), "text/csv")},
        headers=headers,
    )
    assert as_file.status_code == 200, as_file.text
    bigger = csv * 4
    too_big = small_limits.post(
        "/api/admin/courses/import",
        content=bigger.encode(),
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert_too_large(too_big, 16 * KIB)
    file_too_big = small_limits.post(
        "/api/admin/courses/import",
        files={"file": ("courses.csv", bigger.encode(), "text/csv")},
        headers=headers,
    )
    assert_too_large(file_too_big, 16 * KIB)
