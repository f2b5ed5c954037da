"""/docs (Swagger UI) and /redoc, each with a Content-Security-Policy of its own, working offline.

Their bundles come from a package installed with the project (fastapi-offline ships Swagger
UI's and ReDoc's distribution files) and are served by the app under /docs/assets/, so the
pages load on a machine without internet and send nothing to a CDN. The API's own policy lets
nothing load; these pages may load scripts and styles from the app itself and start them with
an inline script. Rather than allow every inline script ('unsafe-inline'), each page allows
exactly its own, by hash, computed from the page as sent (it names the document's URL, which
follows the root path).
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib import metadata, resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import FileResponse, HTMLResponse

from registrar.errors import NotFound

OAUTH2_REDIRECT = "/docs/oauth2-redirect"
ASSETS = "/docs/assets"
ASSET_PACKAGE = "fastapi_offline"
# Each file with its media type: nothing else in the package is served.
ASSET_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}
# The URLs carry the package's version, so a browser may keep the files until it changes.
ASSET_CACHE = "public, max-age=604800, immutable"

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

# Both UIs set inline styles as they render, so styles (not scripts) may be inline.
_SWAGGER = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",  # its icons are inline SVG
    "connect-src": "'self'",  # the document, Authorize (the login) and "Try it out"
    "form-action": "'self'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}
_REDOC = {
    **_SWAGGER,
    "worker-src": "blob:",  # its search index runs in a worker built from a blob
}


def asset_folder() -> Path:
    """Where the installed package keeps the Swagger UI and ReDoc files."""
    return Path(str(resources.files(ASSET_PACKAGE) / "static"))


def policy_for(page: HTMLResponse, directives: dict[str, str]) -> HTMLResponse:
    """The page with a policy that allows its own inline scripts (by hash) and `directives`."""
    body = bytes(page.body).decode()
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(body)
    ]
    allowed = dict(directives)
    allowed["script-src"] = " ".join([allowed["script-src"], *hashes])
    page.headers["Content-Security-Policy"] = "; ".join(f"{k} {v}" for k, v in allowed.items())
    return page


def install_docs(app: FastAPI) -> None:
    """Serve /docs, its OAuth2 redirect page, /redoc and their assets for the app's document.

    The app is built with `docs_url=None, redoc_url=None` so that these replace FastAPI's own.
    """
    openapi_url = app.openapi_url or "/openapi.json"
    folder = asset_folder()
    version = metadata.version("fastapi-offline")

    def root(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    def asset(request: Request, name: str) -> str:
        return f"{root(request)}{ASSETS}/{name}?v={version}"

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=root(request) + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=asset(request, "swagger-ui-bundle.js"),
            swagger_css_url=asset(request, "swagger-ui.css"),
            swagger_favicon_url=asset(request, "favicon.png"),
            oauth2_redirect_url=root(request) + OAUTH2_REDIRECT,
            # No badge from the public validator: it would send the document's URL away.
            swagger_ui_parameters={"validatorUrl": None},
        )
        return policy_for(page, _SWAGGER)

    @app.get(OAUTH2_REDIRECT, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return policy_for(get_swagger_ui_oauth2_redirect_html(), _SWAGGER)

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=root(request) + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=asset(request, "redoc.standalone.js"),
            redoc_favicon_url=asset(request, "favicon.png"),
            with_google_fonts=False,  # nothing from outside: the system's fonts
        )
        return policy_for(page, _REDOC)

    @app.get(ASSETS + "/{name}", include_in_schema=False)
    async def docs_asset(name: str) -> FileResponse:
        media_type = ASSET_FILES.get(name)
        if media_type is None:
            raise NotFound("Not found")
        return FileResponse(
            folder / name, media_type=media_type, headers={"Cache-Control": ASSET_CACHE}
        )
