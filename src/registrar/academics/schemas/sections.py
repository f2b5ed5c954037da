"""Bodies for course sections and their timetables."""

from __future__ import annotations

import uuid
from datetime import time
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic.config import JsonDict

from registrar.academics.models import CourseSection, SectionType, Weekday
from registrar.institutions.models import WaitlistMode
from registrar.kit.bounds import OneLine

SectionCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^\S+$"), OneLine]
RoomCode = Annotated[str, Field(max_length=32), OneLine]
Building = Annotated[str, Field(max_length=120), OneLine]
Seats = Annotated[int, Field(ge=0, le=100000)]
OfferHours = Annotated[int, Field(ge=1, le=720)]


class SlotIn(BaseModel):
    """One weekly meeting; `room` is a room code of the institution."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"day": "TUESDAY", "start_time": "15:00", "end_time": "16:30", "room": "CS-102"}
            ]
        }
    )

    day: Weekday
    start_time: time
    end_time: time
    room: RoomCode | None = None
    building: Building | None = None


class SectionCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "course_id": "34fddfc7-1624-40f4-8732-df67ff276d9e",
                    "term_id": "cf8bc217-27ad-4818-899b-f7f6f38637f4",
                    "code": "CS302-C",
                    "section_type": "LECTURE",
                    "faculty_id": "43c52748-acb9-4fba-ae89-14e1415c6d71",
                    "max_students": 60,
                    "reserve_limit": 10,
                    "timetable": [
                        {
                            "day": "TUESDAY",
                            "start_time": "15:00",
                            "end_time": "16:30",
                            "room": "CS-102",
                        },
                        {
                            "day": "THURSDAY",
                            "start_time": "15:00",
                            "end_time": "16:30",
                            "room": "CS-102",
                        },
                    ],
                }
            ]
        }
    )

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
    waitlist_mode: WaitlistMode | None = Field(
        default=None, description="AUTO_ENROLL or OFFER; null: the institution's"
    )
    offer_hours: OfferHours | None = Field(default=None, description="null: the institution's")


class SectionUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"max_students": 75}]})

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
    waitlist_mode: WaitlistMode | None = Field(
        default=None, description="AUTO_ENROLL or OFFER; null: the institution's"
    )
    offer_hours: OfferHours | None = Field(default=None, description="null: the institution's")


class SlotRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "day": "MONDAY",
                    "start_time": "09:00:00",
                    "end_time": "10:30:00",
                    "room": "CS-105",
                    "building": "Computer Science Block",
                }
            ]
        }
    )

    day: Weekday
    start_time: time
    end_time: time
    room: str | None
    building: str | None


_SECTION: JsonDict = {
    "id": "69e061b4-ceea-4dcd-a16a-676520618afa",
    "code": "CS301-CS-2024-3-A",
    "course_id": "d8ed7f58-32ba-4b7e-9933-5f9cc368408e",
    "course_code": "CS301",
    "course_title": "Data Structures and Algorithms",
    "term_id": "cf8bc217-27ad-4818-899b-f7f6f38637f4",
    "term_code": "2024-2025-ODD",
    "section_type": "LECTURE",
    "faculty_id": "43c52748-acb9-4fba-ae89-14e1415c6d71",
    "student_batch_id": "22d489da-3929-4a5d-b901-363c1caeeae0",
    "max_students": 70,
    "reserve_limit": 10,
    "enrolled": 12,
    "waitlisted": 0,
    "available_seats": 58,
    "is_active": True,
    "timetable": [
        {
            "day": "MONDAY",
            "start_time": "09:00:00",
            "end_time": "10:30:00",
            "room": "CS-105",
            "building": "Computer Science Block",
        },
        {
            "day": "WEDNESDAY",
            "start_time": "09:00:00",
            "end_time": "10:30:00",
            "room": "CS-105",
            "building": "Computer Science Block",
        },
    ],
}


class SectionRead(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [_SECTION]})

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
    waitlist_mode: WaitlistMode | None = None
    offer_hours: int | None = None


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
        waitlist_mode=row.waitlist_mode,
        offer_hours=row.offer_hours,
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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_SECTION,
                    "max_students": 71,
                    "enrolled": 71,
                    "waitlisted": 0,
                    "available_seats": 0,
                    "promoted": [
                        {
                            "enrollment_id": "d1f925b3-6660-42af-be8c-090fd5cf83dc",
                            "student_id": "a17a8b83-a4a9-4622-93c5-e0a4caaeed5e",
                        },
                    ],
                }
            ]
        }
    )

    promoted: list[Promoted] = []
