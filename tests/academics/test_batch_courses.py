"""Courses assigned to batches: auto-enrollment per student, duplicates, and careful cancelling."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, text

from registrar.academics.models import Course, CourseSection, Term
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment import engine, repository
from registrar.enrollment.batch_courses import service as batch_courses
from registrar.enrollment.engine import SYSTEM, Actor, RuleCode
from registrar.enrollment.models import BatchCourse, Enrollment, EnrollmentStatus
from registrar.kit.columns import utcnow
from registrar.students.models import Student, StudentBatch, StudentStatus
from tests import factories
from tests.academics.conftest import Office, audit_count, institution
from tests.enrollment.support import assert_consistent


@dataclass
class Setup:
    batch_id: uuid.UUID
    course_id: uuid.UUID
    other_course_id: uuid.UUID
    section_id: uuid.UUID
    year_id: uuid.UUID
    students: list[uuid.UUID]  # the batch's ACTIVE students, by roll number
    inactive_id: uuid.UUID

    @property
    def url(self) -> str:
        return f"/api/admin/batches/{self.batch_id}/courses"


@pytest.fixture
def setup(database: Database, office: Office) -> Setup:
    """A batch of five active students and one inactive, a CS301 section of 3 seats + 2 waitlist.

    Registration for the term has not opened yet: a registrar's assignment does not wait for it.
    The first student is already enrolled in the section on their own.
    """
    with database.session() as session:
        inst = institution(session, office.institution_id)
        dept = factories.department(session, inst)
        year = factories.academic_year(session, inst)
        term = factories.term(session, inst, year, registration_open=False)
        crs = factories.course(session, inst, dept, "CS301", credits=4)
        other = factories.course(session, inst, dept, "CS302", credits=4)
        group = factories.batch(session, inst, dept=dept, year=year, code="CS-2024-3-A")
        section = factories.section(
            session, inst, crs, term, capacity=3, waitlist_limit=2, batch=group
        )
        students = [
            factories.student(session, inst, f"22CS{n:03d}", of_batch=group, with_login=False)
            for n in range(1, 6)
        ]
        inactive = factories.student(
            session,
            inst,
            "22CS999",
            of_batch=group,
            with_login=False,
            status=StudentStatus.INACTIVE,
        )
        factories.enrollment(session, inst, students[0], section)
        return Setup(
            group.id, crs.id, other.id, section.id, year.id, [s.id for s in students], inactive.id
        )


def _assign(client: TestClient, office: Office, setup: Setup, **fields: Any) -> Any:
    payload: dict[str, Any] = {
        "course_id": str(setup.course_id),
        "academic_year": "2024-2025",
        "semester": 5,
        "assignment_type": "MANDATORY",
        "auto_enroll_new_students": True,
        "notes": "Core curriculum for 3rd year CS students",
    }
    payload.update(fields)
    return client.post(setup.url, json=payload, headers=office.headers)


def _statuses(database: Database, section_id: uuid.UUID) -> dict[uuid.UUID, EnrollmentStatus]:
    with database.session(write=False) as session:
        rows = session.execute(
            select(Enrollment.student_id, Enrollment.status).where(
                Enrollment.section_id == section_id
            )
        )
        return {row.student_id: row.status for row in rows}


def test_a_retried_assignment_answers_as_the_first_and_enrolls_nobody_twice(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    headers = {**office.headers, "Idempotency-Key": "assign-cs301"}
    office_with_key = Office(
        office.institution_id, office.tag, headers, office.other_institution_id, office.other_tag
    )
    first = _assign(client, office_with_key, setup)
    assert first.status_code == 201, first.text
    statuses = _statuses(database, setup.section_id)
    again = _assign(client, office_with_key, setup)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert _statuses(database, setup.section_id) == statuses
    # Without the key the same assignment is a second one, refused as a duplicate.
    assert _assign(client, office, setup).status_code == 409


def test_mandatory_course_enrolls_each_active_student_and_says_what_happened(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    response = _assign(client, office, setup)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["auto_enrolled"] is True
    assert body["batch_course"]["course_code"] == "CS301"
    assert body["batch_course"]["academic_year"] == "2024-2025"
    assert body["batch_course"]["section_id"] == str(setup.section_id)
    assert body["batch_course"]["status"] == "ACTIVE"
    outcomes = [(r["roll_number"], r["outcome"], r["code"]) for r in body["results"]]
    assert outcomes == [
        ("22CS001", "ALREADY_ENROLLED", "ALREADY_ENROLLED"),
        ("22CS002", "ENROLLED", None),
        ("22CS003", "ENROLLED", None),
        ("22CS004", "WAITLISTED", None),
        ("22CS005", "WAITLISTED", None),
    ]
    assert [r["waitlist_position"] for r in body["results"][3:]] == [1, 2]
    assert body["summary"] == {"enrolled": 2, "waitlisted": 2, "refused": 0, "already_enrolled": 1}
    assert setup.inactive_id not in _statuses(database, setup.section_id)
    state = assert_consistent(database, setup.section_id)
    assert state["enrolled_count"] == 3
    assert state["waitlisted_count"] == 2
    assert audit_count(database, uuid.UUID(body["batch_course"]["id"]), "batch_course.created") == 1


def test_a_full_section_refuses_the_rest_without_undoing_the_others(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    client.patch(
        f"/api/admin/sections/{setup.section_id}",
        json={"reserve_limit": 1},
        headers=office.headers,
    )
    body = _assign(client, office, setup).json()
    outcomes = [(r["roll_number"], r["outcome"]) for r in body["results"]]
    assert outcomes == [
        ("22CS001", "ALREADY_ENROLLED"),
        ("22CS002", "ENROLLED"),
        ("22CS003", "ENROLLED"),
        ("22CS004", "WAITLISTED"),
        ("22CS005", "REFUSED"),
    ]
    refused = body["results"][4]
    assert refused["code"] == "CAPACITY"
    assert refused["reason"] == "Course section is full"
    statuses = _statuses(database, setup.section_id)
    assert setup.students[4] not in statuses
    assert statuses[setup.students[1]] is EnrollmentStatus.ENROLLED
    assert statuses[setup.students[3]] is EnrollmentStatus.WAITLISTED
    assert_consistent(database, setup.section_id)


def test_duplicate_assignment_is_409(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    assert _assign(client, office, setup).status_code == 201
    again = _assign(client, office, setup, academic_year=None, academic_year_id=str(setup.year_id))
    assert again.status_code == 409
    assert again.json()["error"] == (
        "Course CS301 is already assigned to batch CS-2024-3-A for 2024-2025 semester 5"
    )
    state = assert_consistent(database, setup.section_id)
    assert state["enrolled_count"] == 3


def test_elective_enrolls_nobody_and_the_list_filters(
    client: TestClient, office: Office, setup: Setup
) -> None:
    elective = _assign(
        client, office, setup, course_id=str(setup.other_course_id), assignment_type="ELECTIVE"
    )
    assert elective.status_code == 201, elective.text
    assert elective.json()["results"] == []
    assert elective.json()["auto_enrolled"] is False
    assert elective.json()["batch_course"]["section_id"] is None
    _assign(client, office, setup)
    listing = client.get(setup.url, headers=office.headers).json()
    assert listing["total"] == 2
    electives = client.get(
        setup.url, params={"assignment_type": "ELECTIVE"}, headers=office.headers
    ).json()
    assert [c["course_code"] for c in electives["items"]] == ["CS302"]
    one = client.get(f"{setup.url}/{electives['items'][0]['id']}", headers=office.headers)
    assert one.json() == electives["items"][0]


def test_assignment_validation(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    with database.session() as session:
        other = institution(session, office.other_institution_id)
        foreign_batch = factories.batch(session, other).id
        foreign_course = factories.course(session, other).id
    unknown_year = _assign(client, office, setup, academic_year="1999-2000")
    assert unknown_year.status_code == 422
    assert unknown_year.json()["error"] == "Academic year 1999-2000 not found"
    wrong_section = _assign(
        client,
        office,
        setup,
        course_id=str(setup.other_course_id),
        section_id=str(setup.section_id),
    )
    assert wrong_section.status_code == 422
    foreign = _assign(client, office, setup, course_id=str(foreign_course))
    assert foreign.status_code == 422
    missing_batch = client.get(
        f"/api/admin/batches/{foreign_batch}/courses", headers=office.headers
    )
    assert missing_batch.status_code == 404
    no_year = _assign(client, office, setup, academic_year=None)
    assert no_year.status_code == 422
    assert _statuses(database, setup.section_id) == {setup.students[0]: EnrollmentStatus.ENROLLED}


def test_student_gets_403(
    client: TestClient, setup: Setup, student_headers: dict[str, str]
) -> None:
    assert client.get(setup.url, headers=student_headers).status_code == 403


def test_cancel_without_confirm_changes_nothing(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    assigned = _assign(client, office, setup).json()["batch_course"]
    before = _statuses(database, setup.section_id)
    dry = client.post(f"{setup.url}/{assigned['id']}/cancel", headers=office.headers)
    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert body["confirmed"] is False
    assert body["dropped"] == []
    # Waitlisted first (from the back), so confirming never promotes one of the batch. The seat
    # 22CS001 took before the assignment is in the section of the batch's mandatory course:
    # the batch's too.
    assert [(d["roll_number"], d["status"]) for d in body["would_drop"]] == [
        ("22CS005", "WAITLISTED"),
        ("22CS004", "WAITLISTED"),
        ("22CS001", "ENROLLED"),
        ("22CS002", "ENROLLED"),
        ("22CS003", "ENROLLED"),
    ]
    also_dry = client.post(
        f"{setup.url}/{assigned['id']}/cancel", json={"confirm": False}, headers=office.headers
    )
    assert also_dry.json()["would_drop"] == body["would_drop"]
    assert _statuses(database, setup.section_id) == before
    assert (
        client.get(f"{setup.url}/{assigned['id']}", headers=office.headers).json()["status"]
        == "ACTIVE"
    )
    assert audit_count(database, uuid.UUID(assigned["id"]), "batch_course.cancelled") == 0
    assert_consistent(database, setup.section_id)


def test_cancel_with_confirm_drops_the_batch_and_promotes_only_outsiders(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    assigned = _assign(client, office, setup).json()["batch_course"]
    client.patch(
        f"/api/admin/sections/{setup.section_id}",
        json={"reserve_limit": 3},
        headers=office.headers,
    )
    with database.session() as session:
        inst = institution(session, office.institution_id)
        section = session.get(CourseSection, setup.section_id)
        assert section is not None
        outsider = factories.student(session, inst, "23EE001", with_login=False)
        waiting = factories.enrollment(
            session, inst, outsider, section, EnrollmentStatus.WAITLISTED
        )
        outsider_enrollment = waiting.id
    done = client.post(
        f"{setup.url}/{assigned['id']}/cancel",
        json={"confirm": True, "reason": "Course withdrawn from the curriculum"},
        headers=office.headers,
    )
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["confirmed"] is True
    assert body["batch_course"]["status"] == "CANCELLED"
    assert {d["status"] for d in body["dropped"]} == {"DROPPED"}
    assert len(body["dropped"]) == 5
    assert body["promoted"] == [str(outsider_enrollment)]
    statuses = _statuses(database, setup.section_id)
    assert {statuses[s] for s in setup.students} == {EnrollmentStatus.DROPPED}
    assert statuses[outsider.id] is EnrollmentStatus.ENROLLED
    state = assert_consistent(database, setup.section_id)
    assert state["enrolled_count"] == 1
    assert state["waitlisted_count"] == 0
    with database.session(write=False) as session:
        rows = session.execute(
            select(Enrollment.drop_reason, Enrollment.batch_course_id).where(
                Enrollment.student_id.in_(setup.students),
                Enrollment.section_id == setup.section_id,
            )
        ).all()
    assert {row.drop_reason for row in rows} == {"Course withdrawn from the curriculum"}
    # Unlinked once dropped: a seat the student later takes again on their own is theirs.
    assert {row.batch_course_id for row in rows} == {None}
    dropped_ids = [uuid.UUID(d["enrollment_id"]) for d in body["dropped"]]
    assert [audit_count(database, i, "enrollment.dropped") for i in dropped_ids] == [1] * 5
    assert audit_count(database, uuid.UUID(assigned["id"]), "batch_course.cancelled") == 1
    again = client.post(
        f"{setup.url}/{assigned['id']}/cancel", json={"confirm": True}, headers=office.headers
    )
    assert again.status_code == 409


def test_the_batch_courses_enrollments_are_linked_to_it_and_an_elective_cancelled_drops_none(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    assigned = _assign(client, office, setup).json()["batch_course"]
    with database.session(write=False) as session:
        links = dict(
            session.execute(
                select(Enrollment.student_id, Enrollment.batch_course_id).where(
                    Enrollment.section_id == setup.section_id
                )
            ).all()
        )
    own, *enrolled_by_batch = setup.students
    assert links[own] is None  # enrolled before the assignment, on their own
    assert {links[s] for s in enrolled_by_batch} == {uuid.UUID(assigned["id"])}
    # An elective the batch only offers: the students who chose it keep it when it is cancelled.
    with database.session() as session:
        inst = institution(session, office.institution_id)
        section = session.get(CourseSection, setup.section_id)
        other = session.get(Course, setup.other_course_id)
        student = session.get(Student, own)
        assert section is not None
        assert other is not None
        assert student is not None
        term = session.get(Term, section.term_id)
        assert term is not None
        chosen = factories.section(session, inst, other, term, slots=())
        factories.enrollment(session, inst, student, chosen)
        chosen_id = chosen.id
    elective = _assign(
        client, office, setup, course_id=str(setup.other_course_id), assignment_type="ELECTIVE"
    ).json()["batch_course"]
    done = client.post(
        f"{setup.url}/{elective['id']}/cancel", json={"confirm": True}, headers=office.headers
    ).json()
    assert (done["batch_course"]["status"], done["dropped"]) == ("CANCELLED", [])
    assert _statuses(database, chosen_id) == {own: EnrollmentStatus.ENROLLED}


def test_a_student_joining_the_batch_is_enrolled_in_its_auto_enroll_courses(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    client.patch(
        f"/api/admin/sections/{setup.section_id}",
        json={"max_students": 10},
        headers=office.headers,
    )
    _assign(client, office, setup)
    _assign(client, office, setup, course_id=str(setup.other_course_id), assignment_type="ELECTIVE")
    with database.session() as session:
        inst = institution(session, office.institution_id)
        group = session.get(StudentBatch, setup.batch_id)
        assert group is not None
        newcomer = factories.student(session, inst, "22CS100", of_batch=group, with_login=False)
        registrar = factories.user(session, inst, role=Role.REGISTRAR)
        outcomes = batch_courses.auto_enroll_student_in_batch_courses(
            session,
            institution_id=inst.id,
            student_id=newcomer.id,
            batch_id=setup.batch_id,
            actor=Actor(user_id=registrar.id, role=Role.REGISTRAR),
        )
        newcomer_id = newcomer.id
    assert [(o.course_code, o.outcome.value) for o in outcomes] == [("CS301", "ENROLLED")]
    assert _statuses(database, setup.section_id)[newcomer_id] is EnrollmentStatus.ENROLLED
    state = assert_consistent(database, setup.section_id)
    assert state["enrolled_count"] == 6

    # A cancelled course no longer enrolls anyone who joins later.
    with database.session() as session:
        row = session.scalar(select(BatchCourse).where(BatchCourse.course_id == setup.course_id))
        assert row is not None
    client.post(f"{setup.url}/{row.id}/cancel", json={"confirm": True}, headers=office.headers)
    with database.session() as session:
        inst = institution(session, office.institution_id)
        group = session.get(StudentBatch, setup.batch_id)
        assert group is not None
        late = factories.student(session, inst, "22CS101", of_batch=group, with_login=False)
        assert (
            batch_courses.auto_enroll_student_in_batch_courses(
                session,
                institution_id=inst.id,
                student_id=late.id,
                batch_id=setup.batch_id,
                actor=Actor(user_id=None, role=None),
            )
            == []
        )


def test_a_batch_assignment_takes_no_savepoints(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    """Refusals leave nothing to undo, so a batch needs no subtransaction per student.

    On PostgreSQL each writing subtransaction holds a lock until the outer commit: one per
    student would exhaust the lock table when thousands are enrolled in one transaction.
    """
    client.patch(
        f"/api/admin/sections/{setup.section_id}",
        json={"reserve_limit": 1},
        headers=office.headers,
    )
    statements: list[str] = []

    def remember(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.strip().upper())

    event.listen(database.engine, "before_cursor_execute", remember)
    try:
        body = _assign(client, office, setup).json()
    finally:
        event.remove(database.engine, "before_cursor_execute", remember)
    outcomes = [r["outcome"] for r in body["results"]]
    assert outcomes == ["ALREADY_ENROLLED", "ENROLLED", "ENROLLED", "WAITLISTED", "REFUSED"]
    # One savepoint guards the batch-course row against a concurrent identical assignment;
    # none is taken per student.
    assert sum(s.startswith("SAVEPOINT") for s in statements) == 1
    state = assert_consistent(database, setup.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (3, 1)


def test_a_batch_assignment_cannot_deadlock_with_a_students_own_enrollment(
    client: TestClient, database: Database, office: Office, setup: Setup
) -> None:
    """The batch locks all its students before any section, so a student mid-request wins.

    Locked the other way round (section, then the next student), the assignment would hold the
    section while waiting for a student whose own request holds them and waits for the section.
    """
    if database.is_sqlite:
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    last = setup.students[-1]
    answers: list[Any] = []
    with database.session() as own_request:
        repository.lock_student(own_request.connection(), office.institution_id, last, utcnow())
        worker = threading.Thread(target=lambda: answers.append(_assign(client, office, setup)))
        worker.start()
        _wait_until_someone_waits_for_a_lock(database)
        engine.enroll(
            own_request,
            institution_id=office.institution_id,
            student_id=last,
            section_id=setup.section_id,
            actor=SYSTEM,
            overrides=frozenset({RuleCode.WINDOW_CLOSED}),
            override_reason="the student's own request, in this test",
        )
    worker.join(timeout=60)
    assert answers, "the batch assignment did not finish"
    body = answers[0].json()
    assert answers[0].status_code == 201, body
    outcomes = [(r["roll_number"], r["outcome"]) for r in body["results"]]
    assert outcomes == [
        ("22CS001", "ALREADY_ENROLLED"),
        ("22CS002", "ENROLLED"),
        ("22CS003", "WAITLISTED"),
        ("22CS004", "WAITLISTED"),
        ("22CS005", "ALREADY_ENROLLED"),
    ]
    assert_consistent(database, setup.section_id)


def _wait_until_someone_waits_for_a_lock(database: Database) -> None:
    deadline = time.monotonic() + 30
    query = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
    )
    while time.monotonic() < deadline:
        with database.engine.connect() as connection:
            if connection.execute(query).scalar_one() > 0:
                return
        time.sleep(0.05)
    raise AssertionError("the batch assignment never waited for the student's lock")
