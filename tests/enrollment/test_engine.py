"""The engine on both backends: seats, waitlist, promotion, reactivation, withdrawal, audit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time, timedelta

import pytest
from sqlalchemy import select, update

from registrar.academics.models import Course, CourseSection, Term, Weekday
from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment import engine, repository
from registrar.enrollment.engine import Actor, EnrollmentRefused, RuleCode
from registrar.enrollment.models import Enrollment, EnrollmentStatus, EnrollmentType
from registrar.errors import NotFound, RegistrarError
from registrar.institutions.models import Institution
from registrar.kit.columns import utcnow
from registrar.notifications.models import Notification
from tests import factories
from tests.enrollment.support import add_prerequisite, assert_consistent


@dataclass
class World:
    institution_id: uuid.UUID
    term_id: uuid.UUID
    section_id: uuid.UUID
    students: list[uuid.UUID]
    registrar: Actor


@pytest.fixture
def world(database: Database) -> World:
    with database.session() as s:
        inst = factories.institution(s)
        year = factories.academic_year(s, inst)
        term = factories.term(s, inst, year)
        crs = factories.course(s, inst, code="CS302", title="Database Management Systems")
        section = factories.section(s, inst, crs, term, capacity=2, waitlist_limit=2)
        students = [factories.student(s, inst, with_login=False).id for _ in range(6)]
        clerk = factories.user(s, inst, role=Role.REGISTRAR)
        return World(inst.id, term.id, section.id, students, Actor(clerk.id, Role.REGISTRAR))


def enroll(
    database: Database, w: World, student: uuid.UUID, **kw: object
) -> engine.EnrollmentRecord:
    kw.setdefault("section_id", w.section_id)
    kw.setdefault("actor", w.registrar)
    with database.session() as s:
        return engine.enroll(
            s,
            institution_id=w.institution_id,
            student_id=student,
            **kw,  # type: ignore[arg-type]
        ).enrollment


def drop(database: Database, w: World, enrollment_id: uuid.UUID) -> engine.DropOutcome:
    with database.session() as s:
        return engine.drop(
            s, institution_id=w.institution_id, enrollment_id=enrollment_id, actor=w.registrar
        )


def audit_actions(database: Database, entity_id: uuid.UUID) -> list[AuditEvent]:
    with database.session(write=False) as s:
        query = select(AuditEvent).where(AuditEvent.entity_id == entity_id)
        return list(s.scalars(query.order_by(AuditEvent.occurred_at)))


def test_seats_then_waitlist_then_refusal(database: Database, world: World) -> None:
    rows = [enroll(database, world, sid) for sid in world.students[:4]]
    assert [r.status for r in rows] == [EnrollmentStatus.ENROLLED] * 2 + [
        EnrollmentStatus.WAITLISTED
    ] * 2
    assert [r.waitlist_position for r in rows] == [None, None, 1, 2]
    with pytest.raises(EnrollmentRefused) as refused:
        enroll(database, world, world.students[4])
    assert refused.value.status_code == 409
    assert refused.value.body() == {
        "error": "Course section is full",
        "available_seats": 0,
        "waitlist_available": False,
        "code": "CAPACITY",
    }
    state = assert_consistent(database, world.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (2, 2)
    events = audit_actions(database, rows[2].id)
    assert [e.action for e in events] == ["enrollment.waitlist"]
    assert events[0].actor_user_id == world.registrar.user_id
    assert events[0].details["waitlist_position"] == 1


def test_enroll_returns_the_row_its_section_and_the_minimum_warning(
    database: Database, world: World
) -> None:
    with database.session() as s:
        section = s.get(CourseSection, world.section_id)
        assert section is not None
        assert section.enrolled_count == 0
        outcome = engine.enroll(
            s,
            institution_id=world.institution_id,
            student_id=world.students[0],
            section_id=world.section_id,
            actor=world.registrar,
        )
        assert outcome.section.course.code == "CS302"
        assert (outcome.enrollment.student_id, outcome.enrollment.section_id) == (
            world.students[0],
            world.section_id,
        )
        assert outcome.enrollment.status is EnrollmentStatus.ENROLLED
        # The engine wrote behind the session's back: the loaded section reads its counter again.
        assert section.enrolled_count == 1
    assert [w.code for w in outcome.warnings] == [RuleCode.CREDIT_MINIMUM]


def test_duplicate_is_refused(database: Database, world: World) -> None:
    enroll(database, world, world.students[0])
    with pytest.raises(EnrollmentRefused) as refused:
        enroll(database, world, world.students[0])
    assert refused.value.status_code == 409
    assert refused.value.violation.code is RuleCode.ALREADY_ENROLLED
    assert_consistent(database, world.section_id)


def test_unique_violation_becomes_already_enrolled_without_drift(
    database: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = enroll(database, world, world.students[0])
    # Blind the engine's own duplicate check, so only the database's unique index can refuse.
    monkeypatch.setattr(repository, "rules_rows", lambda *_a: [])
    with database.session() as s:
        with pytest.raises(EnrollmentRefused) as refused:
            engine.enroll(
                s,
                institution_id=world.institution_id,
                student_id=world.students[0],
                section_id=world.section_id,
                actor=world.registrar,
            )
        # The caller's transaction is still usable after the refusal.
        assert s.get(Enrollment, first.id) is not None
    assert refused.value.violation.code is RuleCode.ALREADY_ENROLLED
    state = assert_consistent(database, world.section_id)
    assert state["enrolled_count"] == 1


def test_drop_promotes_the_head_and_closes_up(database: Database, world: World) -> None:
    rows = [enroll(database, world, sid) for sid in world.students[:4]]
    outcome = drop(database, world, rows[0].id)
    assert outcome.enrollment.status is EnrollmentStatus.DROPPED
    assert outcome.promoted is not None
    assert outcome.promoted.id == rows[2].id
    assert outcome.promoted_from_position == 1
    state = assert_consistent(database, world.section_id)
    assert (state["enrolled_count"], state["waitlisted_count"]) == (2, 1)
    assert state["waitlist"] == [world.students[3]]
    with database.session(write=False) as s:
        promoted = s.get(Enrollment, rows[2].id)
        assert promoted is not None
        assert promoted.status is EnrollmentStatus.ENROLLED
        assert promoted.enrolled_at is not None
        notes = list(s.scalars(select(Notification)))
    promotions = [(n.student_id, n.event) for n in notes if n.event == "enrollment.promoted"]
    assert promotions == [(world.students[2], "enrollment.promoted")]
    assert [e.action for e in audit_actions(database, rows[2].id)] == [
        "enrollment.waitlist",
        "enrollment.promote",
    ]
    assert [e.action for e in audit_actions(database, rows[0].id)] == [
        "enrollment.enroll",
        "enrollment.dropped",
    ]


def test_drop_without_waitlist_frees_the_seat(database: Database, world: World) -> None:
    row = enroll(database, world, world.students[0])
    outcome = drop(database, world, row.id)
    assert outcome.promoted is None
    assert outcome.promoted_from_position is None
    assert assert_consistent(database, world.section_id)["enrolled_count"] == 0


def test_dropping_a_waitlisted_place_closes_up(database: Database, world: World) -> None:
    rows = [enroll(database, world, sid) for sid in world.students[:4]]
    outcome = drop(database, world, rows[2].id)
    assert outcome.promoted is None
    state = assert_consistent(database, world.section_id)
    assert state["waitlist"] == [world.students[3]]
    assert (state["enrolled_count"], state["waitlisted_count"]) == (2, 1)


def test_leaving_the_middle_of_a_waitlist_moves_up_only_those_behind(
    database: Database, world: World
) -> None:
    with database.session() as s:
        section = s.get(CourseSection, world.section_id)
        assert section is not None
        section.waitlist_limit = 3
    rows = [enroll(database, world, sid) for sid in world.students[:5]]
    assert [r.waitlist_position for r in rows[2:]] == [1, 2, 3]
    drop(database, world, rows[3].id)
    state = assert_consistent(database, world.section_id)
    assert state["waitlist"] == [world.students[2], world.students[4]]
    assert state["positions"] == [1, 2]


def test_dropped_row_is_reactivated(database: Database, world: World) -> None:
    row = enroll(database, world, world.students[0])
    drop(database, world, row.id)
    with pytest.raises(RegistrarError, match="Enrollment is not active"):
        drop(database, world, row.id)
    again = enroll(database, world, world.students[0])
    assert again.id == row.id
    assert again.status is EnrollmentStatus.ENROLLED
    assert again.dropped_at is None
    with database.session(write=False) as s:
        count = len(list(s.scalars(select(Enrollment.id))))
    assert count == 1
    assert_consistent(database, world.section_id)


def test_a_batch_place_names_its_batch_course_until_the_student_retakes_it_alone(
    database: Database, world: World
) -> None:
    """The batch's place says which batch course made it (one statement on PostgreSQL); the
    same row brought back by the student's own request is the student's own."""
    with database.session() as s:
        inst = s.get(Institution, world.institution_id)
        assert inst is not None
        group = factories.batch(s, inst)
        section = s.get(CourseSection, world.section_id)
        assert section is not None
        course = s.get(Course, section.course_id)
        assert course is not None
        year = factories.academic_year(s, inst, "2030-2031")
        made_by = factories.batch_course(s, inst, group, course, year, sec=section).id
    row = enroll(database, world, world.students[0], batch_course_id=made_by)
    drop(database, world, row.id)
    again = enroll(database, world, world.students[0])
    with database.session(write=False) as s:
        links = s.scalars(select(Enrollment.batch_course_id).where(Enrollment.id == row.id))
        assert again.id == row.id
        assert list(links) == [None]
    first = enroll(database, world, world.students[1], batch_course_id=made_by)
    with database.session(write=False) as s:
        assert s.scalar(select(Enrollment.batch_course_id).where(Enrollment.id == first.id)) == (
            made_by
        )


def test_drop_after_the_deadline_withdraws(database: Database, world: World) -> None:
    row = enroll(database, world, world.students[0])
    with database.session() as s:
        term = s.get(Term, world.term_id)
        assert term is not None
        term.drop_deadline = utcnow() - timedelta(hours=1)
    outcome = drop(database, world, row.id)
    assert outcome.enrollment.status is EnrollmentStatus.WITHDRAWN
    assert [e.action for e in audit_actions(database, row.id)][-1] == "enrollment.withdrawn"


def test_drop_of_another_students_enrollment_is_not_found(database: Database, world: World) -> None:
    row = enroll(database, world, world.students[0])
    with database.session() as s, pytest.raises(NotFound, match="Enrollment not found"):
        engine.drop(
            s,
            institution_id=world.institution_id,
            enrollment_id=row.id,
            actor=world.registrar,
            student_id=world.students[1],
        )


def test_unknown_student_or_section(database: Database, world: World) -> None:
    with pytest.raises(NotFound, match="Student not found"):
        enroll(database, world, uuid.uuid4())
    with pytest.raises(NotFound, match="Course section not found"):
        enroll(database, world, world.students[0], section_id=uuid.uuid4())


def test_capacity_override_raises_capacity_and_is_audited(database: Database, world: World) -> None:
    for sid in world.students[:4]:
        enroll(database, world, sid)
    row = enroll(
        database,
        world,
        world.students[4],
        overrides=frozenset({RuleCode.CAPACITY}),
        override_reason="Final-year student needs this course",
    )
    assert row.status is EnrollmentStatus.ENROLLED
    state = assert_consistent(database, world.section_id)
    assert (state["capacity"], state["enrolled_count"]) == (3, 3)
    event = audit_actions(database, row.id)[-1]
    assert event.reason == "Final-year student needs this course"
    assert event.details["overrides"] == ["CAPACITY"]
    assert event.details["capacity_raised"] == {"from": 2, "to": 3}


def test_overrides_need_a_reason_and_a_registrar(database: Database, world: World) -> None:
    codes = frozenset({RuleCode.PREREQUISITES})
    with pytest.raises(RegistrarError, match="needs a reason") as no_reason:
        enroll(database, world, world.students[0], overrides=codes)
    assert no_reason.value.status_code == 422
    with pytest.raises(RegistrarError) as not_registrar:
        enroll(
            database,
            world,
            world.students[0],
            overrides=codes,
            override_reason="please",
            actor=Actor(world.registrar.user_id, Role.STUDENT),
        )
    assert not_registrar.value.status_code == 403
    assert_consistent(database, world.section_id)


def test_prerequisite_with_passing_grade_and_override(database: Database, world: World) -> None:
    with database.session() as s:
        inst_id = world.institution_id
        old_term = s.scalars(select(Term)).one()
        section = s.get(CourseSection, world.section_id)
        assert section is not None
        inst = s.get(Institution, inst_id)
        assert inst is not None
        year = factories.academic_year(s, inst, "2023-2024")
        past = factories.term(s, inst, year, registration_open=False)
        base = factories.course(s, inst, code="CS201", title="Programming Fundamentals")
        base_section = factories.section(s, inst, base, past)
        advanced = factories.course(s, inst, code="CS401")
        add_prerequisite(s, advanced, base)
        target = factories.section(s, inst, advanced, old_term)
        for sid, grade in ((world.students[0], "A"), (world.students[1], "F")):
            s.add(
                Enrollment(
                    institution_id=inst_id,
                    student_id=sid,
                    section_id=base_section.id,
                    status=EnrollmentStatus.COMPLETED,
                    enrollment_date=past.start_date,
                    grade=grade,
                )
            )
        base_section.enrolled_count = 2
        target_id = target.id
    passed = enroll(database, world, world.students[0], section_id=target_id)
    assert passed.status is EnrollmentStatus.ENROLLED
    with pytest.raises(EnrollmentRefused) as refused:
        enroll(database, world, world.students[1], section_id=target_id)
    assert refused.value.status_code == 400
    assert refused.value.body() == {
        "error": "Prerequisites not met",
        "missing_prerequisites": [
            {"course_code": "CS201", "course_title": "Programming Fundamentals"}
        ],
        "code": "PREREQUISITES",
    }
    overridden = enroll(
        database,
        world,
        world.students[1],
        section_id=target_id,
        overrides=frozenset({RuleCode.PREREQUISITES}),
        override_reason="Transfer credit on file",
    )
    event = audit_actions(database, overridden.id)[-1]
    assert (event.reason, event.details["overrides"]) == (
        "Transfer credit on file",
        ["PREREQUISITES"],
    )
    # REPEAT: allowed for the course the student completed, refused for one never taken.
    with database.session() as s:
        inst = s.get(Institution, inst_id)
        assert inst is not None
        retake = factories.section(
            s, inst, base, old_term, slots=((Weekday.FRIDAY, time(14), time(15)),)
        )
        retake_id = retake.id
    repeat = enroll(
        database,
        world,
        world.students[1],
        section_id=retake_id,
        enrollment_type=EnrollmentType.REPEAT,
    )
    assert repeat.enrollment_type is EnrollmentType.REPEAT
    with pytest.raises(EnrollmentRefused) as not_taken:
        enroll(
            database,
            world,
            world.students[2],
            section_id=retake_id,
            enrollment_type=EnrollmentType.REPEAT,
        )
    assert not_taken.value.violation.code is RuleCode.ENROLLMENT_TYPE


def test_clash_and_credit_limit_and_audit_type(database: Database, world: World) -> None:
    with database.session() as s:
        inst = s.get(Institution, world.institution_id)
        term = s.get(Term, world.term_id)
        assert inst is not None
        assert term is not None
        clashing = factories.section(
            s,
            inst,
            factories.course(s, inst, code="MA201"),
            term,
            slots=((Weekday.MONDAY, time(10), time(11)),),
        )
        heavy = factories.section(
            s,
            inst,
            factories.course(s, inst, code="PR499", credits=27),
            term,
            slots=((Weekday.TUESDAY, time(9), time(12)),),
        )
        clashing_id, heavy_id = clashing.id, heavy.id
    enroll(database, world, world.students[0])
    with pytest.raises(EnrollmentRefused) as clash:
        enroll(database, world, world.students[0], section_id=clashing_id)
    assert clash.value.violation.code is RuleCode.TIMETABLE_CLASH
    assert clash.value.body()["clashes_with"] == [
        {"course_code": "CS302", "day": "MONDAY", "start_time": "09:00:00", "end_time": "10:30:00"}
    ]
    with pytest.raises(EnrollmentRefused) as limit:
        enroll(database, world, world.students[0], section_id=heavy_id)
    assert limit.value.violation.code is RuleCode.CREDIT_LIMIT
    assert limit.value.body()["max_credits"] == 30
    audited = enroll(
        database,
        world,
        world.students[0],
        section_id=heavy_id,
        enrollment_type=EnrollmentType.AUDIT,
    )
    assert audited.status is EnrollmentStatus.ENROLLED
    assert_consistent(database, heavy_id)


def test_a_seat_writes_the_same_rows_on_both_backends(database: Database, world: World) -> None:
    """PostgreSQL takes the seat, writes the row and its event in one statement (one_trip.py);
    SQLite statement by statement. Both write exactly this."""
    before = utcnow()
    with database.session() as s:
        outcome = engine.enroll(
            s,
            institution_id=world.institution_id,
            student_id=world.students[0],
            section_id=world.section_id,
            actor=world.registrar,
            enrollment_type=EnrollmentType.AUDIT,
            notes="Sitting in",
            overrides=frozenset({RuleCode.WINDOW_CLOSED}),
            override_reason="Registrar's decision",
        )
    with database.session(write=False) as s:
        row = s.get(Enrollment, outcome.enrollment.id)
        assert row is not None
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == row.id)).all()
    assert (row.student_id, row.section_id, row.institution_id) == (
        world.students[0],
        world.section_id,
        world.institution_id,
    )
    assert (row.status, row.enrollment_type, row.notes) == (
        EnrollmentStatus.ENROLLED,
        EnrollmentType.AUDIT,
        "Sitting in",
    )
    assert row.enrollment_date == before.date()
    assert row.enrolled_at is not None
    assert before <= row.enrolled_at <= utcnow()
    assert (row.waitlisted_at, row.waitlist_position, row.dropped_at, row.grade) == (None,) * 4
    assert row.enrolled_at == outcome.enrollment.enrolled_at
    assert (event.action, event.entity_type, event.actor_user_id) == (
        "enrollment.enroll",
        "enrollment",
        world.registrar.user_id,
    )
    assert event.reason is None  # the window is open: nothing was overridden
    assert event.details == {
        "student_id": str(world.students[0]),
        "section_id": str(world.section_id),
        "course_code": "CS302",
        "status": "ENROLLED",
        "waitlist_position": None,
        "enrollment_type": "AUDIT",
        "reactivated": False,
        "actor_role": "REGISTRAR",
        "overrides": [],
    }
    assert_consistent(database, world.section_id)


def test_an_override_is_written_with_its_reason_on_both_backends(
    database: Database, world: World
) -> None:
    with database.session() as s:
        s.execute(update(Term).where(Term.id == world.term_id).values(registration_end=utcnow()))
    with database.session() as s:
        outcome = engine.enroll(
            s,
            institution_id=world.institution_id,
            student_id=world.students[0],
            section_id=world.section_id,
            actor=world.registrar,
            overrides=frozenset({RuleCode.WINDOW_CLOSED}),
            override_reason="Late, with the dean's approval",
        )
    [event] = audit_actions(database, outcome.enrollment.id)
    assert event.reason == "Late, with the dean's approval"
    assert event.details["overrides"] == ["WINDOW_CLOSED"]
