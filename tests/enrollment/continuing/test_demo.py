"""Seed 004 against the `sample-school` demo on PostgreSQL: the seed's examples and its students.

The demo is loaded once for the module; each test works with its own students, so the tests
do not see each other's enrollments.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from registrar.academics.models import Course, CourseSection, Term
from registrar.audit.models import AuditEvent
from registrar.db import Database
from registrar.demo import load_demo
from registrar.demo.common import REGISTRAR_PASSWORD, STUDENT_PASSWORD
from registrar.enrollment.continuing import notices
from registrar.enrollment.continuing.standing import show
from registrar.enrollment.models import Enrollment, EnrollmentStatus, EnrollmentType
from registrar.institutions.models import Institution
from registrar.main import create_app
from registrar.notifications.models import Notification, RecipientKind
from registrar.students.models import Student, StudentBatch
from tests import dbs, factories
from tests.conftest import make_settings
from tests.enrollment.continuing.school import PATH, body

TAG = "sample-school"
SEED_SUBJECTS = ["MATH4", "ENG4", "SCI4", "FIL4", "AP4", "COMP4"]


@pytest.fixture(scope="module")
def demo(postgres_database: Database) -> Iterator[Database]:
    """A small demo (40 university students, 4 continuing pupils per grade), loaded once."""
    dbs.wipe(postgres_database)
    load_demo(postgres_database, students=40, seed=7)
    yield postgres_database
    dbs.wipe(postgres_database)


@pytest.fixture(scope="module")
def api(demo: Database) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(demo), demo)) as client:
        yield client


Send = Callable[..., httpx.Response]


@pytest.fixture(scope="module")
def send(api: TestClient) -> Send:
    """POST to the endpoint as the demo's registrar (or as a student)."""
    tokens: dict[str, str] = {}

    def _send(request: Any, *, user: str | None = "REGISTRAR_001") -> httpx.Response:
        headers = {"x-tenant-tag": TAG}
        if user is not None:
            if user not in tokens:
                password = REGISTRAR_PASSWORD if user.startswith("REGISTRAR") else STUDENT_PASSWORD
                login = api.post(
                    "/auth/login", json={"username": user, "password": password}, headers=headers
                )
                assert login.status_code == 200, login.text
                tokens[user] = login.json()["access_token"]
            headers["Authorization"] = f"Bearer {tokens[user]}"
        response: httpx.Response = api.post(PATH, json=request, headers=headers)
        return response

    return _send


