"""Pages: Jinja2 templates shipped in the package, sent with a policy of their own.

The API's policy lets nothing load. A page loads its own stylesheet and icon from this
origin and nothing else: no script at all (every action is a form), no inline style, forms
posted only here, never framed.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from registrar.auth.models import Role
from registrar.auth.principal import Principal
from registrar.web import session
from registrar.web.words import history_words

HERE = Path(__file__).parent
STATIC = HERE / "static"

PAGE_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
PAGE_HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    # A page is about its reader (grades, rosters): never kept by a shared or browser cache.
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Asset:
    """A static file of the pages: its bytes, type and a version for cache busting."""

    body: bytes
    media_type: str
    version: str


_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


def _load_assets() -> dict[str, Asset]:
    assets = {}
    for path in sorted(STATIC.iterdir()):
        if path.suffix in _TYPES:
            body = path.read_bytes()
            version = hashlib.sha256(body).hexdigest()[:12]
            assets[path.name] = Asset(body, _TYPES[path.suffix], version)
    return assets


ASSETS = _load_assets()


def asset_url(name: str) -> str:
    """The URL of a static file, versioned so browsers may keep it for a year."""
    return f"/static/web/{name}?v={ASSETS[name].version}"


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def _clock(value: time | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value[:5]
    return f"{value:%H:%M}"


def _number(value: float | Decimal | None, places: int = 2) -> str:
    if value is None:
        return "—"
    return f"{float(value):.{places}f}"


def _query(values: dict[str, Any], **changes: Any) -> str:
    merged = {**values, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def _title(value: str) -> str:
    return value.replace("_", " ").capitalize()


environment = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
environment.globals["asset_url"] = asset_url
environment.filters.update(
    day=_day, clock=_clock, number=_number, title_words=_title, history_words=history_words
)
environment.globals["query"] = _query


STUDENT_NAV = (("/", "This term"), ("/enroll", "Courses"), ("/record", "Grades & history"))
OFFICE_NAV = (
    ("/office/", "Divisions"),
    ("/office/statistics", "Statistics"),
    ("/office/students", "Students"),
    ("/office/bulk-assign", "Bulk assignment"),
    ("/office/batches", "Batches"),
    ("/office/sections", "Sections"),
    ("/office/import", "Import"),
)


def _navigation(principal: Principal | None, path: str) -> dict[str, Any]:
    if principal is None:
        return {"nav_links": (), "nav_current": "", "home_url": "/"}
    office = principal.role is not Role.STUDENT
    links = OFFICE_NAV if office else STUDENT_NAV
    current = ""
    for href, _ in links:
        # The two home pages match only themselves; the others their sub-pages too.
        matches = path == href or (href not in ("/", "/office/") and path.startswith(href))
        if matches and len(href) > len(current):
            current = href
    return {"nav_links": links, "nav_current": current, "home_url": links[0][0]}


def render(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    principal: Principal | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """A page from its template, with the reader, the form token and the flash left for it."""
    flash = session.read_flash(request)
    anonymous = session.new_anonymous_id(request) if principal is None else None
    page = environment.get_template(template).render(
        {
            "request": request,
            "path": request.url.path,
            "principal": principal,
            "csrf_token": session.csrf_token(request),
            "form_key": str(uuid.uuid4()),
            "flash": flash,
            # Shown at the top unless the page shows it beside what it is about.
            "flash_top": flash if flash and flash.about not in context.get("anchors", ()) else None,
            **_navigation(principal, request.url.path),
            **context,
        }
    )
    response = HTMLResponse(page, status_code=status_code, headers=PAGE_HEADERS)
    session.forget_flash(request, response)
    if anonymous is not None:
        session.keep_anonymous_id(response, request, anonymous)
    return response


def see_other(location: str, *, headers: dict[str, str] | None = None) -> Response:
    """The answer to a form: go (GET) to `location`."""
    return Response(
        status_code=303, headers={"Location": location, **PAGE_HEADERS, **(headers or {})}
    )
