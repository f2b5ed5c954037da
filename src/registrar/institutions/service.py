"""Which institution a request speaks for."""

from __future__ import annotations

from sqlalchemy.orm import Session

from registrar.errors import NotFound, RegistrarError
from registrar.institutions import repository
from registrar.institutions.models import Institution


class TenantRequired(RegistrarError):
    status_code = 400
    code = "tenant_required"


def resolve_tenant(session: Session, tag: str | None, default_tag: str | None) -> Institution:
    """The institution named by the header, else the configured default, else the only one."""
    chosen = tag or default_tag
    if chosen:
        institution = repository.find_by_tag(session, chosen)
        if institution is None:
            raise NotFound(f"Unknown institution {chosen!r}")
        return institution
    institution = repository.only_one(session)
    if institution is not None:
        return institution
    if not repository.exists_active(session):
        raise TenantRequired("No institution has been set up yet; create one before logging in")
    raise TenantRequired("Several institutions are served here: send the x-tenant-tag header")