def refused(response: httpx.Response, error: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    payload: dict[str, Any] = response.json()
    assert (payload["success"], payload["error"]) == (False, error)
    return payload


def last_year_marks(demo: Database, roll: str) -> list[tuple[Decimal, Decimal | None]]:
    """(mark, attendance) of each subject the student completed."""
    with demo.session(write=False) as session:
        rows = session.execute(
            select(Enrollment.grade_points, Enrollment.attendance_percentage)
            .join(Student, Student.id == Enrollment.student_id)
            .where(Student.roll_number == roll, Enrollment.status == EnrollmentStatus.COMPLETED)
        ).all()
    return [(mark, attendance) for mark, attendance in rows if mark is not None]


def pupils(demo: Database, grade: int, strand: str | None = None) -> list[str]:
    """The demo's generated continuing pupils of a grade (not the seed's examples)."""
    with demo.session(write=False) as session:
        query = select(Student.roll_number).where(
            Student.grade_level == grade, Student.roll_number.like("SS%")
        )
        if strand is not None:
            query = query.where(Student.strand == strand)
        return list(session.scalars(query.order_by(Student.roll_number)))


def eligible(demo: Database, grade: int, strand: str | None = None) -> list[str]:
    """Pupils whose every mark passes, with good attendance: eligible under any level's rules."""
    return [
        roll
        for roll in pupils(demo, grade, strand)
        if all(mark >= 75 and (att or 0) >= 80 for mark, att in last_year_marks(demo, roll))
    ]


def student(demo: Database, roll: str) -> Student:
    with demo.session(write=False) as session:
        row = session.scalar(select(Student).where(Student.roll_number == roll))
        assert row is not None
        return row


def counts(demo: Database) -> tuple[int, int, int]:
    with demo.session(write=False) as session:
        return (
            session.scalar(select(func.count(Enrollment.id))) or 0,
            session.scalar(select(func.count(AuditEvent.id))) or 0,
            session.scalar(select(func.count(Notification.id))) or 0,
        )


def test_seed_example_elementary_by_section(send: Send, demo: Database) -> None:
    response = send(body("ELEM123", sectionId="SEC-G4-A"))

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["enrollment"]["educationLevel"] == "ELEMENTARY"
    assert data["enrollment"]["type"] == "K12"
    assert data["summary"]["studentInfo"]["gradeLevel"] == "4"
    assert "strand" not in data["summary"]["studentInfo"]
    subjects = {s["code"]: s for s in data["summary"]["subjects"]}
    assert set(SEED_SUBJECTS) <= set(subjects)
    assert subjects["COMP4"]["schedule"]["scheduleId"] == "SCH456"
    assert len(subjects["MATH4"]["schedule"]["days"]) == 5
    assert data["summary"]["enrollmentInfo"]["totalSubjects"] == len(subjects)
    row = student(demo, "ELEM123")
    with demo.session(write=False) as session:
        homeroom = session.scalar(select(StudentBatch.id).where(StudentBatch.code == "SEC-G4-A"))
        notes = list(session.scalars(select(Notification).where(Notification.student_id == row.id)))
    assert row.batch_id == homeroom
    assert row.grade_level == 4  # placed in grade 4 already, after finishing grade 3
    kinds = {n.recipient_kind for n in notes}
    assert kinds == {RecipientKind.STUDENT, RecipientKind.GUARDIAN, RecipientKind.REGISTRAR}
    registrar_mail = {
        n.recipient_email for n in notes if n.recipient_kind is RecipientKind.REGISTRAR
    }
    assert registrar_mail == {"registrar@sampleschool.edu.ph", "registrar.001@sampleschool.edu.ph"}
    assert all("Section: SEC-G4-A" in n.body and "Elementary" in n.body for n in notes)

    again = send(body("ELEM123", sectionId="SEC-G4-A"))
    refused(again, "Student already has an active enrollment for SY2024-2025")


def test_seed_example_elementary_by_subject(send: Send, demo: Database) -> None:
    roll = eligible(demo, 4)[0]
    subjects: list[dict[str, str]] = [{"subjectId": code} for code in SEED_SUBJECTS[:-1]]
    subjects.append({"subjectId": "COMP4", "scheduleId": "SCH456"})

    response = send(body(roll, subjectsToEnroll=subjects))

    assert response.status_code == 200, response.text
    summary = response.json()["data"]["summary"]
    assert [s["code"] for s in summary["subjects"]] == SEED_SUBJECTS
    assert summary["subjects"][-1]["schedule"]["scheduleId"] == "SCH456"
    assert summary["enrollmentInfo"]["totalUnits"] == 6


def test_seed_example_senior_high(send: Send) -> None:
    response = send(body("SHS123", semesterId="SEM1", sectionId="SEC-G11-STEM-A"))

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["enrollment"]["educationLevel"] == "SENIOR_HIGH"
    info = data["summary"]["studentInfo"]
    assert (info["strand"], info["track"], info["gradeLevel"]) == ("STEM", "ACADEMIC", "11")
    enrollment_info = data["summary"]["enrollmentInfo"]
    assert enrollment_info["semester"] == "SEM1"
    assert 15 <= enrollment_info["totalUnits"] <= 30
    assert enrollment_info["totalUnits"] == 3 * enrollment_info["totalSubjects"]
    assert "PRECAL11" in {s["code"] for s in data["summary"]["subjects"]}


def test_junior_high_low_gpa(send: Send, demo: Database) -> None:
    marks = [mark for mark, _ in last_year_marks(demo, "JHS-LOWGPA")]
    gpa = (sum(marks, Decimal(0)) / len(marks)).quantize(Decimal("0.01"))
    assert gpa < 75
    refused(
        send(body("JHS-LOWGPA", sectionId="SEC-G9-A")),
        f"Student's GPA ({show(gpa)}) is below the required minimum of 75",
    )


def test_junior_high_three_failed_subjects(send: Send, demo: Database) -> None:
    failed = [mark for mark, _ in last_year_marks(demo, "JHS-3FAIL") if mark < 75]
    assert len(failed) == 3
    refused(
        send(body("JHS-3FAIL", sectionId="SEC-G8-A")),
        "Student has 3 failed subjects, exceeding the maximum allowed",
    )


def test_junior_high_eligible_pupil(send: Send, demo: Database) -> None:
    roll = eligible(demo, 8)[0]
    response = send(body(roll, sectionId="SEC-G8-A"))
    assert response.status_code == 200, response.text
    subjects = {s["code"] for s in response.json()["data"]["summary"]["subjects"]}
    assert {"MATH8", "SCI8"} <= subjects  # the sequences, their prerequisites passed


def test_senior_high_missing_prerequisite(send: Send) -> None:
    refused(
        send(body("SHS-NOPREREQ", semesterId="SEM1", sectionId="SEC-G12-STEM-A")),
        "Missing prerequisites for GENPHYS12: BASCAL11",
    )


def test_senior_high_rules(send: Send, demo: Database) -> None:
    roll = eligible(demo, 11)[0]
    strand = student(demo, roll).strand
    own, other = f"SEC-G11-{strand}-A", "SEC-G11-ABM-A" if strand != "ABM" else "SEC-G11-STEM-A"
    payload = refused(send(body(roll, sectionId=own)), "Missing required fields")
    assert payload["fields"] == ["semesterId"]
    response = send(body(roll, semesterId="SEM1", sectionId=other))
    assert response.status_code == 400
    assert response.json()["error"].startswith("Section strand (")
    refused(
        send(body(roll, semesterId="SEM1", subjectsToEnroll=[{"subjectId": "ORALCOM11"}])),
        "Unit load of 3 is outside the allowed range of 15-30 units per semester",
    )
    # The second semester needs the first one's subjects completed: strict prerequisites.
    second = send(body(roll, semesterId="SEM2", sectionId=own))
    assert second.status_code == 400
    assert second.json()["error"].startswith("Missing prerequisites for ")
    assert send(body(roll, semesterId="SEM1", sectionId=own)).status_code == 200


def test_section_must_match_the_grade(send: Send, demo: Database) -> None:
    refused(
        send(body(eligible(demo, 3)[0], sectionId="SEC-G4-A")),
        "Section SEC-G4-A is for grade 4, but the student enrolls in grade 3",
    )


def test_a_full_schedule(send: Send, demo: Database) -> None:
    roll = eligible(demo, 5)[0]
    with demo.session() as session:
        schedule = session.scalar(
            select(CourseSection).where(CourseSection.code == "SEC-G5-A-MATH5")
        )
        assert schedule is not None
        schedule.capacity = schedule.enrolled_count
    before = counts(demo)
    payload = refused(send(body(roll, sectionId="SEC-G5-A")), "Schedule is already full")
    assert payload["scheduleId"] == "SEC-G5-A-MATH5"
    assert counts(demo) == before


def test_failure_after_the_writes_leaves_nothing(
    send: Send, demo: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    roll = eligible(demo, 6)[0]

    def broken(*_args: Any, **_kwargs: Any) -> int:
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(notices, "announce", broken)
    before = counts(demo)
    response = send(body(roll, sectionId="SEC-G6-A"))
    assert response.status_code == 500
    assert response.json() == {"success": False, "error": "Failed to process enrollment"}
    assert counts(demo) == before
    assert student(demo, roll).batch_id is None


def test_students_and_auth(send: Send, demo: Database) -> None:
    roll = eligible(demo, 7)[0]
    assert send(body(roll, sectionId="SEC-G7-A"), user=None).status_code == 401
    other = send(body("SHS123", semesterId="SEM1", sectionId="SEC-G11-STEM-A"), user=roll)
    assert other.status_code == 403
    own = send(body(roll, sectionId="SEC-G7-A", processedBy=roll), user=roll)
    assert own.status_code == 200, own.text
    with demo.session(write=False) as session:
        term = session.scalar(select(Term).where(Term.code == "SY2024-2025-FY"))
        event = session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "CONTINUING_ENROLLMENT_PROCESSED",
                AuditEvent.entity_id == student(demo, roll).id,
            )
        )
    assert term is not None
    assert event is not None
    assert event.actor_user_id == student(demo, roll).user_id


