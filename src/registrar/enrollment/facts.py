"""The facts the enrollment rules decide on: plain data, built from the database or by hand."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time

from registrar.enrollment.models import EnrollmentStatus, EnrollmentType


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

    @property
    def counted_credits(self) -> int:
        """AUDIT earns no credit, so it does not load the student."""
        return 0 if self.enrollment_type is EnrollmentType.AUDIT else self.credits


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

    @property
    def max_credits(self) -> int:
        """The term's maximum, else the institution's."""
        return (
            self.term.max_credits if self.term.max_credits is not None else self.policy.max_credits
        )

    @property
    def min_credits(self) -> int:
        """The term's minimum, else the institution's."""
        return (
            self.term.min_credits if self.term.min_credits is not None else self.policy.min_credits
        )

    @property
    def waitlists_held(self) -> int:
        """Places the student holds on the term's waitlists (this section's aside)."""
        return sum(
            1
            for held in self.held
            if held.status is EnrollmentStatus.WAITLISTED and held.section_id != self.section.id
        )

    @property
    def requested_credits(self) -> int:
        """Credits this enrollment adds (none for AUDIT)."""
        return 0 if self.enrollment_type is EnrollmentType.AUDIT else self.section.credits

    @property
    def current_credits(self) -> int:
        """Credits the student already holds this term, waitlisted places included.

        A waitlisted place may turn into a seat without asking the student again, so it counts.
        """
        return sum(held.counted_credits for held in self.held if held.section_id != self.section.id)
