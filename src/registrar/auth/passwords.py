"""Password hashing with Argon2id at OWASP's parameters, off the event loop.

OWASP's Password Storage Cheat Sheet: Argon2id with m = 19 MiB, t = 2, p = 1. A hash made
with other parameters (an older default) still verifies, and is replaced at the next login.

Hashing is slow on purpose, and a login flood must not take the CPU the other requests need:
the API hashes on a few threads of its own (`HashingPool`), at a lower scheduling priority,
with a bounded queue in front of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from registrar.errors import RegistrarError

MEMORY_KIB = 19 * 1024
TIME_COST = 2
PARALLELISM = 1

T = TypeVar("T")


@lru_cache
def _hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=PARALLELISM)


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with other parameters than today's."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache
def _decoy_hash() -> str:
    return hash_password("decoy-password-for-unknown-users")


def burn_verification_time(password: str) -> None:
    """Spend the time a real check takes, so an unknown username answers no faster."""
    verify_password(_decoy_hash(), password)


class HashingBusy(RegistrarError):
    """Too many logins are waiting for a hashing thread."""

    status_code = 503
    code = "busy"
    retry_after = 1


def _lower_priority() -> None:
    # Linux schedules threads individually: a nicer hashing thread yields the CPU to the
    # event loop's thread whenever that one has requests to serve.
    with contextlib.suppress(AttributeError, OSError):  # not Linux: no per-thread priority
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class HashingPool:
    """A few low-priority threads for Argon2, with at most `queue` calls waiting for them."""

    def __init__(self, threads: int, queue: int = 64) -> None:
        self._executor = ThreadPoolExecutor(
            max_workers=threads, thread_name_prefix="argon2", initializer=_lower_priority
        )
        self._threads = threads
        self._queue = queue
        self._inside = 0

    async def run(self, function: Callable[[], T]) -> T:
        """Run a hashing call on the pool; refuse at once when too many are waiting."""
        if self._inside >= self._threads + self._queue:
            raise HashingBusy("Too many sign-ins at once; try again shortly")
        self._inside += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, function)
        finally:
            self._inside -= 1

    def shutdown(self) -> None:
        """Stop the threads (after the calls already queued)."""
        self._executor.shutdown(wait=False, cancel_futures=True)
