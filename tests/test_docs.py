"""The interactive docs: off in production unless API_DOCS says so; served offline, their bundles
from the app itself; a CSP of their own that lets Swagger UI and ReDoc load from the app and run
their own inline script, and nothing else; Authorize logs into any institution."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from registrar.db import Database
from registrar.main import create_app
from tests.conftest import make_settings

DOC_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json")


def _statuses(database: Database, **overrides: object) -> list[int]:
    settings = make_settings(database, **overrides)
    with TestClient(create_app(settings, database)) as client:
        return [client.get(path).status_code for path in DOC_PATHS]


@pytest.mark.parametrize("env", ["development", "test"])
def test_docs_are_served_outside_production(sqlite_database: Database, env: str) -> None:
    assert _statuses(sqlite_database, REGISTRAR_ENV=env) == [200, 200, 200, 200]


def test_docs_are_off_in_production(sqlite_database: Database) -> None:
    assert _statuses(sqlite_database, REGISTRAR_ENV="production") == [404, 404, 404, 404]


def test_production_serves_docs_when_api_docs_is_set(sqlite_database: Database) -> None:
    statuses = _statuses(sqlite_database, REGISTRAR_ENV="production", API_DOCS="true")
    assert statuses == [200, 200, 200, 200]


def test_api_docs_false_turns_them_off_in_development(sqlite_database: Database) -> None:
    statuses = _statuses(sqlite_database, REGISTRAR_ENV="development", API_DOCS="false")
    assert statuses == [404, 404, 404, 404]


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def _inline_script_hashes(html: str) -> set[str]:
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    assert scripts, "the page has an inline script to allow"
    return {
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    }


@pytest.fixture
def client(sqlite_database: Database) -> TestClient:
    return TestClient(create_app(make_settings(sqlite_database), sqlite_database))


def _same_origin(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


@pytest.mark.parametrize("path", ["/docs", "/docs/oauth2-redirect"])
def test_swagger_ui_may_run_exactly_its_own_scripts(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    policy = _directives(response.headers["content-security-policy"])
    scripts = set(policy["script-src"])
    # Its own inline script by hash, never 'unsafe-inline' or 'unsafe-eval'.
    assert _inline_script_hashes(response.text) <= scripts
    assert not {"'unsafe-inline'", "'unsafe-eval'"} & scripts
    # Nothing from another origin: the bundles are the app's own.
    assert {s for s in scripts if not s.startswith("'sha256-")} == {"'self'"}
    for src in re.findall(r'<script src="([^"]+)"', response.text):
        assert _same_origin(src), src
    assert policy["default-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response.headers["x-frame-options"] == "DENY"


def test_swagger_ui_may_fetch_the_document_and_call_the_api(client: TestClient) -> None:
    response = client.get("/docs")
    policy = _directives(response.headers["content-security-policy"])
    assert policy["connect-src"] == ["'self'"]  # openapi.json, Authorize, "Try it out"
    stylesheets = re.findall(
        r'<link type="text/css" rel="stylesheet" href="([^"]+)"', response.text
    )
    assert stylesheets
    assert all(_same_origin(href) for href in stylesheets)
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:"]  # its icons are inline SVG
    # No third-party validator badge: it would send the document's address away.
    assert "validatorUrl" in response.text
    assert '"validatorUrl": null' in response.text


def test_redoc_may_load_its_bundle_and_worker_and_nothing_from_outside(client: TestClient) -> None:
    response = client.get("/redoc")
    policy = _directives(response.headers["content-security-policy"])
    sources = re.findall(r'<script src="([^"]+)"', response.text)
    assert sources
    assert all(_same_origin(src) for src in sources)
    assert "fonts.googleapis.com" not in response.text  # no fonts from outside either
    assert "font-src" not in policy  # so default-src 'none' refuses any
    assert "blob:" in policy["worker-src"]
    assert policy["frame-ancestors"] == ["'none'"]


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(/docs/assets/[^"]+)"', html)


def test_every_asset_the_pages_name_is_served_by_the_app(client: TestClient) -> None:
    urls = _asset_urls(client.get("/docs").text) + _asset_urls(client.get("/redoc").text)
    assert len(set(urls)) == 4  # bundle, stylesheet and favicon; ReDoc's bundle
    for url in set(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) > 1000
        assert response.headers["cache-control"].startswith("public")
    bundle = client.get(next(u for u in urls if "swagger-ui-bundle.js" in u))
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in bundle.content


@pytest.mark.parametrize("name", ["core.py", "..%2F__init__.py", "nope.js"])
def test_nothing_else_of_the_package_is_served(client: TestClient, name: str) -> None:
    assert client.get(f"/docs/assets/{name}").status_code == 404


def test_the_assets_are_off_with_the_docs(sqlite_database: Database) -> None:
    settings = make_settings(sqlite_database, REGISTRAR_ENV="production")
    with TestClient(create_app(settings, sqlite_database)) as client:
        assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 404
