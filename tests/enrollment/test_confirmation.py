"""The credit minimum: a warning at enrollment, a block the registrar's confirmation can use."""

from __future__ import annotations

from datetime import time

from registrar.academics.models import Weekday
from registrar.db import Database
from registrar.enrollment import engine
from registrar.enrollment.confirmation import credit_minimum_violation
from registrar.enrollment.models import EnrollmentType
from registrar.enrollment.rules import RuleCode
from tests import factories


def test_minimum_counts_enrolled_credits_but_not_audit(database: Database) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst), min_credits=8)
        days = [Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY]
        sections = [
            factories.section(
                s,
                inst,
                factories.course(s, inst, credits=4),
                term,
                slots=((day, time(9), time(10)),),
            ).id
            for day in days
        ]
        student = factories.student(s, inst, with_login=False)
        ids = inst.id, term.id, student.id

    def check() -> object:
        with database.session(write=False) as s:
            return credit_minimum_violation(
                s, institution_id=ids[0], student_id=ids[2], term_id=ids[1]
            )

    def enroll(section_id: object, kind: EnrollmentType) -> list[RuleCode]:
        with database.session() as s:
            outcome = engine.enroll(
                s,
                institution_id=ids[0],
                student_id=ids[2],
                section_id=section_id,  # type: ignore[arg-type]
                actor=engine.SYSTEM,
                enrollment_type=kind,
            )
        return [warning.code for warning in outcome.warnings]

    assert enroll(sections[0], EnrollmentType.AUDIT) == [RuleCode.CREDIT_MINIMUM]
    violation = check()
    assert getattr(violation, "details", None) == {"total_credits": 0, "min_credits": 8}
    assert enroll(sections[1], EnrollmentType.REGULAR) == [RuleCode.CREDIT_MINIMUM]
    assert enroll(sections[2], EnrollmentType.REGULAR) == []
    assert check() is None
