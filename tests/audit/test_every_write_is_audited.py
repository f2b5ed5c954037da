"""Every write operation of the API leaves its row in the audit trail.

The operations come from the app's own OpenAPI document: each is walked once with a real,
successful request on a small world of its own, then `GET /api/admin/audit`, narrowed to the
moment of that request, must hold the event it owes. A write operation added later that is
neither walked here nor allowed in `UNAUDITED` fails the test as an unwalked write endpoint.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache, partial
from typing import Any, TypeVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registrar.academics.models import (
    AcademicYear,
    Course,
    CourseSection,
    Department,
    Term,
    TermKind,
)
from registrar.auth.models import Role
from registrar.config import Settings
from registrar.db import Database
from registrar.enrollment.models import BatchCourse, Enrollment, EnrollmentStatus
from registrar.institutions.models import Institution
from registrar.kit.columns import utcnow
from registrar.main import create_app
from registrar.notifications.models import Notification, NotificationStatus, RecipientKind
from registrar.notifications.outbox import enqueue
from registrar.students.models import Student
from tests import factories
from tests.conftest import TEST_SECRET, LoginFn
from tests.enrollment.continuing import school

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
Operation = tuple[str, str]  # (method, path template of the OpenAPI document)
T = TypeVar("T")

# Write operations that change nothing the trail keeps, each with why.
UNAUDITED: dict[Operation, str] = {
    ("POST", "/auth/login"): "signs in: issues a token and changes no record",
}


@dataclass(frozen=True)
class Expected:
    """An event the walked request owes the trail."""

    action: str
    entity: str
    entity_id: uuid.UUID | None  # None: the event names no single row (a whole import)


@dataclass(frozen=True)
class Call:
    """The walked request: what was asked, the moment it took, and who may read its trail."""

    method: str
    path: str
    since: datetime
    until: datetime
    reader: dict[str, str]


@dataclass
class World:
    """A university with a registrar and a student who can log in, and its open term."""

    client: TestClient
    database: Database
    institution_id: uuid.UUID
    year_id: uuid.UUID
    term_id: uuid.UUID
    registrar: dict[str, str]
    student: dict[str, str]
    student_id: uuid.UUID
    sign_in: LoginFn
    called: Call | None = None

    def call(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        reader: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Any:
        """Make the walked request (as the registrar unless told), which must succeed."""
        since = utcnow()
        answer = self.client.request(method, url, headers=headers or self.registrar, **kwargs)
        until = utcnow() + timedelta(microseconds=1)
        assert answer.is_success, f"{method} {url}: {answer.status_code} {answer.text}"
        path = url.split("?", 1)[0]
        self.called = Call(method, path, since, until, reader or self.registrar)
        return answer.json()

    def prepare(self, method: str, url: str, **kwargs: Any) -> Any:
        """A request as the registrar that sets the scene (its own events are not looked at)."""
        answer = self.client.request(method, url, headers=self.registrar, **kwargs)
        assert answer.is_success, f"{method} {url}: {answer.status_code} {answer.text}"
        return answer.json()

    def make(self, build: Callable[[Session, Institution], T]) -> T:
        """Rows made with the factories in the institution, committed."""
        with self.database.session() as session:
            return build(session, session.get_one(Institution, self.institution_id))

    def section(self, *, capacity: int = 30) -> uuid.UUID:
        """A one-credit course offered in one section of the open term, meeting at no hour."""

        def build(s: Session, inst: Institution) -> uuid.UUID:
            course = factories.course(s, inst, credits=1)
            term = s.get_one(Term, self.term_id)
            return factories.section(s, inst, course, term, capacity=capacity, slots=()).id

        return self.make(build)

    def new_student(self, **fields: Any) -> uuid.UUID:
        """A student without a login."""
        return self.make(lambda s, inst: factories.student(s, inst, with_login=False, **fields).id)

    def enroll(
        self,
        student_id: uuid.UUID,
        section_id: uuid.UUID,
        status: EnrollmentStatus = EnrollmentStatus.ENROLLED,
        **fields: Any,
    ) -> uuid.UUID:
        """An enrollment made with the factories (so it leaves no event of its own)."""

        def build(s: Session, inst: Institution) -> uuid.UUID:
            student = s.get_one(Student, student_id)
            section = s.get_one(CourseSection, section_id)
            row: Enrollment = factories.enrollment(s, inst, student, section, status, **fields)
            return row.id

        return self.make(build)

    def enrollment_of(self, student_id: uuid.UUID, section_id: uuid.UUID) -> uuid.UUID:
        """The student's enrollment in the section."""
        with self.database.session(write=False) as s:
            return s.scalars(
                select(Enrollment.id).where(
                    Enrollment.student_id == student_id, Enrollment.section_id == section_id
                )
            ).one()

    def course_of(self, section_id: uuid.UUID) -> uuid.UUID:
        """The course a section offers."""
        with self.database.session(write=False) as s:
            return s.get_one(CourseSection, section_id).course_id

    def missing(self, expected: list[Expected]) -> list[Expected]:
        """The expected events the trail does not hold for the last walked request."""
        assert self.called is not None, "the walk made no request through World.call"
        return [event for event in expected if not self._found(event, self.called)]

    def _found(self, event: Expected, call: Call) -> bool:
        answer = self.client.get(
            "/api/admin/audit",
            params={
                "action": event.action,
                "since": call.since.isoformat(),
                "until": call.until.isoformat(),
                "limit": 100,
            },
            headers=call.reader,
        )
        assert answer.status_code == 200, answer.text
        return any(
            item["entity"] == event.entity
            and (event.entity_id is None or item["entity_id"] == str(event.entity_id))
            for item in answer.json()["items"]
        )


