"""Failed logins limited per account and per client address (OWASP API4: brute force).

Counted with `limits` (moving windows) in Redis when `REDIS_URL` is set, so every worker and
replica shares the counts; in the worker's memory otherwise. Only failures count: a student who
types their password right is never slowed by someone else guessing at their account. A success
clears the account's failures. Beyond a limit the answer is 429 with Retry-After, before any
password is checked, so a flood costs no hashing either.

A Redis that stops answering does not stop logins: the limiter then lets the login through
(and logs it), as an unreachable cache must not lock everyone out.
"""

from __future__ import annotations

import logging
import math
import time
import uuid

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from registrar.errors import RegistrarError

logger = logging.getLogger("registrar")


class TooManyAttempts(RegistrarError):
    """Too many failed logins for this account or from this address."""

    status_code = 429
    code = "too_many_attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "Too many failed sign-ins; try again later",
            details={"retry_after_seconds": retry_after},
        )
        self.retry_after = retry_after


class LoginThrottle:
    """Failure counts per account and per client address, with their limits."""

    def __init__(
        self,
        *,
        per_account: str,
        per_address: str,
        redis_url: str | None,
        key_prefix: str = "registrar-login",
    ) -> None:
        uri = f"async+{redis_url}" if redis_url else "async+memory://"
        self.storage = storage_from_string(uri, key_prefix=key_prefix)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.per_account = parse(per_account)
        self.per_address = parse(per_address)

    def _counters(
        self, institution_id: uuid.UUID, username: str, address: str
    ) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
        return [
            (self.per_account, ("account", str(institution_id), username.casefold())),
            (self.per_address, ("address", address)),
        ]

    async def check(self, institution_id: uuid.UUID, username: str, address: str) -> None:
        """Refuse (429) while either count is at its limit."""
        waits: list[float] = []
        for item, keys in self._counters(institution_id, username, address):
            try:
                if await self.limiter.test(item, *keys):
                    continue
                stats = await self.limiter.get_window_stats(item, *keys)
            except Exception:
                logger.warning("login throttle unavailable; not limiting", exc_info=True)
                return
            waits.append(stats.reset_time - time.time())
        if waits:
            raise TooManyAttempts(max(1, math.ceil(max(waits))))

    async def failed(self, institution_id: uuid.UUID, username: str, address: str) -> None:
        """Count a failure against the account and the address."""
        try:
            for item, keys in self._counters(institution_id, username, address):
                await self.limiter.hit(item, *keys)
        except Exception:
            logger.warning("login throttle unavailable; failure not counted", exc_info=True)

    async def succeeded(self, institution_id: uuid.UUID, username: str) -> None:
        """Forget the account's failures: its owner is back."""
        item, keys = self._counters(institution_id, username, "")[0]
        try:
            await self.limiter.clear(item, *keys)
        except Exception:
            logger.warning("login throttle unavailable; failures not cleared", exc_info=True)
