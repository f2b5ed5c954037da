"""The AP university: institution, departments, programs, years, terms, catalog and faculty."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from registrar.academics.models import (
    AcademicProgram,
    AcademicYear,
    Course,
    Department,
    ProgramLevel,
    Term,
    TermKind,
    course_prerequisites,
)
from registrar.auth.models import Role, User
from registrar.demo.catalog import CourseSpec, describe, program_catalog
from registrar.demo.common import Hashes, Ids, open_window, past_window, term_row
from registrar.institutions import grading
from registrar.institutions.models import Institution, InstitutionKind
from registrar.kit.bulk import Row, Rows

TAG = "ap-university"
EMAIL_DOMAIN = "apu.edu.in"
CURRENT_YEAR = 2024  # 2024-2025 is the current academic year; its ODD term is open
FIRST_YEAR = 2021  # the oldest year a final-year student passed through


@dataclass(frozen=True)
class DepartmentDef:
    code: str
    name: str
    building: str
    room_prefix: str


@dataclass(frozen=True)
class ProgramDef:
    code: str
    name: str
    department: str
    level: ProgramLevel
    semesters: int
    prefix: str  # roll numbers, batch codes and course codes: 22CS001, CS-2024-3-A, CS301
    weight: int  # share of the intake

    @property
    def years(self) -> int:
        """Years of study."""
        return self.semesters // 2


DEPARTMENTS = (
    DepartmentDef("CS", "Computer Science", "Computer Science Block", "CS"),
    DepartmentDef("EC", "Electronics and Communication Engineering", "Electronics Block", "EC"),
    DepartmentDef("EE", "Electrical and Electronics Engineering", "Electrical Block", "EE"),
    DepartmentDef("ME", "Mechanical Engineering", "Mechanical Block", "ME"),
    DepartmentDef("CE", "Civil Engineering", "Civil Engineering Block", "CE"),
    DepartmentDef("SM", "School of Management", "Management Block", "MB"),
)
PROGRAMS = (
    ProgramDef("BTECH-CS", "B.Tech Computer Science", "CS", ProgramLevel.UG, 8, "CS", 30),
    ProgramDef(
        "BTECH-EC", "B.Tech Electronics and Communication", "EC", ProgramLevel.UG, 8, "EC", 20
    ),
    ProgramDef("BTECH-EE", "B.Tech Electrical and Electronics", "EE", ProgramLevel.UG, 8, "EE", 12),
    ProgramDef("BTECH-ME", "B.Tech Mechanical Engineering", "ME", ProgramLevel.UG, 8, "ME", 12),
    ProgramDef("BTECH-CE", "B.Tech Civil Engineering", "CE", ProgramLevel.UG, 8, "CE", 10),
    ProgramDef("MCA", "Master of Computer Applications", "CS", ProgramLevel.PG, 4, "MCA", 8),
    ProgramDef("MBA", "Master of Business Administration", "SM", ProgramLevel.PG, 4, "MBA", 8),
)


@dataclass
class Campus:
    """The university's planned rows and the ids later stages refer to."""

    seed: int
    now: datetime
    rows: Rows
    ids: Ids
    institution_id: uuid.UUID
    departments: dict[str, uuid.UUID] = field(default_factory=dict)
    programs: dict[str, uuid.UUID] = field(default_factory=dict)
    years: dict[int, uuid.UUID] = field(default_factory=dict)
    terms: dict[tuple[int, TermKind], Row] = field(default_factory=dict)
    courses: dict[str, uuid.UUID] = field(default_factory=dict)
    catalogs: dict[str, list[CourseSpec]] = field(default_factory=dict)

    def department_of(self, program: ProgramDef) -> DepartmentDef:
        """The department that runs a program."""
        return next(d for d in DEPARTMENTS if d.code == program.department)

    def term(self, admission: int, semester: int) -> Row:
        """The calendar term in which a cohort admitted in `admission` studied a semester."""
        start_year = admission + (semester - 1) // 2
        kind = TermKind.ODD if semester % 2 == 1 else TermKind.EVEN
        return self.terms[(start_year, kind)]

    def semester_courses(self, program: ProgramDef, semester: int) -> list[CourseSpec]:
        """The catalog courses of one semester of a program."""
        return [spec for spec in self.catalogs[program.code] if spec.semester == semester]