@pytest.fixture
def world(client: TestClient, database: Database, login: LoginFn) -> World:
    with database.session() as s:
        inst = factories.institution(s)
        year = factories.academic_year(s, inst)
        term = factories.term(s, inst, year, TermKind.ODD)
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        student = factories.student(s, inst)
        ids = (inst.id, year.id, term.id, student.id)
        tag, names = inst.tag, (registrar.username, student.roll_number)
    return World(
        client=client,
        database=database,
        institution_id=ids[0],
        year_id=ids[1],
        term_id=ids[2],
        registrar=login(names[0], factories.PASSWORD, tag),
        student=login(names[1], factories.PASSWORD, tag),
        student_id=ids[3],
        sign_in=login,
    )


Walk = Callable[[World], list[Expected]]
WALKS: dict[Operation, Walk] = {}


def walks(method: str, path: str) -> Callable[[Walk], Walk]:
    """Register a walk of one operation of the document."""

    def register(walk: Walk) -> Walk:
        WALKS[(method, path)] = walk
        return walk

    return register


# --- enrollments ------------------------------------------------------------------------------


def _enrolled(world: World, section_id: uuid.UUID, student_id: uuid.UUID) -> list[Expected]:
    return [
        Expected("enrollment.enroll", "enrollment", world.enrollment_of(student_id, section_id))
    ]


@walks("POST", "/api/student-portal/courses/enroll/")
def _portal_enroll(w: World) -> list[Expected]:
    section = w.section()
    w.call(
        "POST",
        "/api/student-portal/courses/enroll/",
        json={"course_section_id": str(section)},
        headers=w.student,
    )
    return _enrolled(w, section, w.student_id)


@walks("POST", "/api/student-portal/courses/drop/")
def _portal_drop(w: World) -> list[Expected]:
    enrollment = w.enroll(w.student_id, w.section())
    w.call(
        "POST",
        "/api/student-portal/courses/drop/",
        json={"enrollment_id": str(enrollment)},
        headers=w.student,
    )
    return [Expected("enrollment.dropped", "enrollment", enrollment)]


@walks("POST", "/courses/{course_id}/register")
def _register(w: World) -> list[Expected]:
    section = w.section()
    w.call("POST", f"/courses/{section}/register", headers=w.student)
    return _enrolled(w, section, w.student_id)


