"""/api/admin/rooms"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.academics.endpoints.common import page_of
from registrar.academics.schemas.catalog import RoomCreate, RoomRead, RoomUpdate
from registrar.academics.service import rooms as service
from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.kit.bounds import FilterText, Search
from registrar.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/admin/rooms", tags=["academic structure"])


@router.get("")
def list_rooms(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    page: PageDep,
    building: FilterText | None = None,
    is_active: bool | None = None,
    q: Search | None = None,
) -> Page[RoomRead]:
    """Rooms, filtered by building, status or a code/building search."""
    rows, total = service.list_rooms(
        session, principal, page, building=building, is_active=is_active, q=q
    )
    return page_of(rows, total, page, RoomRead.model_validate)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_room(session: SessionDep, principal: CurrentRegistrar, body: RoomCreate) -> RoomRead:
    """Add a room."""
    return RoomRead.model_validate(service.create_room(session, principal, body))


@router.get("/{room_id}")
def get_room(session: ReadSessionDep, principal: CurrentRegistrar, room_id: uuid.UUID) -> RoomRead:
    """One room."""
    return RoomRead.model_validate(service.get_room(session, principal, room_id))


@router.patch("/{room_id}")
def update_room(
    session: SessionDep, principal: CurrentRegistrar, room_id: uuid.UUID, body: RoomUpdate
) -> RoomRead:
    """Change a room."""
    return RoomRead.model_validate(service.update_room(session, principal, room_id, body))


@router.post("/{room_id}/deactivate")
@router.delete("/{room_id}")
def deactivate_room(
    session: SessionDep, principal: CurrentRegistrar, room_id: uuid.UUID
) -> RoomRead:
    """Take a room out of use (nothing is deleted)."""
    return RoomRead.model_validate(service.deactivate_room(session, principal, room_id))
