"""`GET .../available/`: the batch's assigned courses the student can still enroll in."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection, Term
from registrar.auth.principal import Principal
from registrar.enrollment.models import AssignmentType, BatchCourse
from registrar.institutions.grading import scale_of
from registrar.portal.student_portal import calendar, repository, shapes
from registrar.portal.student_portal.schemas import (
    AssignmentInfo,
    AvailableCourse,
    AvailableCoursesResponse,
    BatchEnrollmentFlags,
    EnrollmentGuidelines,
    FiltersApplied,
    PrerequisiteShape,
    SectionWithTimetable,
)
from registrar.portal.student_portal.service import batch_of, current_student
from registrar.records import repository as records_repository
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
    student = current_student(session, principal)
    batch = batch_of(student)
    batch_id = batch.id
    year = filters.academic_year or (batch.academic_year.code if batch.academic_year else None)
    semester = filters.semester if filters.semester is not None else batch.semester
    offered = repository.batch_courses(
        session,
        institution.id,
        batch_id,
        academic_year=year,
        semester=semester,
        assignment_type=filters.course_type,
        department_code=filters.department,
        with_prerequisites=filters.include_prerequisites,
        with_sections=filters.include_sections,
        not_enrolled=student.id,
    )
    sections = _sections(session, institution.id, batch_id, offered, filters.include_sections)
    scale = scale_of(institution.grade_scale)
    completed = []
    if filters.include_prerequisites:
        prerequisite_ids = {p.id for bc in offered for p in bc.course.prerequisites}
        completed = records_repository.completed_rows(
            session, institution.id, student.id, prerequisite_ids
        )
    courses: list[AvailableCourse] = []
    for bc in offered:
        prerequisites = None
        if filters.include_prerequisites:
            prerequisites = [
                PrerequisiteShape(
                    course_code=p.course_code,
                    course_title=p.course_title,
                    status=p.status,
                    grade=p.grade,
                )
                for p in records.prerequisite_status(bc.course.prerequisites, completed, scale)
            ]
        courses.append(
            AvailableCourse(
                course=shapes.course_shape(bc.course),
                assignment_info=AssignmentInfo(
                    assignment_type=bc.assignment_type,
                    year_of_study=calendar.year_of_study_for_semester(bc.semester),
                    is_required=bc.assignment_type is AssignmentType.MANDATORY,
                    prerequisites=prerequisites,
                ),
                available_sections=sections.get(bc.id, []) if filters.include_sections else None,
                batch_enrollment=BatchEnrollmentFlags(
                    is_batch_enrolled=True,
                    auto_enroll=bc.auto_enroll_new_students,
                    enrollment_status=bc.status,
                ),
            )
        )
    term = _term_of(session, institution.id, year, semester)
    return AvailableCoursesResponse(
        available_courses=courses,
        filters_applied=FiltersApplied(
            academic_year=year,
            semester=str(semester) if semester is not None else None,
            course_type=filters.course_type,
            department=filters.department,
        ),
        enrollment_guidelines=EnrollmentGuidelines(
            max_credits_per_semester=_or_default(
                term.max_credits if term else None, institution.max_credits
            ),
            min_credits_per_semester=_or_default(
                term.min_credits if term else None, institution.min_credits
            ),
            enrollment_deadline=term.registration_end.date() if term else None,
            prerequisite_check_required=True,
        ),
    )


def _sections(
    session: Session,
    institution_id: uuid.UUID,
    batch_id: uuid.UUID,
    offered: list[BatchCourse],
    wanted: bool,
) -> dict[uuid.UUID, list[SectionWithTimetable]]:
    """Per batch course: its own section, else the course's active sections of its term."""
    if not wanted:
        return {}
    result: dict[uuid.UUID, list[SectionWithTimetable]] = {}
    unsectioned = [bc for bc in offered if bc.section is None]
    by_course: dict[uuid.UUID, list[CourseSection]] = defaultdict(list)
    for section in repository.open_sections(
        session,
        institution_id,
        batch_id,
        {bc.course_id for bc in unsectioned},
        {bc.academic_year_id for bc in unsectioned},
    ):
        by_course[section.course_id].append(section)
    for bc in offered:
        if bc.section is not None:
            result[bc.id] = [shapes.section_with_timetable(bc.section)]
            continue
        result[bc.id] = [
            shapes.section_with_timetable(section)
            for section in by_course[bc.course_id]
            if section.term.academic_year_id == bc.academic_year_id
            and calendar.term_fits_semester(section.term.kind, bc.semester)
        ]
    return result


def _term_of(
    session: Session, institution_id: uuid.UUID, year: str | None, semester: int | None
) -> Term | None:
    """The term of that academic year holding that semester (odd or even), if there is one."""
    if year is None:
        return None
    terms = repository.terms_of_year(session, institution_id, year)
    if semester is None:
        return terms[0] if terms else None
    fitting = [t for t in terms if calendar.term_fits_semester(t.kind, semester)]
    return fitting[0] if fitting else None


def _or_default(term_limit: int | None, institution_limit: int) -> int:
    """The term's credit limit, else the institution's (0 is a limit, not a missing one)."""
    return institution_limit if term_limit is None else term_limit
