"""How the pages answer a refusal: a page in words, never a JSON body.

Every page route is a `WebRoute`. A refusal raised below it (a rule of the engine, a missing
record, a form that did not validate) goes up through the request's dependencies exactly as
for the API, so its transaction is rolled back; the app's handler of that refusal, which
answers the API in JSON, answers a page's request with what a person can read:

- not signed in (or the session ended): back to the sign-in page;
- a form's action refused: back to the page the form was on (`request.state.back`), with the
  refusal shown there, beside what it was about;
- anything else: a page saying what went wrong, with the refusal's status.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, cast
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from registrar.errors import RegistrarError, Unauthorized
from registrar.web import session
from registrar.web.rendering import render, see_other
from registrar.web.words import refusal_lines

SIGN_IN = "/sign-in"


def local_path(value: str | None, default: str) -> str:
    """`value` when it is a path of this site (never another site's URL), else `default`."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def signed_out(request: Request) -> Response:
    """Back to the sign-in page (and on to where the reader was going, after it)."""
    target = SIGN_IN
    if request.method == "GET":
        wanted = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        target = f"{SIGN_IN}?next={quote(wanted, safe='/')}"
    response = see_other(target)
    if session.session_token(request):
        session.end_session(response, request)
        session.flash(
            request,
            response,
            session.Flash("error", "Your session has ended. Please sign in again."),
        )
    return response


def refused(request: Request, error: RegistrarError) -> Response:
    """A refusal in words: on the form's page when a form was refused, else a page of its own."""
    back = getattr(request.state, "back", None)
    lines = tuple(refusal_lines(error.details))
    if request.method == "POST" and back:
        response = see_other(back)
        about = str(getattr(request.state, "about", ""))
        session.flash(request, response, session.Flash("error", error.message, about, lines))
        return response
    page = render(
        request,
        "error.html",
        {"status": error.status_code, "message": error.message, "lines": lines},
        principal=getattr(request.state, "web_principal", None),
        status_code=error.status_code,
    )
    extra = error.headers() or {}
    if "Retry-After" in extra:
        page.headers["Retry-After"] = extra["Retry-After"]
    return page


def _invalid(error: RequestValidationError) -> RegistrarError:
    fields = []
    for problem in error.errors():
        where = [str(part) for part in problem.get("loc", ()) if part not in ("body", "query")]
        fields.append(f"{' '.join(where) or 'form'}: {problem.get('msg', 'invalid')}")
    return RegistrarError("Some fields are not valid", details={"fields": fields})


class WebRoute(APIRoute):
    """A page's route: its refusals are answered as pages (see `install_refusals`)."""


Handler = Callable[[Request, Exception], Coroutine[Any, Any, Response]]


def _page_request(request: Request) -> bool:
    return isinstance(request.scope.get("route"), WebRoute)


def install_refusals(app: FastAPI) -> None:
    """Answer the refusals of page routes as pages; the API's stay as they are.

    The app's own handlers are kept and still answer every other route: this wraps them, so it
    runs after `main` installed them.
    """
    api_refusal = cast(Handler, app.exception_handlers[RegistrarError])
    api_invalid = cast(Handler, app.exception_handlers[RequestValidationError])

    async def refusal(request: Request, error: Exception) -> Response:
        if not _page_request(request) or not isinstance(error, RegistrarError):
            return await api_refusal(request, error)
        if isinstance(error, Unauthorized):
            return signed_out(request)
        return refused(request, error)

    async def invalid(request: Request, error: Exception) -> Response:
        if not _page_request(request) or not isinstance(error, RequestValidationError):
            return await api_invalid(request, error)
        return refused(request, _invalid(error))

    app.add_exception_handler(RegistrarError, refusal)
    app.add_exception_handler(RequestValidationError, invalid)
