"""Course sections: seats, waitlists, faculty and timetables, without double-booked rooms."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.models import Course, CourseSection, Faculty, SectionType, Term
from registrar.academics.repository import sections as repo
from registrar.academics.schemas.sections import SectionCreate, SectionUpdate, SlotIn
from registrar.academics.service import common, timetable
from registrar.auth.principal import Principal
from registrar.errors import Conflict, NotFound, ValidationFailed
from registrar.kit.pagination import PageParams, paginate
from registrar.students.models import StudentBatch

ENTITY = "section"
# Request field -> column, for the two fields the API names after the seeds.
_RENAMED = {"max_students": "capacity", "reserve_limit": "waitlist_limit"}


def list_sections(
    session: Session,
    principal: Principal,
    params: PageParams,
    filters: dict[str, Any],
    q: str | None = None,
) -> tuple[list[CourseSection], int]:
    """One page of the institution's sections; `filters` maps a column name to a value."""
    return paginate(session, repo.sections(common.institution_of(principal), filters, q), params)


def get_section(
    session: Session, principal: Principal, section_id: uuid.UUID, *, for_update: bool = False
) -> CourseSection:
    """One section of the institution, with course, term and timetable."""
    row = repo.section(session, common.institution_of(principal), section_id, for_update=for_update)
    if row is None:
        raise NotFound("Course section not found")
    return row


def _check_references(session: Session, principal: Principal, values: dict[str, Any]) -> None:
    course = common.reference(
        session, Course, principal, values.get("course_id"), "Course", "course_id"
    )
    if course is not None and not course.is_active:
        raise ValidationFailed(
            f"Course {course.code} is not active", details={"field": "course_id"}
        )
    term = common.reference(session, Term, principal, values.get("term_id"), "Term", "term_id")
    if term is not None and not term.is_active:
        raise ValidationFailed(f"Term {term.code} is not active", details={"field": "term_id"})
    common.reference(
        session, Faculty, principal, values.get("faculty_id"), "Faculty member", "faculty_id"
    )
    common.reference(
        session,
        StudentBatch,
        principal,
        values.get("student_batch_id"),
        "Student batch",
        "student_batch_id",
    )


def _ensure_code_free(
    session: Session, principal: Principal, code: str | None, exclude_id: uuid.UUID | None = None
) -> None:
    common.ensure_code_free(
        session, CourseSection, CourseSection.code, principal, "Section code", code, exclude_id
    )


def _check_link(session: Session, principal: Principal, section: dict[str, Any]) -> None:
    """A linked section is a LAB or TUTORIAL naming a LECTURE of the same course and term.

    `section` holds the section's values as they will be (course, term, type, link)."""
    lecture_id = section.get("linked_to_section_id")
    if lecture_id is None:
        return
    if section["section_type"] is SectionType.LECTURE:
        raise ValidationFailed(
            "Only a LAB or TUTORIAL section is linked to a lecture",
            details={"field": "linked_to_section_id"},
        )
    lecture = repo.section(session, common.institution_of(principal), lecture_id)
    if lecture is None:
        raise ValidationFailed(
            "Linked lecture not found", details={"field": "linked_to_section_id"}
        )
    same_offering = (lecture.course_id, lecture.term_id) == (
        section["course_id"],
        section["term_id"],
    )
    if lecture.section_type is not SectionType.LECTURE or not same_offering:
        raise ValidationFailed(
            f"Section {lecture.code} is not a LECTURE of the same course and term",
            details={"field": "linked_to_section_id", "section_code": lecture.code},
        )


def create_section(session: Session, principal: Principal, data: SectionCreate) -> CourseSection:
    """Offer a course in a term (a LAB or TUTORIAL may name the lecture it is taken with)."""
    values = data.model_dump(exclude={"timetable"})
    _check_references(session, principal, values)
    _check_link(session, principal, values)
    _ensure_code_free(session, principal, data.code)
    slots = timetable.resolve_slots(session, principal, data.timetable)
    timetable.check_room_clashes(session, data.term_id, slots, None)
    for field, column in _RENAMED.items():
        values[column] = values.pop(field)
    if values["waitlist_limit"] is None:
        values["waitlist_limit"] = principal.institution.default_waitlist_limit
    row = common.insert(session, principal, CourseSection, values)
    repo.replace_slots(session, row.id, timetable.slot_rows(row.institution_id, row.id, slots))
    row = get_section(session, principal, row.id)
    common.record_created(session, principal, ENTITY, row, timetable=timetable.described(row))
    return row


