"""The edge between the pure rules and HTTP: which status and body a refusal answers with."""

from __future__ import annotations

from datetime import timedelta

from registrar.enrollment.outcomes import EnrollmentRefused
from registrar.enrollment.rules import evaluate, full_section
from tests.enrollment.test_rules import NOW, ctx


def test_refusal_statuses_and_bodies() -> None:
    full = EnrollmentRefused(full_section())
    assert full.status_code == 409
    assert full.body() == {
        "error": "Course section is full",
        "available_seats": 0,
        "waitlist_available": False,
        "code": "CAPACITY",
    }
    verdict = evaluate(ctx(now=NOW + timedelta(days=5)))
    assert verdict.refusal is not None
    assert EnrollmentRefused(verdict.refusal).status_code == 400
