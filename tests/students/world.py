"""A small university (and a second institution) for the student and division tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from registrar.academics.models import AcademicProgram, AcademicYear, Department
from registrar.auth.models import Role
from registrar.institutions.models import Institution
from registrar.students.models import Gender, Student, StudentBatch, StudentStatus
from tests import factories


@dataclass
class World:
    inst: Institution
    other: Institution
    cs: Department
    ee: Department
    cs_btech: AcademicProgram
    ee_btech: AcademicProgram
    y22: AcademicYear
    y23: AcademicYear
    cs_a: StudentBatch
    cs_b: StudentBatch
    ee_a: StudentBatch
    cs_2023_b: StudentBatch
    other_dept: Department
    other_student: Student
    students: dict[str, Student] = field(default_factory=dict)

    def sid(self, roll: str) -> str:
        """The id of a student, as the API spells it."""
        return str(self.students[roll].id)


def _add(world: World, session: Session, roll: str, batch: StudentBatch, **fields: Any) -> None:
    world.students[roll] = factories.student(
        session, world.inst, roll, of_batch=batch, with_login=False, **fields
    )


def build(session: Session) -> World:
    """CS sections A and B and EE section A of 1st year semester 2 in 2022-2023, and more."""
    inst = factories.institution(session, tag="ap-university")
    factories.user(session, inst, "registrar", Role.REGISTRAR)
    factories.user(session, inst, "admin", Role.ADMIN)
    other = factories.institution(session, tag="other-university")
    factories.user(session, other, "other-registrar", Role.REGISTRAR)
    other_dept = factories.department(session, other, "CS")
    other_student = factories.student(session, other, "OTHER001")
    cs = factories.department(session, inst, "CS")
    ee = factories.department(session, inst, "EE")
    cs_btech = factories.program(session, inst, cs)
    ee_btech = factories.program(session, inst, ee)
    y22 = factories.academic_year(session, inst, "2022-2023")
    y23 = factories.academic_year(session, inst, "2023-2024")

    def batch(code: str, dept: Department, prog: AcademicProgram, **fields: Any) -> StudentBatch:
        values: dict[str, Any] = {"year_of_study": 1, "semester": 2, "capacity": 70}
        values.update(fields)
        return factories.batch(session, inst, dept=dept, prog=prog, code=code, **values)

    world = World(
        inst=inst,
        other=other,
        cs=cs,
        ee=ee,
        cs_btech=cs_btech,
        ee_btech=ee_btech,
        y22=y22,
        y23=y23,
        cs_a=batch("CS-2022-1-A", cs, cs_btech, year=y22, section="A"),
        cs_b=batch("CS-2022-1-B", cs, cs_btech, year=y22, section="B"),
        ee_a=batch("EE-2022-1-A", ee, ee_btech, year=y22, section="A"),
        cs_2023_b=batch(
            "CS-2023-2-B", cs, cs_btech, year=y23, section="B", year_of_study=2, semester=3
        ),
        other_dept=other_dept,
        other_student=other_student,
    )
    _add(world, session, "22CS001", world.cs_a, name="Asha Rao", gender=Gender.F)
    _add(world, session, "22CS002", world.cs_a, name="Bala Krishna", gender=Gender.M, category="BC")
    _add(world, session, "22CS003", world.cs_a, name="Chitra Devi", gender=Gender.F)
    _add(world, session, "22CS004", world.cs_a, name="Dropped Out", status=StudentStatus.INACTIVE)
    _add(world, session, "22CS101", world.cs_b, name="Eshwar Naidu", gender=Gender.M)
    _add(world, session, "22CS102", world.cs_b, name="Farida Begum", gender=Gender.F, category="BC")
    _add(world, session, "22EE001", world.ee_a, name="Gopal Reddy", gender=Gender.M, category="SC")
    _add(world, session, "22EE002", world.ee_a, name="Hema Latha", gender=Gender.F)
    return world


def many_students(
    session: Session, batch: StudentBatch, count: int, prefix: str
) -> list[uuid.UUID]:
    """`count` active students of a batch, inserted in one batched statement."""
    rows: list[dict[str, Any]] = [
        {
            "id": uuid.uuid4(),
            "institution_id": batch.institution_id,
            "roll_number": f"{prefix}{n:05d}",
            "name": f"Student {prefix}{n:05d}",
            "gender": Gender.M if n % 2 else Gender.F,
            "category": "OC",
            "status": StudentStatus.ACTIVE,
            "batch_id": batch.id,
            "department_id": batch.department_id,
            "program_id": batch.program_id,
            "academic_year_id": batch.academic_year_id,
            "year_of_study": batch.year_of_study,
            "semester": batch.semester,
            "section": batch.section,
        }
        for n in range(count)
    ]
    session.execute(insert(Student), rows)
    return [row["id"] for row in rows]
