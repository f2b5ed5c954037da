"""`?dry_run=true` on the K-12 process: every rule on the request and on each subject, nothing
written; the real request still answers with the first refusal. On both backends."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from registrar.academics.models import CourseSection
from registrar.audit.models import AuditEvent
from registrar.db import Database
from registrar.enrollment.models import Enrollment
from registrar.idempotency.models import IdempotencyKey
from registrar.institutions.models import Institution
from registrar.notifications.models import Notification
from registrar.students.models import Student
from tests import factories
from tests.conftest import LoginFn
from tests.enrollment.continuing import school as school_module
from tests.enrollment.continuing.school import PATH, School, body

DRY = {"dry_run": "true"}
GRADE_4_CORE = ("MATH4", "ENG4", "SCI4", "FIL4", "AP4")


@dataclass
class Desk:
    school: School
    database: Database
    send: Callable[..., httpx.Response]


@pytest.fixture
def desk(database: Database, client: TestClient, login: LoginFn) -> Desk:
    with database.session() as session:
        built = school_module.build(session)

    def send(
        request: dict[str, Any], *, dry: bool = True, user: str = school_module.REGISTRAR, **h: str
    ) -> httpx.Response:
        headers = {**login(user, factories.PASSWORD, built.tag), "x-tenant-tag": built.tag, **h}
        response: httpx.Response = client.post(
            PATH, json=request, params=DRY if dry else None, headers=headers
        )
        return response

    return Desk(built, database, send)


def written(database: Database) -> dict[str, Any]:
    """Every row a processed request writes or changes, and the schedules' counters."""
    with database.session(write=False) as session:
        return {
            "enrollments": session.scalar(select(func.count(Enrollment.id))),
            "audit": session.scalar(select(func.count(AuditEvent.id))),
            "notifications": session.scalar(select(func.count(Notification.id))),
            "keys": session.scalar(select(func.count(IdempotencyKey.id))),
            "seats": session.scalar(select(func.sum(CourseSection.enrolled_count))),
            "students": session.execute(
                select(Student.roll_number, Student.grade_level, Student.batch_id).order_by(
                    Student.roll_number
                )
            ).all(),
        }


def subjects_request(roll: str, **schedules: str) -> dict[str, Any]:
    """Grade 4's core subjects and COMP4, a schedule named for some of them."""
    return body(
        roll,
        subjectsToEnroll=[
            {"subjectId": code, **({"scheduleId": schedules[code]} if code in schedules else {})}
            for code in (*GRADE_4_CORE, "COMP4")
        ],
    )


def failed(checks: list[dict[str, Any]]) -> list[str]:
    return [check["rule"] for check in checks if not check["passed"]]


