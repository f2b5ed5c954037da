"""University course sections: this term's (with timetables and batch courses) and past ones."""

from __future__ import annotations

import math
import uuid
from datetime import date

from registrar.academics.models import CourseSection, SectionType, TermKind, TimetableSlot
from registrar.demo import history
from registrar.demo.catalog import CourseSpec
from registrar.demo.cohorts import BATCH_CAPACITY, FLAGSHIP_BATCH, FLAGSHIP_ROLL, BatchPlan
from registrar.demo.faculty import Staff
from registrar.demo.timetable import BatchWeek, RoomBook, slot_rows
from registrar.demo.university import CURRENT_YEAR, Campus
from registrar.enrollment.models import AssignmentType, BatchCourse, BatchCourseStatus
from registrar.kit.bulk import Row

WAITLIST_LIMIT = 10


def elective_capacity(batch_size: int) -> int:
    """Seats in each elective: a little over half the batch, so the batch fits in two of three."""
    return math.ceil(batch_size / 2) + 2


def plan_sections(campus: Campus, batches: list[BatchPlan]) -> None:
    """Sections for every batch: the current term's and every finished semester's."""
    per_department: dict[str, int] = {}
    for batch in batches:
        count = len(campus.semester_courses(batch.program, batch.semester))
        department = batch.program.department
        per_department[department] = per_department.get(department, 0) + count
    staff = Staff(campus)
    staff.hire_for(per_department)
    rooms = RoomBook(campus.ids, campus.institution_id, campus.rows)
    for batch in batches:
        _past(campus, batch, staff)
        if batch.code == FLAGSHIP_BATCH:
            _plan_nearly_full(campus, batch)  # needs the past sections: it grades the batch
        _current(campus, batch, rooms, staff)


def _plan_nearly_full(campus: Campus, batch: BatchPlan) -> None:
    """Fill one elective that 22CS001 may take up to one free seat, so waitlisting shows."""
    records = history.past_records(campus, batch)
    flagship = next(s for s in batch.students if s.roll_number == FLAGSHIP_ROLL)
    electives = [s for s in campus.semester_courses(batch.program, batch.semester) if not s.is_core]
    open_to_flagship = [
        s for s in electives if history.eligible(s, records.passed[flagship.id])
    ] or electives
    spec = open_to_flagship[0]
    others = [
        student.id
        for student in batch.students
        if student is not flagship
        and student.active
        and history.eligible(spec, records.passed[student.id])
    ]
    taken = others[: elective_capacity(len(batch.students)) - 1]
    batch.nearly_full = (spec.code, taken)


def _section(
    campus: Campus,
    batch_id: uuid.UUID,
    batch_code: str,
    spec: CourseSpec,
    term_id: uuid.UUID,
    faculty_id: uuid.UUID,
    capacity: int,
) -> Row:
    return campus.rows.add(
        CourseSection.__table__,
        {
            "id": campus.ids.new(),
            "institution_id": campus.institution_id,
            "course_id": campus.courses[spec.code],
            "term_id": term_id,
            "faculty_id": faculty_id,
            "student_batch_id": batch_id,
            "code": f"{spec.code}-{batch_code}",
            "section_type": (SectionType.LAB if spec.is_lab else SectionType.LECTURE).value,
            "capacity": capacity,
            "waitlist_limit": WAITLIST_LIMIT,
            "enrolled_count": 0,
            "waitlisted_count": 0,
            "is_active": True,
        },
    )


def _current(campus: Campus, batch: BatchPlan, rooms: RoomBook, staff: Staff) -> None:
    term = campus.terms[(CURRENT_YEAR, TermKind.ODD)]
    department = campus.department_of(batch.program)
    home = rooms.classroom(department.room_prefix, department.building)
    week = BatchWeek(lab_day=batch.index)
    for spec in campus.semester_courses(batch.program, batch.semester):
        if spec.is_core:
            capacity = BATCH_CAPACITY
        elif batch.nearly_full is not None and batch.nearly_full[0] == spec.code:
            capacity = len(batch.nearly_full[1]) + 1
        else:
            capacity = elective_capacity(len(batch.students))
        if spec.is_lab:
            meetings = [week.lab()]
            room = rooms.lab(department.room_prefix, department.building, week.lab_day)
        else:
            meetings = week.lecture_pair()
            room = home
        teacher = staff.teacher(batch.program.department, meetings)
        section = _section(campus, batch.id, batch.code, spec, term["id"], teacher, capacity)
        batch.current_sections[spec.code] = section["id"]
        for slot in slot_rows(campus.ids, campus.institution_id, section["id"], meetings, room):
            campus.rows.add(TimetableSlot.__table__, slot)
        campus.rows.add(BatchCourse.__table__, _batch_course(campus, batch, spec, section["id"]))


def _batch_course(campus: Campus, batch: BatchPlan, spec: CourseSpec, section_id: uuid.UUID) -> Row:
    ordinal = {1: "1st", 2: "2nd", 3: "3rd"}.get(batch.year, f"{batch.year}th")
    if spec.is_core:
        notes = f"Core curriculum for {ordinal} year {batch.program.name} students"
    else:
        notes = f"Elective offered to {ordinal} year {batch.program.name} students"
    return {
        "id": campus.ids.new(),
        "institution_id": campus.institution_id,
        "batch_id": batch.id,
        "course_id": campus.courses[spec.code],
        "section_id": section_id,
        "academic_year_id": campus.years[CURRENT_YEAR],
        "semester": batch.semester,
        "assignment_type": (
            AssignmentType.MANDATORY if spec.is_core else AssignmentType.ELECTIVE
        ).value,
        "status": BatchCourseStatus.ACTIVE.value,
        "auto_enroll_new_students": True,
        "enrollment_date": date(CURRENT_YEAR, 7, 1),
        "notes": notes,
    }


def _past(campus: Campus, batch: BatchPlan, staff: Staff) -> None:
    """One section per course per finished semester, in the batch's row of that year."""
    for semester in range(1, batch.semester):
        year = (semester + 1) // 2
        term = campus.term(batch.admission, semester)
        for spec in campus.semester_courses(batch.program, semester):
            section = _section(
                campus,
                batch.past[year],
                batch.past_codes[year],
                spec,
                term["id"],
                staff.teacher(batch.program.department),
                BATCH_CAPACITY,
            )
            batch.past_sections[(semester, spec.code)] = section["id"]
