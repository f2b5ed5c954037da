"""Importing course sections with their timetables from CSV, all or nothing.

Room clashes are the admin API's: the same checks (`academics.service.timetable`) against the
sections already booked in the term, plus the same test between rows of the file.
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection, Room, SectionType
from registrar.academics.repository import catalog as catalog_repo
from registrar.academics.schemas.sections import SlotIn
from registrar.academics.service import timetable
from registrar.auth.actor import Actor
from registrar.auth.principal import InstitutionRef
from registrar.errors import Conflict
from registrar.institutions.models import Institution
from registrar.transfer import repository as repo
from registrar.transfer.csv_rows import SectionRow
from registrar.transfer.importer import (
    ImportReport,
    Parsed,
    Problems,
    ProgressFn,
    first_seen,
    read_rows,
    record_import,
    report,
    report_before_writing,
    write_rows,
)

KIND = "sections"


class _Lookups:
    def __init__(self, session: Session, institution_id: uuid.UUID, rows: list[Parsed[SectionRow]]):
        self.courses = repo.courses(session, institution_id)
        self.terms = repo.terms(session, institution_id)
        self.faculty = repo.faculty(session, institution_id)
        self.batches = repo.batches(session, institution_id)
        codes = {s.room for item in rows for s in item.row.slots() if s.room}
        # Locked like the admin API locks them, so a concurrent booking waits for this one.
        self.rooms: dict[str, Room] = catalog_repo.rooms_by_code(
            session, institution_id, codes, lock=True
        )
        self.taken = repo.taken_section_codes(
            session, institution_id, [i.row.section_code for i in rows]
        )
        self.lectures = repo.sections_by_code(
            session, institution_id, [i.row.linked_to for i in rows if i.row.linked_to]
        )
        self.in_file = {item.row.section_code: item.row for item in rows}


def _lecture_of(row: SectionRow, found: _Lookups) -> tuple[str, str, str] | None:
    """The (course code, term code, type) of the row's lecture: from the file, else offered."""
    assert row.linked_to is not None
    listed = found.in_file.get(row.linked_to)
    if listed is not None:
        return listed.course_code, listed.term_code, listed.section_type.value
    offered = found.lectures.get(row.linked_to)
    if offered is None:
        return None
    course = next((c for c in found.courses.values() if c.id == offered.course_id), None)
    term = next((t for t in found.terms.values() if t.id == offered.term_id), None)
    if course is None or term is None:
        return None
    return course.code, term.code, offered.section_type.value


def _link(item: Parsed[SectionRow], found: _Lookups, problems: Problems) -> None:
    """A linked row is a LAB or TUTORIAL naming a LECTURE of its own course and term."""
    row, line = item.row, item.line
    if row.linked_to is None:
        return
    if row.section_type is SectionType.LECTURE:
        problems.add(
            line, "linked_to", "Only a LAB or TUTORIAL is linked to a lecture", row.linked_to
        )
        return
    lecture = _lecture_of(row, found)
    if lecture is None:
        problems.add(line, "linked_to", "Unknown section code", row.linked_to)
    elif lecture != (row.course_code, row.term_code, SectionType.LECTURE.value):
        problems.add(line, "linked_to", "Not a LECTURE of the same course and term", row.linked_to)


def _references(item: Parsed[SectionRow], found: _Lookups, problems: Problems) -> None:
    row, line = item.row, item.line
    course = found.courses.get(row.course_code)
    if course is None:
        problems.add(line, "course_code", "Unknown course code", row.course_code)
    elif not course.is_active:
        problems.add(line, "course_code", f"Course {course.code} is not active", row.course_code)
    term = found.terms.get(row.term_code)
    if term is None:
        problems.add(line, "term_code", "Unknown term code", row.term_code)
    elif not term.is_active:
        problems.add(line, "term_code", f"Term {term.code} is not active", row.term_code)
    if row.faculty_code is not None and row.faculty_code not in found.faculty:
        problems.add(line, "faculty_code", "Unknown faculty employee code", row.faculty_code)
    if row.batch_code is not None and row.batch_code not in found.batches:
        problems.add(line, "batch_code", "Unknown batch code", row.batch_code)
    if row.section_code in found.taken:
        problems.add(
            line, "section_code", "Section code already exists in the institution", row.section_code
        )