@walks("POST", "/courses/{course_id}/drop")
def _seed_drop(w: World) -> list[Expected]:
    section = w.section()
    enrollment = w.enroll(w.student_id, section)
    w.call("POST", f"/courses/{section}/drop", headers=w.student)
    return [Expected("enrollment.dropped", "enrollment", enrollment)]


@walks("POST", "/students/{student_id}/courses")
def _enroll_in_course(w: World) -> list[Expected]:
    section, student = w.section(), w.new_student()
    w.call("POST", f"/students/{student}/courses", json={"course_id": str(w.course_of(section))})
    return _enrolled(w, section, student)


@walks("POST", "/api/admin/enrollments")
def _registrar_enroll(w: World) -> list[Expected]:
    section, student = w.section(), w.new_student()
    w.call(
        "POST",
        "/api/admin/enrollments",
        json={"student_id": str(student), "course_section_id": str(section)},
    )
    return _enrolled(w, section, student)


@walks("POST", "/api/admin/enrollments/{enrollment_id}/drop")
def _registrar_drop(w: World) -> list[Expected]:
    """A full section: the seat freed goes to the head of the waitlist."""
    section = w.section(capacity=1)
    seated = w.enroll(w.new_student(), section)
    waiting = w.enroll(w.new_student(), section, EnrollmentStatus.WAITLISTED)
    w.call("POST", f"/api/admin/enrollments/{seated}/drop", json={"reason": "Left"})
    return [
        Expected("enrollment.dropped", "enrollment", seated),
        Expected("enrollment.promote", "enrollment", waiting),
    ]


def _offered(w: World) -> uuid.UUID:
    """The student's waitlist place in a section that offers a seat that opens, offered now."""
    section = w.section(capacity=1)
    seated = w.enroll(w.new_student(), section)
    waiting = w.enroll(w.student_id, section, EnrollmentStatus.WAITLISTED)
    w.prepare("PATCH", f"/api/admin/sections/{section}", json={"waitlist_mode": "OFFER"})
    w.prepare("POST", f"/api/admin/enrollments/{seated}/drop", json={"reason": "Left"})
    return waiting


@walks("POST", "/api/student-portal/courses/offers/{enrollment_id}/accept")
def _accept_offer(w: World) -> list[Expected]:
    offer = _offered(w)
    w.call("POST", f"/api/student-portal/courses/offers/{offer}/accept", headers=w.student)
    return [Expected("enrollment.offer_accepted", "enrollment", offer)]


@walks("POST", "/api/student-portal/courses/offers/{enrollment_id}/decline")
def _decline_offer(w: World) -> list[Expected]:
    offer = _offered(w)
    w.call("POST", f"/api/student-portal/courses/offers/{offer}/decline", headers=w.student)
    return [Expected("enrollment.offer_declined", "enrollment", offer)]


@walks("PATCH", "/api/admin/institution/policy")
def _change_policy(w: World) -> list[Expected]:
    # Offer hours only: what the other walks rely on (seats that open fill at once) stays.
    w.call("PATCH", "/api/admin/institution/policy", json={"offer_hours": 36})
    return [Expected("institution.policy_updated", "institution", w.institution_id)]


# --- the catalog: departments, programs, years, terms, courses, faculty, rooms, sections ------


@dataclass(frozen=True)
class Catalog:
    """One kind of catalog row: how to make one, a body that creates one, a change to one."""

    path: str
    param: str
    entity: str
    make: Callable[[World], uuid.UUID]
    create: Callable[[World], dict[str, Any]]
    change: dict[str, Any] | None  # None: its PATCH is walked on its own


def _department(w: World) -> uuid.UUID:
    return w.make(lambda s, inst: factories.department(s, inst).id)


def _program(w: World) -> uuid.UUID:
    return w.make(lambda s, inst: factories.program(s, inst, factories.department(s, inst)).id)


def _year(w: World) -> uuid.UUID:
    # A current year: retiring one that is not current changes nothing.
    return w.make(lambda s, inst: factories.academic_year(s, inst, factories.unique("Y")).id)


def _term(w: World) -> uuid.UUID:
    # A year of its own: a year has one term of each kind.
    return w.make(
        lambda s, inst: (
            factories.term(s, inst, factories.academic_year(s, inst, factories.unique("Y"))).id
        )
    )


