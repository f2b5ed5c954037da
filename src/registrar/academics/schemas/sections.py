"""Bodies for course sections and their timetables."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Annotated

from pydantic import BaseModel, Field

from registrar.academics.models import CourseSection, SectionType, Weekday
from registrar.kit.bounds import OneLine

SectionCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^\S+$"), OneLine]
RoomCode = Annotated[str, Field(max_length=32), OneLine]
Building = Annotated[str, Field(max_length=120), OneLine]
Seats = Annotated[int, Field(ge=0, le=100000)]


class SlotIn(BaseModel):
    """One weekly meeting; `room` is a room code of the institution."""

    day: Weekday
    start_time: time
    end_time: time
    room: RoomCode | None = None
    building: Building | None = None


class SectionCreate(BaseModel):
    course_id: uuid.UUID
    term_id: uuid.UUID
    code: SectionCode
    section_type: SectionType = SectionType.LECTURE
    faculty_id: uuid.UUID | None = None
    student_batch_id: uuid.UUID | None = None
    max_students: Seats
    reserve_limit: Seats | None = None
    timetable: list[SlotIn] = Field(default_factory=list, max_length=40)
    linked_to_section_id: uuid.UUID | None = Field(
        default=None,
        description="For a LAB or TUTORIAL: the LECTURE section (same course and term) it is "
        "taken with",
    )


class SectionUpdate(BaseModel):
    course_id: uuid.UUID | None = None
    term_id: uuid.UUID | None = None
    code: SectionCode | None = None
    section_type: SectionType | None = None
    faculty_id: uuid.UUID | None = None
    student_batch_id: uuid.UUID | None = None
    max_students: Seats | None = None
    reserve_limit: Seats | None = None
    timetable: list[SlotIn] | None = Field(default=None, max_length=40)
    linked_to_section_id: uuid.UUID | None = Field(
        default=None, description="The LECTURE this LAB or TUTORIAL is taken with; null unlinks"
    )


class SlotRead(BaseModel):
    day: Weekday
    start_time: time
    end_time: time
    room: str | None
    building: str | None


class SectionRead(BaseModel):
    id: uuid.UUID
    code: str
    course_id: uuid.UUID
    course_code: str
    course_title: str
    term_id: uuid.UUID
    term_code: str
    section_type: SectionType
    faculty_id: uuid.UUID | None
    student_batch_id: uuid.UUID | None
    max_students: int
    reserve_limit: int
    enrolled: int
    waitlisted: int
    available_seats: int
    is_active: bool
    timetable: list[SlotRead]
    linked_to_section_id: uuid.UUID | None = None


def section_read(row: CourseSection) -> SectionRead:
    """The API shape of a section loaded with its course, term and timetable."""
    return SectionRead(
        id=row.id,
        code=row.code,
        course_id=row.course_id,
        course_code=row.course.code,
        course_title=row.course.title,
        term_id=row.term_id,
        term_code=row.term.code,
        section_type=row.section_type,
        faculty_id=row.faculty_id,
        student_batch_id=row.student_batch_id,
        max_students=row.capacity,
        reserve_limit=row.waitlist_limit,
        enrolled=row.enrolled_count,
        waitlisted=row.waitlisted_count,
        available_seats=max(row.capacity - row.enrolled_count, 0),
        is_active=row.is_active,
        linked_to_section_id=row.linked_to_section_id,
        timetable=[
            SlotRead(
                day=slot.day,
                start_time=slot.start_time,
                end_time=slot.end_time,
                room=slot.room.code if slot.room else None,
                building=slot.room.building if slot.room else None,
            )
            for slot in sorted(row.slots, key=lambda s: (s.day.ordinal, s.start_time))
        ],
    )


class Promoted(BaseModel):
    """A student moved from the waitlist into a seat."""

    enrollment_id: uuid.UUID
    student_id: uuid.UUID


class SectionUpdated(SectionRead):
    """The section as changed, and who the waitlist moved into the seats it gained."""

    promoted: list[Promoted] = []
