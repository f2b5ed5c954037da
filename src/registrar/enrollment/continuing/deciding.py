"""Deciding where a continuing student goes: the grade they enroll in, whether their standing
lets them, and the schedules they take. Reads only; `service.process` enrolls and records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear, CourseSection, Term
from registrar.auth.principal import InstitutionRef
from registrar.enrollment.continuing import placement, repository
from registrar.enrollment.continuing.placement import SubjectChoice
from registrar.enrollment.continuing.records import Judged, Period, last_period
from registrar.enrollment.continuing.rulings import ContinuingRefused, MissingFields, Rulings
from registrar.enrollment.continuing.standing import (
    K12Rule,
    LevelRules,
    Prerequisite,
    Refusal,
    assess,
    core_check_applies,
    detect_level,
    fixed_load_refusal,
    prerequisite_refusal,
    standing_verdicts,
    target_grade,
    unit_load_refusal,
)
from registrar.institutions.models import Institution
from registrar.students.models import Student, StudentBatch


@dataclass(frozen=True)
class Asked:
    """What a request asks for: a semester, and a homeroom or subjects one by one."""

    semester_id: str | None
    section_id: str | None
    subjects: Sequence[SubjectChoice]


@dataclass(frozen=True)
class Placement:
    """Where the student goes: grade, level rules, terms, homeroom and schedules."""

    grade: int
    rules: LevelRules
    term: Term | None
    batch: StudentBatch | None
    sections: list[CourseSection]


@dataclass(frozen=True)
class NextGrade:
    """The grade the student enrolls in, its level's rules, and the record that decided it."""

    grade: int
    rules: LevelRules
    period: Period


def place(
    session: Session,
    institution: Institution | InstitutionRef,
    student: Student,
    year: AcademicYear,
    asked: Asked,
    rulings: Rulings,
) -> Placement:
    """The student's next grade and its rules, their standing checked, and the schedules to take.

    Each rule's verdict goes to `rulings`: a real request is refused at the first broken one, a
    dry run notes them all and goes on."""
    all_rules = [
        LevelRules.from_policy(p) for p in repository.level_policies(session, institution.id)
    ]
    terms = list(repository.terms_of(session, year.id))
    if not terms:
        raise ContinuingRefused(f"School year {year.code} has no terms")
    term = _asked_term(terms, year, asked.semester_id)
    nxt = _next_grade(session, institution, student, year, term, all_rules)
    rules = nxt.rules
    if not rules.semester_based:
        term = None
    elif term is None:
        raise MissingFields(["semesterId"])
    used_terms = placement.enrollment_terms(terms, term)
    # Full-year levels hold one enrollment per school year; semester-based ones one per term.
    held = _one_enrollment_a_period(
        session, student, year, used_terms if term is not None else terms, rulings
    )
    judged = _check_standing(nxt, all_rules, rulings)
    batch, sections = _schedules(session, student, year, nxt, used_terms, asked, rulings)
    _check_prerequisites(session, sections, judged, rulings)
    if rules.semester_based:
        units = sum(s.course.credits for s in sections)
        rulings.rule(K12Rule.UNIT_LOAD, unit_load_refusal(units, rules))
    elif batch is None:
        taken = [*held, *(section.course.code for section in sections)]
        core = _core_subjects(session, institution, nxt.grade, used_terms)
        rulings.rule(K12Rule.CORE_LOAD, fixed_load_refusal(nxt.grade, core, taken))
    return Placement(grade=nxt.grade, rules=rules, term=term, batch=batch, sections=sections)


def _level(all_rules: list[LevelRules], grade: int) -> LevelRules:
    rules = detect_level(all_rules, grade)
    if rules is None:
        raise ContinuingRefused(
            f"Grade {grade} is not taught at this school", details={"gradeLevel": grade}
        )
    return rules