def _term_body(w: World) -> dict[str, Any]:
    return {
        "academic_year_id": str(w.year_id),
        "code": factories.unique("EVEN-"),
        "name": "Even Semester",
        "kind": "EVEN",
        "start_date": "2024-12-01",
        "end_date": "2025-04-30",
        "registration_start": "2024-11-15T09:00:00+05:30",
        "registration_end": "2024-12-10T17:00:00+05:30",
        "drop_deadline": "2024-12-31T17:00:00+05:30",
    }


CATALOG = (
    Catalog(
        "/api/admin/departments",
        "department_id",
        "department",
        _department,
        lambda _: {"code": factories.unique("D"), "name": "Physics"},
        {"name": "Physics and Astronomy"},
    ),
    Catalog(
        "/api/admin/programs",
        "program_id",
        "program",
        _program,
        lambda w: {
            "department_id": str(_department(w)),
            "code": factories.unique("MTECH"),
            "name": "M.Tech Computer Science",
        },
        {"name": "M.Tech Computer Science and Engineering"},
    ),
    Catalog(
        "/api/admin/academic-years",
        "year_id",
        "academic_year",
        _year,
        lambda _: {"code": "2030-2031", "start_date": "2030-07-01", "end_date": "2031-06-30"},
        {"end_date": "2025-06-15"},
    ),
    Catalog("/api/admin/terms", "term_id", "term", _term, _term_body, {"max_credits": 28}),
    Catalog(
        "/api/admin/courses",
        "course_id",
        "course",
        lambda w: w.make(lambda s, inst: factories.course(s, inst).id),
        lambda _: {"code": factories.unique("CS"), "title": "Soft Computing", "credits": 3},
        {"credits": 3},
    ),
    Catalog(
        "/api/admin/faculty",
        "faculty_id",
        "faculty",
        lambda w: w.make(lambda s, inst: factories.faculty(s, inst).id),
        lambda _: {"employee_code": factories.unique("EMP"), "name": "Dr. Kolli"},
        {"designation": "Associate Professor"},
    ),
    Catalog(
        "/api/admin/rooms",
        "room_id",
        "room",
        lambda w: w.make(lambda s, inst: factories.room(s, inst).id),
        lambda _: {"code": factories.unique("R-"), "building": "Main Block"},
        {"capacity": 72},
    ),
    Catalog(
        "/api/admin/sections",
        "section_id",
        "section",
        lambda w: w.section(),
        lambda w: {
            "course_id": str(w.course_of(w.section())),
            "term_id": str(w.term_id),
            "code": factories.unique("SEC-"),
            "section_type": "LECTURE",
            "max_students": 40,
        },
        None,
    ),
)


def _create(kind: Catalog, w: World) -> list[Expected]:
    created = w.call("POST", kind.path, json=kind.create(w))
    return [Expected(f"{kind.entity}.created", kind.entity, uuid.UUID(created["id"]))]


def _change(kind: Catalog, w: World) -> list[Expected]:
    assert kind.change is not None
    row = kind.make(w)
    w.call("PATCH", f"{kind.path}/{row}", json=kind.change)
    return [Expected(f"{kind.entity}.updated", kind.entity, row)]


def _deactivate(kind: Catalog, method: str, tail: str, w: World) -> list[Expected]:
    row = kind.make(w)
    w.call(method, f"{kind.path}/{row}{tail}")
    return [Expected(f"{kind.entity}.deactivated", kind.entity, row)]


for _kind in CATALOG:
    _one = f"{_kind.path}/{{{_kind.param}}}"
    WALKS[("POST", _kind.path)] = partial(_create, _kind)
    if _kind.change is not None:
        WALKS[("PATCH", _one)] = partial(_change, _kind)
    WALKS[("DELETE", _one)] = partial(_deactivate, _kind, "DELETE", "")
    WALKS[("POST", f"{_one}/deactivate")] = partial(_deactivate, _kind, "POST", "/deactivate")


