"""Rooms."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from registrar.academics.models import Room
from registrar.academics.repository import catalog as repo
from registrar.academics.schemas.catalog import RoomCreate, RoomUpdate
from registrar.academics.service import common
from registrar.auth.principal import Principal
from registrar.kit.pagination import PageParams, paginate

ENTITY = "room"


def list_rooms(
    session: Session,
    principal: Principal,
    params: PageParams,
    *,
    building: str | None = None,
    is_active: bool | None = None,
    q: str | None = None,
) -> tuple[list[Room], int]:
    """One page of the institution's rooms."""
    statement = repo.rooms(
        common.institution_of(principal), building=building, is_active=is_active, q=q
    )
    return paginate(session, statement, params)


def get_room(session: Session, principal: Principal, room_id: uuid.UUID) -> Room:
    """One room of the institution."""
    return common.get_or_404(session, Room, principal, room_id, "Room")


def _ensure_code_free(
    session: Session, principal: Principal, code: str | None, exclude_id: uuid.UUID | None = None
) -> None:
    common.ensure_code_free(session, Room, Room.code, principal, "Room code", code, exclude_id)


def create_room(session: Session, principal: Principal, data: RoomCreate) -> Room:
    """Add a room."""
    _ensure_code_free(session, principal, data.code)
    row = common.insert(session, principal, Room, data.model_dump())
    common.record_created(session, principal, ENTITY, row)
    return row


def update_room(
    session: Session, principal: Principal, room_id: uuid.UUID, data: RoomUpdate
) -> Room:
    """Change a room."""
    row = get_room(session, principal, room_id)
    changes = data.model_dump(exclude_unset=True)
    _ensure_code_free(session, principal, changes.get("code"), row.id)
    common.save_changes(session, principal, ENTITY, row, changes)
    return row


def deactivate_room(session: Session, principal: Principal, room_id: uuid.UUID) -> Room:
    """Take a room out of use; timetables that name it keep it."""
    row = get_room(session, principal, room_id)
    common.deactivate(session, principal, ENTITY, row)
    return row
