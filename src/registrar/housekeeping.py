"""Chores `registrar worker` runs beside the notifications: passing on waitlist offers not
answered in time, and forgetting idempotency keys that have expired."""

from __future__ import annotations

import logging
import time

from registrar.db import Database
from registrar.enrollment import offers
from registrar.idempotency import service as idempotency
from registrar.kit.columns import utcnow

logger = logging.getLogger("registrar")

EVERY_SECONDS = 60.0


class Housekeeping:
    """Expires waitlist offers on every pass; purges expired idempotency keys at most once a
    minute however often it is asked."""

    def __init__(self, database: Database, every: float = EVERY_SECONDS) -> None:
        self.database = database
        self.every = every
        self._last = float("-inf")

    def expire_offers(self) -> int:
        """Pass every offer past its time to the next in line, each in its own transaction;
        how many were passed on (one answered meanwhile is left as its student left it)."""
        with self.database.session(write=False) as session:
            due = offers.due(session, utcnow())
        passed = 0
        for institution_id, enrollment_id in due:
            with self.database.session() as session:
                outcome = offers.expire(
                    session, institution_id=institution_id, enrollment_id=enrollment_id
                )
            passed += outcome is not None
        if passed:
            logger.info("passed on %d waitlist offers not answered in time", passed)
        return passed

    def run_if_due(self) -> int | None:
        """Expire offers; purge if the last purge is old enough; how many keys went (None:
        not yet due)."""
        self.expire_offers()
        if time.monotonic() - self._last < self.every:
            return None
        self._last = time.monotonic()
        with self.database.session() as session:
            purged = idempotency.purge(session)
        if purged:
            logger.info("forgot %d expired idempotency keys", purged)
        return purged
