"""Who reads a page: the API's own role checks, fed the token from the session cookie."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import Depends, Request

from registrar.auth.models import Role
from registrar.auth.principal import Principal
from registrar.deps import require_roles
from registrar.errors import Forbidden
from registrar.web import session

_STUDENT = require_roles(Role.STUDENT)
_OFFICE = require_roles(Role.REGISTRAR, Role.ADMIN)
_ANYONE = require_roles(*Role)

EXPIRED_FORM = "This form has expired. Go back, reload the page and try again."


Check = Callable[[Request, str | None], Coroutine[Any, Any, Principal]]


async def _reader(request: Request, check: Check) -> Principal:
    principal = await check(request, session.session_token(request))
    request.state.web_principal = principal
    return principal


async def page_student(request: Request) -> Principal:
    """A signed-in student (a registrar is refused, an anonymous reader sent to sign in)."""
    return await _reader(request, _STUDENT)


async def page_registrar(request: Request) -> Principal:
    """A signed-in registrar (or administrator); a student is refused."""
    return await _reader(request, _OFFICE)


async def page_reader(request: Request) -> Principal:
    """Anyone signed in."""
    return await _reader(request, _ANYONE)


PageStudent = Annotated[Principal, Depends(page_student)]
PageRegistrar = Annotated[Principal, Depends(page_registrar)]
PageReader = Annotated[Principal, Depends(page_reader)]


async def checked_form(request: Request) -> None:
    """Refuse a form that does not carry this session's CSRF token."""
    form = await request.form()
    sent = form.get(session.CSRF_FIELD)
    if not session.csrf_valid(request, sent if isinstance(sent, str) else None):
        raise Forbidden(EXPIRED_FORM)


async def checked_sign_in_form(request: Request) -> None:
    """Refuse a sign-in form that does not carry this browser's anonymous CSRF token."""
    form = await request.form()
    sent = form.get(session.CSRF_FIELD)
    if not session.csrf_valid(request, sent if isinstance(sent, str) else None, anonymous=True):
        raise Forbidden(EXPIRED_FORM)


CSRF = Depends(checked_form)
SIGN_IN_CSRF = Depends(checked_sign_in_form)
