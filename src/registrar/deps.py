"""Request dependencies: settings, sessions, the tenant and the current user.

Every dependency here is `async def`: FastAPI runs a plain `def` dependency on a worker thread,
a hop that costs more than most of them do. The request path's database work goes through
one `Unit` per request (`UnitDep`): reads outside a transaction, and one write transaction taken
on first use and committed before the answer goes out. Endpoints that still run on worker
threads use the synchronous `SessionDep`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from registrar.auth import service as auth_service
from registrar.auth.models import Role
from registrar.auth.principal import InstitutionRef, Principal, PrincipalCache
from registrar.auth.tokens import read_token
from registrar.config import Settings
from registrar.db import AsyncDatabase, Database
from registrar.errors import Forbidden, Unauthorized
from registrar.idempotency import service as idempotency
from registrar.idempotency.guard import Idempotency
from registrar.institutions.service import resolve_tenant
from registrar.kit.body_limit import media_type
from registrar.kit.gates import KeyedGates
from registrar.kit.unit import Unit

bearer = OAuth2PasswordBearer(tokenUrl="/auth/login", auto_error=False)


async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_database(request: Request) -> Database:
    """The synchronous database (CLI-style sessions on worker threads)."""
    database: Database = request.app.state.database
    return database


async def get_serving(request: Request) -> AsyncDatabase:
    """The request path's async database."""
    serving: AsyncDatabase = request.app.state.serving
    return serving


def _write_session(database: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    with database.session(write=True) as session:
        yield session


def _read_session(database: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    with database.session(write=False) as session:
        yield session


async def _request_unit(request: Request) -> AsyncIterator[Unit]:
    unit = Unit(request.app.state.serving, request.app.state.settings.db_statement_timeout)
    try:
        yield unit
    except BaseException as error:
        await unit.finish(error)
        raise
    await unit.finish(None)


# scope="function" commits before the response is sent, so a client that saw success
# always reads its own write, and a failed commit is reported instead of swallowed.
SessionDep = Annotated[Session, Depends(_write_session, scope="function")]
ReadSessionDep = Annotated[Session, Depends(_read_session, scope="function")]
UnitDep = Annotated[Unit, Depends(_request_unit, scope="function")]


async def get_section_gates(request: Request) -> KeyedGates:
    """The worker's gates that bound the writers into one section."""
    gates: KeyedGates = request.app.state.section_gates
    return gates


SectionGatesDep = Annotated[KeyedGates, Depends(get_section_gates)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]
ServingDep = Annotated[AsyncDatabase, Depends(get_serving)]


async def get_tenant(
    serving: ServingDep,
    settings: SettingsDep,
    x_tenant_tag: Annotated[str | None, Header(max_length=64)] = None,
) -> InstitutionRef:
    """The institution of an anonymous request: header, configured default, or the only one."""
    unit = Unit(serving, settings.db_statement_timeout)
    institution = await unit.read(resolve_tenant, x_tenant_tag, settings.default_tenant)
    return InstitutionRef.of(institution)


TenantDep = Annotated[InstitutionRef, Depends(get_tenant)]


async def _principal(request: Request, token: str | None) -> Principal:
    """The user the bearer token names, still active, in the institution the token names.

    From this worker's cache when it was read in the last few seconds; otherwise read in a
    short session of its own (the request's own session may need to begin as a writer).
    """
    if not token:
        raise Unauthorized("Not authenticated")
    app_state = request.app.state
    claims = read_token(token, app_state.settings)
    cache: PrincipalCache = app_state.principals
    found = cache.get(claims)
    if found is None:
        unit = Unit(app_state.serving, app_state.settings.db_statement_timeout)
        found = await unit.read(auth_service.load_principal, claims)
        cache.put(found)
    # Who asked, for the access log line (kit.metrics.Observe).
    request.scope["state"]["principal"] = found
    return found


# One level of dependencies each, not a chain: FastAPI pays for every node on every request.
async def get_principal(
    request: Request, token: Annotated[str | None, Depends(bearer)]
) -> Principal:
    """Any logged-in user."""
    return await _principal(request, token)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(
    *roles: Role,
) -> Callable[[Request, str | None], Coroutine[Any, Any, Principal]]:
    """A dependency that admits only the given roles."""

    async def check(request: Request, token: Annotated[str | None, Depends(bearer)]) -> Principal:
        principal = await _principal(request, token)
        if principal.role not in roles:
            raise Forbidden("You do not have permission to do this")
        return principal

    return check


CurrentStudentUser = Annotated[Principal, Depends(require_roles(Role.STUDENT))]
CurrentRegistrar = Annotated[Principal, Depends(require_roles(Role.REGISTRAR, Role.ADMIN))]


async def _content(request: Request) -> bytes:
    """What a request carries: its body, or for a form its fields (a multipart body differs
    from one sending to the next by its random boundary alone)."""
    await request.body()  # kept, so a form parsed after this reads it again
    if media_type(request.scope) != "multipart/form-data":
        return await request.body()
    parts: list[bytes] = []
    for name, value in (await request.form()).multi_items():
        if isinstance(value, UploadFile):
            await value.seek(0)  # the endpoint may have read it already
            data = await value.read()
            await value.seek(0)
        else:
            data = value.encode()
        parts.append(len(name).to_bytes(8, "big") + name.encode() + len(data).to_bytes(8, "big"))
        parts.append(data)
    return b"".join(parts)


async def get_idempotency(
    request: Request,
    idempotency_key: Annotated[
        str | None,
        Header(
            description="Send the same key again to get the first answer again instead of "
            "a second change (kept 24 h; the same key with another request answers 422, "
            "while the first is still running 409)."
        ),
    ] = None,
) -> Idempotency:
    """The request's `Idempotency-Key`, with a fingerprint of the request it came with."""
    if idempotency_key is None:
        return Idempotency(None, "")
    body = await _content(request)
    url = request.url
    return Idempotency(
        idempotency.check_key(idempotency_key),
        idempotency.fingerprint(request.method, url.path, url.query, body),
    )


IdempotencyDep = Annotated[Idempotency, Depends(get_idempotency)]
