"""The envelope, auth, the request's own errors, all-or-nothing, and the 500 answer."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from registrar.academics.models import CourseSection
from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment.continuing import notices, service
from registrar.enrollment.models import Enrollment
from registrar.institutions.models import Institution
from registrar.notifications.models import Notification
from registrar.students.models import Student, StudentStatus
from tests import factories
from tests.enrollment.continuing.conftest import Post
from tests.enrollment.continuing.school import PATH, School, body
from tests.enrollment.continuing.test_levels import refused, set_homeroom_capacity

MISSING = "Missing required fields"


def counts(pg: Database) -> dict[str, int]:
    with pg.session(write=False) as session:
        return {
            "enrollments": session.scalar(select(func.count(Enrollment.id))) or 0,
            "audit": session.scalar(select(func.count(AuditEvent.id))) or 0,
            "notifications": session.scalar(select(func.count(Notification.id))) or 0,
            "seats": session.scalar(select(func.sum(CourseSection.enrolled_count))) or 0,
        }


def grade_of(pg: Database, school: School, roll: str) -> int | None:
    with pg.session(write=False) as session:
        student = session.get(Student, school.students[roll])
        assert student is not None
        return student.grade_level


@pytest.mark.parametrize(
    ("request_body", "fields"),
    [
        (
            {
                "schoolYearId": "SY2024-2025",
                "processedBy": "REGISTRAR_001",
                "sectionId": "SEC-G4-A",
            },
            ["studentId"],
        ),
        (
            {"studentId": "ELEM123", "sectionId": "SEC-G4-A", "processedBy": ""},
            ["schoolYearId", "processedBy"],
        ),
        (
            {"studentId": 123, "schoolYearId": "SY2024-2025", "processedBy": "REGISTRAR_001"},
            ["studentId"],
        ),
        (body("ELEM123"), ["subjectsToEnroll", "sectionId"]),
        (body("ELEM123", subjectsToEnroll=[]), ["subjectsToEnroll", "sectionId"]),
        (
            body("ELEM123", subjectsToEnroll=[{"scheduleId": "SCH456"}]),
            ["subjectsToEnroll.0.subjectId"],
        ),
        ([], ["body"]),
    ],
)
def test_missing_fields(post: Post, request_body: Any, fields: list[str]) -> None:
    payload = refused(post(request_body), MISSING)
    assert payload["fields"] == fields


def test_a_body_that_is_not_json(post: Post) -> None:
    refused(post(b"{not json"), MISSING)


def test_unknown_references_are_refused_clearly(post: Post) -> None:
    refused(
        post(body("ELEM123", sectionId="SEC-G4-A", processedBy="NOBODY")),
        "Unknown processedBy user: NOBODY",
    )
    refused(post(body("NOBODY", sectionId="SEC-G4-A")), "Student not found: NOBODY")
    refused(
        post(body("ELEM123", sectionId="SEC-G4-A", schoolYearId="SY1999-2000")),
        "School year not found: SY1999-2000",
    )
    refused(post(body("ELEM123", sectionId="SEC-NOPE")), "Section not found: SEC-NOPE")
    refused(
        post(body("ELEM123", subjectsToEnroll=[{"subjectId": "NOPE4"}])), "Subject not found: NOPE4"
    )
    refused(
        post(body("ELEM123", subjectsToEnroll=[{"subjectId": "COMP4", "scheduleId": "G4A-MATH4"}])),
        "Schedule G4A-MATH4 is not an open schedule of COMP4 in this term",
    )
    refused(
        post(body("SHS123", semesterId="SEM9", sectionId="SEC-G11-STEM-A")),
        "Semester not found in SY2024-2025: SEM9",
    )


def test_requests_that_contradict_themselves(post: Post, pg: Database, school: School) -> None:
    refused(
        post(body("ELEM123", sectionId="SEC-G4-A", subjectsToEnroll=[{"subjectId": "MATH4"}])),
        "Send either subjectsToEnroll or sectionId, not both",
    )
    refused(
        post(body("ELEM123", subjectsToEnroll=[{"subjectId": "MATH4"}, {"subjectId": "MATH4"}])),
        "Subject MATH4 is listed more than once",
    )
    with pg.session() as session:
        student = session.get(Student, school.students["ELEM-SUMMER"])
        assert student is not None
        student.status = StudentStatus.INACTIVE
    refused(post(body("ELEM-SUMMER", sectionId="SEC-G4-A")), "Student is not active")


def test_the_student_is_accepted_by_id_and_processed_by_user_id(
    post: Post, pg: Database, school: School
) -> None:
    # Another registrar than the caller, so the audit trail shows processedBy, not the caller.
    with pg.session() as session:
        inst = session.get(Institution, school.institution_id)
        assert inst is not None
        processor = factories.user(session, inst, "REGISTRAR_002", Role.REGISTRAR).id
    response = post(
        body(str(school.students["ELEM123"]), sectionId="SEC-G4-A", processedBy=str(processor))
    )
    assert response.status_code == 200, response.text
    with pg.session(write=False) as session:
        actors = set(
            session.scalars(
                select(AuditEvent.actor_user_id).where(AuditEvent.action == service.AUDIT_ACTION)
            )
        )
    assert actors == {processor}


def test_section_must_fit_the_student(post: Post) -> None:
    refused(
        post(body("ELEM123", sectionId="SEC-G5-A")),
        "Section SEC-G5-A is for grade 5, but the student enrolls in grade 4",
    )
    refused(
        post(body("ELEM123", subjectsToEnroll=[{"subjectId": "MATH3"}])),
        "Subject MATH3 is for grade 3, not grade 4",
    )


def test_a_full_schedule(post: Post, pg: Database) -> None:
    before = counts(pg)
    payload = refused(
        post(
            body(
                "ELEM123",
                subjectsToEnroll=[
                    {"subjectId": "MATH4"},
                    {"subjectId": "COMP4", "scheduleId": "SCH457"},
                ],
            )
        ),
        "Schedule is already full",
    )
    assert payload["scheduleId"] == "SCH457"
    assert counts(pg) == before


def test_a_full_homeroom(post: Post, pg: Database) -> None:
    set_homeroom_capacity(pg, "SEC-G4-A", 1)  # ELEM-FILLER is in it
    payload = refused(post(body("ELEM123", sectionId="SEC-G4-A")), "Section is already full")
    assert payload["capacity"] == 1


def test_a_second_request_for_the_year_is_refused(post: Post, pg: Database, school: School) -> None:
    assert post(body("ELEM123", sectionId="SEC-G4-A")).status_code == 200
    before = counts(pg)
    payload = refused(
        post(body("ELEM123", sectionId="SEC-G4-A")),
        "Student already has an active enrollment for SY2024-2025",
    )
    assert len(payload["enrolledSubjects"]) == 6
    assert counts(pg) == before
    assert grade_of(pg, school, "ELEM123") == 4  # advanced once, not twice


def test_one_failing_subject_undoes_the_whole_request(
    post: Post, pg: Database, school: School
) -> None:
    before = counts(pg)
    # MATH4 is enrolled by the engine first; ENG4-CLASH meets at the same hour and is refused.
    subjects = [
        {"subjectId": "MATH4", "scheduleId": "G4A-MATH4"},
        {"subjectId": "ENG4", "scheduleId": "ENG4-CLASH"},
        *({"subjectId": code} for code in ("SCI4", "FIL4", "AP4")),
    ]
    payload = refused(
        post(body("ELEM123", subjectsToEnroll=subjects)),
        "Timetable clash with another enrolled course",
    )
    assert payload["subject"] == "ENG4"
    assert counts(pg) == before
    assert grade_of(pg, school, "ELEM123") == 3


def test_a_failure_after_every_write_rolls_everything_back(
    post: Post,
    pg: Database,
    school: School,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> int:
        raise RuntimeError("mail relay table is gone: secret internals")

    monkeypatch.setattr(notices, "announce", broken)
    before = counts(pg)
    with caplog.at_level(logging.ERROR):
        response = post(body("ELEM123", sectionId="SEC-G4-A"), headers={"X-Request-ID": "req-42"})

    assert response.status_code == 500
    assert response.json() == {"success": False, "error": "Failed to process enrollment"}
    assert "req-42" in caplog.text
    assert "secret internals" in caplog.text  # in the log, never in the answer
    assert counts(pg) == before
    assert grade_of(pg, school, "ELEM123") == 3


def test_anything_unexpected_is_a_500_without_internals(
    post: Post, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(*_args: Any, **_kwargs: Any) -> Any:
        raise KeyError("internal detail")

    monkeypatch.setattr(service, "process", boom)
    with caplog.at_level(logging.ERROR):
        response = post(body("ELEM123", sectionId="SEC-G4-A"))
    assert response.status_code == 500
    assert response.json() == {"success": False, "error": "Failed to process enrollment"}
    assert "internal detail" not in response.text
    assert response.headers["X-Request-ID"] in caplog.text


def test_no_token_is_401(post: Post) -> None:
    response = post(body("ELEM123", sectionId="SEC-G4-A"), user=None)
    assert response.status_code == 401
    assert response.json() == {"success": False, "error": "Not authenticated"}


def test_a_bad_token_is_401(pg_client: TestClient, school: School) -> None:
    response = pg_client.post(
        PATH,
        json=body("ELEM123", sectionId="SEC-G4-A"),
        headers={"Authorization": "Bearer nonsense", "x-tenant-tag": school.tag},
    )
    assert response.status_code == 401
    assert response.json()["success"] is False


def test_faculty_may_not_process(post: Post) -> None:
    response = post(body("ELEM123", sectionId="SEC-G4-A"), user="TEACHER_001")
    assert response.status_code == 403
    assert response.json()["success"] is False


def test_a_student_enrolls_only_themself(post: Post, pg: Database, school: School) -> None:
    other = post(body("ELEM-SUMMER", sectionId="SEC-G4-A", processedBy="ELEM123"), user="ELEM123")
    assert other.status_code == 403
    assert other.json() == {
        "success": False,
        "error": "Students may only process their own enrollment",
    }
    as_registrar = post(body("ELEM123", sectionId="SEC-G4-A"), user="ELEM123")
    assert as_registrar.status_code == 403
    own = post(body("ELEM123", sectionId="SEC-G4-A", processedBy="ELEM123"), user="ELEM123")
    assert own.status_code == 200, own.text
    assert grade_of(pg, school, "ELEM123") == 4


def test_the_tenant_header_must_name_the_tokens_school(post: Post, pg: Database) -> None:
    with pg.session() as session:
        factories.institution(session, "other-school", kind="K12", grade_scale=[])
    wrong = post(body("ELEM123", sectionId="SEC-G4-A"), tag="other-school")
    assert wrong.status_code == 403
    assert wrong.json()["success"] is False
    unknown = post(body("ELEM123", sectionId="SEC-G4-A"), tag="no-such-school")
    assert unknown.status_code == 404
    assert unknown.json()["success"] is False
    # Without the header the token's school is used.
    assert post(body("ELEM123", sectionId="SEC-G4-A"), tag=None).status_code == 200


def test_other_routes_keep_their_own_error_shape(pg_client: TestClient) -> None:
    response = pg_client.post("/auth/login", json={})
    assert "success" not in response.json()
