"""What the student's pages show, read through the services the API's portal uses.

Each function runs on one reading session (`Unit.read`), so a page costs one connection.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.models import SectionType
from registrar.audit import service as audit
from registrar.audit.schemas import AuditItem
from registrar.auth.actor import student_id_of
from registrar.auth.principal import Principal
from registrar.enrollment.models import AssignmentType, EnrollmentStatus
from registrar.enrollment.rules import RuleCode
from registrar.errors import RegistrarError
from registrar.holds import service as holds
from registrar.holds.schemas import StudentHoldRead
from registrar.kit.pagination import Page, PageParams
from registrar.portal.registration import student_courses
from registrar.portal.registration.schemas import StudentCourseRead
from registrar.portal.student_portal import available, service, shapes
from registrar.portal.student_portal.schemas import (
    AvailableCourse,
    AvailableCoursesResponse,
    AvailableSection,
    EnrolledCourse,
    EnrolledCoursesResponse,
    TimetableEntry,
)
from registrar.web import repository, timetable
from registrar.web.words import refusal_lines

HISTORY_PAGE = 20


def _meetings(courses: list[EnrolledCourse], *, waitlisted: bool) -> list[timetable.Meeting]:
    return [
        timetable.Meeting(
            course_code=course.course.code,
            title=course.course.title,
            day=slot.day.value,
            start=slot.start_time,
            end=slot.end_time,
            room=slot.room,
            waitlisted=waitlisted,
        )
        for course in courses
        for slot in course.timetable or ()
    ]


@dataclass(frozen=True)
class TermView:
    """This term: enrolled, offered and waitlisted courses, the week's grid, holds, the scale."""

    enrolled: EnrolledCoursesResponse
    # Seats the waitlist holds for the student until they accept, decline or the offer expires.
    offered: list[EnrolledCourse]
    waitlisted: list[EnrolledCourse]
    positions: dict[uuid.UUID, int | None]
    holds: list[StudentHoldRead]
    grid: timetable.Grid
    scale_max: Decimal


def _in_status(
    session: Session, principal: Principal, status: EnrollmentStatus
) -> list[EnrolledCourse]:
    """The student's courses in one status, as `GET .../enrolled/?status=` lists them."""
    filters = service.EnrolledFilters(status=status, include_grades=False)
    return service.enrolled_courses(session, principal, filters).enrolled_courses


def _held(session: Session, principal: Principal) -> dict[uuid.UUID, StudentCourseRead]:
    """The student's enrollments by id (seed 001's list: it carries waitlist positions)."""
    rows = student_courses.list_courses(session, principal, student_id_of(principal))
    return {row.enrollment_id: row for row in rows}


def this_term(session: Session, principal: Principal) -> TermView:
    """The student's term as the home page shows it."""
    enrolled = service.enrolled_courses(session, principal, service.EnrolledFilters())
    waiting = _in_status(session, principal, EnrollmentStatus.WAITLISTED)
    offered = _in_status(session, principal, EnrollmentStatus.OFFERED)
    positions: dict[uuid.UUID, int | None] = {}
    if waiting:
        held = _held(session, principal)
        positions = {
            course.enrollment_id: held[course.enrollment_id].reserve_position
            for course in waiting
            if course.enrollment_id in held
        }
    meetings = _meetings(enrolled.enrolled_courses, waitlisted=False)
    meetings += _meetings(waiting, waitlisted=True)
    return TermView(
        enrolled=enrolled,
        offered=offered,
        waitlisted=waiting,
        positions=positions,
        holds=holds.active_for_student(session, principal.institution.id, student_id_of(principal)),
        grid=timetable.build(meetings),
        scale_max=principal.institution.gpa_scale_max,
    )


HELD = frozenset({EnrollmentStatus.WAITLISTED.value, EnrollmentStatus.ENROLLED.value})


@dataclass(frozen=True)
class LinkedChoice:
    """A LAB or TUTORIAL section taken with a lecture: one choice of the lecture's enroll form."""

    id: uuid.UUID
    code: str
    kind: SectionType
    timetable: list[TimetableEntry]
    capacity: int
    enrolled: int
    waitlisted: int
    waitlist_limit: int
    held_status: str | None = None  # WAITLISTED or ENROLLED when the student holds a place

    @property
    def seats_left(self) -> int:
        """Seats still free (a full one waitlists its part of the pair)."""
        return max(self.capacity - self.enrolled, 0)

    @property
    def waitlist_full(self) -> bool:
        """No seat and no room on the waitlist: choosing it would be refused."""
        return self.seats_left == 0 and self.waitlisted >= self.waitlist_limit


