"""Mount the pages on the app: their routes, their static files, their refusals."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI, Request, Response

from registrar.errors import NotFound
from registrar.web import signin
from registrar.web.office import bulk, catalog, imports, stats
from registrar.web.office import pages as office_pages
from registrar.web.rendering import ASSETS
from registrar.web.routing import WebRoute, install_refusals
from registrar.web.student import pages as student_pages

assets = APIRouter(route_class=WebRoute, include_in_schema=False)

# A versioned URL never changes content: browsers keep it a year without asking again.
FOREVER = "public, max-age=31536000, immutable"
BRIEFLY = "public, max-age=300"


@assets.get("/static/web/{name}")
async def asset(request: Request, name: str) -> Response:
    """The pages' stylesheet and icon, from the package itself (no CDN, nothing else)."""
    found = ASSETS.get(name)
    if found is None:
        raise NotFound("No such file")
    etag = f'"{found.version}"'
    cache = FOREVER if request.query_params.get("v") == found.version else BRIEFLY
    headers = {"ETag": etag, "Cache-Control": cache}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media_type, headers=headers)


def install_web(app: FastAPI) -> None:
    """Serve the student pages at `/` and the office at `/office/` (none in the OpenAPI
    document); run after `main` installed its error handlers."""
    install_refusals(app)
    app.state.web_head_counts = stats.head_counts()
    app.include_router(assets)
    app.include_router(signin.router)
    app.include_router(student_pages.router)
    for office in (office_pages, bulk, catalog, imports):
        app.include_router(office.router)
