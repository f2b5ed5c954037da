"""Entry point of the demo loader (the interface the CLI calls)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from registrar.auth.passwords import hash_password
from registrar.db import Database
from registrar.demo import cohorts, history, school, school_setup, sections, university
from registrar.demo.bulk import checks_after_load, refresh_counters
from registrar.demo.common import REGISTRAR_PASSWORD, STUDENT_PASSWORD, Hashes
from registrar.enrollment.models import Enrollment
from registrar.errors import Conflict
from registrar.institutions import repository as institutions
from registrar.kit.bulk import Writer
from registrar.kit.columns import utcnow

ProgressFn = Callable[[str, int, int], None]


@dataclass
class DemoSummary:
    """What a demo load created, by kind of row."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)

    def describe(self) -> str:
        """One line a person reads after the load."""
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"Demo loaded in {self.seconds:.1f}s: {parts}"


def _quiet(_stage: str, _done: int, _total: int) -> None:
    """The progress callback when nobody watches."""


def load_demo(
    database: Database, *, students: int, seed: int, progress: ProgressFn | None = None
) -> DemoSummary:
    """Create the demo institutions and everything in them, in one transaction.

    Refuses (Conflict) when either demo institution exists already.

    The same seed gives the same rows, ids, roll numbers and grades; only the registration
    windows move with the clock (the current term opens three days before the load).
    """
    started = time.perf_counter()
    report = progress or _quiet
    now = utcnow().replace(microsecond=0)
    summary = DemoSummary()
    clock = _StageClock(summary)
    hashes = Hashes(
        student=hash_password(STUDENT_PASSWORD), registrar=hash_password(REGISTRAR_PASSWORD)
    )
    clock.lap("password hashes")
    with database.session() as session:
        for tag in (university.TAG, school_setup.TAG):
            if institutions.find_by_tag(session, tag) is not None:
                raise Conflict(
                    f"Institution {tag!r} already exists; load the demo into an empty database"
                )
        writer = Writer(session, now, report)
        _load_university(writer, clock, seed=seed, students=students, now=now, hashes=hashes)
        _load_school(writer, clock, seed=seed, students=students, now=now, hashes=hashes)
    clock.lap("commit")
    if not database.is_sqlite:
        # Fresh planner statistics: until autovacuum catches up, the planner takes the new
        # tables for empty and picks nested loops that are many times slower.
        with database.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE")
        clock.lap("analyze")
    summary.counts = writer.counts
    summary.seconds = time.perf_counter() - started
    return summary


def _load_university(
    writer: Writer, clock: _StageClock, *, seed: int, students: int, now: datetime, hashes: Hashes
) -> None:
    campus = university.build_campus(seed, now, hashes)
    batches = cohorts.plan_batches(campus, students)
    cohorts.enroll_students(campus, batches, hashes)
    sections.plan_sections(campus, batches)
    clock.lap("ap-university: plan")
    writer.write("ap-university: structure and students", campus.rows)
    clock.lap("ap-university: structure and students")
    with checks_after_load(writer.session, Enrollment.__table__):
        writer.stream(
            "ap-university: enrollments",
            Enrollment.__table__,
            history.stream_enrollments(campus, batches),
            history.expected_enrollments(campus, batches),
        )
    refresh_counters(writer.session, campus.institution_id)
    clock.lap("ap-university: enrollments")


def _load_school(
    writer: Writer, clock: _StageClock, *, seed: int, students: int, now: datetime, hashes: Hashes
) -> None:
    plan = school.build_school(seed, now, hashes, school.school_size(students))
    clock.lap("sample-school: plan")
    writer.write("sample-school", plan.rows)
    refresh_counters(writer.session, plan.institution_id)
    clock.lap("sample-school: write")


class _StageClock:
    """Seconds spent per stage, kept in the summary."""

    def __init__(self, summary: DemoSummary) -> None:
        self.summary = summary
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.summary.stage_seconds[stage] = now - self.last
        self.last = now