@dataclass(frozen=True)
class LinkedGroup:
    """A lecture's linked sections of one kind: one radio group of its enroll form."""

    kind: SectionType
    choices: tuple[LinkedChoice, ...]
    optional: bool  # "none of this kind" is a choice (else the course requires one of these)
    course_requires: bool  # the course is taken with at least one linked section, of any kind

    @property
    def field(self) -> str:
        """The form field the group's radio buttons share (`linked_lab`, `linked_tutorial`)."""
        return f"linked_{self.kind.value.lower()}"


def _linked_groups(
    rows: list[Any], held: dict[uuid.UUID, StudentCourseRead]
) -> dict[uuid.UUID, tuple[LinkedGroup, ...]]:
    """Each lecture's choices by kind, from `repository.linked_sections` (a row per meeting)."""
    by_lecture: dict[uuid.UUID, dict[uuid.UUID, list[Any]]] = {}
    for row in rows:
        by_lecture.setdefault(row.lecture_id, {}).setdefault(row.id, []).append(row)
    groups: dict[uuid.UUID, tuple[LinkedGroup, ...]] = {}
    for lecture_id, sections in by_lecture.items():
        choices = [
            _choice(meetings, held.get(section_id)) for section_id, meetings in sections.items()
        ]
        kinds = sorted({choice.kind for choice in choices})
        required = any(meetings[0].requires_linked_section for meetings in sections.values())
        groups[lecture_id] = tuple(
            LinkedGroup(
                kind,
                tuple(choice for choice in choices if choice.kind is kind),
                optional=not required or len(kinds) > 1,
                course_requires=required,
            )
            for kind in kinds
        )
    return groups


def _choice(meetings: list[Any], mine: StudentCourseRead | None) -> LinkedChoice:
    first = meetings[0]
    return LinkedChoice(
        id=first.id,
        code=first.code,
        kind=first.section_type,
        timetable=shapes.timetable(meetings),
        capacity=first.capacity,
        enrolled=first.enrolled_count,
        waitlisted=first.waitlisted_count,
        waitlist_limit=first.waitlist_limit,
        held_status=mine.status if mine is not None and mine.status in HELD else None,
    )


@dataclass(frozen=True)
class SectionState:
    """Whether the student can take a section now, and if not, why, in the rule's words."""

    section: AvailableSection
    waitlisted: int
    waitlist_limit: int
    held_status: str | None = None  # WAITLISTED or ENROLLED when the student holds a place
    held_enrollment_id: uuid.UUID | None = None
    position: int | None = None
    refusal: str | None = None
    refusal_lines: tuple[str, ...] = ()
    linked: tuple[LinkedGroup, ...] = ()  # a lecture's LAB and TUTORIAL choices, by kind

    @property
    def anchor(self) -> str:
        """The id of the section's card on the page."""
        return f"section-{self.section.id}"

    @property
    def linked_required(self) -> bool:
        """The lecture is taken only with at least one of its linked sections."""
        return any(group.course_requires for group in self.linked)

    @property
    def can_enroll(self) -> bool:
        """A seat is free and no rule refuses."""
        return (
            self.held_status is None and self.refusal is None and self.section.available_seats > 0
        )

    @property
    def can_wait(self) -> bool:
        """No seat is free, the waitlist has room and no rule refuses."""
        return (
            self.held_status is None and self.refusal is None and self.section.available_seats <= 0
        )


@dataclass(frozen=True)
class CoursesView:
    """The courses the student's batch offers them, each section judged by the engine."""

    offer: AvailableCoursesResponse | None
    states: dict[uuid.UUID, SectionState] = field(default_factory=dict)
    holds: list[StudentHoldRead] = field(default_factory=list)
    problem: str | None = None
    departments: list[Any] = field(default_factory=list)

    @property
    def courses(self) -> list[AvailableCourse]:
        """The courses offered (none when the student has no batch)."""
        return self.offer.available_courses if self.offer else []

    def listed(self, course: AvailableCourse) -> list[AvailableSection]:
        """The course's sections that get a card of their own: a LAB or TUTORIAL whose lecture
        is listed is one of that lecture's choices instead, never enrolled in alone."""
        return [
            section
            for section in course.available_sections or ()
            if section.linked_to_section_id not in self.states
        ]

    @property
    def anchors(self) -> set[str]:
        """The ids of the section cards on the page."""
        return {
            state.anchor
            for state in self.states.values()
            if state.section.linked_to_section_id not in self.states
        }


