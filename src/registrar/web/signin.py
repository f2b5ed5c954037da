"""Signing in and out: the API's own login, its token kept in the session cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from pydantic import ValidationError

from registrar.auth import endpoints as auth_endpoints
from registrar.auth.models import Role
from registrar.auth.schemas import LoginRequest
from registrar.auth.tokens import read_token
from registrar.deps import ServingDep, SettingsDep, UnitDep
from registrar.errors import NotFound, RegistrarError
from registrar.web import repository, session
from registrar.web.auth import CSRF, SIGN_IN_CSRF
from registrar.web.rendering import render, see_other
from registrar.web.routing import SIGN_IN, WebRoute, local_path

router = APIRouter(route_class=WebRoute, include_in_schema=False)

Text = Annotated[str, Form(max_length=256)]


def _home(role: Role) -> str:
    return "/" if role is Role.STUDENT else "/office/"


def _next_for(role: Role, wanted: str | None) -> str:
    """Where to go after signing in: where the reader was going, if it is theirs to see."""
    home = _home(role)
    target = local_path(wanted, home)
    office = target.startswith("/office")
    if office != (role is not Role.STUDENT):
        return home
    return target


async def _form(
    request: Request,
    unit: UnitDep,
    *,
    username: str = "",
    institution: str | None = None,
    wanted: str | None = None,
    error: RegistrarError | None = None,
) -> Response:
    institutions = await unit.read(repository.active_institutions)
    settings = request.app.state.settings
    chosen = institution or settings.default_tenant or ""
    return render(
        request,
        "sign_in.html",
        {
            "institutions": institutions,
            "chosen": chosen,
            "username": username,
            "next": wanted or "",
            "error": error,
        },
        status_code=error.status_code if error else 200,
    )


@router.get(SIGN_IN)
async def sign_in_page(
    request: Request, unit: UnitDep, settings: SettingsDep, next: str | None = None
) -> Response:
    """The sign-in form (a reader already signed in goes on to their pages)."""
    token = session.session_token(request)
    if token:
        try:
            claims = read_token(token, settings)
        except RegistrarError:
            pass
        else:
            return see_other(_next_for(claims.role, next))
    return await _form(request, unit, wanted=next)


@router.post(SIGN_IN, dependencies=[SIGN_IN_CSRF])
async def sign_in(
    request: Request,
    unit: UnitDep,
    serving: ServingDep,
    settings: SettingsDep,
    username: Text,
    password: Text,
    institution: Annotated[str | None, Form(max_length=64)] = None,
    next: Annotated[str | None, Form(max_length=512)] = None,
) -> Response:
    """Sign in through `POST /auth/login` itself: its throttle, its checks, its token."""
    try:
        credentials = LoginRequest(
            username=username.strip(), password=password, client_id=institution or None
        )
    except ValidationError:
        refusal = RegistrarError("Enter your roll number (or username) and your password")
        return await _form(
            request, unit, username=username, institution=institution, wanted=next, error=refusal
        )
    try:
        answer = await auth_endpoints.login(
            request=request,
            credentials=credentials,
            serving=serving,
            settings=settings,
            response=Response(),
            x_tenant_tag=None,
        )
    except NotFound as refusal:
        refusal.status_code = 400
        return await _form(request, unit, username=username, wanted=next, error=refusal)
    except RegistrarError as refusal:
        return await _form(
            request, unit, username=username, institution=institution, wanted=next, error=refusal
        )
    claims = read_token(answer.access_token, settings)
    response = see_other(_next_for(claims.role, next))
    session.start_session(response, request, answer.access_token, answer.expires_in)
    return response


@router.post("/sign-out", dependencies=[CSRF])
async def sign_out(request: Request) -> Response:
    """Forget the session cookie; the sign-in page says so."""
    response = see_other(SIGN_IN)
    session.end_session(response, request)
    session.flash(request, response, session.Flash("ok", "You are signed out."))
    return response
