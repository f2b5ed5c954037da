"""`Idempotency-Key` on the K-12 endpoint: a retry gets the first answer in the seed's envelope."""

from __future__ import annotations

from sqlalchemy import func, select

from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from tests.enrollment.continuing.conftest import Post
from tests.enrollment.continuing.school import School, body


def _enrolled(pg: Database, school: School, roll: str) -> int:
    with pg.session(write=False) as session:
        found = session.scalar(
            select(func.count())
            .select_from(Enrollment)
            .where(
                Enrollment.student_id == school.students[roll],
                Enrollment.status == EnrollmentStatus.ENROLLED,
            )
        )
        return int(found or 0)


def test_a_retry_gets_the_first_answer_and_enrolls_once(
    post: Post, pg: Database, school: School
) -> None:
    request = body("ELEM123", sectionId="SEC-G4-A")
    key = {"Idempotency-Key": "k12-ELEM123"}
    first = post(request, headers=key)
    assert first.status_code == 200, first.text
    enrolled = _enrolled(pg, school, "ELEM123")
    assert enrolled > 0
    again = post(request, headers=key)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert _enrolled(pg, school, "ELEM123") == enrolled
    other = post(body("ELEM-SUMMER", sectionId="SEC-G4-A"), headers=key)
    assert other.status_code == 422
    assert other.json() == {
        "success": False,
        "error": "This Idempotency-Key was used for another request",
        "header": "Idempotency-Key",
    }
