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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "cf8bc217-27ad-4818-899b-f7f6f38637f4",
                    "name": "2024-2025 Odd Semester",
                    "registration_start": "2024-06-29T09:00:00Z",
                    "registration_end": "2024-07-29T09:00:00Z",
                    "academic_year": "2024-2025",
                    "start_date": "2024-07-15",
                    "end_date": "2024-11-30",
                    "drop_deadline": "2024-08-12T09:00:00Z",
                    "is_registration_open": True,
                }
            ]
        }
    )

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

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "bb617973-6d73-4fee-b397-b980776e9f64",
                    "semester_id": "cf8bc217-27ad-4818-899b-f7f6f38637f4",
                    "course_name": "Artificial Intelligence",
                    "course_code": "CS341",
                    "professor": "Dr. Kavya Setty",
                    "schedule": "MON,WED 13:15-14:45",
                    "max_capacity": 8,
                    "reserve_limit": 10,
                    "enrolled_count": 7,
                    "reserved_count": 0,
                    "available_seats": 1,
                    "credits": 3,
                }
            ]
        }
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "course_id": "69e061b4-ceea-4dcd-a16a-676520618afa",
                    "course_name": "Data Structures and Algorithms",
                    "professor": "Prof. Rajesh Reddy",
                    "schedule": "MON,WED 09:00-10:30",
                    "status": "ENROLLED",
                    "reserve_position": None,
                }
            ]
        }
    )

    course_id: uuid.UUID
    course_name: str
    professor: str | None
    schedule: str
    status: RegistrationStatus
    reserve_position: int | None


class RegisterResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "course_id": "bb617973-6d73-4fee-b397-b980776e9f64",
                    "status": "ENROLLED",
                    "reserve_position": None,
                }
            ]
        }
    )

    course_id: uuid.UUID
    status: RegistrationStatus
    reserve_position: int | None


class DropResponse(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "course_id": "bb617973-6d73-4fee-b397-b980776e9f64",
                    "dropped_status": "DROPPED",
                    "promoted_student_id": "c922bbcc-4d51-40b0-bf79-0f4930c1ae5f",
                    "promoted_from_position": 1,
                }
            ]
        }
    )

    course_id: uuid.UUID
    dropped_status: str
    promoted_student_id: uuid.UUID | None
    promoted_from_position: int | None


class StudentCourseCreate(BaseModel):
    """Seed 001's request: the catalog course to enroll in."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"course_id": "4e55a933-08f4-46ad-a63b-cffbdcf3501c"}]},
    )

    course_id: uuid.UUID


class StudentCourseRead(BaseModel):
    """One of a student's enrollments, as seed 001 lists them."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "enrollment_id": "e3121c38-d98d-427b-913c-c659a000c665",
                    "course_id": "4e55a933-08f4-46ad-a63b-cffbdcf3501c",
                    "course_code": "CS342",
                    "name": "Cloud Computing",
                    "level": "UG",
                    "credits": 3,
                    "section_id": "6e4a8498-7ac9-499f-8da0-706739d0f123",
                    "semester_id": "cf8bc217-27ad-4818-899b-f7f6f38637f4",
                    "semester": "2024-2025 Odd Semester",
                    "status": "ENROLLED",
                    "enrollment_type": "REGULAR",
                    "reserve_position": None,
                    "grade": None,
                }
            ]
        }
    )

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
