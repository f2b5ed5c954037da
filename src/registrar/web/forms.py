"""What the pages' forms share: one-time keys, reading an action's answer, GET queries."""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, model_validator

from registrar.enrollment.models import AssignmentType
from registrar.idempotency import service as idempotency
from registrar.idempotency.guard import Idempotency
from registrar.kit.bounds import MAX_OFFSET, OneLine, Search
from registrar.students.schemas import StudentFilters


def once(form_key: uuid.UUID, action: str, *values: object) -> Idempotency:
    """The idempotency of one form as rendered: sent twice (a double tap, a reload that posts
    again), it gets the first answer back instead of acting twice, as an API client with an
    `Idempotency-Key` would. The key names the form and what it acts on."""
    parts = [str(value) for value in values]
    key = idempotency.check_key(f"web:{action}:{form_key}:{':'.join(parts)}"[:255])
    body = "\n".join(parts).encode()
    return Idempotency(key, idempotency.fingerprint("POST", f"/web/{action}", "", body))


def answer_of(result: BaseModel | JSONResponse) -> dict[str, Any]:
    """An action's answer as JSON data, whether it ran now or was a replayed first answer."""
    if isinstance(result, JSONResponse):
        data: dict[str, Any] = json.loads(bytes(result.body))
        return data
    return result.model_dump(mode="json")


class BlankIsNone(BaseModel):
    """The query of a GET form: a field left blank (an "All …" choice) is a field not given."""

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value != ""}
        return data


class StudentQuery(BlankIsNone, StudentFilters):
    """The student list's filters, as its form sends them."""


class CoursesQuery(BlankIsNone):
    """The available courses' filters."""

    type: AssignmentType | None = None
    department: Annotated[str, Field(max_length=32), OneLine] | None = None


class DepartmentQuery(BlankIsNone):
    """One department, or all of them."""

    department: uuid.UUID | None = None


class StatisticsQuery(DepartmentQuery):
    """One department (or all) and one term (or the one running now)."""

    term: uuid.UUID | None = None


class ListQuery(BlankIsNone):
    """A searched, paged list (of a term, for sections)."""

    q: Search | None = None
    term: uuid.UUID | None = None
    offset: Annotated[int, Field(ge=0, le=MAX_OFFSET)] = 0