@walks("PATCH", "/api/admin/sections/{section_id}")
def _raise_capacity(w: World) -> list[Expected]:
    """A seat added to a full section goes to the head of its waitlist."""
    section = w.section(capacity=1)
    w.enroll(w.new_student(), section)
    waiting = w.enroll(w.new_student(), section, EnrollmentStatus.WAITLISTED)
    w.call("PATCH", f"/api/admin/sections/{section}", json={"max_students": 2})
    return [
        Expected("section.updated", "section", section),
        Expected("enrollment.promote", "enrollment", waiting),
    ]


# --- batches, their courses, and students' placement ------------------------------------------


def _batch_with_student(w: World) -> tuple[uuid.UUID, uuid.UUID]:
    """A batch of the current year with one student in it: (batch, student)."""

    def build(s: Session, inst: Institution) -> tuple[uuid.UUID, uuid.UUID]:
        year = s.get_one(AcademicYear, w.year_id)
        batch = factories.batch(s, inst, year=year)
        return batch.id, factories.student(s, inst, of_batch=batch, with_login=False).id

    return w.make(build)


def _batch_with_course(
    w: World, department: uuid.UUID | None = None
) -> tuple[uuid.UUID, uuid.UUID, str]:
    """A batch (of the department, if given) whose mandatory course auto-enrolls who joins it:
    (batch, section, batch code)."""
    section = w.section()

    def build(s: Session, inst: Institution) -> tuple[uuid.UUID, uuid.UUID, str]:
        year = s.get_one(AcademicYear, w.year_id)
        dept = s.get_one(Department, department) if department else None
        batch = factories.batch(s, inst, year=year, dept=dept)
        offered = s.get_one(CourseSection, section)
        course = s.get_one(Course, offered.course_id)
        factories.batch_course(s, inst, batch, course, year, sec=offered)
        return batch.id, section, batch.code

    return w.make(build)


def _assign_body(w: World, section: uuid.UUID) -> dict[str, Any]:
    return {
        "course_id": str(w.course_of(section)),
        "section_id": str(section),
        "academic_year": "2024-2025",
        "semester": 5,
        "assignment_type": "MANDATORY",
    }


def _batch_course_of(w: World, batch: uuid.UUID) -> uuid.UUID:
    with w.database.session(write=False) as s:
        return s.scalars(select(BatchCourse.id).where(BatchCourse.batch_id == batch)).one()


@walks("POST", "/api/admin/batches/{batch_id}/courses")
def _assign_course(w: World) -> list[Expected]:
    """A mandatory course enrolls the batch's student."""
    batch, student = _batch_with_student(w)
    section = w.section()
    w.call("POST", f"/api/admin/batches/{batch}/courses", json=_assign_body(w, section))
    return [
        Expected("batch_course.created", "batch_course", _batch_course_of(w, batch)),
        *_enrolled(w, section, student),
    ]


@walks("POST", "/api/admin/batches/{batch_id}/courses/{batch_course_id}/cancel")
def _cancel_course(w: World) -> list[Expected]:
    """A cancelled course drops the enrollment it made."""
    batch, student = _batch_with_student(w)
    section = w.section()
    w.prepare("POST", f"/api/admin/batches/{batch}/courses", json=_assign_body(w, section))
    course = _batch_course_of(w, batch)
    w.call(
        "POST",
        f"/api/admin/batches/{batch}/courses/{course}/cancel",
        json={"confirm": True, "reason": "Moved to semester 6"},
    )
    return [
        Expected("batch_course.cancelled", "batch_course", course),
        Expected("enrollment.dropped", "enrollment", w.enrollment_of(student, section)),
    ]


@walks("POST", "/api/admin/batches")
def _create_batch(w: World) -> list[Expected]:
    created = w.call("POST", "/api/admin/batches", json={"code": factories.unique("B-")})
    return [Expected("batch.created", "student_batch", uuid.UUID(created["id"]))]


@walks("PATCH", "/api/admin/batches/{batch_id}")
def _change_batch(w: World) -> list[Expected]:
    batch, _ = _batch_with_student(w)
    w.call("PATCH", f"/api/admin/batches/{batch}", json={"capacity": 72})
    return [Expected("batch.updated", "student_batch", batch)]


