"""The student's pages at `/`: every action a form, through the API's own endpoints."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from registrar.auth.models import Role
from registrar.deps import SectionGatesDep, UnitDep
from registrar.enrollment.models import AssignmentType
from registrar.errors import NotFound
from registrar.kit.bounds import MAX_OFFSET
from registrar.portal.student_portal import endpoints as portal
from registrar.portal.student_portal.schemas import DropRequest, EnrollRequest
from registrar.web import session
from registrar.web.auth import CSRF, PageReader, PageStudent
from registrar.web.forms import CoursesQuery, answer_of, once
from registrar.web.rendering import render, see_other
from registrar.web.routing import WebRoute, local_path
from registrar.web.student import views

router = APIRouter(route_class=WebRoute, include_in_schema=False)

FormKey = Annotated[uuid.UUID, Form()]
Back = Annotated[str | None, Form(max_length=512)]


@router.get("/")
async def this_term(request: Request, principal: PageReader, unit: UnitDep) -> Response:
    """This term: the week's timetable, credits, GPA, attendance and each course."""
    if principal.role is not Role.STUDENT:
        return see_other("/office/")
    view = await unit.read(views.this_term, principal)
    return render(request, "student/term.html", {"view": view}, principal=principal)


@router.get("/enroll")
async def courses(
    request: Request,
    principal: PageStudent,
    unit: UnitDep,
    query: Annotated[CoursesQuery, Query()],
) -> Response:
    """The courses the student's batch offers them, and for each section what they can do."""
    view = await unit.read(views.courses, principal, query.type, query.department)
    context = {
        "view": view,
        "anchors": view.anchors,
        "filters": query.model_dump(mode="json"),
        "types": list(AssignmentType),
        "back": str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
    }
    return render(request, "student/courses.html", context, principal=principal)


@router.post("/enroll", dependencies=[CSRF])
async def enroll(
    request: Request,
    principal: PageStudent,
    unit: UnitDep,
    gates: SectionGatesDep,
    section_id: Annotated[uuid.UUID, Form()],
    form_key: FormKey,
    back: Back = None,
) -> Response:
    """Enroll, or join the waitlist of a full section: `POST .../courses/enroll/` itself."""
    target = local_path(back, "/enroll")
    request.state.back, request.state.about = (
        f"{target}#section-{section_id}",
        f"section-{section_id}",
    )
    result = await portal.enroll(
        request=EnrollRequest(course_section_id=section_id),
        principal=principal,
        unit=unit,
        gates=gates,
        idempotency=once(form_key, "enroll", principal.user.id, section_id),
    )
    answer = answer_of(result)
    warnings = tuple(str(w.get("message", "")) for w in answer.get("warnings") or ())
    response = see_other(request.state.back)
    session.flash(
        request,
        response,
        session.Flash("ok", str(answer.get("message", "Done")), request.state.about, warnings),
    )
    return response


@router.get("/drop/{enrollment_id}")
async def confirm_drop(
    request: Request,
    principal: PageStudent,
    unit: UnitDep,
    enrollment_id: uuid.UUID,
    back: Annotated[str | None, Query(max_length=512)] = None,
) -> Response:
    """The confirm step of a drop (or of leaving a waitlist), with an optional reason."""
    held = await unit.read(views.enrollment_of, principal, enrollment_id)
    if held is None or held.status not in ("ENROLLED", "WAITLISTED", "PENDING"):
        raise NotFound("Enrollment not found")
    context = {"held": held, "back": local_path(back, "/")}
    return render(request, "student/drop.html", context, principal=principal)


@router.post("/drop", dependencies=[CSRF])
async def drop(
    request: Request,
    principal: PageStudent,
    unit: UnitDep,
    gates: SectionGatesDep,
    enrollment_id: Annotated[uuid.UUID, Form()],
    form_key: FormKey,
    reason: Annotated[str | None, Form(max_length=500)] = None,
    back: Back = None,
) -> Response:
    """Drop (or leave the waitlist): `POST .../courses/drop/` itself."""
    request.state.back = local_path(back, "/")
    result = await portal.drop(
        request=DropRequest(enrollment_id=enrollment_id, reason=(reason or "").strip() or None),
        principal=principal,
        unit=unit,
        gates=gates,
        idempotency=once(form_key, "drop", principal.user.id, enrollment_id),
    )
    answer = answer_of(result)
    lines = ("The first student on the waitlist took the seat.",) if answer.get("promoted") else ()
    response = see_other(request.state.back)
    session.flash(
        request, response, session.Flash("ok", str(answer.get("message", "Done")), "", lines)
    )
    return response


@router.get("/record")
async def record(
    request: Request,
    principal: PageStudent,
    unit: UnitDep,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Response:
    """Grades by semester, the cumulative GPA, and the history of the student's record."""
    view = await unit.read(views.record, principal, offset)
    return render(request, "student/record.html", {"view": view}, principal=principal)
