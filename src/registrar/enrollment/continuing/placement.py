"""Choosing the schedules a request asks for: a homeroom's subjects, or subject by subject."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear, Course, CourseSection, Term, TermKind
from registrar.enrollment.continuing import repository
from registrar.enrollment.continuing.standing import (
    SCHEDULE_FULL,
    LevelRules,
    track_strand_refusal,
)
from registrar.enrollment.rules import Slot
from registrar.errors import RegistrarError
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


class ContinuingRefused(RegistrarError):
    """A request the K-12 rules refuse: always 400 on this endpoint."""

    status_code = 400
    code = "continuing_refused"


class MissingFields(ContinuingRefused):
    """The seed's "Missing required fields", naming the fields in `fields`."""

    def __init__(self, fields: Sequence[str]) -> None:
        super().__init__("Missing required fields", details={"fields": list(fields)})


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


def _full(section: CourseSection) -> ContinuingRefused:
    return ContinuingRefused(
        SCHEDULE_FULL,
        details={
            "subject": section.course.code,
            "scheduleId": section.code,
            "capacity": section.capacity,
        },
    )


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
) -> Homeroom:
    """The homeroom section (by code or id), checked for the student, with room, and its
    subjects' schedules."""
    batch = repository.lock_batch(session, student.institution_id, ident)
    if batch is None:
        raise ContinuingRefused(f"Section not found: {ident}", details={"sectionId": ident})
    code = batch.code
    if not batch.is_active:
        raise ContinuingRefused(f"Section {code} is not active", details={"sectionId": code})
    if batch.grade_level != grade:
        raise ContinuingRefused(
            f"Section {code} is for grade {batch.grade_level}, "
            f"but the student enrolls in grade {grade}",
            details={"sectionGradeLevel": batch.grade_level, "studentGradeLevel": grade},
        )
    if rules.track_strand_required:
        refusal = track_strand_refusal(
            (student.track, student.strand), (batch.track, batch.strand), "Section"
        )
        if refusal is not None:
            raise ContinuingRefused(refusal.message, details=refusal.details)
    # The homeroom's own capacity; the level's section capacity only sizes new homerooms.
    if overfills(batch.capacity, repository.homeroom_size(session, batch.id, student.id)):
        raise ContinuingRefused(
            "Section is already full", details={"sectionId": code, "capacity": batch.capacity}
        )
    sections = list(repository.sections_of_batch(session, batch.id, [t.id for t in terms]))
    if not sections:
        raise ContinuingRefused(
            f"Section {code} has no subjects scheduled for {year.code}",
            details={"sectionId": code},
        )
    for section in sections:
        if not section.is_active:
            raise ContinuingRefused(
                f"Schedule {section.code} of {section.course.code} is not active",
                details={"scheduleId": section.code},
            )
        if is_full(section):
            raise _full(section)
    return Homeroom(batch=batch, sections=sections)


def subjects(
    session: Session,
    *,
    student: Student,
    items: Sequence[SubjectChoice],
    grade: int,
    rules: LevelRules,
    terms: Sequence[Term],
) -> list[CourseSection]:
    """One schedule per requested subject: the named one when valid, else one with room."""
    term_ids = {t.id for t in terms}
    chosen: list[CourseSection] = []
    seen: set[uuid.UUID] = set()
    for item in items:
        course = _subject(session, student, item.subject_id, grade, rules)
        if course.id in seen:
            raise ContinuingRefused(
                f"Subject {course.code} is listed more than once", details={"subject": course.code}
            )
        seen.add(course.id)
        if item.schedule_id:
            section = repository.find_section(session, student.institution_id, item.schedule_id)
            if (
                section is None
                or section.course_id != course.id
                or section.term_id not in term_ids
                or not section.is_active
            ):
                raise ContinuingRefused(
                    f"Schedule {item.schedule_id} is not an open schedule of {course.code} "
                    "in this term",
                    details={"subject": course.code, "scheduleId": item.schedule_id},
                )
            if is_full(section):
                raise _full(section)
        else:
            section = _pick(session, student, course, list(term_ids), chosen)
        chosen.append(section)
    return chosen


def _subject(
    session: Session, student: Student, code: str, grade: int, rules: LevelRules
) -> Course:
    course = repository.find_course(session, student.institution_id, code)
    if course is None or not course.is_active:
        raise ContinuingRefused(f"Subject not found: {code}", details={"subject": code})
    if course.grade_level is not None and course.grade_level != grade:
        raise ContinuingRefused(
            f"Subject {course.code} is for grade {course.grade_level}, not grade {grade}",
            details={"subject": course.code},
        )
    if rules.track_strand_required:
        refusal = track_strand_refusal(
            (student.track, student.strand), (course.track, course.strand), f"Subject {course.code}"
        )
        if refusal is not None:
            raise ContinuingRefused(refusal.message, details=refusal.details)
    return course


def _pick(
    session: Session,
    student: Student,
    course: Course,
    term_ids: list[uuid.UUID],
    chosen: Sequence[CourseSection],
) -> CourseSection:
    """A schedule with room: the student's homeroom's first, then the emptiest, avoiding clashes."""
    offered = list(repository.sections_of_course(session, course.id, term_ids))
    if not offered:
        raise ContinuingRefused(
            f"No schedule of {course.code} is offered in this term",
            details={"subject": course.code},
        )
    open_ = [s for s in offered if not is_full(s)]
    if not open_:
        raise _full(offered[0])
    open_.sort(
        key=lambda s: (
            _clashes(s, chosen),
            s.student_batch_id != student.batch_id,
            s.enrolled_count - s.capacity,
            s.code,
        )
    )
    return open_[0]