@walks("DELETE", "/api/admin/batches/{batch_id}")
def _deactivate_batch(w: World) -> list[Expected]:
    batch = w.make(lambda s, inst: factories.batch(s, inst).id)
    w.call("DELETE", f"/api/admin/batches/{batch}")
    return [Expected("batch.updated", "student_batch", batch)]


# Where the batches of `_batch_with_course` sit, but for their department.
PLACEMENT = {"academic_year": "2024-2025", "year_of_study": 3, "semester": 5, "section": "A"}


@walks("POST", "/api/students/assign/")
def _assign_students(w: World) -> list[Expected]:
    """A student placed where a batch is joins it and is enrolled in its course."""
    department = _department(w)
    _, section, _ = _batch_with_course(w, department)
    student = w.new_student()
    body = {"student_ids": [str(student)], "department_id": str(department), **PLACEMENT}
    w.call("POST", "/api/students/assign/", json=body)
    return [Expected("student.assigned", "student", student), *_enrolled(w, section, student)]


@walks("POST", "/api/students/bulk-assign/")
def _bulk_assign(w: World) -> list[Expected]:
    """The same, for the students a criterion picks."""
    department = _department(w)
    _, section, _ = _batch_with_course(w, department)
    student = w.new_student(department_id=department, year_of_study=1, semester=2)
    body = {"criteria": {"current_department": str(department)}, "assignment": PLACEMENT}
    w.call("POST", "/api/students/bulk-assign/", json=body)
    return [
        Expected("student.bulk_assigned", "student", student),
        *_enrolled(w, section, student),
    ]


# --- students and holds -----------------------------------------------------------------------


@walks("POST", "/api/admin/students")
def _create_student(w: World) -> list[Expected]:
    """A student created in a batch is enrolled in its course."""
    batch, section, _ = _batch_with_course(w)
    body = {
        "roll_number": factories.unique("24NEW"),
        "name": "Harika Vallabhaneni",
        "student_batch_id": str(batch),
    }
    student = uuid.UUID(w.call("POST", "/api/admin/students", json=body)["id"])
    return [Expected("student.created", "student", student), *_enrolled(w, section, student)]


@walks("PATCH", "/api/admin/students/{student_id}")
def _change_student(w: World) -> list[Expected]:
    """A student moved to another batch leaves the old batch's course for the new one's."""
    old_batch, old_section, _ = _batch_with_course(w)
    batch, section, _ = _batch_with_course(w)
    body = {"roll_number": factories.unique("24MOV"), "name": "Ravi Teja"}
    created = w.prepare(
        "POST", "/api/admin/students", json=body | {"student_batch_id": str(old_batch)}
    )
    student = uuid.UUID(created["id"])
    w.call("PATCH", f"/api/admin/students/{student}", json={"student_batch_id": str(batch)})
    return [
        Expected("student.updated", "student", student),
        Expected("enrollment.dropped", "enrollment", w.enrollment_of(student, old_section)),
        *_enrolled(w, section, student),
    ]


@walks("DELETE", "/api/admin/students/{student_id}")
def _deactivate_student(w: World) -> list[Expected]:
    """A student deactivated gives up their seat."""
    student = w.new_student()
    enrollment = w.enroll(student, w.section())
    w.call("DELETE", f"/api/admin/students/{student}")
    return [
        Expected("student.deactivated", "student", student),
        Expected("enrollment.dropped", "enrollment", enrollment),
    ]


HOLD = {"type": "FINANCIAL", "reason": "Semester 5 tuition fee unpaid"}


@walks("POST", "/api/admin/students/{student_id}/holds")
def _place_hold(w: World) -> list[Expected]:
    held = w.call("POST", f"/api/admin/students/{w.new_student()}/holds", json=HOLD)
    return [Expected("hold.placed", "hold", uuid.UUID(held["id"]))]


