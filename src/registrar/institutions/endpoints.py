"""`/api/admin/institution/policy`: the registration rules of the registrar's institution."""

from __future__ import annotations

from fastapi import APIRouter

from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.institutions import policy
from registrar.institutions.schemas import PolicyRead, PolicyUpdate

router = APIRouter(prefix="/api/admin/institution", tags=["institution"])


@router.get("/policy", response_model=PolicyRead)
def read_policy(principal: CurrentRegistrar, session: ReadSessionDep) -> PolicyRead:
    """Credit limits, fair-use rules, repeats, and what a seat that opens does for the waitlist."""
    return policy.read(session, principal.institution.id)


@router.patch("/policy", response_model=PolicyRead)
def update_policy(
    principal: CurrentRegistrar, session: SessionDep, body: PolicyUpdate
) -> PolicyRead:
    """Change the fields sent (audited). `waitlist_mode` OFFER holds a seat that opens for the
    head of its waitlist for `offer_hours`; a section may override both."""
    return policy.update(session, principal.institution.id, principal.user.id, body)
