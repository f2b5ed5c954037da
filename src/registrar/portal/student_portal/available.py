"""`GET .../available/`: the batch's assigned courses the student can still enroll in, and
what enrolling in each listed section would do now (`enrollment.eligibility`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from registrar.academics.models import Course
from registrar.auth.actor import student_id_of
from registrar.auth.principal import InstitutionRef, Principal
from registrar.enrollment import eligibility
from registrar.enrollment.judgement import Judgement, Seats
from registrar.enrollment.models import AssignmentType
from registrar.enrollment.rules import credit_limit
from registrar.institutions.grading import GradeScale, scale_of
from registrar.kit.core import AnyRow
from registrar.portal.student_portal import available_repository, calendar, shapes
from registrar.portal.student_portal.rows import grouped, record_row
from registrar.portal.student_portal.schemas import (
    AssignmentInfo,
    AvailableCourse,
    AvailableCoursesResponse,
    BatchEnrollmentFlags,
    EnrollmentGuidelines,
    FiltersApplied,
    PrerequisiteShape,
)
from registrar.portal.student_portal.service import student_of, with_batch
from registrar.records import service as records


@dataclass(frozen=True)
class AvailableFilters:
    """Query parameters of `GET .../available/`."""

    academic_year: str | None = None
    semester: int | None = None
    course_type: AssignmentType | None = None
    department: str | None = None
    include_prerequisites: bool = True
    include_sections: bool = True


def available_courses(
    session: Session, principal: Principal, filters: AvailableFilters
) -> AvailableCoursesResponse:
    """ACTIVE batch courses of the year and semester, minus courses the student is ENROLLED in."""
    institution = principal.institution
    student_id = student_id_of(principal)
    rows = available_repository.offered_rows(session, institution.id, student_id)
    batch = with_batch(student_of(rows))
    year = filters.academic_year or batch.batch_year_code
    semester = filters.semester if filters.semester is not None else batch.batch_semester
    offered = [
        group
        for group in grouped(rows, "batch_course_id").values()
        if _wanted(group[0], year, semester, filters)
    ]
    term_rows = _term_rows(session, institution.id, batch.batch_id, year, offered, filters)
    prerequisites: dict[uuid.UUID, list[PrerequisiteShape]] = {}
    if filters.include_prerequisites and offered:
        prerequisites = _prerequisites(
            available_repository.prerequisite_rows(
                session, institution.id, student_id, {g[0].course_id for g in offered}
            ),
            scale_of(institution.grade_scale),
        )
    open_sections = grouped(term_rows, "section_course_id")
    listed = [
        _sections(group, open_sections.get(group[0].course_id, []))
        if filters.include_sections
        else None
        for group in offered
    ]
    judged = _judged(session, institution.id, student_id, listed)
    return AvailableCoursesResponse(
        available_courses=[
            _available(group, prerequisites, sections, judged, filters)
            for group, sections in zip(offered, listed, strict=True)
        ],
        filters_applied=FiltersApplied(
            academic_year=year,
            semester=str(semester) if semester is not None else None,
            course_type=filters.course_type,
            department=filters.department,
        ),
        enrollment_guidelines=_guidelines(_term_of(term_rows, year, semester), institution),
    )


def _term_rows(
    session: Session,
    institution_id: uuid.UUID,
    batch_id: uuid.UUID,
    year: str | None,
    offered: list[list[AnyRow]],
    filters: AvailableFilters,
) -> Sequence[AnyRow]:
    """In one statement, the guidelines' terms and the open sections those terms hold for the
    offered courses that name no section of their own (none when sections are not asked for)."""
    unsectioned = [g[0] for g in offered if g[0].own_section_id is None]
    if not filters.include_sections:
        unsectioned = []
    if year is None and not unsectioned:
        return []
    return available_repository.term_rows(
        session,
        institution_id,
        batch_id,
        year,
        {row.course_id for row in unsectioned},
        {row.offer_year_id for row in unsectioned},
    )


def _judged(
    session: Session,
    institution_id: uuid.UUID,
    student_id: uuid.UUID,
    listed: list[list[list[AnyRow]] | None],
) -> dict[uuid.UUID, Judgement]:
    """What enrolling would do now in each listed section, judged for the whole page at once
    on the counters the page read (none when no section is listed)."""
    seats = {
        rows[0].section_id: Seats(
            capacity=rows[0].section_capacity,
            enrolled=rows[0].section_enrolled,
            waitlist_limit=rows[0].section_waitlist_limit,
            waitlisted=rows[0].section_waitlisted,
        )
        for sections in listed
        for rows in sections or ()
    }
    return eligibility.judge_sections(
        session.connection(), institution_id=institution_id, student_id=student_id, seats=seats
    )


def _available(
    group: list[AnyRow],
    prerequisites: dict[uuid.UUID, list[PrerequisiteShape]],
    sections: list[list[AnyRow]] | None,
    judged: dict[uuid.UUID, Judgement],
    filters: AvailableFilters,
) -> AvailableCourse:
    """One offered batch course in the seed's shape (`group`: its rows, one per meeting;
    `sections`: its sections' rows, None when sections are not asked for)."""
    bc = group[0]
    return AvailableCourse(
        course=shapes.course_shape(bc),
        assignment_info=AssignmentInfo(
            assignment_type=bc.assignment_type,
            year_of_study=calendar.year_of_study_for_semester(bc.offer_semester),
            is_required=bc.assignment_type is AssignmentType.MANDATORY,
            prerequisites=prerequisites.get(bc.course_id, [])
            if filters.include_prerequisites
            else None,
        ),
        available_sections=[
            shapes.available_section(rows, judged.get(rows[0].section_id)) for rows in sections
        ]
        if sections is not None
        else None,
        batch_enrollment=BatchEnrollmentFlags(
            is_batch_enrolled=True,
            auto_enroll=bc.auto_enroll_new_students,
            enrollment_status=bc.offer_status,
        ),
    )