def test_elementary_core_subject_and_summer_program(send: Send, demo: Database) -> None:
    roll = eligible(demo, 2)[0]
    with demo.session() as session:
        pupil = session.scalar(select(Student).where(Student.roll_number == roll))
        assert pupil is not None
        math = session.scalars(
            select(Enrollment)
            .join(CourseSection, CourseSection.id == Enrollment.section_id)
            .where(Enrollment.student_id == pupil.id, CourseSection.code.like("%-MATH1"))
            .options(selectinload(Enrollment.section).selectinload(CourseSection.term))
        ).one()
        math.grade, math.grade_points = "70", Decimal(70)
        last_term, course_id = math.section.term, math.section.course_id

    refused(
        send(body(roll, sectionId="SEC-G2-A")), "Core subjects from previous level not completed"
    )

    with demo.session() as session:
        institution = session.get(Institution, pupil.institution_id)
        course = session.get(Course, course_id)
        assert institution is not None
        assert course is not None
        summer = factories.section(session, institution, course, last_term, capacity=20)
        factories.enrollment(
            session,
            institution,
            pupil,
            summer,
            EnrollmentStatus.COMPLETED,
            enrollment_type=EnrollmentType.REPEAT,
            grade="82",
            grade_points=82,
            notes="SUMMER program",
        )

    response = send(body(roll, sectionId="SEC-G2-A"))
    assert response.status_code == 200, response.text