def _check_seats(row: CourseSection, changes: dict[str, Any]) -> None:
    """409 when the new limits would not hold the students already in the section."""
    capacity = changes.get("capacity")
    if capacity is not None and capacity < row.enrolled_count:
        raise Conflict(
            f"Capacity {capacity} is below the current enrollment of {row.enrolled_count}",
            details={"max_students": capacity, "current_enrollment": row.enrolled_count},
        )
    limit = changes.get("waitlist_limit")
    if limit is not None and limit < row.waitlisted_count:
        raise Conflict(
            f"Waitlist limit {limit} is below the current waitlist of {row.waitlisted_count}",
            details={"reserve_limit": limit, "current_waitlist": row.waitlisted_count},
        )


def update_section(
    session: Session, principal: Principal, section_id: uuid.UUID, data: SectionUpdate
) -> CourseSection:
    """Change a section; seats never drop below who is already in it, rooms never double-book."""
    # Locked, so an enrollment cannot slip in between the seat check and the write.
    row = get_section(session, principal, section_id, for_update=True)
    changes = data.model_dump(exclude_unset=True, exclude={"timetable"})
    for field, column in _RENAMED.items():
        if field in changes:
            changes[column] = changes.pop(field)
    common.reject_nulls(CourseSection, changes)
    _check_references(session, principal, changes)
    moved = {k for k in ("course_id", "term_id") if k in changes and changes[k] != getattr(row, k)}
    if moved and repo.has_enrollments(session, row.id):
        raise Conflict(
            f"Section {row.code} has enrollments; its {' and '.join(sorted(moved))} cannot change",
            details={"fields": sorted(moved)},
        )
    _ensure_code_free(session, principal, changes.get("code"), row.id)
    _check_seats(row, changes)
    linked = ("linked_to_section_id", "section_type", "course_id", "term_id")
    if any(key in changes for key in linked):
        _check_link(
            session, principal, {key: changes.get(key, getattr(row, key)) for key in linked}
        )
        _check_not_a_linked_lecture(session, row, changes)
    term_id = changes.get("term_id", row.term_id)
    new_timetable = data.timetable is not None
    if new_timetable or "term_id" in moved:
        given = (
            data.timetable
            if data.timetable is not None
            else [
                SlotIn(
                    day=s.day,
                    start_time=s.start_time,
                    end_time=s.end_time,
                    room=s.room.code if s.room else None,
                )
                for s in row.slots
            ]
        )
        slots = timetable.resolve_slots(session, principal, given)
        if row.is_active:
            timetable.check_room_clashes(session, term_id, slots, row.id)
    before_timetable = timetable.described(row)
    diff = common.apply_changes(row, changes)
    session.flush()
    if new_timetable:
        repo.replace_slots(session, row.id, timetable.slot_rows(row.institution_id, row.id, slots))
    row = get_section(session, principal, row.id)
    if new_timetable and timetable.described(row) != before_timetable:
        diff["timetable"] = {"before": before_timetable, "after": timetable.described(row)}
    if diff:
        common.record_updated(session, principal, ENTITY, row, diff)
    return row


def _check_not_a_linked_lecture(
    session: Session, row: CourseSection, changes: dict[str, Any]
) -> None:
    """A lecture with linked sections keeps its type, course and term while they name it."""
    moved = any(
        key in changes and changes[key] != getattr(row, key)
        for key in ("section_type", "course_id", "term_id")
    )
    if moved and repo.has_linked_sections(session, row.id):
        raise Conflict(
            f"Section {row.code} has linked sections; unlink them first",
            details={"section_id": str(row.id)},
        )


def deactivate_section(
    session: Session, principal: Principal, section_id: uuid.UUID
) -> CourseSection:
    """Close a section; refused while students hold seats or waitlist places in it."""
    row = get_section(session, principal, section_id, for_update=True)
    enrolled, waitlisted = repo.active_enrollments(session, row.id)
    if enrolled or waitlisted:
        raise Conflict(
            f"Section {row.code} still has {enrolled} enrolled and {waitlisted} waitlisted "
            "students; drop them first",
            details={"enrolled": enrolled, "waitlisted": waitlisted},
        )
    common.deactivate(session, principal, ENTITY, row)
    return row
