"""Joined rows folded back into the things they repeat, and into the record's rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registrar.kit.core import AnyRow
from registrar.records.models import RecordRow


def grouped(rows: Iterable[AnyRow], key: str) -> dict[Any, list[AnyRow]]:
    """Rows by the value of the `key` column, in the order first seen; rows where it is NULL
    (an outer join that found nothing) are left out."""
    groups: dict[Any, list[AnyRow]] = {}
    for row in rows:
        value = row._mapping[key]
        if value is not None:
            groups.setdefault(value, []).append(row)
    return groups


def counts_in_record(row: AnyRow) -> bool:
    """A LAB or TUTORIAL taken with its lecture is part of the lecture's course: the record
    (courses, credits, GPA) counts the lecture once, not the lab again."""
    return row.section_linked_to is None


def record_row(row: AnyRow) -> RecordRow:
    """An enrollment as the record sees it, from a row with the course's `course_id` and
    `course_credits`, the enrollment's own columns and its term's `term_start`."""
    return RecordRow(
        course_id=row.course_id,
        credits=row.course_credits,
        status=row.status,
        enrollment_type=row.enrollment_type,
        grade=row.grade,
        grade_points=row.grade_points,
        attendance_percentage=row.attendance_percentage,
        term_start=row.term_start,
        completed_at=row.completed_at,
    )
