"""What every part of the demo shares: seeded ids and random streams, rows, the clock."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from registrar.academics.models import TermKind
from registrar.kit.bulk import Row

STUDENT_PASSWORD = "student123"
REGISTRAR_PASSWORD = "registrar123"


def stream(seed: int, purpose: str) -> random.Random:
    """A random stream for one purpose: draws added elsewhere leave it unchanged."""
    return random.Random(f"registrar-demo:{seed}:{purpose}")


class Ids:
    """Version-4 shaped UUIDs drawn from a seeded stream: the same seed gives the same ids."""

    def __init__(self, seed: int, purpose: str) -> None:
        self._rng = stream(seed, f"ids:{purpose}")

    def new(self) -> uuid.UUID:
        """The next id of the stream."""
        return uuid.UUID(int=self._rng.getrandbits(128), version=4)


@dataclass(frozen=True)
class Hashes:
    """The two password hashes the demo reuses: argon2 is slow on purpose, so hash once."""

    student: str
    registrar: str


def at(day: date, hour: int = 9) -> datetime:
    """A UTC timestamp on a calendar day."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


@dataclass(frozen=True)
class Window:
    """A registration window and its drop deadline."""

    start: datetime
    end: datetime
    drop_deadline: datetime


def open_window(now: datetime) -> Window:
    """The current term's window: opened three days ago, so a new user can enroll at once."""
    return Window(now - timedelta(days=3), now + timedelta(days=30), now + timedelta(days=45))


def past_window(term_start: date, now: datetime) -> Window:
    """A window that closed around the term's start, and surely before now."""
    end = min(at(term_start) + timedelta(days=14), now - timedelta(days=7))
    return Window(end - timedelta(days=30), end, end + timedelta(days=14))


def future_window(now: datetime) -> Window:
    """A window that has not opened yet (the school's second semester)."""
    start = now + timedelta(days=120)
    return Window(start, start + timedelta(days=30), start + timedelta(days=45))


def term_row(
    ids: Ids,
    institution_id: uuid.UUID,
    academic_year_id: uuid.UUID,
    *,
    code: str,
    name: str,
    kind: TermKind,
    dates: tuple[date, date],
    window: Window,
    credits: tuple[int | None, int | None],
) -> Row:
    """A term row with its registration window."""
    return {
        "id": ids.new(),
        "institution_id": institution_id,
        "academic_year_id": academic_year_id,
        "code": code,
        "name": name,
        "kind": kind.value,
        "start_date": dates[0],
        "end_date": dates[1],
        "registration_start": window.start,
        "registration_end": window.end,
        "drop_deadline": window.drop_deadline,
        "min_credits": credits[0],
        "max_credits": credits[1],
        "is_active": True,
    }
