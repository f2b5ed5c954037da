"""Bodies for courses, faculty and rooms."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, EmailStr, Field

from registrar.academics.models import Course
from registrar.academics.schemas.structure import Code, Name, ReadModel
from registrar.kit.bounds import Lines, OneLine

Credits = Annotated[int, Field(ge=0, le=40)]
Semester = Annotated[int, Field(ge=1, le=12)]
GradeLevel = Annotated[int, Field(ge=1, le=12)]
Label = Annotated[str, Field(min_length=1, max_length=40), OneLine]
Level = Annotated[str, Field(min_length=1, max_length=16), OneLine]
# A course's description is free text of any length the body holds (the column is TEXT).
Description = Annotated[str, Lines]
Designation = Annotated[str, Field(max_length=80), OneLine]
Building = Annotated[str, Field(min_length=1, max_length=120), OneLine]


class CourseCreate(BaseModel):
    department_id: uuid.UUID | None = None
    program_id: uuid.UUID | None = None
    code: Code
    title: Name
    description: Description = ""
    credits: Credits
    level: Level = "UG"
    catalog_semester: Semester | None = None
    grade_level: GradeLevel | None = None
    track: Label | None = None
    strand: Label | None = None
    is_core: bool = True
    prerequisite_ids: list[uuid.UUID] = Field(default_factory=list, max_length=50)
    requires_linked_section: bool = Field(
        default=False, description="Taken only with one of its lecture's LAB or TUTORIAL sections"
    )


class CourseUpdate(BaseModel):
    department_id: uuid.UUID | None = None
    program_id: uuid.UUID | None = None
    code: Code | None = None
    title: Name | None = None
    description: Description | None = None
    credits: Credits | None = None
    level: Level | None = None
    catalog_semester: Semester | None = None
    grade_level: GradeLevel | None = None
    track: Label | None = None
    strand: Label | None = None
    is_core: bool | None = None
    prerequisite_ids: list[uuid.UUID] | None = Field(default=None, max_length=50)
    requires_linked_section: bool | None = None


class PrerequisiteRead(ReadModel):
    id: uuid.UUID
    code: str
    title: str


class CourseRead(ReadModel):
    id: uuid.UUID
    department_id: uuid.UUID | None
    program_id: uuid.UUID | None
    code: str
    title: str
    description: str
    credits: int
    level: str
    catalog_semester: int | None
    grade_level: int | None
    track: str | None
    strand: str | None
    is_core: bool
    is_active: bool
    prerequisite_ids: list[uuid.UUID]
    prerequisites: list[PrerequisiteRead]
    requires_linked_section: bool = False


class FacultyCreate(BaseModel):
    employee_code: Code
    name: Name
    email: EmailStr | None = None
    department_id: uuid.UUID | None = None
    designation: Designation = ""


class FacultyUpdate(BaseModel):
    employee_code: Code | None = None
    name: Name | None = None
    email: EmailStr | None = None
    department_id: uuid.UUID | None = None
    designation: Designation | None = None


class FacultyRead(ReadModel):
    id: uuid.UUID
    employee_code: str
    name: str
    email: str | None
    department_id: uuid.UUID | None
    designation: str
    is_active: bool


class RoomCreate(BaseModel):
    code: Code
    building: Building
    capacity: Annotated[int, Field(gt=0, le=10000)] = 60


class RoomUpdate(BaseModel):
    code: Code | None = None
    building: Building | None = None
    capacity: Annotated[int, Field(gt=0, le=10000)] | None = None


class RoomRead(ReadModel):
    id: uuid.UUID
    code: str
    building: str
    capacity: int
    is_active: bool


def course_read(row: Course) -> CourseRead:
    """The API shape of a course loaded with its prerequisites."""
    prerequisites = sorted(row.prerequisites, key=lambda p: p.code)
    return CourseRead.model_validate(
        {
            **{
                key: getattr(row, key)
                for key in CourseRead.model_fields
                if hasattr(row, key) and key != "prerequisites"
            },
            "prerequisite_ids": [p.id for p in prerequisites],
            "prerequisites": [PrerequisiteRead.model_validate(p) for p in prerequisites],
        }
    )
