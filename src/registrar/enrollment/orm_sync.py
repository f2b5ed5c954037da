"""Keeping a caller's ORM objects honest after the engine wrote with plain statements.

The engine changes rows behind the session's back. Any object of those rows the session holds
is expired here, so its next use reads the row again instead of trusting stale values (or,
worse, flushing them over the engine's).
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from registrar.academics.models import CourseSection
from registrar.enrollment.models import Enrollment

_COUNTERS = ["capacity", "enrolled_count", "waitlisted_count"]


def expire_enrollment(session: Session, enrollment_id: uuid.UUID) -> None:
    """Forget what the session knows of one enrollment row."""
    held = session.identity_map.get(identity_key(Enrollment, enrollment_id))
    if held is not None:
        session.expire(held)


def expire_section_counters(session: Session, section_id: uuid.UUID) -> None:
    """Forget a section's counters (and capacity), which only the engine changes."""
    held = session.identity_map.get(identity_key(CourseSection, section_id))
    if held is not None:
        session.expire(held, _COUNTERS)
