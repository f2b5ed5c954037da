"""/docs (Swagger UI) and /redoc, each with a Content-Security-Policy of its own.

The API's own policy lets nothing load; these pages load their bundles from the jsDelivr CDN
and start them with an inline script. Rather than allow every inline script
('unsafe-inline'), each page allows exactly its own, by hash, computed from the page as sent
(it names the document's URL, which follows the root path).
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse

CDN = "https://cdn.jsdelivr.net"
FAVICON = "https://fastapi.tiangolo.com"  # FastAPI's pages take their favicon from there
OAUTH2_REDIRECT = "/docs/oauth2-redirect"

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)

# Both UIs set inline styles as they render, so styles (not scripts) may be inline.
_SWAGGER = {
    "default-src": "'none'",
    "script-src": CDN,
    "style-src": f"{CDN} 'unsafe-inline'",
    "img-src": f"'self' data: {FAVICON}",  # its icons are inline SVG
    "connect-src": "'self'",  # the document, Authorize (the login) and "Try it out"
    "form-action": "'self'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}
_REDOC = {
    **_SWAGGER,
    "style-src": f"'unsafe-inline' {CDN} https://fonts.googleapis.com",
    "font-src": "https://fonts.gstatic.com",
    "worker-src": "blob:",  # its search index runs in a worker built from a blob
}


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
    """Serve /docs, its OAuth2 redirect page and /redoc for the app's document.

    The app is built with `docs_url=None, redoc_url=None` so that these replace FastAPI's own.
    """
    openapi_url = app.openapi_url or "/openapi.json"

    def root(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=root(request) + openapi_url,
            title=f"{app.title} - Swagger UI",
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
        page = get_redoc_html(openapi_url=root(request) + openapi_url, title=f"{app.title} - ReDoc")
        return policy_for(page, _REDOC)