@walks("POST", "/api/admin/holds/{hold_id}/release")
def _release_hold(w: World) -> list[Expected]:
    hold = w.prepare("POST", f"/api/admin/students/{w.new_student()}/holds", json=HOLD)["id"]
    w.call("POST", f"/api/admin/holds/{hold}/release", json={"reason": "Paid"})
    return [Expected("hold.released", "hold", uuid.UUID(hold))]


@walks("POST", "/api/admin/notifications/{notification_id}/retry")
def _retry_notification(w: World) -> list[Expected]:
    def failed(s: Session, inst: Institution) -> uuid.UUID:
        notification_id = enqueue(
            s,
            institution_id=inst.id,
            recipient_kind=RecipientKind.GUARDIAN,
            recipient_email="parent@example.org",
            event="enrollment.confirmed",
            subject="Enrollment confirmed",
            body="Enrolled.",
        )
        s.get_one(Notification, notification_id).status = NotificationStatus.FAILED
        return notification_id

    notification = w.make(failed)
    w.call("POST", f"/api/admin/notifications/{notification}/retry")
    return [Expected("notification.retry", "notification", notification)]


# --- grades -----------------------------------------------------------------------------------


def _roster(w: World, **fields: Any) -> tuple[uuid.UUID, uuid.UUID, str]:
    """A section with one enrolled student: (section, enrollment, roll number)."""
    section = w.section()
    student = w.new_student()
    with w.database.session(write=False) as s:
        roll = s.get_one(Student, student).roll_number
    return section, w.enroll(student, section, **fields), roll


@walks("PUT", "/api/sections/{section_id}/grades/{enrollment_id}")
def _record_grade(w: World) -> list[Expected]:
    section, enrollment, _ = _roster(w)
    w.call("PUT", f"/api/sections/{section}/grades/{enrollment}", json={"grade": "A"})
    return [Expected("grade.recorded", "enrollment", enrollment)]


@walks("PUT", "/api/sections/{section_id}/grades")
def _record_roster(w: World) -> list[Expected]:
    section, enrollment, _ = _roster(w)
    body = [{"enrollment_id": str(enrollment), "grade": "B"}]
    w.call("PUT", f"/api/sections/{section}/grades", json=body)
    return [Expected("grade.recorded", "enrollment", enrollment)]


@walks("POST", "/api/sections/{section_id}/grades/upload")
def _upload_grades(w: World) -> list[Expected]:
    section, enrollment, roll = _roster(w)
    w.call(
        "POST",
        f"/api/sections/{section}/grades/upload",
        files={"file": ("grades.csv", f"roll_number,grade\n{roll},A\n".encode(), "text/csv")},
    )
    return [Expected("grade.recorded", "enrollment", enrollment)]


@walks("POST", "/api/sections/{section_id}/complete")
def _complete(w: World) -> list[Expected]:
    section, enrollment, _ = _roster(w, grade="A", grade_points=9, attendance=90)
    w.call("POST", f"/api/sections/{section}/complete", json={"allow_incomplete": True})
    return [Expected("enrollment.completed", "enrollment", enrollment)]


# --- imports ----------------------------------------------------------------------------------


def _import(w: World, what: str, text: str) -> None:
    w.call(
        "POST",
        f"/api/admin/{what}/import",
        files={"file": (f"{what}.csv", text.encode(), "text/csv")},
    )


@walks("POST", "/api/admin/students/import")
def _import_students(w: World) -> list[Expected]:
    """A student imported into a batch is enrolled in its course."""
    _, section, batch = _batch_with_course(w)
    roll = factories.unique("24IMP")
    _import(w, "students", f"roll_number,name,batch_code\n{roll},Asha Rao,{batch}\n")
    with w.database.session(write=False) as s:
        student = s.scalars(select(Student.id).where(Student.roll_number == roll)).one()
    return [Expected("students.imported", "student", None), *_enrolled(w, section, student)]


@walks("POST", "/api/admin/courses/import")
def _import_courses(w: World) -> list[Expected]:
    _import(w, "courses", f"code,title,credits\n{factories.unique('CS')},Compilers,4\n")
    return [Expected("courses.imported", "course", None)]


