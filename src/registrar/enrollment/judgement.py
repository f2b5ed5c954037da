"""What an enroll request would do now: every rule's answer, then the seat.

Pure, like the rules it runs (`rules.explain`): the standard library, the rules and a
section's counters as the caller read them. A page of sections judges each with it
(`eligibility`), from one read of the student's facts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from registrar.enrollment.rules import (
    Check,
    EnrollmentContext,
    RuleCode,
    Violation,
    explain,
    full_section,
    waitlist_allowed,
)

Outcome = Literal["ENROLLED", "WAITLISTED", "REFUSED"]
ENROLLED: Outcome = "ENROLLED"
WAITLISTED: Outcome = "WAITLISTED"
REFUSED: Outcome = "REFUSED"


@dataclass(frozen=True)
class Seats:
    """A section's counters as last read: seats taken of its capacity, and its waitlist."""

    capacity: int
    enrolled: int
    waitlist_limit: int
    waitlisted: int


@dataclass(frozen=True)
class Judgement:
    """What `enroll` would answer now (ENROLLED, WAITLISTED or REFUSED), and every check."""

    outcome: Outcome
    checks: list[Check]

    @property
    def failed(self) -> list[Check]:
        """The checks that refuse (broken and not overridden), in the order they ran."""
        return [check for check in self.checks if not check.passed and not check.overridden]

    @property
    def refusal(self) -> Violation | None:
        """The refusal `enroll` would answer: the first rule broken and not overridden."""
        failed = self.failed
        return failed[0].violation if failed else None


def judge(
    ctx: EnrollmentContext, seats: Seats, overrides: frozenset[RuleCode] = frozenset()
) -> Judgement:
    """Every rule's answer, then the seat, in the order `enroll` decides: the seat is judged
    only when no rule refuses; a free seat enrolls; a full section with waitlist room waitlists
    a student under the waitlist limit. The counters are a read, not a lock: true as of it."""
    checks = explain(ctx, overrides)
    if any(not check.passed and not check.overridden for check in checks):
        return Judgement(REFUSED, checks)
    if seats.enrolled < seats.capacity or RuleCode.CAPACITY in overrides:
        return Judgement(ENROLLED, [*checks, Check(RuleCode.CAPACITY, True)])
    full = full_section() if seats.waitlisted >= seats.waitlist_limit else None
    queue_refusal = None if RuleCode.WAITLIST_LIMIT in overrides else waitlist_allowed(ctx)
    refusal = full or queue_refusal
    if refusal is not None:
        return Judgement(REFUSED, [*checks, Check(refusal.code, False, refusal)])
    return Judgement(WAITLISTED, [*checks, Check(RuleCode.WAITLIST_LIMIT, True)])