def _refusal(
    section: AvailableSection, chosen_on_the_page: bool
) -> tuple[str | None, tuple[str, ...]]:
    """The refusal the real enroll request would answer now: the first reason of the section's
    eligibility (the dry run's evaluation, which the offer judged for every section at once).
    That evaluation names no linked section; a lecture whose form offers them is judged on the
    rest, and the engine answers the choice itself when the form is sent."""
    judged = section.eligibility
    if judged is None or judged.outcome != "REFUSED":
        return None, ()
    reasons = [
        reason
        for reason in judged.reasons
        if not (chosen_on_the_page and reason.rule is RuleCode.LINKED_SECTION_REQUIRED)
    ]
    if not reasons:
        return None, ()
    first = reasons[0]
    return first.message, tuple(refusal_lines(first.details))


def courses(
    session: Session,
    principal: Principal,
    course_type: AssignmentType | None,
    department: str | None,
) -> CoursesView:
    """The available courses with each section's seats, waitlist and the student's standing."""
    institution_id = principal.institution.id
    student_id = student_id_of(principal)
    choices = repository.departments(session, institution_id)
    on_hold = holds.active_for_student(session, institution_id, student_id)
    filters = available.AvailableFilters(course_type=course_type, department=department)
    try:
        offer = available.available_courses(session, principal, filters)
    except RegistrarError as error:  # no batch: nothing is offered yet
        return CoursesView(None, holds=on_hold, problem=error.message, departments=choices)
    sections = [s for course in offer.available_courses for s in course.available_sections or ()]
    queues = repository.queues(session, institution_id, (s.id for s in sections))
    held = {row.section_id: row for row in _held(session, principal).values() if row.status in HELD}
    lectures = (s.id for s in sections if s.linked_to_section_id is None)
    linked = _linked_groups(repository.linked_sections(session, institution_id, lectures), held)
    states = {}
    for section in sections:
        waiting, limit = queues.get(section.id, (0, 0))
        groups = linked.get(section.id, ())
        mine = held.get(section.id)
        if mine is not None:
            states[section.id] = SectionState(
                section,
                waiting,
                limit,
                held_status=mine.status,
                held_enrollment_id=mine.enrollment_id,
                position=mine.reserve_position,
                linked=groups,
            )
            continue
        refusal, lines = _refusal(section, chosen_on_the_page=bool(groups))
        states[section.id] = SectionState(
            section, waiting, limit, refusal=refusal, refusal_lines=lines, linked=groups
        )
    return CoursesView(offer, states, on_hold, departments=choices)


@dataclass(frozen=True)
class Semester:
    """One past semester of the record: its courses and credits."""

    academic_year: str
    semester: str
    courses: list[EnrolledCourse]

    @property
    def credits(self) -> int:
        """Credits of the semester's completed courses."""
        return sum(course.course.credits for course in self.courses)


@dataclass(frozen=True)
class RecordView:
    """Grades by semester, the cumulative GPA, and the history of the record."""

    completed: EnrolledCoursesResponse
    semesters: list[Semester]
    history: Page[AuditItem]
    scale_max: Decimal


def record(session: Session, principal: Principal, offset: int) -> RecordView:
    """The student's completed courses by semester, and one page of their history."""
    completed = service.enrolled_courses(
        session, principal, service.EnrolledFilters(status=EnrollmentStatus.COMPLETED)
    )
    by_semester: dict[tuple[str, str], list[EnrolledCourse]] = {}
    for course in completed.enrolled_courses:
        context = course.academic_context
        key = (context.academic_year or "—", context.semester or "—")
        by_semester.setdefault(key, []).append(course)
    semesters = [
        Semester(year, semester, listed)
        for (year, semester), listed in sorted(
            by_semester.items(), key=lambda item: (item[0][0], item[0][1].zfill(2)), reverse=True
        )
    ]
    history = audit.history_of_student(
        session,
        principal.institution.id,
        student_id_of(principal),
        PageParams(limit=HISTORY_PAGE, offset=offset),
    )
    return RecordView(completed, semesters, history, principal.institution.gpa_scale_max)


@dataclass(frozen=True)
class DropView:
    """The confirm step of a drop: the enrollment, and the linked places that go with it."""

    held: StudentCourseRead
    goes_with: list[LinkedChoice]


def enrollment_of(
    session: Session, principal: Principal, enrollment_id: uuid.UUID
) -> DropView | None:
    """One of the student's own enrollments (None for anyone else's), and for a lecture the
    places in its LAB and TUTORIAL sections the student holds, which the drop takes with it."""
    mine = _held(session, principal)
    held = mine.get(enrollment_id)
    if held is None:
        return None
    by_section = {row.section_id: row for row in mine.values() if row.status in HELD}
    rows = repository.linked_sections(session, principal.institution.id, (held.section_id,))
    groups = _linked_groups(rows, by_section).get(held.section_id, ())
    goes_with = [c for g in groups for c in g.choices if c.held_status is not None]
    return DropView(held, goes_with)