def _slots(
    session: Session, item: Parsed[SectionRow], found: _Lookups, problems: Problems
) -> list[timetable.ResolvedSlot]:
    """The row's slots with rooms, checked against each other and the term's bookings."""
    resolved: list[timetable.ResolvedSlot] = []
    for slot in item.row.slots():
        room = found.rooms.get(slot.room) if slot.room else None
        if slot.room and room is None:
            problems.add(item.line, "timetable", "Unknown room", slot.room)
        given = SlotIn(
            day=slot.day, start_time=slot.start_time, end_time=slot.end_time, room=slot.room
        )
        resolved.append(timetable.ResolvedSlot(given, room))
    for first, _second in timetable.same_room_overlaps(resolved):
        assert first.room is not None
        problems.add(
            item.line,
            "timetable",
            f"Room {first.room.code} is listed twice on {first.given.day.value} "
            "at overlapping times",
            item.row.timetable,
        )
    term = found.terms.get(item.row.term_code)
    if term is not None:
        try:
            timetable.check_room_clashes(session, term.id, resolved, None)
        except Conflict as clash:
            problems.add(item.line, "timetable", clash.message, item.row.timetable)
    return resolved


def _file_clashes(
    rows: list[tuple[Parsed[SectionRow], list[timetable.ResolvedSlot]]], problems: Problems
) -> None:
    """A room booked twice at once by two rows of the same term: the later row is refused."""
    booked: list[tuple[Parsed[SectionRow], timetable.ResolvedSlot]] = []
    for item, slots in rows:
        for slot in slots:
            for other, taken in booked:
                if (
                    slot.room is not None
                    and taken.room is slot.room
                    and other.row.term_code == item.row.term_code
                    and timetable.overlaps(slot.given, taken.given)
                ):
                    problems.add(
                        item.line,
                        "timetable",
                        f"Room {slot.room.code} is already booked on {slot.given.day.value} "
                        f"by section {other.row.section_code} (line {other.line})",
                        item.row.timetable,
                    )
        booked.extend((item, slot) for slot in slots)


def _linked_id(row: SectionRow, ids: dict[str, uuid.UUID], found: _Lookups) -> uuid.UUID | None:
    if row.linked_to is None:
        return None
    return ids.get(row.linked_to) or found.lectures[row.linked_to].id


def import_sections(
    session: Session,
    institution: Institution | InstitutionRef,
    actor: Actor,
    text: str,
    *,
    dry_run: bool,
    progress: ProgressFn,
) -> ImportReport:
    """Check every row; unless a dry run, write the sections and their slots, or nothing."""
    problems = Problems()
    rows, count = read_rows(text, SectionRow, problems)
    found = _Lookups(session, institution.id, rows)
    first_seen(rows, lambda r: r.section_code, "section_code", "section code", problems)
    with_slots = []
    for item in rows:
        _references(item, found, problems)
        _link(item, found, problems)
        with_slots.append((item, _slots(session, item, found, problems)))
    _file_clashes(with_slots, problems)
    slot_count = sum(len(s) for _, s in with_slots)
    created = {"sections": len(rows), "timetable_slots": slot_count}
    early = report_before_writing(
        KIND, dry_run=dry_run, rows=count, problems=problems, created=created
    )
    if early is not None:
        return early
    sections: list[dict[str, Any]] = []
    slot_rows = []
    ids = {item.row.section_code: uuid.uuid4() for item in rows}
    for item, slots in with_slots:
        row, section_id = item.row, ids[item.row.section_code]
        teacher = found.faculty.get(row.faculty_code) if row.faculty_code else None
        batch = found.batches.get(row.batch_code) if row.batch_code else None
        limit = (
            institution.default_waitlist_limit if row.reserve_limit is None else row.reserve_limit
        )
        sections.append(
            {
                "id": section_id,
                "institution_id": institution.id,
                "course_id": found.courses[row.course_code].id,
                "term_id": found.terms[row.term_code].id,
                "faculty_id": teacher.id if teacher else None,
                "student_batch_id": batch.id if batch else None,
                "code": row.section_code,
                "section_type": row.section_type.value,
                "capacity": row.capacity,
                "waitlist_limit": limit,
                "enrolled_count": 0,
                "waitlisted_count": 0,
                "is_active": True,
                "linked_to_section_id": _linked_id(row, ids, found),
            }
        )
        slot_rows.extend(timetable.slot_rows(institution.id, section_id, slots))
    # Lectures before the sections that name them, whatever the file's order.
    sections.sort(key=lambda section: section["linked_to_section_id"] is not None)
    write_rows(
        session, cast(Table, CourseSection.__table__), sections, "Writing sections", progress
    )
    session.add_all(slot_rows)
    session.flush()
    record_import(
        session,
        institution.id,
        actor.user_id,
        KIND,
        "section",
        {"sections": [s["code"] for s in sections], "timetable_slots": slot_count},
    )
    return report(KIND, dry_run=False, rows=count, problems=problems, created=created)
