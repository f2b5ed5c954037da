"""Signing in and out, the session cookie, CSRF on every form, who may read which page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from registrar.config import Settings
from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.web.campus import Campus, csrf_of, sign_in

PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


def test_a_reader_who_has_not_signed_in_is_sent_to_sign_in(browser: TestClient) -> None:
    for path in ("/", "/enroll", "/record", "/office/", "/office/statistics"):
        answer = browser.get(path)
        assert answer.status_code == 303
        assert answer.headers["location"] == f"/sign-in?next={path}"


def test_the_sign_in_page_loads_nothing_but_its_own_files(browser: TestClient) -> None:
    page = browser.get("/sign-in")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == PAGE_POLICY
    assert page.headers["cache-control"] == "no-store"
    assert "<script" not in page.text
    assert "style=" not in page.text
    assert 'for="username"' in page.text
    assert 'for="password"' in page.text
    css = browser.get(page.text.split('rel="stylesheet" href="')[1].split('"')[0])
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_signing_in_keeps_the_token_in_an_http_only_lax_cookie(
    browser: TestClient, campus: Campus
) -> None:
    answer = sign_in(browser, campus.student, campus.tenant)
    assert answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith("registrar_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" not in cookie
    # The API reads bearer tokens only: the cookie alone opens nothing there.
    assert browser.get("/auth/me").status_code == 401


def test_over_https_the_cookie_is_secure(
    database: Database, settings: Settings, campus: Campus
) -> None:
    app = create_app(settings, database)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        answer = sign_in(client, campus.student, campus.tenant)
    assert "Secure" in answer.headers["set-cookie"]


def test_a_wrong_password_is_said_on_the_form(browser: TestClient, campus: Campus) -> None:
    page = browser.get("/sign-in")
    answer = browser.post(
        "/sign-in",
        data={
            "csrf_token": csrf_of(page),
            "username": campus.student,
            "password": "not-the-password",
            "institution": campus.tenant,
        },
    )
    assert answer.status_code == 401
    assert "Incorrect username or password" in answer.text
    assert "registrar_session" not in answer.headers.get("set-cookie", "")


def test_the_sign_in_form_needs_its_token(browser: TestClient, campus: Campus) -> None:
    browser.get("/sign-in")
    answer = browser.post(
        "/sign-in",
        data={"username": campus.student, "password": factories.PASSWORD, "csrf_token": "x"},
    )
    assert answer.status_code == 403
    assert "registrar_session" not in answer.headers.get("set-cookie", "")


def test_signing_out_needs_the_token_and_forgets_the_session(
    student: TestClient,
) -> None:
    assert student.post("/sign-out", data={}).status_code == 403
    assert student.get("/").status_code == 200
    page = student.get("/")
    answer = student.post("/sign-out", data={"csrf_token": csrf_of(page)})
    assert answer.status_code == 303
    assert answer.headers["location"] == "/sign-in"
    assert 'registrar_session=""' in answer.headers["set-cookie"]
    assert student.get("/").status_code == 303


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/enroll", {"section_id": "open", "form_key": "key"}),
        ("/drop", {"enrollment_id": "mine", "form_key": "key"}),
        ("/offers/{mine}/accept", {"form_key": "key"}),
        ("/offers/{mine}/decline", {"form_key": "key"}),
    ],
)
def test_every_student_form_refuses_a_missing_or_foreign_token(
    student: TestClient,
    campus: Campus,
    database: Database,
    settings: Settings,
    path: str,
    fields: dict[str, str],
) -> None:
    values = {
        "open": str(campus.open_section),
        "mine": str(campus.other_enrollment),
        "key": "7b1d1f8e-3f47-4a39-9a59-0d7f0a8c3b11",
    }
    data = {name: values[value] for name, value in fields.items()}
    # A token another browser's session got does not verify for this one.
    with TestClient(create_app(settings, database), follow_redirects=False) as other:
        sign_in(other, campus.other, campus.tenant)
        foreign = csrf_of(other.get("/"))
    for token in (None, "", foreign):
        sent = data if token is None else {**data, "csrf_token": token}
        answer = student.post(path.format(**values), data=sent)
        assert answer.status_code == 403, (path, token)
        assert "This form has expired" in answer.text


@pytest.mark.parametrize(
    "path",
    [
        "/office/bulk-assign",
        "/office/import",
        "/office/students/{student}/enroll",
        "/office/batches/{batch}/courses",
    ],
)
def test_every_office_form_refuses_a_missing_token(
    registrar: TestClient, campus: Campus, path: str
) -> None:
    url = path.format(student=campus.batch, batch=campus.batch)
    answer = registrar.post(url, data={"csrf_token": "forged"})
    assert answer.status_code == 403


def test_a_student_never_reaches_the_office(student: TestClient) -> None:
    for path in ("/office/", "/office/statistics", "/office/students", "/office/import"):
        answer = student.get(path)
        assert answer.status_code == 403, path
        assert "You do not have permission" in answer.text
    page = student.get("/")
    answer = student.post(
        "/office/bulk-assign", data={"csrf_token": csrf_of(page), "expected": "0"}
    )
    assert answer.status_code == 403


def test_a_registrar_goes_to_the_office_and_not_to_student_pages(registrar: TestClient) -> None:
    assert registrar.get("/").headers["location"] == "/office/"
    assert registrar.get("/enroll").status_code == 403
    assert registrar.get("/office/").status_code == 200


def test_after_sign_in_the_reader_goes_on_where_they_were_going(
    browser: TestClient, campus: Campus
) -> None:
    page = browser.get("/sign-in?next=/record")
    answer = browser.post(
        "/sign-in",
        data={
            "csrf_token": csrf_of(page),
            "username": campus.student,
            "password": factories.PASSWORD,
            "institution": campus.tenant,
            "next": "/record",
        },
    )
    assert answer.headers["location"] == "/record"


@pytest.mark.parametrize("wanted", ["https://evil.example/", "//evil.example/", "/office/"])
def test_a_student_is_never_sent_off_site_or_to_the_office(
    browser: TestClient, campus: Campus, wanted: str
) -> None:
    page = browser.get("/sign-in")
    answer = browser.post(
        "/sign-in",
        data={
            "csrf_token": csrf_of(page),
            "username": campus.student,
            "password": factories.PASSWORD,
            "institution": campus.tenant,
            "next": wanted,
        },
    )
    assert answer.headers["location"] == "/"


def test_the_api_still_answers_json(browser: TestClient) -> None:
    answer = browser.get("/no/such/route")
    assert answer.status_code == 404
    assert answer.json() == {"error": "Not Found"}
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")


def test_pages_are_not_in_the_api_document(browser: TestClient) -> None:
    paths = browser.get("/openapi.json").json()["paths"]
    assert not [
        p
        for p in paths
        if p == "/"
        or p.startswith(("/office", "/sign-", "/enroll", "/drop", "/record", "/static/web"))
    ]
