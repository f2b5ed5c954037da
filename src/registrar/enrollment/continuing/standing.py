"""Pure K-12 rules: level detection, academic standing, prerequisites, unit load, track/strand.

Nothing here touches the database. Thresholds come from the institution's `LevelPolicy` rows
(turned into `LevelRules`), never from constants.

Remedial classes and summer programs: a make-up attempt is a later COMPLETED enrollment of the same
course in its own section (e.g. `MATH6-SUMMER`), marked by `enrollment_type = REPEAT` or by notes
starting with `REMEDIAL` or `SUMMER`. A passing make-up clears the failure for core-subject
completion and for prerequisites; the failure still counts in the failed-subjects limit and the
make-up mark does not enter the year's GPA (the report card is the regular year's).

"Core subjects from previous level" is checked on last period's core subjects for the full-year
levels, and for Senior High only on entering it (the Junior High core); see `core_check_applies`.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from registrar.enrollment.models import EnrollmentType
from registrar.enrollment.rules import unmet_prerequisites
from registrar.institutions.grading import weighted_gpa
from registrar.institutions.models import EducationLevel, LevelPolicy

MAKEUP_NOTE_PREFIXES = ("REMEDIAL", "SUMMER")
PER_SEMESTER = "SEMESTER"

MISSING_FIELDS = "Missing required fields"
FAILED_SUBJECTS = "Student has {n} failed subjects, exceeding the maximum allowed"
LOW_GPA = "Student's GPA ({gpa}) is below the required minimum of {min}"
CORE_NOT_COMPLETED = "Core subjects from previous level not completed"
MISSING_PREREQUISITES = "Missing prerequisites for {subject}: {prerequisites}"
SCHEDULE_FULL = "Schedule is already full"
MISSING_CORE_SUBJECTS = "Missing core subjects of grade {grade}: {subjects}"
LOW_ATTENDANCE = "Student's attendance ({attendance}%) is below the required minimum of {min}%"


class K12Rule(enum.StrEnum):
    """The K-12 rules as a dry run names them (beside the engine's `RuleCode`s, which each
    subject's schedule also goes through)."""

    STUDENT_INACTIVE = "STUDENT_INACTIVE"
    ACTIVE_ENROLLMENT = "ACTIVE_ENROLLMENT"
    FAILED_SUBJECTS = "FAILED_SUBJECTS"
    MIN_GPA = "MIN_GPA"
    CORE_SUBJECTS = "CORE_SUBJECTS"
    MIN_ATTENDANCE = "MIN_ATTENDANCE"
    HOMEROOM_INACTIVE = "HOMEROOM_INACTIVE"
    HOMEROOM_GRADE = "HOMEROOM_GRADE"
    HOMEROOM_TRACK_STRAND = "HOMEROOM_TRACK_STRAND"
    HOMEROOM_FULL = "HOMEROOM_FULL"
    HOMEROOM_SUBJECTS = "HOMEROOM_SUBJECTS"
    SUBJECT_GRADE = "SUBJECT_GRADE"
    TRACK_STRAND = "TRACK_STRAND"
    SCHEDULE_OFFERED = "SCHEDULE_OFFERED"
    SECTION_INACTIVE = "SECTION_INACTIVE"
    CAPACITY = "CAPACITY"
    PREREQUISITES = "PREREQUISITES"
    TIMETABLE_CLASH = "TIMETABLE_CLASH"
    UNIT_LOAD = "UNIT_LOAD"
    CORE_LOAD = "CORE_LOAD"


@dataclass(frozen=True)
class Refusal:
    """A broken rule: the message the client sees and the details that explain it."""

    message: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class LevelRules:
    """One education level's rules, as the institution set them."""

    level: EducationLevel
    min_grade: int
    max_grade: int
    semester_based: bool
    min_gpa: Decimal | None
    max_failed: int
    failed_period: str
    min_units: int | None
    max_units: int | None
    # The default capacity of the level's new homerooms; a homeroom's limit is its own capacity.
    section_capacity: int
    strict_prerequisites: bool
    track_strand_required: bool
    min_attendance: Decimal | None
    passing_mark: Decimal

    @classmethod
    def from_policy(cls, policy: LevelPolicy) -> LevelRules:
        """The rules a `LevelPolicy` row holds."""
        return cls(
            level=policy.level,
            min_grade=policy.min_grade_level,
            max_grade=policy.max_grade_level,
            semester_based=policy.semester_based,
            min_gpa=policy.min_gpa,
            max_failed=policy.max_failed_subjects,
            failed_period=policy.failed_subjects_period.upper(),
            min_units=policy.min_units,
            max_units=policy.max_units,
            section_capacity=policy.section_capacity,
            strict_prerequisites=policy.strict_prerequisites,
            track_strand_required=policy.track_strand_required,
            min_attendance=policy.min_attendance,
            passing_mark=policy.passing_mark,
        )


def detect_level(rules: Iterable[LevelRules], grade_level: int) -> LevelRules | None:
    """The level whose grade range holds the grade, if the school teaches it."""
    for candidate in rules:
        if candidate.min_grade <= grade_level <= candidate.max_grade:
            return candidate
    return None


def is_makeup(enrollment_type: EnrollmentType, notes: str) -> bool:
    """Whether an attempt is a remedial class or summer program rather than the regular year."""
    if enrollment_type is EnrollmentType.REPEAT:
        return True
    return notes.strip().upper().startswith(MAKEUP_NOTE_PREFIXES)


@dataclass(frozen=True)
class Record:
    """One completed attempt of a subject."""

    course_id: uuid.UUID
    course_code: str
    is_core: bool
    units: int
    mark: Decimal | None
    passed: bool
    attendance: Decimal | None
    period: str
    grade_level: int | None = None
    makeup: bool = False


@dataclass(frozen=True)
class Standing:
    """What last period's record says."""

    gpa: Decimal | None
    # The failures the limit counts: the year's, or the worst semester's (named in `failed_in`).
    failed: tuple[str, ...]
    failed_in: str | None
    uncleared_core: tuple[str, ...]
    attendance: Decimal | None
    completed_grade: int | None
    has_record: bool


def assess(regular: Sequence[Record], makeups: Sequence[Record], rules: LevelRules) -> Standing:
    """The standing of a student from the regular attempts of the last period and any make-ups."""
    failed_in, failed = _failed_per_period(regular, rules)
    cleared = {r.course_id for r in (*regular, *makeups) if r.passed}
    uncleared = sorted({r.course_code for r in regular if r.is_core and r.course_id not in cleared})
    return Standing(
        gpa=_gpa(regular),
        failed=failed,
        failed_in=failed_in,
        uncleared_core=tuple(uncleared),
        attendance=_mean(r.attendance for r in regular),
        completed_grade=max((r.grade_level for r in regular if r.grade_level), default=None),
        has_record=bool(regular),
    )


def _failed_per_period(
    regular: Sequence[Record], rules: LevelRules
) -> tuple[str | None, tuple[str, ...]]:
    """The level's period with the most failures (the year, or a semester) and its failures."""
    per_period: dict[str | None, set[str]] = {}
    for record in regular:
        if not record.passed:
            period = record.period if rules.failed_period == PER_SEMESTER else None
            per_period.setdefault(period, set()).add(record.course_code)
    # Records come oldest term first, so of two semesters with as many failures the first is named.
    worst = max(per_period.items(), key=lambda item: len(item[1]), default=(None, set()))
    return worst[0], tuple(sorted(worst[1]))


def _gpa(records: Sequence[Record]) -> Decimal | None:
    marked = [(r.mark, r.units) for r in records if r.mark is not None]
    gpa = weighted_gpa((mark, units) for mark, units in marked)
    if gpa is None and marked:  # every subject carries zero units: a plain mean
        gpa = _mean(mark for mark, _ in marked)
    return gpa


def _mean(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [value for value in values if value is not None]
    if not present:
        return None
    average = sum(present, Decimal(0)) / len(present)
    return average.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def show(number: Decimal) -> str:
    """A number as a person writes it: 75 rather than 75.00, 72.5 rather than 72.50."""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def core_check_applies(rules: LevelRules, completed: LevelRules | None) -> bool:
    """Whether last period's core subjects must all be passed to go on.

    Full-year levels (Elementary, Junior High) advance on passing grades in core subjects; a
    semester-based level (Senior High) advances on units and track requirements, its failed
    subjects being caught by the failed-per-semester limit and the strict prerequisites. Entering
    a level, the core subjects of the level before must be complete whatever the new level is.
    """
    if not rules.semester_based:
        return True
    return completed is None or completed.level is not rules.level


def standing_refusal(
    standing: Standing, rules: LevelRules, *, core_required: bool = True
) -> Refusal | None:
    """The first requirement the record misses: failed subjects, GPA, core subjects, attendance."""
    verdicts = standing_verdicts(standing, rules, core_required=core_required)
    return next((refusal for _, refusal in verdicts if refusal is not None), None)


def standing_verdicts(
    standing: Standing, rules: LevelRules, *, core_required: bool = True
) -> list[tuple[K12Rule, Refusal | None]]:
    """Each standing requirement the level sets, in the order a refusal names the first:
    failed subjects, GPA, core subjects, attendance (None: met)."""
    verdicts: list[tuple[K12Rule, Refusal | None]] = [
        (K12Rule.FAILED_SUBJECTS, _failed_refusal(standing, rules))
    ]
    if rules.min_gpa is not None:
        verdicts.append((K12Rule.MIN_GPA, _gpa_refusal(standing.gpa, rules.min_gpa)))
    if core_required:
        verdicts.append((K12Rule.CORE_SUBJECTS, _core_refusal(standing.uncleared_core)))
    if rules.min_attendance is not None:
        attendance = _attendance_refusal(standing.attendance, rules.min_attendance)
        verdicts.append((K12Rule.MIN_ATTENDANCE, attendance))
    return verdicts


def _failed_refusal(standing: Standing, rules: LevelRules) -> Refusal | None:
    if len(standing.failed) <= rules.max_failed:
        return None
    details: dict[str, Any] = {
        "failedSubjects": list(standing.failed),
        "maxFailedSubjects": rules.max_failed,
        "period": rules.failed_period,
    }
    if standing.failed_in is not None:
        details["term"] = standing.failed_in
    return Refusal(FAILED_SUBJECTS.format(n=len(standing.failed)), details)


def _gpa_refusal(gpa: Decimal | None, minimum: Decimal) -> Refusal | None:
    if gpa is None or gpa >= minimum:
        return None
    return Refusal(LOW_GPA.format(gpa=show(gpa), min=show(minimum)))


def _core_refusal(uncleared: tuple[str, ...]) -> Refusal | None:
    return Refusal(CORE_NOT_COMPLETED, {"coreSubjects": list(uncleared)}) if uncleared else None


def _attendance_refusal(attendance: Decimal | None, minimum: Decimal) -> Refusal | None:
    if attendance is None or attendance >= minimum:
        return None
    return Refusal(LOW_ATTENDANCE.format(attendance=show(attendance), min=show(minimum)))


def target_grade(current: int, standing: Standing, *, new_school_year: bool) -> int:
    """The grade the student enrolls in: the next one after completing their current grade.

    A student whose record already names the grade after the one last completed (placed by
    the school) stays where they are; so does one with no record to judge, or a student moving
    between semesters of one school year.
    """
    if not new_school_year or not standing.has_record:
        return current
    completed = standing.completed_grade
    if completed is None or completed >= current:
        return current + 1
    return current


@dataclass(frozen=True)
class Prerequisite:
    course_id: uuid.UUID
    code: str


def prerequisite_refusal(
    subject_code: str, prerequisites: Sequence[Prerequisite], passed: frozenset[uuid.UUID]
) -> Refusal | None:
    """Every prerequisite of the subject passed (a make-up counts)."""
    missing = [
        pre.code for pre in unmet_prerequisites(prerequisites, passed, lambda pre: pre.course_id)
    ]
    if not missing:
        return None
    return Refusal(
        MISSING_PREREQUISITES.format(subject=subject_code, prerequisites=", ".join(missing)),
        {"subject": subject_code, "missingPrerequisites": missing},
    )


def unit_load_refusal(total_units: int, rules: LevelRules) -> Refusal | None:
    """The term's units within the level's range, where it sets one."""
    low, high = rules.min_units, rules.max_units
    if (low is None or total_units >= low) and (high is None or total_units <= high):
        return None
    return Refusal(
        f"Unit load of {total_units} is outside the allowed range of "
        f"{low if low is not None else 0}-{high if high is not None else 'any'} units per semester",
        {"totalUnits": total_units, "minUnits": low, "maxUnits": high},
    )


def fixed_load_refusal(grade: int, core: Iterable[str], taken: Iterable[str]) -> Refusal | None:
    """A full-year grade's fixed load: each of its core subjects asked for or already enrolled."""
    missing = sorted(set(core).difference(taken))
    if not missing:
        return None
    return Refusal(
        MISSING_CORE_SUBJECTS.format(grade=grade, subjects=", ".join(missing)),
        {"gradeLevel": grade, "missingSubjects": missing},
    )


def track_strand_refusal(
    student: tuple[str | None, str | None], offered: tuple[str | None, str | None], what: str
) -> Refusal | None:
    """A (track, strand) offer must match the student's; unset on either side means any."""
    for label, mine, theirs in (
        ("track", student[0], offered[0]),
        ("strand", student[1], offered[1]),
    ):
        if mine and theirs and mine.strip().upper() != theirs.strip().upper():
            return Refusal(
                f"{what} {label} ({theirs}) does not match the student's {label} ({mine})",
                {"field": label},
            )
    return None
