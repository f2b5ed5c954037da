"""/api/admin/sections"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from registrar.academics.endpoints.common import page_of
from registrar.academics.models import SectionType
from registrar.academics.schemas.sections import (
    Promoted,
    SectionCreate,
    SectionRead,
    SectionUpdate,
    SectionUpdated,
    section_read,
)
from registrar.academics.service import sections as service
from registrar.auth.actor import actor_of
from registrar.deps import CurrentRegistrar, ReadSessionDep, SessionDep
from registrar.enrollment import engine
from registrar.kit.bounds import Search
from registrar.kit.pagination import Page, PageDep

router = APIRouter(prefix="/api/admin/sections", tags=["academic structure"])


@router.get("")
def list_sections(
    session: ReadSessionDep,
    principal: CurrentRegistrar,
    page: PageDep,
    course_id: uuid.UUID | None = None,
    term_id: uuid.UUID | None = None,
    faculty_id: uuid.UUID | None = None,
    student_batch_id: uuid.UUID | None = None,
    section_type: SectionType | None = None,
    is_active: bool | None = None,
    q: Search | None = None,
) -> Page[SectionRead]:
    """Sections with counters and timetable, filtered by course, term, faculty, batch, type."""
    filters = {
        "course_id": course_id,
        "term_id": term_id,
        "faculty_id": faculty_id,
        "student_batch_id": student_batch_id,
        "section_type": section_type,
        "is_active": is_active,
    }
    rows, total = service.list_sections(session, principal, page, filters, q)
    return page_of(rows, total, page, section_read)


@router.post("", status_code=status.HTTP_201_CREATED)
def create_section(
    session: SessionDep, principal: CurrentRegistrar, body: SectionCreate
) -> SectionRead:
    """Offer a course in a term, with seats, a waitlist and a timetable."""
    return section_read(service.create_section(session, principal, body))


@router.get("/{section_id}")
def get_section(
    session: ReadSessionDep, principal: CurrentRegistrar, section_id: uuid.UUID
) -> SectionRead:
    """One section with its counters and timetable."""
    return section_read(service.get_section(session, principal, section_id))


@router.patch("/{section_id}")
def update_section(
    session: SessionDep, principal: CurrentRegistrar, section_id: uuid.UUID, body: SectionUpdate
) -> SectionUpdated:
    """Change a section; `timetable`, when given, replaces the timetable. Seats gained (a larger
    `max_students`) go to the head of the waitlist first, in arrival order, in the same
    transaction; `promoted` lists who got them (each is notified)."""
    row = service.update_section(session, principal, section_id, body)
    promoted = engine.fill_free_seats(
        session,
        institution_id=principal.institution.id,
        section_id=row.id,
        actor=actor_of(principal),
    )
    return SectionUpdated(
        **section_read(row).model_dump(),
        promoted=[Promoted(enrollment_id=p.id, student_id=p.student_id) for p in promoted],
    )


@router.post("/{section_id}/deactivate")
@router.delete("/{section_id}")
def deactivate_section(
    session: SessionDep, principal: CurrentRegistrar, section_id: uuid.UUID
) -> SectionRead:
    """Close a section that nobody holds a seat or waitlist place in (nothing is deleted)."""
    return section_read(service.deactivate_section(session, principal, section_id))
