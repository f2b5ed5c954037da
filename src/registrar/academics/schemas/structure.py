"""Bodies for departments, programs, academic years and terms."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from registrar.academics.models import ProgramLevel, TermKind
from registrar.kit.bounds import OneLine

Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^\S+$"), OneLine]
Name = Annotated[str, Field(min_length=1, max_length=200), OneLine]
YearCode = Annotated[str, Field(min_length=4, max_length=32, pattern=r"^\S+$"), OneLine]
TermCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^\S+$"), OneLine]
TermName = Annotated[str, Field(min_length=1, max_length=120), OneLine]
Credits = Annotated[int, Field(ge=0, le=100)]


class ReadModel(BaseModel):
    """A response built from a row's attributes."""

    model_config = ConfigDict(from_attributes=True)


class DepartmentCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"code": "IT", "name": "Information Technology"}]}
    )

    code: Code
    name: Name


class DepartmentUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "Computer Science and Engineering"}]}
    )

    code: Code | None = None
    name: Name | None = None


class DepartmentRead(ReadModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "6ce4988f-15c9-41d2-a59c-4d87b94c33e9",
                    "code": "CS",
                    "name": "Computer Science",
                    "is_active": True,
                }
            ]
        }
    )

    id: uuid.UUID
    code: str
    name: str
    is_active: bool


class ProgramCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "department_id": "6ce4988f-15c9-41d2-a59c-4d87b94c33e9",
                    "code": "MTECH-CS",
                    "name": "M.Tech Computer Science",
                    "level": "PG",
                    "duration_semesters": 4,
                }
            ]
        }
    )

    department_id: uuid.UUID
    code: Code
    name: Name
    level: ProgramLevel = ProgramLevel.UG
    duration_semesters: Annotated[int, Field(ge=1, le=12)] = 8


class ProgramUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "B.Tech Computer Science and Engineering"}]}
    )

    department_id: uuid.UUID | None = None
    code: Code | None = None
    name: Name | None = None
    level: ProgramLevel | None = None
    duration_semesters: Annotated[int, Field(ge=1, le=12)] | None = None


class ProgramRead(ReadModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "a0a9a5c9-4c63-4f33-b4e7-bff04f900d69",
                    "department_id": "6ce4988f-15c9-41d2-a59c-4d87b94c33e9",
                    "code": "BTECH-CS",
                    "name": "B.Tech Computer Science",
                    "level": "UG",
                    "duration_semesters": 8,
                    "is_active": True,
                }
            ]
        }
    )

    id: uuid.UUID
    department_id: uuid.UUID
    code: str
    name: str
    level: ProgramLevel
    duration_semesters: int
    is_active: bool


class AcademicYearCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"code": "2025-2026", "start_date": "2025-07-01", "end_date": "2026-06-30"}
            ]
        }
    )

    code: YearCode
    start_date: date
    end_date: date
    is_current: bool = False


class AcademicYearUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"is_current": True}]})

    code: YearCode | None = None
    start_date: date | None = None
    end_date: date | None = None
    is_current: bool | None = None


class AcademicYearRead(ReadModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "80a4aed2-bf2d-4480-8553-f480f3de57ab",
                    "code": "2024-2025",
                    "start_date": "2024-07-01",
                    "end_date": "2025-06-30",
                    "is_current": True,
                }
            ]
        }
    )

    id: uuid.UUID
    code: str
    start_date: date
    end_date: date
    is_current: bool


class TermCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "academic_year_id": "b0e02a6d-d193-4191-8f50-af5f3857fb4e",
                    "code": "2025-2026-ODD",
                    "name": "2025-2026 Odd Semester",
                    "kind": "ODD",
                    "start_date": "2025-07-14",
                    "end_date": "2025-11-29",
                    "registration_start": "2025-06-23T09:00:00+05:30",
                    "registration_end": "2025-07-21T17:00:00+05:30",
                    "drop_deadline": "2025-08-11T17:00:00+05:30",
                    "min_credits": 15,
                    "max_credits": 30,
                }
            ]
        }
    )

    academic_year_id: uuid.UUID
    code: TermCode
    name: TermName
    kind: TermKind
    start_date: date
    end_date: date
    registration_start: AwareDatetime
    registration_end: AwareDatetime
    drop_deadline: AwareDatetime | None = None
    min_credits: Credits | None = None
    max_credits: Credits | None = None


class TermUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"registration_end": "2024-08-05T17:00:00+05:30"}]}
    )

    academic_year_id: uuid.UUID | None = None
    code: TermCode | None = None
    name: TermName | None = None
    kind: TermKind | None = None
    start_date: date | None = None
    end_date: date | None = None
    registration_start: AwareDatetime | None = None
    registration_end: AwareDatetime | None = None
    drop_deadline: AwareDatetime | None = None
    min_credits: Credits | None = None
    max_credits: Credits | None = None


class TermRead(ReadModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "cf8bc217-27ad-4818-899b-f7f6f38637f4",
                    "academic_year_id": "80a4aed2-bf2d-4480-8553-f480f3de57ab",
                    "code": "2024-2025-ODD",
                    "name": "2024-2025 Odd Semester",
                    "kind": "ODD",
                    "start_date": "2024-07-15",
                    "end_date": "2024-11-30",
                    "registration_start": "2024-06-29T09:00:00Z",
                    "registration_end": "2024-07-29T09:00:00Z",
                    "drop_deadline": "2024-08-12T09:00:00Z",
                    "min_credits": 15,
                    "max_credits": 30,
                    "is_active": True,
                }
            ]
        }
    )

    id: uuid.UUID
    academic_year_id: uuid.UUID
    code: str
    name: str
    kind: TermKind
    start_date: date
    end_date: date
    registration_start: datetime
    registration_end: datetime
    drop_deadline: datetime | None
    min_credits: int | None
    max_credits: int | None
    is_active: bool
