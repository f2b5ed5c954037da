"""The columns of each import file, as one pydantic model per kind of row.

A cell left empty is None. Codes name rows of the institution (department, program, academic
year, batch, course, term, faculty, room); the importer resolves them, these models only check
each cell on its own.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from registrar.academics.models import SectionType, Weekday
from registrar.kit.bounds import Lines, OneLine
from registrar.students.models import Gender, StudentStatus

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CATEGORY = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")
_SLOT = re.compile(
    r"^(?P<day>[A-Za-z]+)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})(?:\s+(?P<room>\S+))?$"
)
_DAYS = {day.value[:3]: day for day in Weekday} | {day.value: day for day in Weekday}


def _upper(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


Upper = BeforeValidator(_upper)
# Every cell is one line of text no longer than its column holds, so that whatever a dry run
# accepts a real run can write. Codes the importer only looks up are bounded all the same.
CourseCode = Annotated[str, Field(min_length=1, max_length=32), Upper, OneLine]
Text = Annotated[str, Field(max_length=200), OneLine]
UpperText = Annotated[str, Field(max_length=200), Upper, OneLine]


def _email(value: str | None) -> str | None:
    if value is not None and not _EMAIL.match(value):
        raise ValueError("not a valid email address")
    return value


class Row(BaseModel):
    """Cells as strings, empty ones as None; unknown columns are refused earlier."""

    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class StudentRow(Row):
    """One student: `roll_number` and `name` are required."""

    roll_number: Annotated[str, Field(min_length=1, max_length=32), OneLine]
    name: Annotated[str, Field(min_length=1, max_length=200), OneLine]
    email: Annotated[str, Field(max_length=254), OneLine] | None = None
    gender: Annotated[Gender | None, Upper] = None
    category: UpperText | None = None
    guardian_email: Annotated[str, Field(max_length=254), OneLine] | None = None
    department_code: UpperText | None = None
    program_code: UpperText | None = None
    academic_year: Text | None = None
    year_of_study: Annotated[int | None, Field(ge=1, le=6)] = None
    semester: Annotated[int | None, Field(ge=1, le=12)] = None
    section: Annotated[str, Field(max_length=8), Upper, OneLine] | None = None
    batch_code: Text | None = None
    grade_level: Annotated[int | None, Field(ge=1, le=12)] = None
    track: Annotated[str, Field(max_length=40), OneLine] | None = None
    strand: Annotated[str, Field(max_length=40), OneLine] | None = None
    admission_year: Annotated[int | None, Field(ge=1900, le=2200)] = None
    status: Annotated[StudentStatus, Upper] = StudentStatus.ACTIVE
    password: Annotated[str, Field(min_length=6, max_length=256), OneLine] | None = None

    _emails = field_validator("email", "guardian_email")(_email)

    @field_validator("category")
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        if value is not None and not _CATEGORY.match(value):
            raise ValueError("a category is a short code of letters, digits and '-', e.g. OC, BC-A")
        return value


class CourseRow(Row):
    """One catalog course; `prerequisites` are course codes separated by ';'."""

    code: CourseCode
    title: Annotated[str, Field(min_length=1, max_length=200), OneLine]
    credits: Annotated[int, Field(ge=0, le=40)]
    department_code: UpperText | None = None
    prerequisites: Annotated[str, OneLine] | None = None
    description: Annotated[str, Lines] | None = None
    level: Annotated[str, Field(max_length=16), Upper, OneLine] | None = None
    catalog_semester: Annotated[int | None, Field(ge=1, le=12)] = None
    is_core: bool | None = None
    requires_linked_section: bool | None = None

    def prerequisite_codes(self) -> list[str]:
        """The prerequisite codes, upper-cased, each once, in file order."""
        codes = (part.strip().upper() for part in (self.prerequisites or "").split(";"))
        return list(dict.fromkeys(code for code in codes if code))


class Slot(BaseModel):
    """One meeting of a timetable cell."""

    day: Weekday
    start_time: time
    end_time: time
    room: str | None


def parse_timetable(text: str | None) -> list[Slot]:
    """`MON 09:00-10:30 CS-101; WED 09:00-10:30 CS-101` -> slots; ValueError naming the bad one."""
    slots: list[Slot] = []
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        match = _SLOT.match(part)
        day = _DAYS.get(match.group("day").upper()) if match else None
        if match is None or day is None:
            raise ValueError(f"{part!r} is not like 'MON 09:00-10:30 ROOM'")
        try:
            start = time.fromisoformat(match.group("start").zfill(5))
            end = time.fromisoformat(match.group("end").zfill(5))
        except ValueError as error:
            raise ValueError(f"{part!r} has an impossible time") from error
        if end <= start:
            raise ValueError(f"{part!r} ends before it starts")
        room = match.group("room")
        slots.append(
            Slot(day=day, start_time=start, end_time=end, room=room.upper() if room else None)
        )
    return slots


class SectionRow(Row):
    """One course section of a term, with its timetable."""

    course_code: CourseCode
    term_code: Annotated[str, Field(min_length=1, max_length=40), OneLine]
    section_code: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^\S+$"), OneLine]
    section_type: Annotated[SectionType, Upper] = SectionType.LECTURE
    capacity: Annotated[int, Field(ge=0, le=100000)]
    reserve_limit: Annotated[int | None, Field(ge=0, le=100000)] = None
    faculty_code: Text | None = None
    batch_code: Text | None = None
    timetable: Annotated[str, OneLine] | None = None
    # For a LAB or TUTORIAL: the section code of its LECTURE (in the file or already offered).
    linked_to: Annotated[str, Field(max_length=40), OneLine] | None = None

    @field_validator("timetable")
    @classmethod
    def _timetable(cls, value: str | None) -> str | None:
        parse_timetable(value)
        return value

    def slots(self) -> list[Slot]:
        """The parsed timetable (already checked when the row was read)."""
        return parse_timetable(self.timetable)


ROW_MODELS: dict[str, type[Row]] = {
    "students": StudentRow,
    "courses": CourseRow,
    "sections": SectionRow,
}


def columns_of(model: type[Row]) -> tuple[list[str], list[str]]:
    """(required, optional) column names of a kind of row."""
    required = [name for name, field in model.model_fields.items() if field.is_required()]
    optional = [name for name, field in model.model_fields.items() if not field.is_required()]
    return required, optional
