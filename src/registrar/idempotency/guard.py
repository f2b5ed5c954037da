"""An endpoint's side of `Idempotency-Key` (see service.py for the rules)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from registrar.auth.principal import Principal
from registrar.idempotency import service
from registrar.kit.unit import Unit

REPLAYED_HEADER = "Idempotent-Replayed"

Answer = TypeVar("Answer", bound=BaseModel)


def _replayed(answer: service.Answer) -> JSONResponse:
    return JSONResponse(
        status_code=answer.status_code, content=answer.body, headers={REPLAYED_HEADER: "true"}
    )


@dataclass(frozen=True)
class Idempotency:
    """The request's key (None when it sent none: then every method does nothing) and the
    fingerprint of the request it came with."""

    key: str | None
    fingerprint: str

    def _of(self, principal: Principal) -> service.Request | None:
        if self.key is None:
            return None
        return service.Request(
            principal.institution.id, principal.user.id, self.key, self.fingerprint
        )

    async def replay(self, unit: Unit, principal: Principal) -> JSONResponse | None:
        """Before any work: the first answer, when this is a retry of a finished request."""
        request = self._of(principal)
        if request is None:
            return None
        answer = await unit.read(service.recall, request)
        return _replayed(answer) if answer is not None else None

    async def claim(self, unit: Unit, principal: Principal) -> JSONResponse | None:
        """First in the write transaction: hold the key; the first answer if a twin finished."""
        request = self._of(principal)
        if request is None:
            return None
        answer = await unit.write(service.claim, request)
        return _replayed(answer) if answer is not None else None

    async def remember(
        self, unit: Unit, principal: Principal, status_code: int, answer: BaseModel
    ) -> None:
        """Keep the answer in the write transaction, beside the change."""
        request = self._of(principal)
        if request is not None:
            kept = service.Answer(status_code, jsonable_encoder(answer))
            await unit.write(service.remember, request, kept)

    def claim_in(self, session: Session, principal: Principal) -> JSONResponse | None:
        """`claim`, in a synchronous endpoint's session."""
        request = self._of(principal)
        if request is None:
            return None
        answer = service.claim(session, request)
        return _replayed(answer) if answer is not None else None

    def remember_in(
        self, session: Session, principal: Principal, status_code: int, answer: BaseModel
    ) -> None:
        """`remember`, in a synchronous endpoint's session."""
        request = self._of(principal)
        if request is not None:
            service.remember(
                session, request, service.Answer(status_code, jsonable_encoder(answer))
            )

    def once_in(
        self,
        session: Session,
        principal: Principal,
        status_code: int,
        change: Callable[[], Answer],
    ) -> Answer | JSONResponse:
        """Run a synchronous endpoint's `change` once per key, in its write session: the key
        held first, the answer kept beside the change, a retry answered from what was kept."""
        replayed = self.claim_in(session, principal)
        if replayed is not None:
            return replayed
        answer = change()
        self.remember_in(session, principal, status_code, answer)
        return answer
