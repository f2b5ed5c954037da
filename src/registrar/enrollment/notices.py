"""The mail a student gets for every change the engine makes to their places.

Enrolled, waitlisted, promoted, dropped, withdrawn: each is written to the outbox in the
same transaction as the change (sent after it commits, by `registrar worker`), to the student
and, at a school, to their guardian (`notifications.recipients`). The words are the template
files' (`notifications.messages`).
"""

from __future__ import annotations

from typing import Any

from registrar.enrollment.catalog import CatalogSection
from registrar.notifications.messages import Message, render
from registrar.notifications.recipients import Recipients as Recipients
from registrar.notifications.recipients import tell as tell


def about(section: CatalogSection) -> dict[str, str]:
    """The values every enrollment template names: the course and the section."""
    course = section.course
    return {"course_code": course.code, "course_title": course.title, "section_code": section.code}


def message(event: str, section: CatalogSection, **values: Any) -> Message:
    """The event's message about this section."""
    return render(event, **about(section), **values)
