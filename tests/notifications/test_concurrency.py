"""Several workers share one queue and never send a row twice."""

from __future__ import annotations

import threading

from sqlalchemy import select

from registrar.db import Database
from registrar.notifications.models import Notification, NotificationStatus
from registrar.notifications.worker import PassReport
from tests import dbs, factories
from tests.notifications.conftest import SmtpServer, make_worker, queue

ROWS = 50


def _run_two_workers(database: Database, smtp_server: SmtpServer) -> list[PassReport]:
    reports: list[PassReport] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def work() -> None:
        # Each worker opens its own sessions; the Database only shares the connection pool.
        worker = make_worker(database, smtp_server.port, batch_size=5)
        try:
            start.wait(timeout=10)
            reports.append(worker.run_once())
        except BaseException as error:  # surfaced in the test thread below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert len(reports) == 2
    return reports


def _assert_each_row_sent_exactly_once(
    database: Database, smtp_server: SmtpServer, ids: list[str], reports: list[PassReport]
) -> None:
    received = smtp_server.inbox.count_by_id()
    assert sorted(received) == sorted(ids), "every row arrived"
    assert set(received.values()) == {1}, "and none twice"
    assert sum(report.sent for report in reports) == ROWS
    assert all(report.sent > 0 for report in reports), "both workers took a share"
    with database.session(write=False) as session:
        rows = session.execute(select(Notification.status, Notification.attempts)).all()
    assert rows == [(NotificationStatus.SENT, 1)] * ROWS


def test_two_workers_on_postgresql_deliver_each_row_exactly_once(
    pg: Database, smtp_server: SmtpServer
) -> None:
    """FOR UPDATE SKIP LOCKED: the two claimers take disjoint rows."""
    with pg.session() as session:
        inst = factories.institution(session)
    ids = [str(notification_id) for notification_id in queue(pg, inst, ROWS)]
    smtp_server.inbox.delay_seconds = 0.01  # keep both workers busy at the same time

    reports = _run_two_workers(pg, smtp_server)

    _assert_each_row_sent_exactly_once(pg, smtp_server, ids, reports)


def test_two_workers_on_sqlite_deliver_each_row_exactly_once(
    sqlite_database: Database, smtp_server: SmtpServer
) -> None:
    """No SKIP LOCKED on SQLite: BEGIN IMMEDIATE lets one claimer in at a time."""
    database = sqlite_database
    try:
        with database.session() as session:
            inst = factories.institution(session)
        ids = [str(notification_id) for notification_id in queue(database, inst, ROWS)]
        smtp_server.inbox.delay_seconds = 0.01

        reports = _run_two_workers(database, smtp_server)

        _assert_each_row_sent_exactly_once(database, smtp_server, ids, reports)
    finally:
        dbs.wipe(database)
