"""The facts the enrollment rules decide on: plain data, built from the database or by hand.

Standard library only: the rules and their tests import this without SQLAlchemy, the web
framework or a database. The ORM models take their enums from here.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime, time


class EnrollmentStatus(enum.StrEnum):
    ENROLLED = "ENROLLED"
    WAITLISTED = "WAITLISTED"
    DROPPED = "DROPPED"
    WITHDRAWN = "WITHDRAWN"
    COMPLETED = "COMPLETED"
    PENDING = "PENDING"
    # A seat held for the head of the waitlist to accept or decline (a section in OFFER mode).
    OFFERED = "OFFERED"


# The statuses that hold a seat or a waitlist place in a section (a drop frees them).
HOLDING_PLACE: tuple[EnrollmentStatus, ...] = (
    EnrollmentStatus.ENROLLED,
    EnrollmentStatus.WAITLISTED,
    EnrollmentStatus.OFFERED,
)


class EnrollmentType(enum.StrEnum):
    REGULAR = "REGULAR"
    AUDIT = "AUDIT"
    CREDIT_TRANSFER = "CREDIT_TRANSFER"
    REPEAT = "REPEAT"


@dataclass(frozen=True)
class Slot:
    """A weekly meeting: day name, start and end."""

    day: str
    start: time
    end: time

    def overlaps(self, other: Slot) -> bool:
        """Same day and the intervals intersect (touching ends do not clash)."""
        return self.day == other.day and self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class CourseRef:
    """A catalog course as the rules name it."""

    id: uuid.UUID
    code: str
    title: str


@dataclass(frozen=True)
class SectionFacts:
    """The section asked for."""

    id: uuid.UUID
    course: CourseRef
    credits: int
    section_type: str
    is_active: bool
    slots: tuple[Slot, ...] = ()
    prerequisites: tuple[CourseRef, ...] = ()
    # The LECTURE a LAB or TUTORIAL belongs to (taken only with it); None for a lecture.
    linked_to: uuid.UUID | None = None
    # The course is taken with one of the lecture's linked sections, never the lecture alone.
    requires_linked: bool = False


@dataclass(frozen=True)
class LinkedChoice:
    """One of a lecture's linked LAB or TUTORIAL sections, as offered to a student."""

    id: uuid.UUID
    code: str
    section_type: str
    free_seats: int


@dataclass(frozen=True)
class HeldEnrollment:
    """One of the student's active enrollments in the same term."""

    section_id: uuid.UUID
    course: CourseRef
    section_type: str
    credits: int
    status: EnrollmentStatus
    enrollment_type: EnrollmentType
    slots: tuple[Slot, ...] = ()


@dataclass(frozen=True)
class TermFacts:
    """The term's registration window and credit limits."""

    registration_start: datetime
    registration_end: datetime
    min_credits: int | None
    max_credits: int | None


@dataclass(frozen=True)
class Policy:
    """The institution's defaults, used when the term names no limit, and its fair-use rules."""

    min_credits: int
    max_credits: int
    max_waitlists_per_term: int | None = None
    reenroll_cooldown_minutes: int = 0
    allow_grade_improvement: bool = False


@dataclass(frozen=True)
class EnrollmentContext:
    """Everything the rules decide on."""

    student_active: bool
    section: SectionFacts
    term: TermFacts
    policy: Policy
    now: datetime
    enrollment_type: EnrollmentType = EnrollmentType.REGULAR
    existing_status: EnrollmentStatus | None = None
    existing_dropped_at: datetime | None = None
    requested_by_staff: bool = False
    held: tuple[HeldEnrollment, ...] = ()
    passed_course_ids: frozenset[uuid.UUID] = frozenset()
    taken_before_course_ids: frozenset[uuid.UUID] = frozenset()
    # The types of the student's active holds (FINANCIAL, ...), oldest first; none: no hold.
    hold_types: tuple[str, ...] = ()
    # For a lecture: the linked sections asked for with it, and all it offers.
    linked_chosen: tuple[uuid.UUID, ...] = ()
    linked_choices: tuple[LinkedChoice, ...] = ()