def _asked_term(terms: Sequence[Term], year: AcademicYear, semester_id: str | None) -> Term | None:
    """The semester the request names, if it names one."""
    if not semester_id:
        return None
    term = placement.resolve_term(terms, semester_id)
    if term is None:
        raise ContinuingRefused(f"Semester not found in {year.code}: {semester_id}")
    return term


def _next_grade(
    session: Session,
    institution: Institution | InstitutionRef,
    student: Student,
    year: AcademicYear,
    term: Term | None,
    all_rules: list[LevelRules],
) -> NextGrade:
    """The grade the student enrolls in, judged by their current level on last period's record."""
    current = _level(all_rules, student.grade_level or 0)
    # A semester only matters to a semester-based level; a full-year level ignores one sent.
    period = last_period(
        session, student, year, term if current.semester_based else None, institution
    )
    judged = period.judged(current)
    grade = target_grade(
        student.grade_level or 0,
        assess(judged.regular, judged.makeups, current),
        new_school_year=period.new_school_year,
    )
    return NextGrade(grade=grade, rules=_level(all_rules, grade), period=period)


def _one_enrollment_a_period(
    session: Session,
    student: Student,
    year: AcademicYear,
    terms: Sequence[Term],
    rulings: Rulings,
) -> Sequence[str]:
    """No second active enrollment in the terms the student would enroll in: the subjects
    already held there (none, unless this rule is relaxed)."""
    held = repository.active_enrollments(session, student.id, [t.id for t in terms])
    second = Refusal(
        f"Student already has an active enrollment for {year.code}",
        {"enrolledSubjects": list(held)},
    )
    rulings.rule(K12Rule.ACTIVE_ENROLLMENT, second if held else None)
    return held


def _check_standing(nxt: NextGrade, all_rules: list[LevelRules], rulings: Rulings) -> Judged:
    """The record judged by the new level's rules, each of them ruled on."""
    rules = nxt.rules
    judged = nxt.period.judged(rules)
    standing = assess(judged.regular, judged.makeups, rules)
    completed = detect_level(all_rules, standing.completed_grade or 0)
    core_required = core_check_applies(rules, completed)
    for rule, refusal in standing_verdicts(standing, rules, core_required=core_required):
        rulings.rule(rule, refusal)
    return judged


def _schedules(
    session: Session,
    student: Student,
    year: AcademicYear,
    nxt: NextGrade,
    terms: Sequence[Term],
    asked: Asked,
    rulings: Rulings,
) -> tuple[StudentBatch | None, list[CourseSection]]:
    """The homeroom's schedules when the request names one, else one per subject asked for."""
    if asked.section_id:
        room = placement.homeroom(
            session,
            student=student,
            ident=asked.section_id,
            grade=nxt.grade,
            rules=nxt.rules,
            terms=terms,
            year=year,
            rulings=rulings,
        )
        return room.batch, room.sections
    sections = placement.subjects(
        session,
        student=student,
        items=asked.subjects,
        grade=nxt.grade,
        rules=nxt.rules,
        terms=terms,
        rulings=rulings,
    )
    return None, sections


def _core_subjects(
    session: Session,
    institution: Institution | InstitutionRef,
    grade: int,
    terms: Sequence[Term],
) -> Sequence[str]:
    """Subject by subject, a full-year grade still takes its whole core load: every core subject
    offered to the grade this year, each asked for (or already held)."""
    return repository.core_subjects(session, institution.id, grade, [t.id for t in terms])


def _check_prerequisites(
    session: Session, sections: list[CourseSection], judged: Judged, rulings: Rulings
) -> None:
    """Every prerequisite of every subject passed before, make-ups included."""
    found = repository.prerequisites_of(session, [s.course_id for s in sections])
    for section in sections:
        subject = section.course.code
        prerequisites = [Prerequisite(pid, code) for pid, code in found.get(section.course_id, [])]
        refusal = prerequisite_refusal(subject, prerequisites, judged.passed_ever)
        rulings.rule(K12Rule.PREREQUISITES, refusal, subject=subject)
