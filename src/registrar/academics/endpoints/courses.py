"""/api/admin/courses"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.academics.endpoints.common import page_of
from registrar.academics.schemas.catalog import CourseCreate, CourseRead, CourseUpdate, course_read
from registrar.academics.service import courses as service
from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.kit.bounds import FilterText, Int32, Search
from registrar.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/admin/courses", tags=["academic structure"])


@router.get("")
def list_courses(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    page: PageDep,
    department_id: uuid.UUID | None = None,
    program_id: uuid.UUID | None = None,
    level: FilterText | None = None,
    catalog_semester: Int32 | None = None,
    grade_level: Int32 | None = None,
    track: FilterText | None = None,
    strand: FilterText | None = None,
    is_core: bool | None = None,
    is_active: bool | None = None,
    q: Search | None = None,
) -> Page[CourseRead]:
    """Courses with their prerequisites, filtered by any catalog field or a code/title search."""
    filters = {
        "department_id": department_id,
        "program_id": program_id,
        "level": level,
        "catalog_semester": catalog_semester,
        "grade_level": grade_level,
        "track": track,
        "strand": strand,
        "is_core": is_core,
        "is_active": is_active,
    }
    rows, total = service.list_courses(session, principal, page, filters, q)
    return page_of(rows, total, page, course_read)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_course(
    session: SessionDep, principal: CurrentRegistrar, body: CourseCreate
) -> CourseRead:
    """Add a course, with its prerequisites."""
    return course_read(service.create_course(session, principal, body))


@router.get("/{course_id}")
def get_course(
    session: ReadSessionDep, principal: CurrentRegistrar, course_id: uuid.UUID
) -> CourseRead:
    """One course with its prerequisites."""
    return course_read(service.get_course(session, principal, course_id))


@router.patch("/{course_id}")
def update_course(
    session: SessionDep, principal: CurrentRegistrar, course_id: uuid.UUID, body: CourseUpdate
) -> CourseRead:
    """Change a course; `prerequisite_ids`, when given, replaces the prerequisites."""
    return course_read(service.update_course(session, principal, course_id, body))


@router.post("/{course_id}/deactivate")
@router.delete("/{course_id}")
def deactivate_course(
    session: SessionDep, principal: CurrentRegistrar, course_id: uuid.UUID
) -> CourseRead:
    """Withdraw a course from the catalog (nothing is deleted)."""
    return course_read(service.deactivate_course(session, principal, course_id))
