"""Courses of the catalog and their prerequisites."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicProgram, Course, Department
from registrar.academics.repository import catalog as repo
from registrar.academics.schemas.catalog import CourseCreate, CourseUpdate
from registrar.academics.service import common
from registrar.auth.principal import Principal
from registrar.errors import NotFound, ValidationFailed
from registrar.kit.pagination import PageParams, paginate

ENTITY = "course"


def list_courses(
    session: Session,
    principal: Principal,
    params: PageParams,
    filters: dict[str, Any],
    q: str | None = None,
) -> tuple[list[Course], int]:
    """One page of the institution's courses; `filters` maps a column name to a value."""
    statement = repo.courses(common.institution_of(principal), filters, q)
    return paginate(session, statement, params)


def get_course(session: Session, principal: Principal, course_id: uuid.UUID) -> Course:
    """One course of the institution, with its prerequisites."""
    row = repo.course_with_prerequisites(session, common.institution_of(principal), course_id)
    if row is None:
        raise NotFound("Course not found")
    return row


def find_cycle(
    graph: dict[uuid.UUID, set[uuid.UUID]], course_id: uuid.UUID, prerequisites: list[uuid.UUID]
) -> list[uuid.UUID] | None:
    """The path course -> ... -> course that giving it these prerequisites would close, if any."""
    graph = {**graph, course_id: set(prerequisites)}
    stack: list[tuple[uuid.UUID, list[uuid.UUID]]] = [(course_id, [course_id])]
    seen: set[uuid.UUID] = set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph.get(node, ())):
            if nxt == course_id:
                return [*path, nxt]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def _set_prerequisites(
    session: Session, principal: Principal, course: Course, ids: list[uuid.UUID]
) -> None:
    """Check and store the course's prerequisites: known courses, and no cycle."""
    institution_id = common.institution_of(principal)
    ids = list(dict.fromkeys(ids))
    codes = repo.course_codes(session, institution_id, [*ids, course.id])
    unknown = [str(i) for i in ids if i not in codes]
    if unknown:
        raise ValidationFailed(
            f"Prerequisite course not found: {', '.join(unknown)}",
            details={"field": "prerequisite_ids", "unknown_ids": unknown},
        )
    cycle = find_cycle(repo.prerequisite_graph(session, institution_id), course.id, ids)
    if cycle is not None:
        names = repo.course_codes(session, institution_id, cycle)
        cycle_codes = [names[i] for i in cycle]
        raise ValidationFailed(
            f"Prerequisite cycle: {' -> '.join(cycle_codes)}", details={"cycle": cycle_codes}
        )
    repo.replace_prerequisites(session, institution_id, course.id, ids)


def _check_references(session: Session, principal: Principal, values: dict[str, Any]) -> None:
    common.reference(
        session, Department, principal, values.get("department_id"), "Department", "department_id"
    )
    common.reference(
        session, AcademicProgram, principal, values.get("program_id"), "Program", "program_id"
    )


def _ensure_code_free(
    session: Session, principal: Principal, code: str | None, exclude_id: uuid.UUID | None = None
) -> None:
    common.ensure_code_free(
        session, Course, Course.code, principal, "Course code", code, exclude_id
    )


def create_course(session: Session, principal: Principal, data: CourseCreate) -> Course:
    """Add a course to the catalog."""
    values = data.model_dump(exclude={"prerequisite_ids"})
    _check_references(session, principal, values)
    _ensure_code_free(session, principal, data.code)
    row = common.insert(session, principal, Course, values)
    _set_prerequisites(session, principal, row, data.prerequisite_ids)
    common.record_created(
        session,
        principal,
        ENTITY,
        row,
        prerequisite_ids=[str(i) for i in data.prerequisite_ids],
    )
    return get_course(session, principal, row.id)


def update_course(
    session: Session, principal: Principal, course_id: uuid.UUID, data: CourseUpdate
) -> Course:
    """Change a course, and replace its prerequisites when `prerequisite_ids` is given."""
    row = get_course(session, principal, course_id)
    changes = data.model_dump(exclude_unset=True, exclude={"prerequisite_ids"})
    _check_references(session, principal, changes)
    _ensure_code_free(session, principal, changes.get("code"), row.id)
    diff = common.apply_changes(row, changes)
    if "prerequisite_ids" in data.model_fields_set:
        new_ids = data.prerequisite_ids or []
        before = sorted(str(p.id) for p in row.prerequisites)
        _set_prerequisites(session, principal, row, new_ids)
        after = sorted(str(i) for i in set(new_ids))
        if before != after:
            diff["prerequisite_ids"] = {"before": before, "after": after}
    session.flush()
    if diff:
        common.record_updated(session, principal, ENTITY, row, diff)
    return get_course(session, principal, row.id)


def deactivate_course(session: Session, principal: Principal, course_id: uuid.UUID) -> Course:
    """Withdraw a course from the catalog; its sections and enrollments keep their history."""
    row = get_course(session, principal, course_id)
    common.deactivate(session, principal, ENTITY, row)
    return row
