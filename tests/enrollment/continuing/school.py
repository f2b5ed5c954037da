"""A small K-12 school built with the factories: every level, eligible and ineligible students.

Marks are percentages (75 passes); every subject meets in its own hour, so nothing clashes
unless a test says so.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear, Course, CourseSection, Term, TermKind, Weekday
from registrar.auth.models import Role
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.institutions.models import Institution, InstitutionKind
from registrar.students.models import Student, StudentBatch
from tests import factories

TAG = "sample-school"
REGISTRAR = "REGISTRAR_001"
PATH = "/api/v2/enrollment/continuing/process"


def body(student: str, **fields: Any) -> dict[str, Any]:
    """A request for the school year SY2024-2025, processed by the registrar."""
    return {
        "studentId": student,
        "schoolYearId": "SY2024-2025",
        "processedBy": REGISTRAR,
        **fields,
    }


@dataclass
class School:
    """Codes and ids the tests refer to."""

    tag: str
    institution_id: uuid.UUID
    students: dict[str, uuid.UUID] = field(default_factory=dict)
    sections: dict[str, uuid.UUID] = field(default_factory=dict)


def _hours() -> Iterator[tuple[Weekday, time, time]]:
    days = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.SATURDAY)
    for day in days:
        for hour in range(6, 22):
            yield day, time(hour), time(hour, 50)


class Builder:
    """Builds the school in one session."""

    def __init__(self, session: Session, tag: str = TAG) -> None:
        self.s = session
        self.inst: Institution = factories.institution(
            session, tag, name="Sample School", kind=InstitutionKind.K12, grade_scale=[]
        )
        self.school = School(tag=tag, institution_id=self.inst.id)
        self.hours = _hours()
        self.room = factories.room(session, self.inst, "R101")
        self.courses: dict[str, Course] = {}
        self.batches: dict[str, StudentBatch] = {}

    def year(self, code: str, start: int) -> AcademicYear:
        row = factories.academic_year(self.s, self.inst, code)
        row.start_date, row.end_date = date(start, 6, 1), date(start + 1, 3, 31)
        row.is_current = start == 2024
        self.s.flush()
        return row

    def term(self, year: AcademicYear, kind: TermKind, code: str, months: tuple[int, int]) -> Term:
        start_year = year.start_date.year
        first, last = months
        return factories.term(
            self.s,
            self.inst,
            year,
            kind,
            code=code,
            start_date=date(start_year + (first < 6), first, 1),
            end_date=date(start_year + (last < 6), last, 28),
            min_credits=None,
            max_credits=None,
        )

    def course(
        self, code: str, grade: int, *, units: int = 1, core: bool = True, **kw: Any
    ) -> Course:
        row = factories.course(
            self.s,
            self.inst,
            code=code,
            title=f"{code} subject",
            credits=units,
            grade_level=grade,
            is_core=core,
            **kw,
        )
        self.courses[code] = row
        return row

    def batch(self, code: str, grade: int, year: AcademicYear, **kw: Any) -> StudentBatch:
        row = factories.batch(
            self.s,
            self.inst,
            code=code,
            year=year,
            grade_level=grade,
            year_of_study=None,
            semester=None,
            section=code[-1],
            capacity=60,
            **kw,
        )
        self.batches[code] = row
        return row

    def schedule(
        self,
        code: str,
        course: str,
        term: Term,
        *,
        batch: str | None = None,
        capacity: int = 40,
        slot: tuple[Weekday, time, time] | None = None,
    ) -> CourseSection:
        row = factories.section(
            self.s,
            self.inst,
            self.courses[course],
            term,
            capacity=capacity,
            waitlist_limit=0,
            slots=(slot or next(self.hours),),
            batch=self.batches[batch] if batch else None,
            where=self.room,
            code=code,
        )
        self.school.sections[code] = row.id
        return row

    def student(self, roll: str, grade: int, **kw: Any) -> Student:
        row = factories.student(
            self.s,
            self.inst,
            roll,
            grade_level=grade,
            email=f"{roll.lower()}@students.test",
            guardian_email=f"parent.{roll.lower()}@family.test",
            **kw,
        )
        self.school.students[roll] = row.id
        return row

    def marks(
        self,
        stu: Student,
        schedules: dict[str, CourseSection],
        marks: dict[str, int],
        attendance: int = 95,
        notes: str = "",
        kind: EnrollmentType = EnrollmentType.REGULAR,
    ) -> None:
        for course, mark in marks.items():
            factories.enrollment(
                self.s,
                self.inst,
                stu,
                schedules[course],
                EnrollmentStatus.COMPLETED,
                grade=str(mark),
                grade_points=mark,
                attendance=attendance,
                notes=notes,
                enrollment_type=kind,
            )


def build(session: Session, tag: str = TAG) -> School:
    """The whole school: policies, years, terms, subjects, homerooms, students and records."""
    b = Builder(session, tag)
    for level in ("ELEMENTARY", "JUNIOR_HIGH", "SENIOR_HIGH"):
        factories.level_policy(session, b.inst, level)
    registrar = factories.user(session, b.inst, REGISTRAR, Role.REGISTRAR)
    registrar.email = "registrar@school.test"
    factories.user(session, b.inst, "TEACHER_001", Role.FACULTY)
    last, this = b.year("SY2023-2024", 2023), b.year("SY2024-2025", 2024)
    last_fy = b.term(last, TermKind.FULL_YEAR, "SY2023-2024-FY", (6, 3))
    last_s1 = b.term(last, TermKind.FIRST, "SY2023-2024-SEM1", (6, 10))
    last_s2 = b.term(last, TermKind.SECOND, "SY2023-2024-SEM2", (11, 3))
    fy = b.term(this, TermKind.FULL_YEAR, "SY2024-2025-FY", (6, 3))
    sem1 = b.term(this, TermKind.FIRST, "SEM1", (6, 10))
    sem2 = b.term(this, TermKind.SECOND, "SEM2", (11, 3))

    _elementary(b, last, this, last_fy, fy)
    _junior_high(b, last, this, last_fy, fy)
    _senior_high(b, last, this, (last_fy, last_s1, last_s2), (sem1, sem2))
    session.flush()
    return b.school


def _elementary(
    b: Builder, last: AcademicYear, this: AcademicYear, last_fy: Term, fy: Term
) -> None:
    for code in ("MATH3", "ENG3", "SCI3"):
        b.course(code, 3)
    b.course("ART3", 3, core=False)
    for code in ("MATH4", "ENG4", "SCI4", "FIL4", "AP4"):
        b.course(code, 4)
    b.course("COMP4", 4, core=False)
    b.batch("SEC-G3-A", 3, last)
    g4 = b.batch("SEC-G4-A", 4, this)
    b.batch("SEC-G5-A", 5, this)
    old = {
        c: b.schedule(f"{c}-2023", c, last_fy, batch="SEC-G3-A")
        for c in ("MATH3", "ENG3", "SCI3", "ART3")
    }
    summer = {"MATH3": b.schedule("MATH3-SUMMER", "MATH3", last_fy)}
    friday = (Weekday.FRIDAY, time(8), time(8, 50))
    b.schedule("G4A-MATH4", "MATH4", fy, batch="SEC-G4-A", slot=friday)
    for c in ("ENG4", "SCI4", "FIL4", "AP4", "COMP4"):
        b.schedule(f"G4A-{c}", c, fy, batch="SEC-G4-A")
    b.schedule("SCH456", "COMP4", fy)
    b.schedule("ENG4-CLASH", "ENG4", fy, slot=friday)
    full = b.schedule("SCH457", "COMP4", fy, capacity=1)
    passed = {"MATH3": 85, "ENG3": 88, "SCI3": 90, "ART3": 92}
    b.marks(b.student("ELEM123", 3), old, passed)
    b.marks(b.student("ELEM-3FAIL", 3), old, {**passed, "MATH3": 70, "ENG3": 72, "SCI3": 74})
    b.marks(b.student("ELEM-CORE", 3), old, {**passed, "MATH3": 70})
    summer_kid = b.student("ELEM-SUMMER", 3)
    b.marks(summer_kid, old, {**passed, "MATH3": 70})
    b.marks(summer_kid, summer, {"MATH3": 80}, notes="SUMMER program", kind=EnrollmentType.REPEAT)
    b.marks(b.student("ELEM-LOWATT", 3), old, passed, attendance=70)
    b.marks(b.student("ELEM-LOWAVG", 3), old, {"MATH3": 75, "ENG3": 75, "SCI3": 75, "ART3": 50})
    filler = b.student("ELEM-FILLER", 4, batch_id=g4.id)
    factories.enrollment(b.s, b.inst, filler, full, EnrollmentStatus.ENROLLED)


def _junior_high(
    b: Builder, last: AcademicYear, this: AcademicYear, last_fy: Term, fy: Term
) -> None:
    for code in ("MATH7", "ENG7", "SCI7", "ENG8", "SCI8"):
        b.course(code, int(code[-1]))
    b.course("MATH8", 8)
    factories.prerequisites_of(b.s, b.courses["MATH8"], b.courses["MATH7"])
    b.batch("SEC-G7-A", 7, last)
    b.batch("SEC-G8-A", 8, this)
    old = {
        c: b.schedule(f"{c}-2023", c, last_fy, batch="SEC-G7-A") for c in ("MATH7", "ENG7", "SCI7")
    }
    remedial = {"MATH7": b.schedule("MATH7-REM", "MATH7", last_fy)}
    for c in ("MATH8", "ENG8", "SCI8"):
        b.schedule(f"G8A-{c}", c, fy, batch="SEC-G8-A")
    b.marks(b.student("JHS-OK", 7), old, {"MATH7": 85, "ENG7": 85, "SCI7": 85})
    b.marks(b.student("JHS-LOWGPA", 7), old, {"MATH7": 75, "ENG7": 72, "SCI7": 70})
    b.marks(b.student("JHS-3FAIL", 7), old, {"MATH7": 70, "ENG7": 72, "SCI7": 74})
    b.marks(b.student("JHS-NOMATH", 7), old, {"ENG7": 88, "SCI7": 90})
    remedial_kid = b.student("JHS-REMEDIAL", 7)
    b.marks(remedial_kid, old, {"MATH7": 72, "ENG7": 85, "SCI7": 85})
    b.marks(remedial_kid, remedial, {"MATH7": 80}, notes="REMEDIAL class")


def _senior_high(
    b: Builder,
    last: AcademicYear,
    this: AcademicYear,
    old_terms: tuple[Term, Term, Term],
    terms: tuple[Term, Term],
) -> None:
    last_fy, last_s1, last_s2 = old_terms
    sem1, sem2 = terms
    stem: dict[str, Any] = {"track": "ACADEMIC", "strand": "STEM"}
    for code in ("MATH10", "ENG10"):
        b.course(code, 10)
    first = ("PRECAL11", "GENMATH11", "ORALCOM11", "GENCHEM11", "EARTHSCI11")
    second = ("CALC11", "PHYS11", "RESEARCH11", "STATS11", "PE11")
    twelfth = ("BIO12", "CHEM12", "PHYS12", "CAPSTONE12", "ENTREP12")
    for code in (*first, *second):
        b.course(
            code,
            11,
            units=3,
            core=code not in ("GENCHEM11", "EARTHSCI11", "STATS11", "PE11"),
            **stem,
        )
    for code in twelfth:
        b.course(code, 12, units=3, **stem)
    b.course("BUSMATH11", 11, units=3, track="ACADEMIC", strand="ABM")
    factories.prerequisites_of(b.s, b.courses["CALC11"], b.courses["PRECAL11"])
    b.batch("SEC-G10-A", 10, last)
    b.batch("SEC-G11-STEM-A", 11, this, **stem)
    b.batch("SEC-G11-ABM-A", 11, this, track="ACADEMIC", strand="ABM")
    b.batch("SEC-G12-STEM-A", 12, this, **stem)
    b.batch("SEC-G11-STEM-OLD", 11, last, **stem)
    tenth = {c: b.schedule(f"{c}-2023", c, last_fy, batch="SEC-G10-A") for c in ("MATH10", "ENG10")}
    old1 = {c: b.schedule(f"{c}-2023", c, last_s1, batch="SEC-G11-STEM-OLD") for c in first}
    old2 = {c: b.schedule(f"{c}-2024", c, last_s2, batch="SEC-G11-STEM-OLD") for c in second}
    now1 = {c: b.schedule(f"G11S-{c}", c, sem1, batch="SEC-G11-STEM-A") for c in first}
    for c in second:
        b.schedule(f"G11S-{c}", c, sem2, batch="SEC-G11-STEM-A")
    b.schedule("G11A-BUSMATH11", "BUSMATH11", sem1, batch="SEC-G11-ABM-A")
    for c in twelfth:
        b.schedule(f"G12S-{c}", c, sem1, batch="SEC-G12-STEM-A")
    _senior_high_students(b, tenth, now1, (old1, old2))


def _senior_high_students(
    b: Builder,
    tenth: dict[str, CourseSection],
    now1: dict[str, CourseSection],
    old: tuple[dict[str, CourseSection], dict[str, CourseSection]],
) -> None:
    stem: dict[str, Any] = {"track": "ACADEMIC", "strand": "STEM"}
    old1, old2 = old
    b.marks(b.student("SHS123", 11, **stem), tenth, {"MATH10": 88, "ENG10": 90})
    b.marks(b.student("G10-OK", 10), tenth, {"MATH10": 88, "ENG10": 90})
    b.marks(b.student("G10-CORE", 10), tenth, {"MATH10": 70, "ENG10": 90})
    b.marks(
        b.student("SHS-ABM", 11, track="ACADEMIC", strand="ABM"), tenth, {"MATH10": 88, "ENG10": 90}
    )
    b.marks(
        b.student("SHS-NOPRE", 11, **stem),
        now1,
        {"GENMATH11": 90, "ORALCOM11": 90, "GENCHEM11": 90, "EARTHSCI11": 90},
    )
    per_semester = b.student("SHS-PERSEM", 11, **stem)
    b.marks(
        per_semester,
        old1,
        {"PRECAL11": 95, "GENMATH11": 95, "ORALCOM11": 95, "GENCHEM11": 70, "EARTHSCI11": 70},
    )
    b.marks(
        per_semester,
        old2,
        {"CALC11": 95, "PHYS11": 95, "RESEARCH11": 95, "STATS11": 70, "PE11": 70},
    )
    b.marks(
        b.student("SHS-3FAIL", 11, **stem),
        old1,
        {"PRECAL11": 70, "GENMATH11": 95, "ORALCOM11": 95, "GENCHEM11": 70, "EARTHSCI11": 70},
    )
    # Three failures in the first semester, two in the second: three is over the limit.
    split = b.student("SHS-SPLIT", 11, **stem)
    b.marks(
        split,
        old1,
        {"PRECAL11": 95, "GENMATH11": 95, "ORALCOM11": 70, "GENCHEM11": 70, "EARTHSCI11": 70},
    )
    b.marks(split, old2, {"CALC11": 95, "PHYS11": 95, "RESEARCH11": 95, "STATS11": 70, "PE11": 70})
