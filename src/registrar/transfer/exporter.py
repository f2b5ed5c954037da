"""CSV exports: a section's roster, and a batch's enrollments in a term."""

from __future__ import annotations

import re
import uuid
from datetime import date

from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection
from registrar.errors import NotFound, ValidationFailed
from registrar.kit.columns import utcnow
from registrar.kit.csv_export import Export
from registrar.students import repository as students_repo
from registrar.transfer import repository as repo

ROSTER_COLUMNS = (
    "roll_number",
    "name",
    "email",
    "status",
    "enrollment_type",
    "waitlist_position",
    "grade",
    "grade_points",
    "attendance_percentage",
)
BATCH_COLUMNS = (
    "roll_number",
    "name",
    "email",
    "student_status",
    "term_code",
    "course_code",
    "course_title",
    "credits",
    "section_code",
    "status",
    "enrollment_type",
    "waitlist_position",
    "grade",
    "attendance_percentage",
)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)


def section_roster(session: Session, institution_id: uuid.UUID, section_id: uuid.UUID) -> Export:
    """Everyone who holds or held a place in the section; 404 for another institution's."""
    section = session.get(CourseSection, section_id)
    if section is None or section.institution_id != institution_id:
        raise NotFound("Course section not found")
    rows = [tuple(row) for row in session.execute(repo.roster(section.id))]
    return Export(f"roster-{_safe(section.code)}.csv", ROSTER_COLUMNS, rows)


def batch_enrollments(
    session: Session,
    institution_id: uuid.UUID,
    batch_id: uuid.UUID,
    term_code: str | None,
    today: date | None = None,
) -> Export:
    """Each student of the batch with each enrollment of the term (the current one by default)."""
    batch = students_repo.get_batch(session, institution_id, batch_id)
    if batch is None:
        raise NotFound("Batch not found")
    if term_code is not None:
        term = repo.term_by_code(session, institution_id, term_code)
        if term is None:
            raise ValidationFailed(f"Unknown term {term_code!r}", details={"field": "term"})
    else:
        term = repo.current_term(session, institution_id, today or utcnow().date())
    code = term.code if term is not None else None
    rows = []
    for row in session.execute(repo.batch_enrollments(batch.id, term.id if term else None)):
        values = list(row)
        # The term column is blank for a student with no enrollment in it.
        rows.append([*values[:4], code if row.status is not None else None, *values[4:]])
    name = f"enrollments-{_safe(batch.code)}" + (f"-{_safe(code)}" if code else "") + ".csv"
    return Export(name, BATCH_COLUMNS, rows)
