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
from registrar.enrollment.continuing.placement import (
    ContinuingRefused,
    MissingFields,
    SubjectChoice,
)
from registrar.enrollment.continuing.records import Judged, Period, last_period
from registrar.enrollment.continuing.standing import (
    LevelRules,
    Prerequisite,
    Refusal,
    assess,
    core_check_applies,
    detect_level,
    fixed_load_refusal,
    prerequisite_refusal,
    standing_refusal,
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
) -> Placement:
    """The student's next grade and its rules, their standing checked, and the schedules to take."""
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
    held = _refuse_second_enrollment(
        session, student, year, used_terms if term is not None else terms
    )
    judged = _check_standing(nxt, all_rules)
    batch, sections = _schedules(session, student, year, nxt, used_terms, asked)
    _check_prerequisites(session, sections, judged)
    if rules.semester_based:
        _refuse(unit_load_refusal(sum(s.course.credits for s in sections), rules))
    elif batch is None:
        taken = [*held, *(section.course.code for section in sections)]
        _check_fixed_load(session, institution, nxt.grade, used_terms, taken)
    return Placement(grade=nxt.grade, rules=rules, term=term, batch=batch, sections=sections)


def _refuse(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise ContinuingRefused(refusal.message, details=refusal.details)


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


def _refuse_second_enrollment(
    session: Session, student: Student, year: AcademicYear, terms: Sequence[Term]
) -> Sequence[str]:
    """No second active enrollment in the terms the student would enroll in: the subjects
    already held there (none, unless this rule is relaxed)."""
    held = repository.active_enrollments(session, student.id, [t.id for t in terms])
    if held:
        raise ContinuingRefused(
            f"Student already has an active enrollment for {year.code}",
            details={"enrolledSubjects": list(held)},
        )
    return held


def _check_standing(nxt: NextGrade, all_rules: list[LevelRules]) -> Judged:
    """The record judged by the new level's rules, refused when it misses one of them."""
    rules = nxt.rules
    judged = nxt.period.judged(rules)
    standing = assess(judged.regular, judged.makeups, rules)
    completed = detect_level(all_rules, standing.completed_grade or 0)
    core_required = core_check_applies(rules, completed)
    _refuse(standing_refusal(standing, rules, core_required=core_required))
    return judged


def _schedules(
    session: Session,
    student: Student,
    year: AcademicYear,
    nxt: NextGrade,
    terms: Sequence[Term],
    asked: Asked,
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
        )
        return room.batch, room.sections
    sections = placement.subjects(
        session,
        student=student,
        items=asked.subjects,
        grade=nxt.grade,
        rules=nxt.rules,
        terms=terms,
    )
    return None, sections


def _check_fixed_load(
    session: Session,
    institution: Institution | InstitutionRef,
    grade: int,
    terms: Sequence[Term],
    taken: Sequence[str],
) -> None:
    """Subject by subject, a full-year grade still takes its whole core load: every core subject
    offered to the grade this year asked for (or already held)."""
    core = repository.core_subjects(session, institution.id, grade, [t.id for t in terms])
    _refuse(fixed_load_refusal(grade, core, taken))


def _check_prerequisites(session: Session, sections: list[CourseSection], judged: Judged) -> None:
    """Every prerequisite of every subject passed before, make-ups included."""
    found = repository.prerequisites_of(session, [s.course_id for s in sections])
    for section in sections:
        prerequisites = [Prerequisite(pid, code) for pid, code in found.get(section.course_id, [])]
        _refuse(prerequisite_refusal(section.course.code, prerequisites, judged.passed_ever))
