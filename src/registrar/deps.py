"""Request dependencies: settings, sessions, the tenant and the current user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from registrar.auth import repository as users
from registrar.auth.models import Role, User
from registrar.auth.tokens import INVALID_TOKEN, read_token
from registrar.config import Settings
from registrar.db import Database
from registrar.errors import Forbidden, Unauthorized
from registrar.institutions import repository as institutions
from registrar.institutions.models import Institution
from registrar.institutions.service import resolve_tenant

bearer = OAuth2PasswordBearer(tokenUrl="/auth/login", auto_error=False)


# async: trivial dependencies declared `def` would each cost a thread-pool hop per request.
async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_database(request: Request) -> Database:
    """The database the app was built with."""
    database: Database = request.app.state.database
    return database


def _write_session(database: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    with database.session(write=True) as session:
        yield session


def _read_session(database: Annotated[Database, Depends(get_database)]) -> Iterator[Session]:
    with database.session(write=False) as session:
        yield session


# scope="function" commits before the response is sent, so a client that saw success
# always reads its own write, and a failed commit is reported instead of swallowed.
SessionDep = Annotated[Session, Depends(_write_session, scope="function")]
ReadSessionDep = Annotated[Session, Depends(_read_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_settings)]


DatabaseDep = Annotated[Database, Depends(get_database)]


def get_tenant(
    database: DatabaseDep,
    settings: SettingsDep,
    x_tenant_tag: Annotated[str | None, Header()] = None,
) -> Institution:
    """The institution of an anonymous request: header, configured default, or the only one."""
    with database.session(write=False) as session:
        return resolve_tenant(session, x_tenant_tag, settings.default_tenant)


TenantDep = Annotated[Institution, Depends(get_tenant)]


@dataclass(frozen=True)
class Principal:
    """The authenticated user and their institution."""

    user: User
    institution: Institution

    @property
    def role(self) -> Role:
        """The user's role."""
        return self.user.role


def get_principal(
    token: Annotated[str | None, Depends(bearer)],
    database: DatabaseDep,
    settings: SettingsDep,
) -> Principal:
    """The user the bearer token names, still active, in the institution the token names.

    Read in a short session of its own, so the endpoint's session can begin as a writer.
    """
    if not token:
        raise Unauthorized("Not authenticated")
    claims = read_token(token, settings)
    with database.session(write=False) as session:
        user = users.get_active(session, claims.institution_id, claims.user_id)
        institution = institutions.get(session, claims.institution_id)
    if user is None or institution is None or user.role is not claims.role:
        raise Unauthorized(INVALID_TOKEN)
    return Principal(user=user, institution=institution)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    """A dependency that admits only the given roles."""

    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden("You do not have permission to do this")
        return principal

    return check


CurrentStudentUser = Annotated[Principal, Depends(require_roles(Role.STUDENT))]
CurrentRegistrar = Annotated[Principal, Depends(require_roles(Role.REGISTRAR, Role.ADMIN))]
