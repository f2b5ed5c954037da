"""The student's pages at `/`: every action a form, through the API's own endpoints."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Query, Request, Response
from pydantic import BeforeValidator

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
from registrar.web.words import linked_lines

router = APIRouter(route_class=WebRoute, include_in_schema=False)

FormKey = Annotated[uuid.UUID, Form()]
Back = Annotated[str | None, Form(max_length=512)]


def _blank_is_none(value: object) -> object:
    return value or None


# One radio group of a lecture's form: a LAB or TUTORIAL section, or "none" (sent blank).
LinkedChoice = Annotated[uuid.UUID | None, BeforeValidator(_blank_is_none), Form()]


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
    linked_lab: LinkedChoice = None,
    linked_tutorial: LinkedChoice = None,
) -> Response:
    """Enroll, or join the waitlist of a full section: `POST .../courses/enroll/` itself; a
    lecture's form sends the LAB and TUTORIAL chosen with it, taken in the same request."""
    target = local_path(back, "/enroll")
    request.state.back, request.state.about = (
        f"{target}#section-{section_id}",
        f"section-{section_id}",
    )
    linked = [choice for choice in (linked_lab, linked_tutorial) if choice is not None]
    result = await portal.enroll(
        request=EnrollRequest(course_section_id=section_id, linked_section_ids=linked),
        principal=principal,
        unit=unit,
        gates=gates,
        idempotency=once(form_key, "enroll", principal.user.id, section_id, *linked),
    )
    answer = answer_of(result)
    lines = tuple(str(w.get("message", "")) for w in answer.get("warnings") or ())
    lines += tuple(linked_lines(answer.get("linked_enrollments")))
    response = see_other(request.state.back)
    session.flash(
        request,
        response,
        session.Flash("ok", str(answer.get("message", "Done")), request.state.about, lines),
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
    view = await unit.read(views.enrollment_of, principal, enrollment_id)
    if view is None or view.held.status not in ("ENROLLED", "WAITLISTED", "PENDING"):
        raise NotFound("Enrollment not found")
    context = {"held": view.held, "goes_with": view.goes_with, "back": local_path(back, "/")}
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
    lines: tuple[str, ...] = ()
    if answer.get("promoted"):
        lines = ("The first student on the waitlist took the seat.",)
    lines += tuple(linked_lines(answer.get("linked_dropped")))
    response = see_other(request.state.back)
    session.flash(
        request, response, session.Flash("ok", str(answer.get("message", "Done")), "", lines)
    )
    return response


OfferAnswer = Annotated[Literal["accept", "decline"], Path()]


@router.post("/offers/{enrollment_id}/{answer}", dependencies=[CSRF])
async def answer_offer(
    request: Request,
    principal: PageStudent,
    unit: UnitDep,
    gates: SectionGatesDep,
    enrollment_id: uuid.UUID,
    answer: OfferAnswer,
    form_key: FormKey,
) -> Response:
    """Take the seat the waitlist holds for the student, or let it pass to the next in line:
    `POST .../courses/offers/{id}/accept` (or `decline`) itself."""
    request.state.back = "/"
    respond = portal.accept_offer if answer == "accept" else portal.decline_offer
    result = await respond(
        enrollment_id=enrollment_id,
        principal=principal,
        unit=unit,
        gates=gates,
        idempotency=once(form_key, f"offer-{answer}", principal.user.id, enrollment_id),
    )
    said = answer_of(result)
    response = see_other("/")
    session.flash(request, response, session.Flash("ok", str(said.get("message", "Done")), ""))
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
