"""The engine's refusals and the records' values in a reader's words (pure functions)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")


def _hhmm(value: object) -> str:
    return str(value)[:5]


def refusal_lines(details: Mapping[str, Any]) -> Iterator[str]:
    """What a refusal's details say, one short line each (the known shapes; others skipped)."""
    for item in details.get("missing_prerequisites") or ():
        if isinstance(item, Mapping):
            yield f"Complete {item.get('course_code', '')} {item.get('course_title', '')} first"
    for item in details.get("clashes_with") or ():
        if isinstance(item, Mapping):
            day = str(item.get("day", "")).title()
            yield (
                f"Clashes with {item.get('course_code', '')} on {day} "
                f"{_hhmm(item.get('start_time'))}–{_hhmm(item.get('end_time'))}"
            )
    if "max_credits" in details:
        yield (
            f"{details.get('current_credits')} credits held + {details.get('requested_credits')} "
            f"would pass the limit of {details['max_credits']}"
        )
    if "max_waitlists" in details:
        yield f"At most {details['max_waitlists']} waitlists a semester"
    if "retry_after_seconds" in details:
        minutes = max(1, round(int(details["retry_after_seconds"]) / 60))
        yield f"You can try again in about {minutes} minute{'s' if minutes != 1 else ''}"
    if "registration_start" in details and "registration_end" in details:
        yield (
            f"Registration runs from {str(details['registration_start'])[:10]} "
            f"to {str(details['registration_end'])[:10]}"
        )
    if details.get("waitlist_available") is False:
        yield "No seat is left and the waitlist is full"
    for item in details.get("choices") or ():
        if isinstance(item, Mapping):
            yield (
                f"{item.get('section_code', '')}: {str(item.get('section_type', '')).lower()}, "
                f"{item.get('available_seats')} seats left"
            )
    for line in details.get("fields") or ():
        yield str(line)


_LINKED_STATUS = {
    "ENROLLED": "Also enrolled in the {kind}",
    "WAITLISTED": "The {kind} is full: you are #{position} on its waitlist",
    "DROPPED": "Also dropped the {kind}",
    "WITHDRAWN": "Also withdrawn from the {kind}",
}


def linked_lines(records: Any) -> Iterator[str]:
    """What happened to the LAB and TUTORIAL places taken (or dropped) with a lecture, one line
    each, from an answer's `linked_enrollments` (or `linked_dropped`)."""
    for record in records or ():
        if not isinstance(record, Mapping):
            continue
        section = record.get("course_section") or {}
        kind = str(section.get("section_type", "section")).lower()
        words = _LINKED_STATUS.get(str(record.get("status")), "The {kind}: {status}")
        yield words.format(
            kind=kind,
            position=record.get("waitlist_position"),
            status=str(record.get("status", "")).lower(),
        )


def refusal_text(message: str, details: Mapping[str, Any]) -> str:
    """A refusal in one line: its message, then what its details add."""
    lines = list(refusal_lines(details))
    return f"{message}: {'; '.join(lines)}" if lines else message


HISTORY = {
    "enrollment.enroll": "Enrolled in",
    "enrollment.waitlist": "Joined the waitlist for",
    "enrollment.dropped": "Dropped",
    "enrollment.withdrawn": "Withdrew from",
    "enrollment.promote": "Moved from the waitlist into a seat in",
    "enrollment.promoted": "Moved from the waitlist into a seat in",
    "enrollment.completed": "Completed",
    "grade.recorded": "Grade recorded for",
    "grade.changed_after_completion": "Grade changed for",
    "hold.placed": "A hold was placed",
    "hold.released": "A hold was released",
    "student.created": "Record created",
    "student.updated": "Record updated",
    "student.assigned": "Placement changed",
    "student.bulk_assigned": "Placement changed",
    "student.deactivated": "Record deactivated",
}


def history_words(action: str) -> str:
    """An audit action as the student reads it in their history."""
    return HISTORY.get(action, action.replace(".", " ").replace("_", " ").capitalize())