@walks("POST", "/api/admin/sections/import")
def _import_sections(w: World) -> list[Expected]:
    course = w.make(lambda s, inst: factories.course(s, inst).code)
    with w.database.session(write=False) as s:
        term = s.get_one(Term, w.term_id).code
    text = f"course_code,term_code,section_code,capacity\n{course},{term},{course}-A,30\n"
    _import(w, "sections", text)
    return [Expected("sections.imported", "section", None)]


# --- the K-12 continuing enrollment -----------------------------------------------------------


def _small_school(session: Session, tag: str) -> tuple[uuid.UUID, uuid.UUID]:
    """A school with a grade-3 pupil who passed, and the grade-4 homeroom's one subject:
    (pupil, subject's section)."""
    b = school.Builder(session, tag)
    factories.level_policy(session, b.inst, "ELEMENTARY")
    factories.user(session, b.inst, school.REGISTRAR, Role.REGISTRAR)
    last, this = b.year("SY2023-2024", 2023), b.year("SY2024-2025", 2024)
    last_fy = b.term(last, TermKind.FULL_YEAR, "SY2023-2024-FY", (6, 3))
    this_fy = b.term(this, TermKind.FULL_YEAR, "SY2024-2025-FY", (6, 3))
    b.course("MATH3", 3)
    b.course("MATH4", 4)
    b.batch("SEC-G3-A", 3, last)
    b.batch("SEC-G4-A", 4, this)
    passed = {"MATH3": b.schedule("MATH3-2023", "MATH3", last_fy, batch="SEC-G3-A")}
    subject = b.schedule("G4A-MATH4", "MATH4", this_fy, batch="SEC-G4-A")
    pupil = b.student("ELEM123", 3)
    b.marks(pupil, passed, {"MATH3": 85})
    return pupil.id, subject.id


@walks("POST", "/api/v2/enrollment/continuing/process")
def _continuing(w: World) -> list[Expected]:
    """The pupil moves up a grade and is enrolled in the homeroom's subject."""
    tag = factories.unique("school-")
    with w.database.session() as s:
        pupil, subject = _small_school(s, tag)
    registrar = {**w.sign_in(school.REGISTRAR, factories.PASSWORD, tag), "x-tenant-tag": tag}
    body = school.body("ELEM123", sectionId="SEC-G4-A")
    w.call("POST", school.PATH, json=body, headers=registrar, reader=registrar)
    return [
        Expected("CONTINUING_ENROLLMENT_PROCESSED", "student", pupil),
        *_enrolled(w, subject, pupil),
    ]


# --- the walk ---------------------------------------------------------------------------------


@cache
def write_operations() -> frozenset[Operation]:
    """Every POST, PUT, PATCH and DELETE of the app's OpenAPI document (built without opening
    any database)."""
    settings = Settings(
        REGISTRAR_ENV="test", DATABASE_URL="sqlite:///unused.db", SECRET_KEY=TEST_SECRET
    )
    document = create_app(settings).openapi()
    return frozenset(
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method.upper() in WRITE_METHODS
    )


def _pattern(path: str) -> re.Pattern[str]:
    """A path template as a regular expression: each `{parameter}` one segment."""
    return re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")


def test_every_write_endpoint_is_walked_or_allowed_with_a_reason() -> None:
    operations = write_operations()
    assert not WALKS.keys() & UNAUDITED.keys()
    assert WALKS.keys() | UNAUDITED.keys() <= operations
    unwalked = operations - WALKS.keys() - UNAUDITED.keys()
    assert not unwalked, f"unwalked write endpoint(s), walk or allow them: {sorted(unwalked)}"


def test_every_write_endpoint_leaves_its_audit_row(world: World) -> None:
    unaudited: dict[Operation, list[Expected]] = {}
    for (method, path), walk in WALKS.items():
        world.called = None
        expected = walk(world)
        called = world.called
        assert called is not None, f"{method} {path} made no request through World.call"
        assert called.method == method, f"{called.method} is not {method}"
        assert _pattern(path).match(called.path), f"{called.path} is not {path}"
        if missing := world.missing(expected):
            unaudited[(method, path)] = missing
    assert not unaudited, f"writes without their audit rows: {unaudited}"
