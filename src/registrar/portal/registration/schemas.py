"""The shapes seeds 002 and 001 fix: semesters, offerings, registrations, a student's courses."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict


class RegistrationStatus(enum.StrEnum):
    """Seed 002 names a waitlisted place RESERVED."""

    ENROLLED = "ENROLLED"
    RESERVED = "RESERVED"


class SemesterRead(BaseModel):
    id: uuid.UUID
    name: str
    registration_start: datetime
    registration_end: datetime
    academic_year: str
    start_date: date
    end_date: date
    drop_deadline: datetime | None
    is_registration_open: bool


class OfferingRead(BaseModel):
    """A course offered in a semester (a section of a catalog course)."""

    id: uuid.UUID
    semester_id: uuid.UUID
    course_name: str
    course_code: str
    professor: str | None
    schedule: str
    max_capacity: int
    reserve_limit: int
    enrolled_count: int
    reserved_count: int
    available_seats: int
    credits: int


class MyCourseRead(BaseModel):
    course_id: uuid.UUID
    course_name: str
    professor: str | None
    schedule: str
    status: RegistrationStatus
    reserve_position: int | None


class RegisterResponse(BaseModel):
    course_id: uuid.UUID
    status: RegistrationStatus
    reserve_position: int | None


class DropResponse(BaseModel):
    course_id: uuid.UUID
    dropped_status: str
    promoted_student_id: uuid.UUID | None
    promoted_from_position: int | None


class StudentCourseCreate(BaseModel):
    """Seed 001's request: the catalog course to enroll in."""

    model_config = ConfigDict(extra="forbid")

    course_id: uuid.UUID


class StudentCourseRead(BaseModel):
    """One of a student's enrollments, as seed 001 lists them."""

    enrollment_id: uuid.UUID
    course_id: uuid.UUID
    course_code: str
    name: str
    level: str
    credits: int
    section_id: uuid.UUID
    semester_id: uuid.UUID
    semester: str
    status: str
    enrollment_type: str
    reserve_position: int | None
    grade: str | None
