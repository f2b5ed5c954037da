"""Bodies for courses, faculty and rooms."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "department_id": "6ce4988f-15c9-41d2-a59c-4d87b94c33e9",
                    "code": "CS344",
                    "title": "Soft Computing",
                    "description": "Fuzzy logic, neural networks and genetic algorithms.",
                    "credits": 3,
                    "catalog_semester": 5,
                    "is_core": False,
                    "prerequisite_ids": ["100471e5-9458-4b2a-b467-0436aabc4dc9"],
                }
            ]
        }
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"credits": 4, "prerequisite_ids": ["a916c60b-c7e0-4582-8747-91e48ab76c5e"]}
            ]
        }
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "a916c60b-c7e0-4582-8747-91e48ab76c5e",
                    "code": "CS201",
                    "title": "Programming Fundamentals",
                }
            ]
        }
    )

    id: uuid.UUID
    code: str
    title: str


class CourseRead(ReadModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "d8ed7f58-32ba-4b7e-9933-5f9cc368408e",
                    "department_id": "6ce4988f-15c9-41d2-a59c-4d87b94c33e9",
                    "program_id": "a0a9a5c9-4c63-4f33-b4e7-bff04f900d69",
                    "code": "CS301",
                    "title": "Data Structures and Algorithms",
                    "description": "Core course of B.Tech Computer Science (UG), semester 5: "
                    "Data Structures and Algorithms.",
                    "credits": 4,
                    "level": "UG",
                    "catalog_semester": 5,
                    "grade_level": None,
                    "track": None,
                    "strand": None,
                    "is_core": True,
                    "is_active": True,
                    "prerequisite_ids": ["a916c60b-c7e0-4582-8747-91e48ab76c5e"],
                    "prerequisites": [
                        {
                            "id": "a916c60b-c7e0-4582-8747-91e48ab76c5e",
                            "code": "CS201",
                            "title": "Programming Fundamentals",
                        }
                    ],
                }
            ]
        }
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "employee_code": "CSF031",
                    "name": "Dr. Srinivasa Rao Kolli",
                    "email": "srinivasarao.kolli@apu.edu.in",
                    "department_id": "6ce4988f-15c9-41d2-a59c-4d87b94c33e9",
                    "designation": "Assistant Professor",
                }
            ]
        }
    )

    employee_code: Code
    name: Name
    email: EmailStr | None = None
    department_id: uuid.UUID | None = None
    designation: Designation = ""


class FacultyUpdate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"designation": "Associate Professor"}]}
    )

    employee_code: Code | None = None
    name: Name | None = None
    email: EmailStr | None = None
    department_id: uuid.UUID | None = None
    designation: Designation | None = None


class FacultyRead(ReadModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "43c52748-acb9-4fba-ae89-14e1415c6d71",
                    "employee_code": "CSF003",
                    "name": "Prof. Rajesh Reddy",
                    "email": "rajesh.reddy@apu.edu.in",
                    "department_id": "6ce4988f-15c9-41d2-a59c-4d87b94c33e9",
                    "designation": "Assistant Professor",
                    "is_active": True,
                }
            ]
        }
    )

    id: uuid.UUID
    employee_code: str
    name: str
    email: str | None
    department_id: uuid.UUID | None
    designation: str
    is_active: bool


class RoomCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"code": "CS-201", "building": "Computer Science Block", "capacity": 60}]
        }
    )

    code: Code
    building: Building
    capacity: Annotated[int, Field(gt=0, le=10000)] = 60


class RoomUpdate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"capacity": 72}]})

    code: Code | None = None
    building: Building | None = None
    capacity: Annotated[int, Field(gt=0, le=10000)] | None = None


class RoomRead(ReadModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "81edf437-405c-4471-aa0c-a0a894e455d2",
                    "code": "CS-105",
                    "building": "Computer Science Block",
                    "capacity": 70,
                    "is_active": True,
                }
            ]
        }
    )

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
