"""Batches and their courses, sections and their rosters (with the CSV the API exports)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import Field, ValidationError

from registrar.deps import ReadSessionDep, SessionDep, UnitDep
from registrar.enrollment.batch_courses import endpoints as batch_course_endpoints
from registrar.enrollment.batch_courses.schemas import AssignResult, BatchCourseCreate
from registrar.enrollment.models import AssignmentType
from registrar.errors import ValidationFailed
from registrar.kit.bounds import OneLine
from registrar.transfer import endpoints as transfer_endpoints
from registrar.web import session
from registrar.web.auth import CSRF, PageRegistrar
from registrar.web.forms import ListQuery, answer_of, once
from registrar.web.office import views
from registrar.web.rendering import render, see_other
from registrar.web.routing import WebRoute

router = APIRouter(prefix="/office", route_class=WebRoute, include_in_schema=False)

Code = Annotated[str, Field(min_length=1, max_length=40), OneLine]


@router.get("/batches")
async def batches(
    request: Request, principal: PageRegistrar, unit: UnitDep, query: Annotated[ListQuery, Query()]
) -> Response:
    """Active batches with their head counts, searched by code or name."""
    page = await unit.read(views.batches_view, principal, query.q, query.offset)
    context = {"page": page, "q": query.q or ""}
    return render(request, "office/batches.html", context, principal=principal)


@router.get("/batches/{batch_id}")
async def batch(
    request: Request, principal: PageRegistrar, unit: UnitDep, batch_id: uuid.UUID
) -> Response:
    """A batch's courses, and assigning one more."""
    found, courses, choices = await unit.read(views.batch_view, principal, batch_id)
    context = {
        "batch": found,
        "courses": courses,
        "choices": choices,
        "types": list(AssignmentType),
    }
    return render(request, "office/batch.html", context, principal=principal)


@router.post("/batches/{batch_id}/courses", dependencies=[CSRF])
def assign_batch_course(
    request: Request,
    principal: PageRegistrar,
    session_: SessionDep,
    batch_id: uuid.UUID,
    course_code: Annotated[Code, Form()],
    academic_year: Annotated[Code, Form()],
    semester: Annotated[int, Form(ge=1, le=12)],
    assignment_type: Annotated[AssignmentType, Form()],
    form_key: Annotated[uuid.UUID, Form()],
    section_code: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Assign a course to the batch: `POST /api/admin/batches/{id}/courses` itself (a
    MANDATORY course enrolls the batch's students through the engine)."""
    request.state.back = f"/office/batches/{batch_id}"
    course_id = views.course_id_by_code(session_, principal, course_code)
    section_id = (
        views.section_id_by_code(session_, principal, section_code) if section_code else None
    )
    try:
        body = BatchCourseCreate(
            course_id=course_id,
            section_id=section_id,
            academic_year=academic_year,
            semester=semester,
            assignment_type=assignment_type,
        )
    except ValidationError as error:
        raise ValidationFailed("The course cannot be assigned like this") from error
    result = batch_course_endpoints.assign_course(
        session=session_,
        principal=principal,
        batch_id=batch_id,
        body=body,
        idempotency=once(form_key, "batch-course", batch_id, body.model_dump_json()),
    )
    answer = AssignResult.model_validate(answer_of(result))
    counts = answer.summary
    lines = (
        (
            f"Enrolled {counts.enrolled}, waitlisted {counts.waitlisted}, "
            f"refused {counts.refused}, already enrolled {counts.already_enrolled}",
        )
        if answer.auto_enrolled
        else ()
    )
    assigned = answer.batch_course
    text = f"{assigned.course_code} assigned as {assigned.assignment_type.value.lower()}"
    response = see_other(request.state.back)
    session.flash(request, response, session.Flash("ok", text, "", lines))
    return response


@router.get("/batches/{batch_id}/enrollments.csv")
def batch_enrollments_csv(
    principal: PageRegistrar, session_: ReadSessionDep, batch_id: uuid.UUID
) -> Response:
    """The batch's enrollments in the current term: `GET .../enrollments.csv` itself."""
    return transfer_endpoints.batch_enrollments(
        batch_id=batch_id, principal=principal, session=session_, term=None
    )


@router.get("/sections")
async def sections(
    request: Request, principal: PageRegistrar, unit: UnitDep, query: Annotated[ListQuery, Query()]
) -> Response:
    """Sections of a term (or all), searched by code, each with its seats and waitlist."""
    page, terms = await unit.read(views.sections_view, principal, query.term, query.q, query.offset)
    context = {"page": page, "terms": terms, "filters": query.model_dump(mode="json")}
    return render(request, "office/sections.html", context, principal=principal)


@router.get("/sections/{section_id}")
async def roster(
    request: Request, principal: PageRegistrar, unit: UnitDep, section_id: uuid.UUID
) -> Response:
    """A section's roster: seated students first, then the waitlist in order."""
    section, export = await unit.read(views.roster_view, principal, section_id)
    context = {"section": section, "export": export}
    return render(request, "office/roster.html", context, principal=principal)


@router.get("/sections/{section_id}/roster.csv")
def roster_csv(
    principal: PageRegistrar, session_: ReadSessionDep, section_id: uuid.UUID
) -> Response:
    """The roster as CSV: `GET /api/admin/sections/{id}/roster.csv` itself."""
    return transfer_endpoints.section_roster(
        section_id=section_id, principal=principal, session=session_
    )
