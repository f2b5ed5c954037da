"""The office's reading pages: divisions, statistics, students, and a student's page."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from registrar.deps import UnitDep
from registrar.kit.bounds import MAX_OFFSET, Search
from registrar.portal.registration import student_endpoints
from registrar.portal.registration.schemas import StudentCourseCreate
from registrar.web import session
from registrar.web.auth import CSRF, PageRegistrar
from registrar.web.forms import (
    DepartmentQuery,
    StatisticsQuery,
    StudentQuery,
    answer_of,
    once,
)
from registrar.web.office import stats, views
from registrar.web.rendering import render, see_other
from registrar.web.routing import WebRoute

router = APIRouter(prefix="/office", route_class=WebRoute, include_in_schema=False)

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]


@router.get("/")
async def division_tree(
    request: Request,
    principal: PageRegistrar,
    unit: UnitDep,
    query: Annotated[DepartmentQuery, Query()],
) -> Response:
    """The divisions tree with counts; one department's lists students in each section."""
    nodes, choices = await unit.read(views.division_tree, principal, query.department)
    context = {"nodes": nodes, "choices": choices, "department": query.department}
    return render(request, "office/divisions.html", context, principal=principal)


@router.get("/statistics")
async def statistics(
    request: Request,
    principal: PageRegistrar,
    unit: UnitDep,
    query: Annotated[StatisticsQuery, Query()],
) -> Response:
    """Head counts as charts; the open term's fill rate and waitlist pressure."""
    cache = request.app.state.web_head_counts
    view = await unit.read(stats.statistics_view, principal, query.department, query.term, cache)
    context = {"view": view, "department": query.department, "term": query.term}
    return render(request, "office/statistics.html", context, principal=principal)


@router.get("/students")
async def student_list(
    request: Request,
    principal: PageRegistrar,
    unit: UnitDep,
    filters: Annotated[StudentQuery, Query()],
    offset: Offset = 0,
) -> Response:
    """The students matching the filters, fifty a page."""
    page, choices = await unit.read(views.students_view, principal, filters, offset)
    given = filters.model_dump(mode="json")
    context = {"page": page, "choices": choices, "filters": given}
    return render(request, "office/students.html", context, principal=principal)


@router.get("/students/{student_id}")
async def student_page(
    request: Request, principal: PageRegistrar, unit: UnitDep, student_id: uuid.UUID
) -> Response:
    """A student's placement, batch, enrollments and holds, and enrolling them in a course."""
    view = await unit.read(views.student_view, principal, student_id)
    return render(request, "office/student.html", {"view": view}, principal=principal)


@router.post("/students/{student_id}/enroll", dependencies=[CSRF])
async def enroll_student(
    request: Request,
    principal: PageRegistrar,
    unit: UnitDep,
    student_id: uuid.UUID,
    course_code: Annotated[Search, Form()],
    form_key: Annotated[uuid.UUID, Form()],
) -> Response:
    """Enroll the student in a course by its code: `POST /students/{id}/courses` itself."""
    request.state.back = f"/office/students/{student_id}"
    course_id = await unit.read(views.course_id_by_code, principal, course_code)
    result = await student_endpoints.enroll_student(
        student_id=student_id,
        body=StudentCourseCreate(course_id=course_id),
        principal=principal,
        unit=unit,
        idempotency=once(form_key, "office-enroll", student_id, course_id),
    )
    answer = answer_of(result)
    status = str(answer.get("status", "")).lower()
    position = answer.get("reserve_position")
    text = f"{answer.get('course_code', course_code)}: {status}"
    if position:
        text += f", #{position} on the waitlist"
    response = see_other(request.state.back)
    session.flash(request, response, session.Flash("ok", text))
    return response
