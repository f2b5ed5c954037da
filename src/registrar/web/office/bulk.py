"""Bulk assignment: see who the criteria match, then move them, through the API's endpoint.

There is no dry run of a bulk assignment yet, so the preview lists the students the same
criteria select in the student list (the same columns, ACTIVE students only). The move itself
is `POST /api/students/bulk-assign/`'s own code; it is refused, and rolled back, when it would
move another number of students than the preview showed.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import Field

from registrar.deps import SessionDep, UnitDep
from registrar.errors import Conflict, ValidationFailed
from registrar.kit.bounds import OneLine
from registrar.kit.pagination import Page, PageParams
from registrar.students import service as students
from registrar.students.divisions import endpoints as division_endpoints
from registrar.students.divisions.schemas import (
    Assignment,
    BulkAssignRequest,
    BulkAssignResponse,
    BulkCriteria,
)
from registrar.students.models import StudentStatus
from registrar.students.schemas import StudentFilters, StudentRead
from registrar.web.auth import CSRF, PageRegistrar
from registrar.web.forms import BlankIsNone, answer_of, once
from registrar.web.office import views
from registrar.web.rendering import render
from registrar.web.routing import WebRoute

router = APIRouter(prefix="/office", route_class=WebRoute, include_in_schema=False)

PREVIEW = 25
Year = Annotated[int, Field(ge=1, le=6)]
Semester = Annotated[int, Field(ge=1, le=12)]
Code = Annotated[str, Field(max_length=16), OneLine]
Section = Annotated[str, Field(max_length=8), OneLine]


class BulkForm(BlankIsNone):
    """The form's fields: who (`from_*`) and where to (`to_*`); blank means any, or unchanged."""

    from_department: uuid.UUID | None = None
    from_program: uuid.UUID | None = None
    from_academic_year: Code | None = None
    from_year_of_study: Year | None = None
    from_semester: Semester | None = None
    from_section: Section | None = None
    to_department: uuid.UUID | None = None
    to_program: uuid.UUID | None = None
    to_academic_year: Code | None = None
    to_year_of_study: Year | None = None
    to_semester: Semester | None = None
    to_section: Section | None = None

    def chosen(self, side: str) -> dict[str, Any]:
        """The fields of one side that were given."""
        prefix = f"{side}_"
        return {
            name.removeprefix(prefix): value
            for name, value in self.model_dump().items()
            if name.startswith(prefix) and value is not None
        }

    def filters(self) -> StudentFilters:
        """The student list's filters that select what the criteria select."""
        given = self.chosen("from")
        return StudentFilters(
            department=given.get("department"),
            program=given.get("program"),
            academic_year=given.get("academic_year"),
            year_of_study=given.get("year_of_study"),
            semester=given.get("semester"),
            section=given.get("section"),
            status=StudentStatus.ACTIVE,
        )

    def request(self) -> BulkAssignRequest:
        """The bulk assignment the form asks for, in the API's own shape."""
        given, target = self.chosen("from"), self.chosen("to")
        criteria = BulkCriteria(
            current_department=given.get("department"),
            current_academic_program=given.get("program"),
            current_academic_year=given.get("academic_year"),
            current_year_of_study=given.get("year_of_study"),
            current_semester=given.get("semester"),
            current_section=given.get("section"),
        )
        assignment = Assignment(
            department_id=target.get("department"),
            academic_program_id=target.get("program"),
            academic_year=target.get("academic_year"),
            year_of_study=target.get("year_of_study"),
            semester=target.get("semester"),
            section=target.get("section"),
        )
        return BulkAssignRequest(criteria=criteria, assignment=assignment)

    def check(self) -> None:
        """Refuse a form that would move everyone, or move nobody anywhere."""
        if not self.chosen("from"):
            raise ValidationFailed("Choose at least one criterion: who should be moved?")
        if not self.chosen("to"):
            raise ValidationFailed("Choose at least one field of the new placement")

    def target(self, choices: views.Choices) -> list[tuple[str, str]]:
        """The new placement in words: each field given, named."""
        given = self.chosen("to")
        named = {
            "department": choices.department_code(given.get("department")),
            "program": choices.program_code(given.get("program")),
        }
        return [
            (name.replace("_", " "), named.get(name) or str(value)) for name, value in given.items()
        ]

    def fields(self) -> dict[str, str]:
        """The given fields as the form sends them (for the confirm form and links)."""
        return {k: str(v) for k, v in self.model_dump().items() if v is not None}


class BulkConfirm(BulkForm):
    """The confirm form: the same fields, how many the preview matched, and its one-time key."""

    expected: Annotated[int, Field(ge=0)]
    form_key: uuid.UUID

    def fields(self) -> dict[str, str]:
        """The criteria and placement only."""
        return {k: v for k, v in super().fields().items() if k not in ("expected", "form_key")}


def _preview(
    session: Any, principal: Any, form: BulkForm
) -> tuple[Page[StudentRead], views.Choices]:
    page = students.list_students(
        session, principal.institution.id, form.filters(), PageParams(limit=PREVIEW)
    )
    return page, views.choices(session, principal)


@router.get("/bulk-assign")
async def bulk_form(
    request: Request,
    principal: PageRegistrar,
    unit: UnitDep,
    form: Annotated[BulkForm, Query()],
    preview: bool = False,
) -> Response:
    """The criteria and the new placement; with `preview`, who the criteria match now."""
    matched: Page[StudentRead] | None = None
    if preview:
        form.check()
        matched, choices = await unit.read(_preview, principal, form)
    else:
        choices = await unit.read(views.choices, principal)
    context = {
        "form": form.fields(),
        "matched": matched,
        "choices": choices,
        "target": form.target(choices),
    }
    return render(request, "office/bulk.html", context, principal=principal)


@router.post("/bulk-assign", dependencies=[CSRF])
def bulk_assign(
    request: Request,
    principal: PageRegistrar,
    session: SessionDep,
    form: Annotated[BulkConfirm, Form()],
) -> Response:
    """Move the students: the API's bulk assignment, in this request's transaction."""
    request.state.back = "/office/bulk-assign?" + urlencode({"preview": 1, **form.fields()})
    expected = form.expected
    form.check()
    asked = form.request()
    result = division_endpoints.bulk_assign_students(
        principal=principal,
        session=session,
        request=asked,
        idempotency=once(form.form_key, "bulk-assign", asked.model_dump_json(), expected),
    )
    answer = BulkAssignResponse.model_validate(answer_of(result))
    if answer.criteria_matched != expected:
        # Raised, not returned: the session dependency rolls the whole move back.
        raise Conflict(
            f"{answer.criteria_matched} students match now, not the {expected} of the preview: "
            "nobody was moved. Look at the preview again."
        )
    choices = views.choices(session, principal)
    context = {"answer": answer, "form": form.fields(), "choices": choices}
    return render(request, "office/bulk_done.html", context, principal=principal)
