"""`records.repository.completed_rows` on both backends: one statement, oldest term first."""

from __future__ import annotations

from decimal import Decimal

from registrar.academics.models import TermKind
from registrar.db import Database
from registrar.enrollment.models import EnrollmentStatus
from registrar.institutions.grading import scale_of
from registrar.records import repository, service
from tests import factories


def test_completed_rows_of_one_student(database: Database) -> None:
    with database.session() as s:
        inst = factories.institution(s)
        dept = factories.department(s, inst)
        older = factories.term(
            s, inst, factories.academic_year(s, inst, "2023-2024"), TermKind.EVEN
        )
        newer = factories.term(s, inst, factories.academic_year(s, inst, "2024-2025"))
        me = factories.student(s, inst, with_login=False)
        other = factories.student(s, inst, with_login=False)
        algebra = factories.course(s, inst, dept, credits=4)
        physics = factories.course(s, inst, dept, credits=2)
        first = factories.section(s, inst, algebra, older)
        again = factories.section(s, inst, algebra, newer)
        lab = factories.section(s, inst, physics, newer)
        current = factories.section(s, inst, factories.course(s, inst, dept), newer)
        factories.enrollment(s, inst, me, again, "COMPLETED", grade="A+", attendance=88)
        factories.enrollment(s, inst, me, first, "COMPLETED", grade="F", grade_points=0)
        factories.enrollment(s, inst, me, lab, "COMPLETED", grade="O")
        factories.enrollment(s, inst, me, current, grade="O")
        factories.enrollment(s, inst, other, lab, "COMPLETED", grade="C")

    with database.session(write=False) as s:
        rows = repository.completed_rows(s, inst.id, me.id)
        only_algebra = repository.completed_rows(s, inst.id, me.id, {algebra.id})
        nothing = repository.completed_rows(s, inst.id, me.id, set())

    assert [r.grade for r in rows[:1]] == ["F"]  # the older term comes first
    assert sorted(r.grade or "" for r in rows) == ["A+", "F", "O"]
    assert all(r.status is EnrollmentStatus.COMPLETED for r in rows)
    assert {r.course_id: r.credits for r in rows} == {algebra.id: 4, physics.id: 2}
    assert [r.grade for r in only_algebra] == ["F", "A+"]
    assert only_algebra[1].attendance_percentage == Decimal("88.00")
    assert nothing == []
    # The repeat (A+ = 9) replaces the F: (4 * 9 + 2 * 10) / 6.
    assert service.cumulative_gpa(rows, scale_of(inst.grade_scale)) == Decimal("9.33")
