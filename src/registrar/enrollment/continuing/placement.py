"""Choosing the schedules a request asks for: a homeroom's subjects, or subject by subject."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear, Course, CourseSection, Term, TermKind
from registrar.enrollment.continuing import repository
from registrar.enrollment.continuing.rulings import ContinuingRefused, Rulings
from registrar.enrollment.continuing.standing import (
    SCHEDULE_FULL,
    K12Rule,
    LevelRules,
    Refusal,
    track_strand_refusal,
)
from registrar.enrollment.rules import Slot
from registrar.students.models import Student, StudentBatch
from registrar.students.placement import overfills


class SubjectChoice(Protocol):
    """A subject the request names, and the schedule it prefers (the seed's `subjectsToEnroll`)."""

    @property
    def subject_id(self) -> str:
        """The subject (a course code or id)."""

    @property
    def schedule_id(self) -> str | None:
        """The schedule asked for (a section code or id), if any."""


# Term codes are unique per school, so a year's "SEM1" may be stored as "SY2024-2025-SEM1";
# the seed's names also map onto the term kinds.
_KIND_ALIASES: dict[str, TermKind] = {
    "SEM1": TermKind.FIRST,
    "FIRST": TermKind.FIRST,
    "1": TermKind.FIRST,
    "SEM2": TermKind.SECOND,
    "SECOND": TermKind.SECOND,
    "2": TermKind.SECOND,
    "FULL_YEAR": TermKind.FULL_YEAR,
}


def resolve_term(terms: Sequence[Term], ident: str) -> Term | None:
    """A term of the year by id, code, year-prefixed code or kind alias."""
    wanted = ident.strip().upper()
    for match in (
        lambda t: str(t.id) == ident or t.code.upper() == wanted,
        lambda t: t.code.upper().endswith(f"-{wanted}"),
        lambda t: t.kind is _KIND_ALIASES.get(wanted),
    ):
        found = [t for t in terms if match(t)]
        if len(found) == 1:
            return found[0]
    return None


def enrollment_terms(terms: Sequence[Term], chosen: Term | None) -> list[Term]:
    """The terms subjects are taken from: the chosen one, else the full-year term, else all."""
    if chosen is not None:
        return [chosen]
    full_year = [t for t in terms if t.kind is TermKind.FULL_YEAR]
    return full_year or list(terms)


def is_full(section: CourseSection) -> bool:
    """No seat left (a K-12 schedule keeps no waitlist for continuing students)."""
    return section.enrolled_count >= section.capacity


def slots_of(section: CourseSection) -> tuple[Slot, ...]:
    """The weekly meetings as the clash rule compares them."""
    return tuple(Slot(slot.day.value, slot.start_time, slot.end_time) for slot in section.slots)


def _clashes(section: CourseSection, chosen: Sequence[CourseSection]) -> bool:
    mine = slots_of(section)
    return any(a.overlaps(b) for other in chosen for a in mine for b in slots_of(other))


def _room_in(section: CourseSection, rulings: Rulings) -> None:
    """The schedule has a seat left (a K-12 schedule keeps no waitlist)."""
    full = Refusal(
        SCHEDULE_FULL,
        {"subject": section.course.code, "scheduleId": section.code, "capacity": section.capacity},
    )
    rulings.rule(K12Rule.CAPACITY, full if is_full(section) else None, subject=section.course.code)


@dataclass(frozen=True)
class Homeroom:
    """A section-based request's homeroom and the schedules it brings."""

    batch: StudentBatch
    sections: list[CourseSection]


def homeroom(
    session: Session,
    *,
    student: Student,
    ident: str,
    grade: int,
    rules: LevelRules,
    terms: Sequence[Term],
    year: AcademicYear,
    rulings: Rulings,
) -> Homeroom:
    """The homeroom section (by code or id), checked for the student, with room, and its
    subjects' schedules."""
    # A dry run writes nothing, so it locks nothing.
    find = repository.find_batch if rulings.dry_run else repository.lock_batch
    batch = find(session, student.institution_id, ident)
    if batch is None:
        raise ContinuingRefused(f"Section not found: {ident}", details={"sectionId": ident})
    _fits(session, batch, student, grade, rules, rulings)
    sections = list(repository.sections_of_batch(session, batch.id, [t.id for t in terms]))
    empty = Refusal(
        f"Section {batch.code} has no subjects scheduled for {year.code}",
        {"sectionId": batch.code},
    )
    rulings.rule(K12Rule.HOMEROOM_SUBJECTS, None if sections else empty)
    for section in sections:
        inactive = Refusal(
            f"Schedule {section.code} of {section.course.code} is not active",
            {"scheduleId": section.code},
        )
        subject = section.course.code
        rulings.rule(
            K12Rule.SECTION_INACTIVE, None if section.is_active else inactive, subject=subject
        )
        _room_in(section, rulings)
    return Homeroom(batch=batch, sections=sections)


def _fits(
    session: Session,
    batch: StudentBatch,
    student: Student,
    grade: int,
    rules: LevelRules,
    rulings: Rulings,
) -> None:
    """The homeroom is open, for the student's grade (and track and strand), with room."""
    code = batch.code
    inactive = Refusal(f"Section {code} is not active", {"sectionId": code})
    rulings.rule(K12Rule.HOMEROOM_INACTIVE, None if batch.is_active else inactive)
    other_grade = Refusal(
        f"Section {code} is for grade {batch.grade_level}, "
        f"but the student enrolls in grade {grade}",
        {"sectionGradeLevel": batch.grade_level, "studentGradeLevel": grade},
    )
    rulings.rule(K12Rule.HOMEROOM_GRADE, None if batch.grade_level == grade else other_grade)
    if rules.track_strand_required:
        refusal = track_strand_refusal(
            (student.track, student.strand), (batch.track, batch.strand), "Section"
        )
        rulings.rule(K12Rule.HOMEROOM_TRACK_STRAND, refusal)
    # The homeroom's own capacity; the level's section capacity only sizes new homerooms.
    full = Refusal("Section is already full", {"sectionId": code, "capacity": batch.capacity})
    size = repository.homeroom_size(session, batch.id, student.id)
    rulings.rule(K12Rule.HOMEROOM_FULL, full if overfills(batch.capacity, size) else None)


def subjects(
    session: Session,
    *,
    student: Student,
    items: Sequence[SubjectChoice],
    grade: int,
    rules: LevelRules,
    terms: Sequence[Term],
    rulings: Rulings,
) -> list[CourseSection]:
    """One schedule per requested subject: the named one when valid, else one with room."""
    term_ids = {t.id for t in terms}
    chosen: list[CourseSection] = []
    seen: set[uuid.UUID] = set()
    for item in items:
        course = _subject(session, student, item.subject_id, grade, rules, rulings)
        if course.id in seen:
            raise ContinuingRefused(
                f"Subject {course.code} is listed more than once", details={"subject": course.code}
            )
        seen.add(course.id)
        if item.schedule_id:
            section = _named(session, student, course, item.schedule_id, term_ids)
            _room_in(section, rulings)
        else:
            found = _pick(session, student, course, list(term_ids), chosen, rulings)
            if found is None:
                continue  # a dry run goes on to the other subjects
            section = found
        chosen.append(section)
    return chosen


def _named(
    session: Session,
    student: Student,
    course: Course,
    schedule_id: str,
    term_ids: set[uuid.UUID],
) -> CourseSection:
    """The schedule the request names for a subject: one of its open schedules this term."""
    section = repository.find_section(session, student.institution_id, schedule_id)
    if (
        section is None
        or section.course_id != course.id
        or section.term_id not in term_ids
        or not section.is_active
    ):
        raise ContinuingRefused(
            f"Schedule {schedule_id} is not an open schedule of {course.code} in this term",
            details={"subject": course.code, "scheduleId": schedule_id},
        )
    return section


def _subject(
    session: Session,
    student: Student,
    code: str,
    grade: int,
    rules: LevelRules,
    rulings: Rulings,
) -> Course:
    course = repository.find_course(session, student.institution_id, code)
    if course is None or not course.is_active:
        raise ContinuingRefused(f"Subject not found: {code}", details={"subject": code})
    other_grade = Refusal(
        f"Subject {course.code} is for grade {course.grade_level}, not grade {grade}",
        {"subject": course.code},
    )
    for_grade = course.grade_level is None or course.grade_level == grade
    rulings.rule(K12Rule.SUBJECT_GRADE, None if for_grade else other_grade, subject=course.code)
    if rules.track_strand_required:
        refusal = track_strand_refusal(
            (student.track, student.strand), (course.track, course.strand), f"Subject {course.code}"
        )
        rulings.rule(K12Rule.TRACK_STRAND, refusal, subject=course.code)
    return course


def _pick(
    session: Session,
    student: Student,
    course: Course,
    term_ids: list[uuid.UUID],
    chosen: Sequence[CourseSection],
    rulings: Rulings,
) -> CourseSection | None:
    """A schedule with room: the student's homeroom's first, then the emptiest, avoiding clashes
    (None, in a dry run, when the subject has no schedule this term)."""
    offered = list(repository.sections_of_course(session, course.id, term_ids))
    none = Refusal(
        f"No schedule of {course.code} is offered in this term", {"subject": course.code}
    )
    rulings.rule(K12Rule.SCHEDULE_OFFERED, None if offered else none, subject=course.code)
    if not offered:
        return None
    # With no seat left in any, the first is judged full: refused, or a dry run goes on with it.
    candidates = [s for s in offered if not is_full(s)] or offered[:1]
    candidates.sort(
        key=lambda s: (
            _clashes(s, chosen),
            s.student_batch_id != student.batch_id,
            s.enrolled_count - s.capacity,
            s.code,
        )
    )
    _room_in(candidates[0], rulings)
    return candidates[0]
