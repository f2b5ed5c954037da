"""An open semester to rush: a registrar, students with logins, one small offering and some
roomy ones in separate time slots. For the load test and the two-process rush."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time

from registrar.academics.models import Weekday
from registrar.auth.models import Role
from registrar.db import Database
from tests import factories

TAG = "ap-university"
DAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)


@dataclass(frozen=True)
class RushWorld:
    tag: str
    hot: uuid.UUID  # few seats, a short reserve list
    sections: list[uuid.UUID]  # the hot one first
    students: list[uuid.UUID]
    users: list[uuid.UUID]
    rolls: list[str]


def rush_world(
    database: Database, *, students: int, roomy: int = 4, hot_seats: int = 3, hot_reserve: int = 2
) -> RushWorld:
    """The world, committed (the served app reads it)."""
    with database.session() as s:
        inst = factories.institution(s, tag=TAG)
        year = factories.academic_year(s, inst)
        term = factories.term(s, inst, year)
        factories.user(s, inst, "registrar", Role.REGISTRAR)
        sections = [
            factories.section(
                s,
                inst,
                factories.course(s, inst, code="HOT101", credits=3),
                term,
                capacity=hot_seats,
                waitlist_limit=hot_reserve,
                slots=((Weekday.SATURDAY, time(9), time(10)),),
            )
        ]
        for index in range(roomy):
            day = DAYS[index % len(DAYS)]
            start = time(8 + 2 * (index // len(DAYS)))
            end = time(start.hour + 1)
            course = factories.course(s, inst, code=f"RM{index:03d}", credits=3)
            sections.append(factories.section(s, inst, course, term, slots=((day, start, end),)))
        people = [factories.student(s, inst) for _ in range(students)]
        return RushWorld(
            tag=inst.tag,
            hot=sections[0].id,
            sections=[section.id for section in sections],
            students=[p.id for p in people],
            users=[p.user_id for p in people if p.user_id is not None],
            rolls=[p.roll_number for p in people],
        )
