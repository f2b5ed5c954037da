"""Each level's rules through the HTTP endpoint, on PostgreSQL, with the factory-built school."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from registrar.audit.models import AuditEvent
from registrar.auth.models import User
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.institutions.models import EducationLevel, LevelPolicy
from registrar.notifications.models import Notification, RecipientKind
from registrar.students.models import Student, StudentBatch
from tests.enrollment.continuing.conftest import Post
from tests.enrollment.continuing.school import School, body

ELEMENTARY_SUBJECTS = ["AP4", "COMP4", "ENG4", "FIL4", "MATH4", "SCI4"]


def refused(response: Any, error: str) -> dict[str, Any]:
    assert response.status_code == 400, response.text
    payload: dict[str, Any] = response.json()
    assert payload["success"] is False
    assert payload["error"] == error
    return payload


def student_row(pg: Database, school: School, roll: str) -> Student:
    with pg.session(write=False) as session:
        row = session.get(Student, school.students[roll])
        assert row is not None
        return row


def enrollments_of(pg: Database, school: School, roll: str) -> list[Enrollment]:
    with pg.session(write=False) as session:
        return list(
            session.scalars(
                select(Enrollment).where(
                    Enrollment.student_id == school.students[roll],
                    Enrollment.status == EnrollmentStatus.ENROLLED,
                )
            )
        )


def test_elementary_section_enrollment_advances_the_student(
    post: Post, pg: Database, school: School
) -> None:
    response = post(body("ELEM123", sectionId="SEC-G4-A"))

    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["success"] is True
    assert payload["message"] == "Continuing student enrollment processed successfully"
    data = payload["data"]
    enrollment = data["enrollment"]
    kind = (enrollment["status"], enrollment["type"], enrollment["educationLevel"])
    assert kind == ("ENROLLED", "K12", "ELEMENTARY")
    grades = (enrollment["previousGradeLevel"], enrollment["gradeLevel"], enrollment["advanced"])
    assert grades == (3, 4, True)
    summary = data["summary"]
    assert summary["studentInfo"] == {
        "id": "ELEM123",
        "name": "Student ELEM123",
        "email": "elem123@students.test",
        "gradeLevel": "4",
    }
    info = summary["enrollmentInfo"]
    assert info["id"] == data["enrollment"]["id"]
    assert (info["status"], info["type"]) == ("ENROLLED", "CONTINUING")
    assert (info["totalUnits"], info["totalSubjects"]) == (6, 6)
    assert "semester" not in info
    assert sorted(s["code"] for s in summary["subjects"]) == ELEMENTARY_SUBJECTS
    math = next(s for s in summary["subjects"] if s["code"] == "MATH4")
    assert math["units"] == 1
    assert math["schedule"] == {
        "scheduleId": "G4A-MATH4",
        "days": ["FRIDAY"],
        "timeStart": "08:00",
        "timeEnd": "08:50",
        "room": "R101",
    }

    student = student_row(pg, school, "ELEM123")
    assert student.grade_level == 4
    with pg.session(write=False) as session:
        homeroom = session.scalar(select(StudentBatch).where(StudentBatch.code == "SEC-G4-A"))
        assert homeroom is not None
        assert student.batch_id == homeroom.id
        registrar = session.scalar(select(User).where(User.username == "REGISTRAR_001"))
        assert registrar is not None
        event = session.scalar(
            select(AuditEvent).where(AuditEvent.action == "CONTINUING_ENROLLMENT_PROCESSED")
        )
        assert event is not None
        assert (str(event.id), event.actor_user_id) == (enrollment["id"], registrar.id)
        assert event.details["grade_level"] == 4
        # The engine audited each seat with the same actor.
        engine_events = session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "enrollment.enroll", AuditEvent.actor_user_id == registrar.id
            )
        )
        assert engine_events == 6
    assert len(enrollments_of(pg, school, "ELEM123")) == 6


def test_elementary_notifications_carry_the_level_details(
    post: Post, pg: Database, school: School
) -> None:
    assert post(body("ELEM123", sectionId="SEC-G4-A")).status_code == 200

    with pg.session(write=False) as session:
        rows = list(session.scalars(select(Notification).order_by(Notification.recipient_kind)))
    by_kind = {row.recipient_kind: row for row in rows}
    assert set(by_kind) == {RecipientKind.STUDENT, RecipientKind.GUARDIAN, RecipientKind.REGISTRAR}
    assert by_kind[RecipientKind.STUDENT].recipient_email == "elem123@students.test"
    assert by_kind[RecipientKind.GUARDIAN].recipient_email == "parent.elem123@family.test"
    assert by_kind[RecipientKind.REGISTRAR].recipient_email == "registrar@school.test"
    text = by_kind[RecipientKind.GUARDIAN].body
    assert "Education level: Elementary" in text
    assert "Grade level: 4 (advanced from grade 3)" in text
    assert "Section: SEC-G4-A" in text
    assert "MATH4 MATH4 subject (1 unit): FRIDAY 08:00-08:50, room R101" in text
    assert "Total subjects: 6" in text
    assert "Total units" not in text
    assert all(row.student_id == school.students["ELEM123"] for row in rows)


def test_elementary_subject_based_with_a_preferred_schedule(
    post: Post, pg: Database, school: School
) -> None:
    subjects = [{"subjectId": code} for code in ("MATH4", "ENG4", "SCI4", "FIL4", "AP4")]
    subjects.append({"subjectId": "COMP4", "scheduleId": "SCH456"})

    response = post(body("ELEM123", subjectsToEnroll=subjects))

    assert response.status_code == 200, response.text
    chosen = {
        s["code"]: s["schedule"]["scheduleId"]
        for s in response.json()["data"]["summary"]["subjects"]
    }
    assert chosen["COMP4"] == "SCH456"
    # Without a preference the student's own homeroom's schedule is not required: any with room.
    assert chosen["MATH4"] in {"G4A-MATH4"}
    assert student_row(pg, school, "ELEM123").grade_level == 4
    assert len(enrollments_of(pg, school, "ELEM123")) == 6


def test_a_full_year_level_ignores_a_semester(post: Post) -> None:
    response = post(body("ELEM123", semesterId="SEM1", sectionId="SEC-G4-A"))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["enrollment"]["semester"] is None
    assert "semester" not in data["summary"]["enrollmentInfo"]
    assert data["summary"]["enrollmentInfo"]["totalSubjects"] == 6


def test_elementary_three_failed_subjects(post: Post, pg: Database, school: School) -> None:
    refused(
        post(body("ELEM-3FAIL", sectionId="SEC-G4-A")),
        "Student has 3 failed subjects, exceeding the maximum allowed",
    )
    assert student_row(pg, school, "ELEM-3FAIL").grade_level == 3


def test_elementary_failed_core_subject_without_makeup(post: Post) -> None:
    payload = refused(
        post(body("ELEM-CORE", sectionId="SEC-G4-A")),
        "Core subjects from previous level not completed",
    )
    assert payload["coreSubjects"] == ["MATH3"]


def test_elementary_summer_program_clears_a_failed_core_subject(
    post: Post, pg: Database, school: School
) -> None:
    response = post(body("ELEM-SUMMER", sectionId="SEC-G4-A"))
    assert response.status_code == 200, response.text
    assert student_row(pg, school, "ELEM-SUMMER").grade_level == 4


def test_elementary_attendance_requirement(post: Post) -> None:
    refused(
        post(body("ELEM-LOWATT", sectionId="SEC-G4-A")),
        "Student's attendance (70%) is below the required minimum of 80%",
    )


def test_elementary_has_no_gpa_requirement(post: Post) -> None:
    # General average 68.75, one failed non-core subject: advanced all the same.
    response = post(body("ELEM-LOWAVG", sectionId="SEC-G4-A"))
    assert response.status_code == 200, response.text


def test_junior_high_eligible_student(post: Post, pg: Database, school: School) -> None:
    response = post(body("JHS-OK", sectionId="SEC-G8-A"))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["enrollment"]["educationLevel"] == "JUNIOR_HIGH"
    assert student_row(pg, school, "JHS-OK").grade_level == 8


def test_junior_high_low_gpa(post: Post, pg: Database, school: School) -> None:
    refused(
        post(body("JHS-LOWGPA", sectionId="SEC-G8-A")),
        "Student's GPA (72.33) is below the required minimum of 75",
    )
    assert student_row(pg, school, "JHS-LOWGPA").grade_level == 7
    assert enrollments_of(pg, school, "JHS-LOWGPA") == []


def test_junior_high_three_failed_subjects(post: Post) -> None:
    refused(
        post(body("JHS-3FAIL", sectionId="SEC-G8-A")),
        "Student has 3 failed subjects, exceeding the maximum allowed",
    )


def test_junior_high_math_sequence(post: Post) -> None:
    payload = refused(
        post(body("JHS-NOMATH", sectionId="SEC-G8-A")), "Missing prerequisites for MATH8: MATH7"
    )
    assert payload["missingPrerequisites"] == ["MATH7"]


def test_junior_high_remedial_class_counts_for_the_sequence(post: Post) -> None:
    subjects = [{"subjectId": code} for code in ("MATH8", "ENG8", "SCI8")]
    response = post(body("JHS-REMEDIAL", subjectsToEnroll=subjects))
    assert response.status_code == 200, response.text
    codes = [s["code"] for s in response.json()["data"]["summary"]["subjects"]]
    assert codes == ["MATH8", "ENG8", "SCI8"]


def set_policy(pg: Database, level: EducationLevel, **values: Any) -> None:
    with pg.session() as session:
        policy = session.scalar(select(LevelPolicy).where(LevelPolicy.level == level))
        assert policy is not None
        for key, value in values.items():
            setattr(policy, key, value)


def set_homeroom_capacity(pg: Database, code: str, capacity: int) -> None:
    with pg.session() as session:
        homeroom = session.scalar(select(StudentBatch).where(StudentBatch.code == code))
        assert homeroom is not None
        homeroom.capacity = capacity


def test_thresholds_are_the_schools_data(post: Post, pg: Database) -> None:
    set_policy(pg, EducationLevel.JUNIOR_HIGH, max_failed_subjects=3)
    refused(
        post(body("JHS-3FAIL", sectionId="SEC-G8-A")),
        "Student's GPA (72) is below the required minimum of 75",
    )
    set_policy(pg, EducationLevel.JUNIOR_HIGH, min_gpa=Decimal(70))
    refused(
        post(body("JHS-LOWGPA", sectionId="SEC-G8-A")),
        "Core subjects from previous level not completed",
    )
    set_policy(pg, EducationLevel.ELEMENTARY, min_attendance=Decimal(60))
    assert post(body("ELEM-LOWATT", sectionId="SEC-G4-A")).status_code == 200


def test_senior_high_section_enrollment(post: Post, pg: Database) -> None:
    response = post(body("SHS123", semesterId="SEM1", sectionId="SEC-G11-STEM-A"))

    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["enrollment"]["educationLevel"] == "SENIOR_HIGH"
    assert data["enrollment"]["advanced"] is False
    assert data["summary"]["studentInfo"]["strand"] == "STEM"
    assert data["summary"]["studentInfo"]["track"] == "ACADEMIC"
    info = data["summary"]["enrollmentInfo"]
    assert (info["totalUnits"], info["totalSubjects"], info["semester"]) == (15, 5, "SEM1")
    with pg.session(write=False) as session:
        guardian = session.scalar(
            select(Notification).where(Notification.recipient_kind == RecipientKind.GUARDIAN)
        )
    assert guardian is not None
    assert "Education level: Senior High School" in guardian.body
    assert "Semester: SEM1" in guardian.body
    assert "Track / strand: ACADEMIC / STEM" in guardian.body
    assert "Total units: 15" in guardian.body


def test_entering_senior_high_needs_the_junior_high_core(
    post: Post, pg: Database, school: School
) -> None:
    refused(
        post(body("G10-CORE", semesterId="SEM1", sectionId="SEC-G11-STEM-A")),
        "Core subjects from previous level not completed",
    )
    response = post(body("G10-OK", semesterId="SEM1", sectionId="SEC-G11-STEM-A"))
    assert response.status_code == 200, response.text
    student = student_row(pg, school, "G10-OK")
    # Advanced into grade 11, taking the homeroom's track and strand.
    assert (student.grade_level, student.track, student.strand) == (11, "ACADEMIC", "STEM")
    assert response.json()["data"]["enrollment"]["advanced"] is True


def test_senior_high_needs_a_semester(post: Post) -> None:
    payload = refused(post(body("SHS123", sectionId="SEC-G11-STEM-A")), "Missing required fields")
    assert payload["fields"] == ["semesterId"]


def test_senior_high_strand_must_match(post: Post) -> None:
    refused(
        post(body("SHS-ABM", semesterId="SEM1", sectionId="SEC-G11-STEM-A")),
        "Section strand (STEM) does not match the student's strand (ABM)",
    )
    refused(
        post(body("SHS123", semesterId="SEM1", subjectsToEnroll=[{"subjectId": "BUSMATH11"}])),
        "Subject BUSMATH11 strand (ABM) does not match the student's strand (STEM)",
    )


def test_senior_high_strict_prerequisites(post: Post) -> None:
    refused(
        post(body("SHS-NOPRE", semesterId="SEM2", sectionId="SEC-G11-STEM-A")),
        "Missing prerequisites for CALC11: PRECAL11",
    )


def test_senior_high_unit_range(post: Post) -> None:
    subjects = [{"subjectId": "PRECAL11"}, {"subjectId": "GENCHEM11"}]
    refused(
        post(body("SHS123", semesterId="SEM1", subjectsToEnroll=subjects)),
        "Unit load of 6 is outside the allowed range of 15-30 units per semester",
    )


def test_senior_high_failures_are_counted_per_semester(
    post: Post, pg: Database, school: School
) -> None:
    # Four failures last year, two in each semester: advanced to grade 12.
    response = post(body("SHS-PERSEM", semesterId="SEM1", sectionId="SEC-G12-STEM-A"))
    assert response.status_code == 200, response.text
    assert student_row(pg, school, "SHS-PERSEM").grade_level == 12
    refused(
        post(body("SHS-3FAIL", semesterId="SEM1", sectionId="SEC-G12-STEM-A")),
        "Student has 3 failed subjects, exceeding the maximum allowed",
    )
