"""The student's record as the standing rules read it: last period's attempts and make-ups."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear, Term
from registrar.auth.principal import InstitutionRef
from registrar.enrollment.continuing import repository
from registrar.enrollment.continuing.repository import AttemptRow
from registrar.enrollment.continuing.standing import LevelRules, Record, is_makeup
from registrar.enrollment.rules import passed_courses
from registrar.institutions.grading import GradeScale
from registrar.institutions.models import Institution
from registrar.students.models import Student


@dataclass(frozen=True)
class Judged:
    """Attempts judged by one level's passing mark."""

    regular: list[Record]
    makeups: list[Record]
    passed_ever: frozenset[uuid.UUID]


@dataclass(frozen=True)
class Period:
    """The last completed period before the one enrolled in, and every attempt before it.

    The period is the earlier semesters of the same school year when there are any (a Senior
    High student moving to the second semester), else the previous school year.
    """

    regular: list[AttemptRow]
    before: list[AttemptRow]
    new_school_year: bool
    grade_scale: list[dict[str, object]]

    def judged(self, rules: LevelRules) -> Judged:
        """The attempts as records, passing or not by this level's mark."""
        scale = GradeScale(entries=self.grade_scale, percent_passing_mark=rules.passing_mark)
        regular = [_record(row, scale) for row in self.regular]
        makeups = [
            _record(row, scale) for row in self.before if is_makeup(row.enrollment_type, row.notes)
        ]
        passed = passed_courses(
            (record.course_id, record.passed)
            for record in (_record(row, scale) for row in self.before)
        )
        return Judged(regular=regular, makeups=makeups, passed_ever=passed)


def _record(row: AttemptRow, scale: GradeScale) -> Record:
    """The attempt judged on the level's scale: the same mark and pass the records use, only
    with the level's passing mark."""
    return Record(
        course_id=row.course_id,
        course_code=row.course_code,
        is_core=row.is_core,
        units=row.credits,
        mark=scale.mark_of(row.grade, row.grade_points),
        passed=scale.is_passing(row.grade, row.grade_points),
        attendance=row.attendance,
        period=row.term_code,
        grade_level=row.course_grade_level,
        makeup=is_makeup(row.enrollment_type, row.notes),
    )


def last_period(
    session: Session,
    student: Student,
    year: AcademicYear,
    term: Term | None,
    institution: Institution | InstitutionRef,
) -> Period:
    """The student's last period of record before the requested term (or school year)."""
    starts = term.start_date if term is not None else year.start_date
    before = [
        row for row in repository.completed_attempts(session, student.id) if row.term_start < starts
    ]
    regular = [row for row in before if not is_makeup(row.enrollment_type, row.notes)]
    same_year = [row for row in regular if row.year_id == year.id]
    if same_year:
        return Period(same_year, before, False, list(institution.grade_scale or []))
    previous = repository.previous_year(session, year)
    last_year = [row for row in regular if previous is not None and row.year_id == previous.id]
    return Period(last_year, before, True, list(institution.grade_scale or []))
