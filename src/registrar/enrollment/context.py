"""Building the rules' context from the student's rows and the cached catalog."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from registrar.enrollment.catalog import CatalogSection, InstitutionPolicy
from registrar.enrollment.models import EnrollmentStatus, EnrollmentType
from registrar.enrollment.rules import (
    ACTIVE_STATUSES,
    EnrollmentContext,
    HeldEnrollment,
    LinkedChoice,
    passed_courses,
)
from registrar.institutions.grading import GradeScale


def held_enrollment(
    held: CatalogSection, status: EnrollmentStatus, enrollment_type: EnrollmentType
) -> HeldEnrollment:
    """The rules' view of one of the student's active enrollments."""
    facts = held.facts
    return HeldEnrollment(
        section_id=facts.id,
        course=facts.course,
        section_type=facts.section_type,
        credits=facts.credits,
        status=status,
        enrollment_type=enrollment_type,
        slots=facts.slots,
    )


def active_in_term(rows: Sequence[Any], term_id: uuid.UUID) -> list[Any]:
    """The student's rows that hold (or queue for) a place in the term."""
    return [row for row in rows if row.term_id == term_id and row.status in ACTIVE_STATUSES]


@dataclass(frozen=True)
class History:
    """What the student's rows tell the rules whatever the section: worked out once, so that a
    page judging every section of a term does not go through the rows again for each."""

    rows: Sequence[Any]
    held: Mapping[uuid.UUID, CatalogSection]
    passed_course_ids: frozenset[uuid.UUID]
    taken_course_ids: frozenset[uuid.UUID]
    completed: tuple[tuple[uuid.UUID, uuid.UUID], ...]  # (course, section) of each attempt
    completed_in: frozenset[uuid.UUID]  # the sections of those attempts
    _held_by_term: dict[uuid.UUID, tuple[HeldEnrollment, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(
        cls, rows: Sequence[Any], held: Mapping[uuid.UUID, CatalogSection], scale: GradeScale
    ) -> History:
        """The history in the rows (`repository.rules_rows`), with the sections they hold in
        the term (`held`, from the catalog)."""
        completed = [row for row in rows if row.status == EnrollmentStatus.COMPLETED]
        # Lists, not generators, inside: a comprehension runs as one call where a generator
        # is resumed once per row, and every registration builds one of these.
        return cls(
            rows=rows,
            held=held,
            passed_course_ids=passed_courses(
                (row.course_id, scale.is_passing(row.grade, row.grade_points)) for row in completed
            ),
            taken_course_ids=frozenset([row.course_id for row in completed]),
            completed=tuple([(row.course_id, row.section_id) for row in completed]),
            completed_in=frozenset([row.section_id for row in completed]),
        )

    def taken_before(self, section_id: uuid.UUID) -> frozenset[uuid.UUID]:
        """Courses attempted before, other than in this very section."""
        if section_id not in self.completed_in:
            return self.taken_course_ids
        return frozenset([course for course, section in self.completed if section != section_id])

    def held_in(self, term_id: uuid.UUID) -> tuple[HeldEnrollment, ...]:
        """The places the student holds (or queues for) in the term."""
        found = self._held_by_term.get(term_id)
        if found is None:
            found = tuple(
                held_enrollment(self.held[row.section_id], row.status, row.enrollment_type)
                for row in active_in_term(self.rows, term_id)
                if row.section_id in self.held
            )
            self._held_by_term[term_id] = found
        return found


def build(
    *,
    student_status_active: bool,
    section: CatalogSection,
    institution: InstitutionPolicy,
    rows: Sequence[Any],
    held: Mapping[uuid.UUID, CatalogSection],
    existing: Any,
    enrollment_type: EnrollmentType,
    requested_by_staff: bool,
    now: datetime,
    hold_types: tuple[str, ...] = (),
    linked_chosen: tuple[uuid.UUID, ...] = (),
    linked_choices: tuple[LinkedChoice, ...] = (),
    history: History | None = None,
) -> EnrollmentContext:
    """Everything the rules need, from the student's rows (`repository.rules_rows`), the row
    for this section if there is one (`existing`), and the sections they hold in the term
    (`held`, from the catalog). A caller judging many sections passes the `History` of those
    rows, made once."""
    if history is None:
        history = History.of(rows, held, institution.scale)
    return EnrollmentContext(
        student_active=student_status_active,
        section=section.facts,
        term=section.term,
        policy=institution.policy,
        now=now,
        enrollment_type=enrollment_type,
        existing_status=existing.status if existing is not None else None,
        existing_dropped_at=existing.dropped_at if existing is not None else None,
        requested_by_staff=requested_by_staff,
        hold_types=hold_types,
        linked_chosen=linked_chosen,
        linked_choices=linked_choices,
        held=history.held_in(section.term_id),
        passed_course_ids=history.passed_course_ids,
        taken_before_course_ids=history.taken_before(section.id),
    )
