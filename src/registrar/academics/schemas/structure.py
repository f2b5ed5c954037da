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
    code: Code
    name: Name


class DepartmentUpdate(BaseModel):
    code: Code | None = None
    name: Name | None = None


class DepartmentRead(ReadModel):
    id: uuid.UUID
    code: str
    name: str
    is_active: bool


class ProgramCreate(BaseModel):
    department_id: uuid.UUID
    code: Code
    name: Name
    level: ProgramLevel = ProgramLevel.UG
    duration_semesters: Annotated[int, Field(ge=1, le=12)] = 8


class ProgramUpdate(BaseModel):
    department_id: uuid.UUID | None = None
    code: Code | None = None
    name: Name | None = None
    level: ProgramLevel | None = None
    duration_semesters: Annotated[int, Field(ge=1, le=12)] | None = None


class ProgramRead(ReadModel):
    id: uuid.UUID
    department_id: uuid.UUID
    code: str
    name: str
    level: ProgramLevel
    duration_semesters: int
    is_active: bool


class AcademicYearCreate(BaseModel):
    code: YearCode
    start_date: date
    end_date: date
    is_current: bool = False


class AcademicYearUpdate(BaseModel):
    code: YearCode | None = None
    start_date: date | None = None
    end_date: date | None = None
    is_current: bool | None = None


class AcademicYearRead(ReadModel):
    id: uuid.UUID
    code: str
    start_date: date
    end_date: date
    is_current: bool


class TermCreate(BaseModel):
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
