"""The weekly timetable as a grid of days by hours, with clashes marked (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import time

WEEK = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
WEEKEND = ("SATURDAY", "SUNDAY")
FIRST_HOUR, LAST_HOUR = 9, 16  # the hours of an empty week


@dataclass(frozen=True)
class Meeting:
    """One weekly meeting of a course the student holds (or waits for)."""

    course_code: str
    title: str
    day: str
    start: time
    end: time
    room: str | None
    waitlisted: bool = False


@dataclass
class Placed:
    """A meeting in its cell, and the codes of the meetings it clashes with."""

    meeting: Meeting
    clashes_with: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Grid:
    """Days across, hours down; each cell holds the meetings that start in that hour."""

    days: tuple[str, ...]
    hours: tuple[int, ...]
    cells: dict[tuple[str, int], list[Placed]]
    clashes: tuple[tuple[str, str, str], ...]  # (day, one course, the other)

    def at(self, day: str, hour: int) -> list[Placed]:
        """The meetings starting on that day in that hour."""
        return self.cells.get((day, hour), [])


def _overlap(one: Meeting, other: Meeting) -> bool:
    return one.day == other.day and one.start < other.end and other.start < one.end


def _last_hour(end: time) -> int:
    """The last hour a meeting ending at `end` occupies (10:30 -> 10; 11:00 -> 10)."""
    return end.hour if end.minute or end.second else end.hour - 1


def build(meetings: Iterable[Meeting]) -> Grid:
    """The grid of the meetings; two meetings that overlap are each marked with the other.

    Waitlisted meetings are shown (dashed) but never counted as clashes: the student does not
    hold that seat yet.
    """
    listed = sorted(meetings, key=lambda m: (m.day, m.start, m.course_code))
    placed = [Placed(m) for m in listed]
    clashes: list[tuple[str, str, str]] = []
    for i, one in enumerate(placed):
        for other in placed[i + 1 :]:
            if one.meeting.waitlisted or other.meeting.waitlisted:
                continue
            if _overlap(one.meeting, other.meeting):
                one.clashes_with.append(other.meeting.course_code)
                other.clashes_with.append(one.meeting.course_code)
                clashes.append(
                    (one.meeting.day, one.meeting.course_code, other.meeting.course_code)
                )
    used_days = {p.meeting.day for p in placed}
    days = WEEK + tuple(day for day in WEEKEND if day in used_days)
    # From the first hour anything starts to the hour the last meeting ends in.
    first = min((p.meeting.start.hour for p in placed), default=FIRST_HOUR)
    last = max((_last_hour(p.meeting.end) for p in placed), default=LAST_HOUR)
    cells: dict[tuple[str, int], list[Placed]] = {}
    for item in placed:
        cells.setdefault((item.meeting.day, item.meeting.start.hour), []).append(item)
    return Grid(days, tuple(range(first, last + 1)), cells, tuple(clashes))
