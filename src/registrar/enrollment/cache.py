"""What one transaction reads once however many enrollments it makes.

A bulk operation (a batch's course assignment, an import) enrolls thousands of students in one
transaction, all into the same few sections. The section with its course, prerequisites, term
and timetable, the sections students already hold, and the institution's policy do not change
between those calls, so they are read once per transaction and kept in `session.info`.

Never cached: anything of a student, and a section's counters, which only the conditional
updates in `seats.py` change and report. The cache belongs to the session's outermost
transaction: a new transaction starts with an empty one, so nothing outlives a commit or a
rollback; a cached section that was expired or detached meanwhile is read again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import inspect
from sqlalchemy.orm import Session, SessionTransaction

from registrar.academics.models import CourseSection
from registrar.enrollment import repository
from registrar.enrollment.facts import CourseRef, Policy, Slot
from registrar.institutions.grading import GradeScale, scale_of

_KEY = "registrar.enrollment.cache"
# What `enroll` reads through a section; any of it unloaded means the section is read again.
_SECTION_LOADED = frozenset({"course", "term", "slots"})


@dataclass(frozen=True)
class HeldSection:
    """A section as the rules see it when a student already holds a place in it."""

    course: CourseRef
    section_type: str
    credits: int
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class InstitutionPolicy:
    """The institution's credit limits and grade scale."""

    policy: Policy
    scale: GradeScale


@dataclass
class _Cache:
    transaction: SessionTransaction
    sections: dict[tuple[uuid.UUID, uuid.UUID], CourseSection] = field(default_factory=dict)
    held: dict[uuid.UUID, HeldSection] = field(default_factory=dict)
    policies: dict[uuid.UUID, InstitutionPolicy] = field(default_factory=dict)


def _of(session: Session) -> _Cache:
    transaction = session.get_transaction()
    assert transaction is not None, "the engine reads inside a transaction"
    cache = session.info.get(_KEY)
    if not isinstance(cache, _Cache) or cache.transaction is not transaction:
        cache = _Cache(transaction)
        session.info[_KEY] = cache
    return cache


def _usable(session: Session, section: CourseSection) -> bool:
    """Still in the session with course (and its prerequisites), term and timetable loaded."""
    if section not in session:
        return False
    state = inspect(section)
    if state.unloaded & _SECTION_LOADED:
        return False
    return "prerequisites" not in inspect(section.course).unloaded


def section(
    session: Session, institution_id: uuid.UUID, section_id: uuid.UUID
) -> CourseSection | None:
    """The section with its course, prerequisites, term and timetable; read once per transaction.

    Its counters are whatever the last conditional update of this transaction returned (see
    `seats.py`); no rule reads them.
    """
    cache = _of(session)
    key = (institution_id, section_id)
    found = cache.sections.get(key)
    if found is not None and _usable(session, found):
        return found
    found = repository.section_for_enrollment(session, institution_id, section_id)
    if found is None:
        cache.sections.pop(key, None)
        return None
    cache.sections[key] = found
    return found


def policy(session: Session, institution_id: uuid.UUID) -> InstitutionPolicy | None:
    """The institution's credit policy and grade scale; read once per transaction."""
    cache = _of(session)
    found = cache.policies.get(institution_id)
    if found is not None:
        return found
    institution = repository.get_institution(session, institution_id)
    if institution is None:
        return None
    found = InstitutionPolicy(
        policy=Policy(min_credits=institution.min_credits, max_credits=institution.max_credits),
        scale=scale_of(institution.grade_scale),
    )
    cache.policies[institution_id] = found
    return found


def held_sections(
    session: Session, section_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, HeldSection]:
    """Course, type, credits and timetable of each section; the ones not seen yet in one go."""
    cache = _of(session)
    wanted = set(section_ids)
    missing = wanted - cache.held.keys()
    if missing:
        slots: dict[uuid.UUID, list[Slot]] = {section_id: [] for section_id in missing}
        for section_id, day, start, end in repository.slots_of_sections(session, missing):
            slots[section_id].append(Slot(day=day.value, start=start, end=end))
        for row in repository.courses_of_sections(session, missing):
            cache.held[row.section_id] = HeldSection(
                course=CourseRef(id=row.course_id, code=row.code, title=row.title),
                section_type=row.section_type.value,
                credits=row.credits,
                slots=tuple(slots[row.section_id]),
            )
    return {section_id: cache.held[section_id] for section_id in wanted if section_id in cache.held}
