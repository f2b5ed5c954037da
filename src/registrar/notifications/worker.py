"""`registrar worker`: deliver the outbox over SMTP, retrying with backoff, never losing a row.

How a row is claimed, and why a lease rather than a lock held while sending
--------------------------------------------------------------------------
A claim is one short write transaction: lock up to `batch_size` due PENDING rows (PostgreSQL:
`FOR UPDATE SKIP LOCKED`, so workers take disjoint rows without waiting on each other; SQLite:
the write session's `BEGIN IMMEDIATE` lets one claimer in at a time), count the attempt
(`attempts + 1`) and push `next_attempt_at` to the end of a lease, then commit. The rows stay
PENDING but are invisible to every other claimer until the lease ends. Sending happens outside
any transaction, and each outcome is written in its own short transaction, conditional on the
attempt number written at claim time (a fencing token: SENT, or a retry time, or FAILED).

Holding the row lock while talking to the mail server would also stop double sends, but it
keeps a transaction open for as long as SMTP takes. On SQLite, the embedded default, that
transaction is the database's single write lock: a slow or hanging mail server would stall
every enrollment for up to the SMTP timeout per message. On PostgreSQL it pins a connection
idle-in-transaction for the same time. The lease keeps every transaction milliseconds long on
both backends and needs no per-backend code.

What the lease guarantees: a worker never starts a send unless its lease has at least
`SEND_BUDGET_TIMEOUTS` SMTP timeouts left; rows it has no time for (or that a stop request
interrupts) are released untried. So, while a single send finishes within that budget, no other
worker can claim a row that is being sent, and every row goes out once. A worker that dies
loses nothing: its rows come due again when the lease ends and the interrupted attempt counts
(after the last one the row is FAILED rather than sent again). Only a worker that dies between
the server's "250 accepted" and its own SENT commit can cause a repeat, as with any outbox: the
Message-ID is the row id, so a receiver can recognise it. A worker whose lease was overtaken
finds its conditional update matching nothing and logs it. Leases use the workers' clocks,
which are assumed to agree (NTP) to well within a lease.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from registrar.config import Settings
from registrar.db import Database
from registrar.kit.columns import utcnow
from registrar.notifications import service
from registrar.notifications.models import NotificationStatus
from registrar.notifications.smtp import DeliveryError, SmtpConfig, SmtpMailer

logger = logging.getLogger("registrar.notifications")

# A send is assumed to finish within this many socket timeouts (connect, EHLO, TLS, login,
# MAIL, RCPT, DATA): never start one with less lease left than that.
SEND_BUDGET_TIMEOUTS = 10
MIN_LEASE_SECONDS = 300.0


@dataclass
class PassReport:
    """What one pass over the due rows did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0
    lost: int = 0

    @property
    def handled(self) -> int:
        """Rows this pass claimed."""
        return self.sent + self.retrying + self.failed + self.released + self.lost


class Worker:
    """Claims due rows in batches and sends them: `run_once` for cron, `run_forever` to serve."""

    def __init__(
        self,
        database: Database,
        smtp: SmtpConfig,
        *,
        batch_size: int = 10,
        max_attempts: int = 5,
        backoff_seconds: float = 60.0,
        clock: Callable[[], datetime] = utcnow,
        stop: threading.Event | None = None,
        chores: Callable[[], object] | None = None,
    ) -> None:
        self.database = database
        self.chores = chores
        self.smtp = smtp
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.backoff_seconds = backoff_seconds
        self.clock = clock
        self.stop = stop or threading.Event()
        self.send_budget = timedelta(seconds=smtp.timeout * SEND_BUDGET_TIMEOUTS)
        self.lease = max(timedelta(seconds=MIN_LEASE_SECONDS), 2 * self.send_budget)

    @classmethod
    def from_settings(
        cls,
        database: Database,
        settings: Settings,
        *,
        batch_size: int = 10,
        stop: threading.Event | None = None,
        chores: Callable[[], object] | None = None,
    ) -> Worker:
        """A worker configured by the SMTP_* and NOTIFY_* settings."""
        return cls(
            database,
            SmtpConfig.from_settings(settings),
            batch_size=batch_size,
            max_attempts=settings.notify_max_attempts,
            backoff_seconds=settings.notify_backoff_seconds,
            stop=stop,
            chores=chores,
        )

    def run_forever(self, poll_seconds: float) -> None:
        """Pass over the queue, then wait `poll_seconds`, until `stop` is set."""
        logger.info("notification worker started (batch %d)", self.batch_size)
        while not self.stop.is_set():
            try:
                self.run_once()
            except Exception:
                # The database may be restarting: keep the process alive and try again later.
                logger.exception("notification pass failed; retrying in %.1fs", poll_seconds)
            self.stop.wait(poll_seconds)
        logger.info("notification worker stopped")

    def run_once(self) -> PassReport:
        """Deliver every row that was due when the pass began (not the retries it schedules)."""
        report = PassReport()
        if self.chores is not None:
            self.chores()
        due_before = self.clock()
        while not self.stop.is_set():
            claims, taken = self._claim(due_before)
            report.failed += taken - len(claims)
            if not taken:
                break
            self._deliver(claims, report)
        return report

    def _claim(self, due_before: datetime) -> tuple[list[service.Claim], int]:
        now = self.clock()
        with self.database.session() as session:
            return service.claim_due(
                session,
                now=now,
                due_before=due_before,
                limit=self.batch_size,
                lease_until=now + self.lease,
                max_attempts=self.max_attempts,
            )

    def _deliver(self, claims: list[service.Claim], report: PassReport) -> None:
        with SmtpMailer(self.smtp) as mailer:
            for claim in claims:
                if self.stop.is_set() or claim.lease_until - self.clock() < self.send_budget:
                    self._release(claim, report)
                    continue
                try:
                    mailer.send(claim.message)
                except DeliveryError as error:
                    self._failed(claim, error, report)
                else:
                    self._sent(claim, report)

    def _sent(self, claim: service.Claim, report: PassReport) -> None:
        with self.database.session() as session:
            recorded = service.mark_sent(session, claim, now=self.clock())
        if recorded:
            report.sent += 1
            logger.info(
                "sent notification %s (%s, attempt %d)",
                claim.message.id,
                claim.message.event,
                claim.attempt,
            )
        else:
            report.lost += 1
            logger.warning(
                "notification %s was sent after its lease passed to another worker",
                claim.message.id,
            )

    def _failed(self, claim: service.Claim, error: DeliveryError, report: PassReport) -> None:
        now = self.clock()
        with self.database.session() as session:
            status = service.mark_failed(
                session,
                claim,
                str(error),
                permanent=error.permanent,
                now=now,
                max_attempts=self.max_attempts,
                backoff_seconds=self.backoff_seconds,
            )
        message_id = claim.message.id
        if status is NotificationStatus.FAILED:
            report.failed += 1
            logger.error(
                "notification %s failed for good after %d attempt(s): %s",
                message_id,
                claim.attempt,
                error,
            )
        elif status is NotificationStatus.PENDING:
            report.retrying += 1
            logger.warning(
                "notification %s attempt %d of %d failed, will retry: %s",
                message_id,
                claim.attempt,
                self.max_attempts,
                error,
            )
        else:
            report.lost += 1
            logger.warning("notification %s: lease lost before recording a failure", message_id)

    def _release(self, claim: service.Claim, report: PassReport) -> None:
        with self.database.session() as session:
            service.release(session, claim, now=self.clock())
        report.released += 1
        logger.info("notification %s released untried", claim.message.id)