def build_campus(seed: int, now: datetime, hashes: Hashes) -> Campus:
    """Plan the institution and its structure (everything but batches, students and sections)."""
    ids = Ids(seed, "university")
    campus = Campus(seed=seed, now=now, rows=Rows(), ids=ids, institution_id=ids.new())
    campus.rows.add(
        Institution.__table__,
        {
            "id": campus.institution_id,
            "tag": TAG,
            "name": "Andhra Pradesh Technological University",
            "kind": InstitutionKind.UNIVERSITY.value,
            "email_domain": EMAIL_DOMAIN,
            "grade_scale": grading.TEN_POINT_SCALE,
            "gpa_scale_max": 10,
            "passing_grade_points": 5,
            "min_credits": 15,
            "max_credits": 30,
            "default_waitlist_limit": 10,
            "is_active": True,
        },
    )
    campus.rows.add(
        User.__table__,
        registrar_user(ids, campus.institution_id, hashes, "registrar", EMAIL_DOMAIN),
    )
    _departments_and_programs(campus)
    _years_and_terms(campus)
    _catalog(campus)
    return campus


def registrar_user(
    ids: Ids, institution_id: uuid.UUID, hashes: Hashes, username: str, email_domain: str
) -> Row:
    """A registrar's login (password `registrar123`), with a mailbox for registrar notices."""
    return {
        "id": ids.new(),
        "institution_id": institution_id,
        "username": username,
        "password_hash": hashes.registrar,
        "role": Role.REGISTRAR.value,
        "full_name": "Office of the Registrar",
        "email": f"{username.lower().replace('_', '.')}@{email_domain}",
        "is_active": True,
    }


def _departments_and_programs(campus: Campus) -> None:
    for department in DEPARTMENTS:
        row = campus.rows.add(
            Department.__table__,
            {
                "id": campus.ids.new(),
                "institution_id": campus.institution_id,
                "code": department.code,
                "name": department.name,
                "is_active": True,
            },
        )
        campus.departments[department.code] = row["id"]
    for program in PROGRAMS:
        row = campus.rows.add(
            AcademicProgram.__table__,
            {
                "id": campus.ids.new(),
                "institution_id": campus.institution_id,
                "department_id": campus.departments[program.department],
                "code": program.code,
                "name": program.name,
                "level": program.level.value,
                "duration_semesters": program.semesters,
                "is_active": True,
            },
        )
        campus.programs[program.code] = row["id"]


def _years_and_terms(campus: Campus) -> None:
    """2021-2022 to 2024-2025, each with its odd and even semester."""
    for start in range(FIRST_YEAR, CURRENT_YEAR + 1):
        code = f"{start}-{start + 1}"
        year = campus.rows.add(
            AcademicYear.__table__,
            {
                "id": campus.ids.new(),
                "institution_id": campus.institution_id,
                "code": code,
                "start_date": date(start, 7, 1),
                "end_date": date(start + 1, 6, 30),
                "is_current": start == CURRENT_YEAR,
            },
        )
        campus.years[start] = year["id"]
        spans = {
            TermKind.ODD: (date(start, 7, 15), date(start, 11, 30), "Odd Semester"),
            TermKind.EVEN: (date(start, 12, 15), date(start + 1, 4, 30), "Even Semester"),
        }
        for kind, (begins, ends, label) in spans.items():
            is_current = start == CURRENT_YEAR and kind is TermKind.ODD
            window = open_window(campus.now) if is_current else past_window(begins, campus.now)
            row = term_row(
                campus.ids,
                campus.institution_id,
                year["id"],
                code=f"{code}-{kind.value}",
                name=f"{code} {label}",
                kind=kind,
                dates=(begins, ends),
                window=window,
                credits=(15, 30),
            )
            campus.rows.add(Term.__table__, row)
            campus.terms[(start, kind)] = row


def _catalog(campus: Campus) -> None:
    for program in PROGRAMS:
        specs = program_catalog(program.prefix, program.prefix)
        campus.catalogs[program.code] = specs
        for spec in specs:
            row = campus.rows.add(
                Course.__table__,
                {
                    "id": campus.ids.new(),
                    "institution_id": campus.institution_id,
                    "department_id": campus.departments[program.department],
                    "program_id": campus.programs[program.code],
                    "code": spec.code,
                    "title": spec.title,
                    "description": describe(spec, program.name, program.level.value),
                    "credits": spec.credits,
                    "level": program.level.value,
                    "catalog_semester": spec.semester,
                    "is_core": spec.is_core,
                    "is_active": True,
                },
            )
            campus.courses[spec.code] = row["id"]
        for spec in specs:
            for prerequisite in spec.prerequisites:
                campus.rows.add(
                    course_prerequisites,
                    {
                        "institution_id": campus.institution_id,
                        "course_id": campus.courses[spec.code],
                        "prerequisite_id": campus.courses[prerequisite],
                    },
                )