def admin_id(api: TestClient, what: str, code: str) -> str:
    """The id the demo's admin API lists for the row with that code."""
    login = api.post(
        "/auth/login",
        json={"username": "REGISTRAR_001", "password": REGISTRAR_PASSWORD},
        headers={"x-tenant-tag": TAG},
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}", "x-tenant-tag": TAG}
    search = "search" if what == "batches" else "q"
    listed = api.get(f"/api/admin/{what}", params={search: code}, headers=headers)
    assert listed.status_code == 200, listed.text
    found: str = next(item["id"] for item in listed.json()["items"] if item["code"] == code)
    return found


def test_a_homeroom_by_the_id_the_admin_api_returns(
    send: Send, api: TestClient, demo: Database
) -> None:
    response = send(body(eligible(demo, 9)[0], sectionId=admin_id(api, "batches", "SEC-G9-A")))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["enrollment"]["section"] == "SEC-G9-A"


def test_junior_high_by_subject_takes_the_whole_core_load(
    send: Send, api: TestClient, demo: Database
) -> None:
    roll = eligible(demo, 10)[0]
    core = ["AP10", "ENG10", "ESP10", "FIL10", "MAPEH10", "MATH10", "SCI10", "TLE10"]
    by_id = [{"subjectId": admin_id(api, "courses", code)} for code in core]
    payload = refused(
        send(body(roll, subjectsToEnroll=by_id[:2])),
        "Missing core subjects of grade 10: " + ", ".join(core[2:]),
    )
    assert payload["missingSubjects"] == core[2:]
    response = send(body(roll, subjectsToEnroll=by_id))
    assert response.status_code == 200, response.text
    assert sorted(s["code"] for s in response.json()["data"]["summary"]["subjects"]) == core
