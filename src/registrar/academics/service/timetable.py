"""Timetables: slot times, room codes, and rooms never booked twice at once in a term."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection, Room, TimetableSlot
from registrar.academics.repository import catalog as catalog_repo
from registrar.academics.repository import sections as repo
from registrar.academics.schemas.sections import SlotIn
from registrar.academics.service import common
from registrar.auth.principal import Principal
from registrar.errors import Conflict, ValidationFailed


@dataclass(frozen=True)
class ResolvedSlot:
    """A requested slot with its room looked up."""

    given: SlotIn
    room: Room | None


def _hhmm(slot: SlotIn | TimetableSlot) -> str:
    return f"{slot.start_time.strftime('%H:%M')}-{slot.end_time.strftime('%H:%M')}"


def resolve_slots(
    session: Session, principal: Principal, slots: list[SlotIn]
) -> list[ResolvedSlot]:
    """Check each slot's times and room; rooms are locked until the request commits."""
    for slot in slots:
        if slot.end_time <= slot.start_time:
            raise ValidationFailed(
                f"Timetable slot on {slot.day.value} ends before it starts ({_hhmm(slot)})",
                details={"field": "timetable", "day": slot.day.value},
            )
        if slot.building and not slot.room:
            raise ValidationFailed(
                f"Timetable slot on {slot.day.value} names a building but no room",
                details={"field": "timetable", "day": slot.day.value},
            )
    codes = {slot.room for slot in slots if slot.room}
    rooms = catalog_repo.rooms_by_code(session, common.institution_of(principal), codes, lock=True)
    unknown = sorted(codes - rooms.keys())
    if unknown:
        raise ValidationFailed(
            f"Unknown room: {', '.join(unknown)}",
            details={"field": "timetable", "unknown_rooms": unknown},
        )
    resolved = [ResolvedSlot(slot, rooms[slot.room] if slot.room else None) for slot in slots]
    for item in resolved:
        room, building = item.room, item.given.building
        if room is not None and building and building != room.building:
            raise ValidationFailed(
                f"Room {room.code} is in {room.building}, not {building}",
                details={"field": "timetable", "room": room.code, "building": room.building},
            )
    for first, second in same_room_overlaps(resolved):
        assert first.room is not None
        raise ValidationFailed(
            f"Room {first.room.code} is listed twice on {first.given.day.value} "
            f"({_hhmm(first.given)} and {_hhmm(second.given)})",
            details={"field": "timetable", "room": first.room.code},
        )
    return resolved


def same_room_overlaps(
    resolved: list[ResolvedSlot],
) -> Iterator[tuple[ResolvedSlot, ResolvedSlot]]:
    """Pairs of one timetable's slots that book the same room at overlapping times."""
    for i, first in enumerate(resolved):
        for second in resolved[i + 1 :]:
            if first.room and first.room is second.room and overlaps(first.given, second.given):
                yield first, second


def overlaps(a: SlotIn | TimetableSlot, b: SlotIn | TimetableSlot) -> bool:
    """Same day, and the times intersect (touching ends do not)."""
    return a.day == b.day and a.start_time < b.end_time and b.start_time < a.end_time


def check_room_clashes(
    session: Session, term_id: uuid.UUID, slots: list[ResolvedSlot], exclude_id: uuid.UUID | None
) -> None:
    """409 naming the other section when a room is already booked at that time in the term."""
    booked = repo.room_bookings(session, term_id, [s.room.id for s in slots if s.room], exclude_id)
    for item in slots:
        for other, other_code in booked:
            if item.room and other.room_id == item.room.id and overlaps(item.given, other):
                raise Conflict(
                    f"Room {item.room.code} is already booked on {other.day.value} "
                    f"{_hhmm(other)} by section {other_code}",
                    details={
                        "room": item.room.code,
                        "day": other.day.value,
                        "requested": _hhmm(item.given),
                        "conflicting_section": {
                            "id": str(other.section_id),
                            "code": other_code,
                            "day": other.day.value,
                            "start_time": other.start_time.isoformat(),
                            "end_time": other.end_time.isoformat(),
                        },
                    },
                )


def slot_rows(
    institution_id: uuid.UUID, section_id: uuid.UUID, slots: list[ResolvedSlot]
) -> list[TimetableSlot]:
    """The timetable rows to write for a section."""
    return [
        TimetableSlot(
            institution_id=institution_id,
            section_id=section_id,
            day=s.given.day,
            start_time=s.given.start_time,
            end_time=s.given.end_time,
            room_id=s.room.id if s.room else None,
        )
        for s in slots
    ]


def described(row: CourseSection) -> list[dict[str, object]]:
    """A section's timetable as the admin API shows it."""
    return [
        {
            "day": s.day.value,
            "start_time": s.start_time.isoformat(),
            "end_time": s.end_time.isoformat(),
            "room_id": str(s.room_id) if s.room_id else None,
        }
        for s in row.slots
    ]
