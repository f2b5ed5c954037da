"""Safe retries: the first answer to a request sent with an `Idempotency-Key`, kept a day.

A client that lost an answer (a timeout, a dropped connection) sends the request again with the
same key and gets the first answer back, instead of a second enrollment. The answer is written
in the same transaction as the change it answers, so either both exist or neither: a request
that failed half-way left nothing, and its retry simply runs.

- the same key with the same request: the first answer again (its status and body);
- the same key with another request (method, path or body): 422;
- the same key while the first is still running: 409, with Retry-After;
- a refused request (4xx) is not kept: sending it again asks again.

Keys are the user's own (another user's key is another key) and are purged by
`registrar worker` once expired.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from registrar.errors import Conflict, ValidationFailed
from registrar.idempotency import repository
from registrar.kit.columns import utcnow

KEEP_FOR = timedelta(hours=24)
MAX_KEY_LENGTH = 255


class KeyInFlight(Conflict):
    """The first request with this key has not finished yet."""

    code = "idempotency_key_in_flight"
    retry_after = 1


class KeyReused(ValidationFailed):
    """The key was first used for another request."""

    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Request:
    """What a key stands for: whose it is, and a fingerprint of the request it came with."""

    institution_id: uuid.UUID
    user_id: uuid.UUID
    key: str
    fingerprint: str

    @property
    def lock_token(self) -> int:
        """A 64-bit number naming the key, for PostgreSQL's advisory locks."""
        digest = hashlib.sha256(f"{self.institution_id}:{self.user_id}:{self.key}".encode())
        return int.from_bytes(digest.digest()[:8], "big", signed=True)


@dataclass(frozen=True)
class Answer:
    """An answer kept for a key."""

    status_code: int
    body: Any


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """SHA-256 of what makes two requests the same request."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def check_key(key: str) -> str:
    """A key as sent, if it is a sensible one (printable, at most 255 characters)."""
    if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise ValidationFailed(
            "Idempotency-Key must be 1 to 255 printable ASCII characters",
            details={"header": "Idempotency-Key"},
        )
    return key


def recall(session: Session, request: Request) -> Answer | None:
    """The answer kept for the key, if any; a key first used for another request is refused."""
    found = repository.find(session, request.institution_id, request.user_id, request.key, utcnow())
    if found is None:
        return None
    if found.fingerprint != request.fingerprint:
        raise KeyReused(
            "This Idempotency-Key was used for another request",
            details={"header": "Idempotency-Key"},
        )
    return Answer(found.status_code, found.response)


def claim(session: Session, request: Request) -> Answer | None:
    """First thing in the transaction that makes the change: hold the key (a twin still
    running is refused with 409), then the answer a twin may have finished meanwhile."""
    if not repository.lock(session, request.lock_token):
        raise KeyInFlight(
            "A request with this Idempotency-Key is still being processed",
            details={"header": "Idempotency-Key"},
        )
    return recall(session, request)


def remember(
    session: Session, request: Request, answer: Answer, now: datetime | None = None
) -> None:
    """Keep the answer, in the transaction of the change it answers."""
    at = now or utcnow()
    repository.insert_answer(
        session,
        {
            "id": uuid.uuid4(),
            "institution_id": request.institution_id,
            "user_id": request.user_id,
            "key": request.key,
            "fingerprint": request.fingerprint,
            "status_code": answer.status_code,
            "response": answer.body,
            "created_at": at,
            "expires_at": at + KEEP_FOR,
        },
    )


def purge(session: Session) -> int:
    """Forget the answers older than a day; how many."""
    return repository.purge(session, utcnow())
