"""Weekly timetables that never clash within a batch, and rooms that are never double-booked."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time

from registrar.academics.models import Room, Weekday
from registrar.demo.common import Ids
from registrar.kit.bulk import Row, Rows

WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
PERIODS = (
    (time(9, 0), time(10, 30)),
    (time(10, 45), time(12, 15)),
    (time(13, 15), time(14, 45)),
    (time(15, 0), time(16, 30)),
)
# A lab takes the whole afternoon: the last two periods.
LAB_PERIODS = (2, 3)


@dataclass(frozen=True)
class Meeting:
    """One weekly meeting."""

    day: Weekday
    start: time
    end: time


class BatchWeek:
    """The free periods of one batch's week; every meeting handed out takes its own periods."""

    def __init__(self, lab_day: int) -> None:
        self.lab_day = lab_day % len(WEEKDAYS)
        self._free = {(day, period) for day in range(len(WEEKDAYS)) for period in range(4)}

    def lab(self) -> Meeting:
        """The afternoon lab on the batch's lab day."""
        for period in LAB_PERIODS:
            self._free.remove((self.lab_day, period))
        return Meeting(
            WEEKDAYS[self.lab_day], PERIODS[LAB_PERIODS[0]][0], PERIODS[LAB_PERIODS[-1]][1]
        )

    def lecture_pair(self) -> list[Meeting]:
        """Two meetings on different days, at the same hour where possible (Monday/Wednesday)."""
        cells = sorted(self._free, key=lambda cell: (cell[1], cell[0]))
        if len(cells) < 2:
            raise ValueError("the batch's week is full")
        first = cells[0]
        rest = [cell for cell in cells[1:] if cell[0] != first[0]]
        same_hour = [cell for cell in rest if cell[1] == first[1]]
        spaced = [cell for cell in same_hour if cell[0] >= first[0] + 2]
        second = (spaced or same_hour or rest)[0]
        self._free.discard(first)
        self._free.discard(second)
        return [self._meeting(cell) for cell in sorted((first, second))]

    @staticmethod
    def _meeting(cell: tuple[int, int]) -> Meeting:
        start, end = PERIODS[cell[1]]
        return Meeting(WEEKDAYS[cell[0]], start, end)


@dataclass
class RoomBook:
    """Rooms by building, created as they are needed; labs are shared, so they are booked."""

    ids: Ids
    institution_id: uuid.UUID
    rows: Rows
    _classrooms: dict[str, int] = field(default_factory=dict)
    _labs: dict[str, list[uuid.UUID]] = field(default_factory=dict)
    _lab_days: set[tuple[uuid.UUID, int]] = field(default_factory=set)

    def _room(self, code: str, building: str, capacity: int) -> uuid.UUID:
        row: Row = {
            "id": self.ids.new(),
            "institution_id": self.institution_id,
            "code": code,
            "building": building,
            "capacity": capacity,
            "is_active": True,
        }
        self.rows.add(Room.__table__, row)
        return row["id"]  # type: ignore[no-any-return]

    def classroom(self, prefix: str, building: str, capacity: int = 70) -> uuid.UUID:
        """A new classroom of its own: `CS-101`, `CS-102`, ... twenty to a floor."""
        count = self._classrooms.get(prefix, 0)
        self._classrooms[prefix] = count + 1
        number = 100 * (1 + count // 20) + 1 + count % 20
        return self._room(f"{prefix}-{number}", building, capacity)

    def lab(self, prefix: str, building: str, day: int) -> uuid.UUID:
        """A lab of the building free on that afternoon (a new one when all are taken)."""
        labs = self._labs.setdefault(prefix, [])
        for lab_id in labs:
            if (lab_id, day) not in self._lab_days:
                self._lab_days.add((lab_id, day))
                return lab_id
        lab_id = self._room(f"{prefix}-LAB{len(labs) + 1}", building, 70)
        labs.append(lab_id)
        self._lab_days.add((lab_id, day))
        return lab_id


def slot_rows(
    ids: Ids,
    institution_id: uuid.UUID,
    section_id: uuid.UUID,
    meetings: list[Meeting],
    room_id: uuid.UUID,
) -> list[Row]:
    """Timetable rows of a section."""
    return [
        {
            "id": ids.new(),
            "institution_id": institution_id,
            "section_id": section_id,
            "day": meeting.day.value,
            "start_time": meeting.start,
            "end_time": meeting.end,
            "room_id": room_id,
        }
        for meeting in meetings
    ]


def clash(a: Meeting, b: Meeting) -> bool:
    """Whether two weekly meetings overlap."""
    return a.day == b.day and a.start < b.end and b.start < a.end


@dataclass
class Rota:
    """A group's teachers in turn, each given only meetings that fit their week."""

    hire: Callable[[], uuid.UUID]
    staff: list[uuid.UUID] = field(default_factory=list)
    week: dict[uuid.UUID, list[Meeting]] = field(default_factory=dict)
    turn: int = 0

    def add(self) -> uuid.UUID:
        """Hire one more teacher into the rota."""
        teacher = self.hire()
        self.staff.append(teacher)
        self.week[teacher] = []
        return teacher

    def pick(self, meetings: list[Meeting]) -> uuid.UUID:
        """The next teacher in turn free at every meeting; a new one when nobody is."""
        for step in range(len(self.staff)):
            candidate = self.staff[(self.turn + step) % len(self.staff)]
            busy = self.week[candidate]
            if not any(clash(m, b) for m in meetings for b in busy):
                self.turn = (self.turn + step + 1) % len(self.staff)
                busy.extend(meetings)
                return candidate
        teacher = self.add()
        self.week[teacher].extend(meetings)
        return teacher
