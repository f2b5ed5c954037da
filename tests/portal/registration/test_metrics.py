"""`GET /metrics`: requests by route template and status, what registering and dropping did and
which rules refused, the pools, the admission gate and the outbox, in Prometheus' text format."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.db import Database
from registrar.institutions.models import Institution
from registrar.main import PROBES
from registrar.notifications.models import Notification, NotificationStatus, RecipientKind
from tests import factories
from tests.conftest import LoginFn
from tests.metrics import Samples, parse, value
from tests.portal.registration.conftest import Campus


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return parse(response.text)


def grew(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def test_requests_are_counted_by_route_template_and_status(
    client: TestClient, login: LoginFn, campus: Campus
) -> None:
    headers = login(campus.rolls[0], factories.PASSWORD)
    before = scrape(client)
    for _ in range(3):
        assert client.get(f"/courses/{campus.algo}", headers=headers).status_code == 200
    assert client.get("/no/such/path").status_code == 404
    after = scrape(client)
    route = {"method": "GET", "route": "/courses/{course_id}", "status": "200"}
    assert grew(before, after, "registrar_http_requests_total", **route) == 3
    assert grew(before, after, "registrar_http_request_duration_seconds_count", **route) == 3
    unmatched = {"method": "GET", "route": "<unmatched>", "status": "404"}
    assert grew(before, after, "registrar_http_requests_total", **unmatched) == 1
    # The path itself (an id) never becomes a label: the series stay bounded.
    assert not any(str(campus.algo) in str(labels) for _, labels in after)


def test_enrollments_waitlist_joins_refusals_drops_and_promotions(
    client: TestClient, login: LoginFn, campus: Campus
) -> None:
    a, b, c, _ = (login(roll, factories.PASSWORD) for roll in campus.rolls)
    path = f"/courses/{campus.dbms}"  # one seat, one reserve place
    before = scrape(client)
    assert client.post(f"{path}/register", headers=a).json()["status"] == "ENROLLED"
    assert client.post(f"{path}/register", headers=b).json()["status"] == "RESERVED"
    assert client.post(f"{path}/register", headers=c).status_code == 409  # full
    assert client.post(f"{path}/register", headers=a).status_code == 409  # already in
    assert client.post(f"{path}/drop", headers=a).json()["promoted_student_id"] is not None
    # A replay of a finished change is not counted again.
    keyed = {**c, "Idempotency-Key": "metrics-1"}
    assert client.post(f"{path}/register", headers=keyed).json()["status"] == "RESERVED"
    assert client.post(f"{path}/register", headers=keyed).headers["idempotent-replayed"] == "true"
    after = scrape(client)
    assert grew(before, after, "registrar_enrollments_total") == 1
    assert grew(before, after, "registrar_waitlist_joins_total") == 2
    assert grew(before, after, "registrar_drops_total") == 1
    assert grew(before, after, "registrar_waitlist_promotions_total") == 1
    refusals = "registrar_enrollment_refusals_total"
    assert grew(before, after, refusals, rule="CAPACITY") == 1
    assert grew(before, after, refusals, rule="ALREADY_ENROLLED") == 1


@pytest.mark.usefixtures("campus")
def test_pools_admission_and_outbox_are_read_at_scrape_time(
    client: TestClient, database: Database
) -> None:
    with database.session() as session:
        institution = session.scalars(select(Institution)).one()
        for status in (NotificationStatus.PENDING, NotificationStatus.PENDING, "FAILED", "SENT"):
            session.add(
                Notification(
                    institution_id=institution.id,
                    recipient_kind=RecipientKind.REGISTRAR,
                    event="ENROLLED",
                    subject="s",
                    body="b",
                    status=NotificationStatus(status),
                )
            )
    samples = scrape(client)
    pools = {
        dict(labels)["pool"] for name, labels in samples if name.startswith("registrar_db_pool")
    }
    assert pools == ({"writes"} if database.is_sqlite else {"writes", "reads"})
    # Nothing is in flight while the scrape runs but the scrape itself, which is not admitted.
    assert value(samples, "registrar_db_pool_waiting", pool="writes") == 0
    assert value(samples, "registrar_admission_queue_length") == 0
    assert value(samples, "registrar_admission_inside") == 0
    # The outbox as it is now: waiting and given up on (what was delivered is not depth).
    assert value(samples, "registrar_notification_outbox", status="PENDING") == 2
    assert value(samples, "registrar_notification_outbox", status="FAILED") == 1
    assert ("registrar_notification_outbox", frozenset({("status", "SENT")})) not in samples


def test_metrics_is_not_queued_behind_a_full_worker() -> None:
    assert "/metrics" in PROBES  # exempt from admission, like /health and /ready