def by_subject(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {subject["subject"]: subject for subject in answer["subjects"]}


def test_an_eligible_request_passes_every_rule_and_writes_nothing(desk: Desk) -> None:
    before = written(desk.database)
    request = body("ELEM123", sectionId="SEC-G4-A")
    key = {"Idempotency-Key": "k12-try-then-do"}

    tried = desk.send(request, **key)

    assert tried.status_code == 200, tried.text
    answer = tried.json()
    assert (answer["dry_run"], answer["outcome"], answer["gradeLevel"]) == (True, "ENROLLED", 4)
    assert failed(answer["checks"]) == []
    rules = {check["rule"] for check in answer["checks"]}
    assert {"FAILED_SUBJECTS", "CORE_SUBJECTS", "HOMEROOM_GRADE", "HOMEROOM_FULL"} <= rules
    assert {"CAPACITY", "PREREQUISITES", "TIMETABLE_CLASH", "WINDOW_CLOSED", "HOLD"} <= rules
    subjects = by_subject(answer)
    assert set(subjects) == {*GRADE_4_CORE, "COMP4"}
    assert subjects["MATH4"]["scheduleId"] == "G4A-MATH4"
    assert all(s["outcome"] == "ENROLLED" and not failed(s["checks"]) for s in subjects.values())
    assert written(desk.database) == before
    # The key was not used up: the real request with it enrolls, and is no replay.
    done = desk.send(request, dry=False, **key)
    assert done.status_code == 200, done.text
    assert "idempotent-replayed" not in done.headers
    assert len(done.json()["data"]["enrollment"]["enrollmentIds"]) == 6


def test_every_broken_rule_is_listed_but_the_real_request_names_the_first(desk: Desk) -> None:
    before = written(desk.database)
    # A core subject failed last year, and a full schedule asked for.
    request = subjects_request("ELEM-CORE", COMP4="SCH457")

    answer = desk.send(request).json()

    assert answer["outcome"] == "REFUSED"
    assert failed(answer["checks"]) == ["CORE_SUBJECTS", "CAPACITY"]
    checks = {check["rule"]: check for check in answer["checks"]}
    assert checks["CORE_SUBJECTS"]["message"] == "Core subjects from previous level not completed"
    assert checks["CORE_SUBJECTS"]["details"] == {"coreSubjects": ["MATH3"]}
    assert checks["CAPACITY"]["message"] == "Schedule is already full"
    assert checks["CAPACITY"]["details"]["subjects"] == ["COMP4"]
    subjects = by_subject(answer)
    assert subjects["COMP4"]["outcome"] == "REFUSED"
    assert subjects["COMP4"]["scheduleId"] == "SCH457"
    assert failed(subjects["COMP4"]["checks"]) == ["CAPACITY"]
    assert subjects["MATH4"]["outcome"] == "ENROLLED"
    assert written(desk.database) == before

    real = desk.send(request, dry=False)
    assert real.status_code == 400
    assert real.json() == {
        "success": False,
        "error": "Core subjects from previous level not completed",
        "coreSubjects": ["MATH3"],
    }
    assert written(desk.database) == before


def test_every_standing_rule_the_record_misses_is_listed(desk: Desk) -> None:
    request = body("ELEM-3FAIL", sectionId="SEC-G4-A")

    answer = desk.send(request).json()

    assert answer["outcome"] == "REFUSED"
    assert failed(answer["checks"]) == ["FAILED_SUBJECTS", "CORE_SUBJECTS"]
    real = desk.send(request, dry=False)
    assert real.json()["error"] == "Student has 3 failed subjects, exceeding the maximum allowed"


def test_a_full_schedule_is_refused_as_the_real_request_would_be(desk: Desk) -> None:
    before = written(desk.database)
    request = subjects_request("ELEM123", COMP4="SCH457")

    answer = desk.send(request).json()

    assert answer["outcome"] == "REFUSED"
    assert failed(answer["checks"]) == ["CAPACITY"]
    full = by_subject(answer)["COMP4"]
    assert (full["outcome"], failed(full["checks"])) == ("REFUSED", ["CAPACITY"])
    assert next(c for c in full["checks"] if not c["passed"])["details"] == {
        "subject": "COMP4",
        "scheduleId": "SCH457",
        "capacity": 1,
    }
    assert written(desk.database) == before
    real = desk.send(request, dry=False)
    assert real.status_code == 400
    assert real.json()["error"] == "Schedule is already full"

    roomy = desk.send(subjects_request("ELEM123", COMP4="SCH456")).json()
    assert roomy["outcome"] == "ENROLLED"


def test_the_requests_own_schedules_clash_as_the_engine_would_find(desk: Desk) -> None:
    # MATH4's only schedule meets on Friday at 8, and so does ENG4-CLASH.
    request = subjects_request("ELEM123", ENG4="ENG4-CLASH")

    answer = desk.send(request).json()

    assert failed(answer["checks"]) == ["TIMETABLE_CLASH"]
    clash = next(c for c in by_subject(answer)["ENG4"]["checks"] if not c["passed"])
    assert clash["message"] == "Timetable clash with another enrolled course"
    assert [c["course_code"] for c in clash["details"]["clashes_with"]] == ["MATH4"]
    real = desk.send(request, dry=False)
    assert real.status_code == 400
    assert real.json()["error"] == "Timetable clash with another enrolled course"


def test_a_dry_run_is_authorized_and_read_as_the_real_request(desk: Desk) -> None:
    others = desk.send(
        body("ELEM-SUMMER", sectionId="SEC-G4-A", processedBy="ELEM123"), user="ELEM123"
    )
    assert others.status_code == 403
    assert others.json() == {
        "success": False,
        "error": "Students may only process their own enrollment",
    }
    own = desk.send(body("ELEM123", sectionId="SEC-G4-A", processedBy="ELEM123"), user="ELEM123")
    assert own.status_code == 200, own.text
    assert own.json()["outcome"] == "ENROLLED"
    unknown = desk.send(body("NOBODY", sectionId="SEC-G4-A"))
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "Student not found: NOBODY"


def test_the_requests_own_subjects_fill_the_load_as_the_real_request_would(desk: Desk) -> None:
    """Six one-unit subjects under a four-unit load: each fits alone, but the real request
    takes them in turn and the fifth breaks the limit; the dry run says so of the fifth and
    the sixth, not of the first four."""
    with desk.database.session() as session:
        school = session.get(Institution, desk.school.institution_id)
        assert school is not None
        school.min_credits, school.max_credits = 0, 4
    request = body("ELEM123", sectionId="SEC-G4-A")

    answer = desk.send(request).json()

    assert answer["outcome"] == "REFUSED"
    over = [
        subject["subject"]
        for subject in answer["subjects"]
        if failed(subject["checks"]) == ["CREDIT_LIMIT"]
    ]
    assert len(over) == 2
    assert all(not failed(s["checks"]) for s in answer["subjects"] if s["subject"] not in over)
    real = desk.send(request, dry=False)
    assert real.status_code == 400
    assert real.json()["error"] == "Credit limit exceeded for this semester"