def _guidelines(term: AnyRow | None, institution: InstitutionRef) -> EnrollmentGuidelines:
    """The matching term's credit limits (else the institution's) and registration deadline."""
    return EnrollmentGuidelines(
        max_credits_per_semester=credit_limit(
            term.max_credits if term else None, institution.max_credits
        ),
        min_credits_per_semester=credit_limit(
            term.min_credits if term else None, institution.min_credits
        ),
        enrollment_deadline=term.registration_end.date() if term else None,
        prerequisite_check_required=True,
    )


def _wanted(bc: AnyRow, year: str | None, semester: int | None, filters: AvailableFilters) -> bool:
    """Whether a batch course passes the filters (a None year or semester passes any)."""
    return (
        (year is None or bc.offer_year_code == year)
        and (semester is None or bc.offer_semester == semester)
        and (filters.course_type is None or bc.assignment_type == filters.course_type)
        and (filters.department is None or bc.department_code == filters.department)
    )


def _sections(offer: list[AnyRow], open_rows: list[AnyRow]) -> list[list[AnyRow]]:
    """The rows of a batch course's own section, else of each of the course's open sections in
    a term that holds its semester, in its year (`open_rows`: the course's rows of `term_rows`)."""
    bc = offer[0]
    if bc.own_section_id is not None:
        return [offer]
    return [
        section
        for section in grouped(open_rows, "section_id").values()
        if section[0].term_year_id == bc.offer_year_id
        and calendar.term_fits_semester(section[0].term_kind, bc.offer_semester)
    ]


def _prerequisites(
    rows: Sequence[AnyRow], scale: GradeScale
) -> dict[uuid.UUID, list[PrerequisiteShape]]:
    """Each course's prerequisites with the student's standing in them, from `prerequisite_rows`."""
    result: dict[uuid.UUID, list[PrerequisiteShape]] = {}
    for course_id, group in grouped(rows, "required_by").items():
        # Unsaved Course objects: the record's rule takes courses, and reads only these three.
        required = {
            row.course_id: Course(id=row.course_id, code=row.course_code, title=row.course_title)
            for row in group
        }
        attempts = [record_row(row) for row in group if row.status is not None]
        result[course_id] = [
            PrerequisiteShape(
                course_code=p.course_code,
                course_title=p.course_title,
                status=p.status,
                grade=p.grade,
            )
            for p in records.prerequisite_status(required.values(), attempts, scale)
        ]
    return result


def _term_of(rows: Sequence[AnyRow], year: str | None, semester: int | None) -> AnyRow | None:
    """The active term of that academic year holding that semester (odd or even), if any;
    the earliest when several do."""
    if year is None:
        return None
    of_year = grouped((r for r in rows if r.term_year_code == year and r.term_is_active), "term_id")
    # Terms starting the same day (a full year and its first half) have no order in SQL; the
    # earlier created is what a plain scan of the table gave, so the answer stays put.
    terms = sorted(
        (g[0] for g in of_year.values()), key=lambda t: (t.term_start, t.term_created_at)
    )
    if semester is None:
        return terms[0] if terms else None
    fitting = [t for t in terms if calendar.term_fits_semester(t.term_kind, semester)]
    return fitting[0] if fitting else None
