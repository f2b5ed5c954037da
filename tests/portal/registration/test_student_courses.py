"""Seed 001: POST and GET /students/{student_id}/courses."""

from __future__ import annotations

import uuid
from datetime import time

from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.academics.models import CourseSection, Term, Weekday
from registrar.db import Database
from registrar.institutions.models import Institution
from registrar.students.models import StudentBatch
from tests import factories
from tests.conftest import LoginFn
from tests.portal.registration.conftest import Campus


def test_registrar_enrolls_and_lists(client: TestClient, login: LoginFn, campus: Campus) -> None:
    registrar = login("registrar", factories.PASSWORD)
    student = campus.students[0]
    created = client.post(
        f"/students/{student}/courses",
        json={"course_id": str(campus.dbms_course)},
        headers=registrar,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body == {
        "enrollment_id": body["enrollment_id"],
        "course_id": str(campus.dbms_course),
        "course_code": "CS302",
        "name": "Database Management Systems",
        "level": "UG",
        "credits": 4,
        "section_id": str(campus.dbms),
        "semester_id": str(campus.open_term),
        "semester": "2024-2025 Odd Semester",
        "status": "ENROLLED",
        "enrollment_type": "REGULAR",
        "reserve_position": None,
        "grade": None,
    }
    listed = client.get(f"/students/{student}/courses", headers=registrar)
    assert listed.status_code == 200
    assert listed.json() == [body]

    duplicate = client.post(
        f"/students/{student}/courses",
        json={"course_id": str(campus.dbms_course)},
        headers=registrar,
    )
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "ALREADY_ENROLLED"


def test_student_acts_only_for_themself(client: TestClient, login: LoginFn, campus: Campus) -> None:
    me = login(campus.rolls[0], factories.PASSWORD)
    course = {"course_id": str(campus.dbms_course)}
    own = client.post(f"/students/{campus.students[0]}/courses", json=course, headers=me)
    assert own.status_code == 201
    other = campus.students[1]
    assert client.post(f"/students/{other}/courses", json=course, headers=me).status_code == 404
    theirs = client.get(f"/students/{other}/courses", headers=me)
    assert theirs.status_code == 404
    assert theirs.json() == {"error": "Student not found"}
    assert len(client.get(f"/students/{campus.students[0]}/courses", headers=me).json()) == 1
    faculty = login("prof", factories.PASSWORD)
    assert client.get(f"/students/{other}/courses", headers=faculty).status_code == 403
    assert client.get(f"/students/{other}/courses").status_code == 401


def test_not_found_and_invalid_bodies(client: TestClient, login: LoginFn, campus: Campus) -> None:
    registrar = login("registrar", factories.PASSWORD)
    course = {"course_id": str(campus.dbms_course)}
    unknown_student = client.post(
        f"/students/{uuid.uuid4()}/courses", json=course, headers=registrar
    )
    assert unknown_student.status_code == 404
    assert unknown_student.json() == {"error": "Student not found"}
    assert client.get(f"/students/{uuid.uuid4()}/courses", headers=registrar).status_code == 404
    url = f"/students/{campus.students[0]}/courses"
    unknown_course = client.post(url, json={"course_id": str(uuid.uuid4())}, headers=registrar)
    assert unknown_course.status_code == 404
    assert unknown_course.json() == {"error": "Course not found"}

    for bad in ({}, {"course_id": "CS302"}, {"course_id": str(campus.dbms_course), "x": 1}):
        invalid = client.post(url, json=bad, headers=registrar)
        assert invalid.status_code == 422, bad
        fields = [error["loc"][-1] for error in invalid.json()["detail"]]
        assert fields in (["course_id"], ["x"]), invalid.json()


def test_section_choice_and_not_offered(
    client: TestClient, login: LoginFn, campus: Campus, database: Database
) -> None:
    with database.session() as s:
        inst = s.scalars(select(Institution).where(Institution.tag == campus.tag)).one()
        term = s.get(Term, campus.open_term)
        group = s.get(StudentBatch, campus.batch)
        assert term is not None
        assert group is not None
        popular = factories.course(s, inst, code="CS310")
        factories.section(s, inst, popular, term, capacity=1)  # first by code, has a seat
        factories.section(s, inst, popular, term, batch=group)  # the student's batch's
        crowded = factories.course(s, inst, code="CS320")
        friday = ((Weekday.FRIDAY, time(14), time(15)),)
        full = factories.section(s, inst, crowded, term, capacity=0, slots=friday)
        roomy = factories.section(s, inst, crowded, term, slots=friday)
        unoffered = factories.course(s, inst, code="CS999")
        ids = popular.id, crowded.id, unoffered.id, full.id, roomy.id
    popular_id, crowded_id, unoffered_id, _full_id, roomy_id = ids
    registrar = login("registrar", factories.PASSWORD)
    url = f"/students/{campus.students[0]}/courses"
    chosen = client.post(url, json={"course_id": str(popular_id)}, headers=registrar).json()
    with database.session(write=False) as s:
        section = s.get(CourseSection, uuid.UUID(chosen["section_id"]))
        assert section is not None
        assert section.student_batch_id == campus.batch
    free = client.post(url, json={"course_id": str(crowded_id)}, headers=registrar)
    assert free.json()["section_id"] == str(roomy_id)
    not_offered = client.post(url, json={"course_id": str(unoffered_id)}, headers=registrar)
    assert not_offered.status_code == 400
    assert not_offered.json() == {
        "error": "Course is not offered in a semester open for registration"
    }
