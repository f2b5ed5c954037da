"""`GET /api/admin/notifications` and `POST /api/admin/notifications/{id}/retry`."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.kit.columns import utcnow
from registrar.kit.pagination import Page, PageDep
from registrar.notifications import service
from registrar.notifications.models import NotificationStatus
from registrar.notifications.schemas import RETRIED_EXAMPLE, NotificationRead

router = APIRouter(prefix="/api/admin/notifications", tags=["notifications"])


@router.get("", response_model=Page[NotificationRead])
def list_notifications(
    principal: CurrentRegistrar,
    session: ReadSessionDep,
    params: PageDep,
    status: Annotated[NotificationStatus | None, Query(description="Only this status")] = None,
) -> Page[NotificationRead]:
    """The institution's notifications, newest first, optionally of one status."""
    rows, total = service.list_notifications(
        session, principal.institution.id, status=status, params=params
    )
    return Page[NotificationRead](
        items=[NotificationRead.model_validate(row) for row in rows],
        total=total,
        limit=params.limit,
        offset=params.offset,
    )


@router.post(
    "/{notification_id}/retry",
    response_model=NotificationRead,
    responses={200: {"content": {"application/json": {"example": RETRIED_EXAMPLE}}}},
)
def retry_notification(
    notification_id: uuid.UUID, principal: CurrentRegistrar, session: SessionDep
) -> NotificationRead:
    """Queue a FAILED notification again with a fresh set of attempts."""
    notification = service.retry(
        session,
        institution_id=principal.institution.id,
        actor_user_id=principal.user.id,
        notification_id=notification_id,
        now=utcnow(),
    )
    return NotificationRead.model_validate(notification)
