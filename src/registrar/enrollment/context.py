"""Building the rules' context from the student's rows and the cached catalog."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
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
) -> EnrollmentContext:
    """Everything the rules need, from the student's rows (`repository.rules_rows`), the row
    for this section if there is one (`existing`), and the sections they hold in the term
    (`held`, from the catalog)."""
    completed = [row for row in rows if row.status == EnrollmentStatus.COMPLETED]
    scale = institution.scale
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
        held=tuple(
            held_enrollment(held[row.section_id], row.status, row.enrollment_type)
            for row in active_in_term(rows, section.term_id)
            if row.section_id in held
        ),
        passed_course_ids=passed_courses(
            (row.course_id, scale.is_passing(row.grade, row.grade_points)) for row in completed
        ),
        taken_before_course_ids=frozenset(
            row.course_id for row in completed if row.section_id != section.id
        ),
    )
