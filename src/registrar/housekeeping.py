"""Chores `registrar worker` runs beside the notifications: forgetting what has expired."""

from __future__ import annotations

import logging
import time

from registrar.db import Database
from registrar.idempotency import service as idempotency

logger = logging.getLogger("registrar")

EVERY_SECONDS = 60.0


class Housekeeping:
    """Purges expired idempotency keys, at most once a minute however often it is asked."""

    def __init__(self, database: Database, every: float = EVERY_SECONDS) -> None:
        self.database = database
        self.every = every
        self._last = float("-inf")

    def run_if_due(self) -> int | None:
        """Purge if the last purge is old enough; how many keys went (None: not yet due)."""
        if time.monotonic() - self._last < self.every:
            return None
        self._last = time.monotonic()
        with self.database.session() as session:
            purged = idempotency.purge(session)
        if purged:
            logger.info("forgot %d expired idempotency keys", purged)
        return purged
