"""Processing a continuing student's enrollment: decide, enroll through the engine, record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear, CourseSection, Term
from registrar.audit import service as audit
from registrar.auth.models import Role, User
from registrar.auth.principal import InstitutionRef, Principal
from registrar.enrollment.continuing import notices, placement, repository
from registrar.enrollment.continuing.enrolling import enroll_all
from registrar.enrollment.continuing.placement import ContinuingRefused, MissingFields
from registrar.enrollment.continuing.records import Judged, last_period
from registrar.enrollment.continuing.schemas import ContinuingEnrollmentRequest
from registrar.enrollment.continuing.standing import (
    LevelRules,
    Prerequisite,
    Refusal,
    assess,
    core_check_applies,
    detect_level,
    prerequisite_refusal,
    standing_refusal,
    target_grade,
    unit_load_refusal,
)
from registrar.enrollment.outcomes import EnrollmentRecord
from registrar.errors import Forbidden, NotFound
from registrar.institutions.models import Institution
from registrar.kit.columns import utcnow
from registrar.students.models import Student, StudentBatch, StudentStatus

AUDIT_ACTION = "CONTINUING_ENROLLMENT_PROCESSED"


@dataclass(frozen=True)
class Processed:
    """What one processed request did; the endpoint shapes the seed's answer from it."""

    record_id: str
    student: Student
    rules: LevelRules
    year: AcademicYear
    term: Term | None
    batch: StudentBatch | None
    previous_grade: int
    processor: User
    placed: list[tuple[CourseSection, EnrollmentRecord]]
    processed_at: datetime

    @property
    def total_units(self) -> int:
        """Units of every subject enrolled."""
        return sum(section.course.credits for section, _ in self.placed)


@dataclass(frozen=True)
class Placement:
    """Where the student goes: grade, level rules, terms, homeroom and schedules."""

    grade: int
    rules: LevelRules
    term: Term | None
    batch: StudentBatch | None
    sections: list[CourseSection]


def _refuse(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise ContinuingRefused(refusal.message, details=refusal.details)


def _institution(session: Session, principal: Principal, tenant_tag: str | None) -> InstitutionRef:
    """The token's school; a header naming another one is refused."""
    if tenant_tag:
        named = repository.find_institution(session, tenant_tag)
        if named is None:
            raise NotFound(f"Unknown institution {tenant_tag!r}")
        if named.id != principal.institution.id:
            raise Forbidden("The x-tenant-tag header names another institution than the token")
    return principal.institution


def _student(session: Session, principal: Principal, ident: str) -> Student:
    """The student asked for, locked; a student may only ask for themself."""
    student = repository.lock_student(session, principal.institution.id, ident)
    if principal.role is Role.STUDENT and (student is None or student.user_id != principal.user.id):
        raise Forbidden("Students may only process their own enrollment")
    if student is None:
        raise ContinuingRefused(f"Student not found: {ident}", details={"studentId": ident})
    if student.status is not StudentStatus.ACTIVE:
        raise ContinuingRefused("Student is not active", details={"status": student.status.value})
    if student.grade_level is None:
        raise ContinuingRefused("Student has no grade level on record")
    return student


def _processor(session: Session, principal: Principal, ident: str) -> User:
    """The user named by `processedBy`: an active user of the school (a student only themself)."""
    user = repository.find_active_user(session, principal.institution.id, ident)
    if user is None:
        raise ContinuingRefused(
            f"Unknown processedBy user: {ident}", details={"processedBy": ident}
        )
    if principal.role is Role.STUDENT and user.id != principal.user.id:
        raise Forbidden("A student may only record themself as processedBy")
    return user


def _level(all_rules: list[LevelRules], grade: int) -> LevelRules:
    rules = detect_level(all_rules, grade)
    if rules is None:
        raise ContinuingRefused(
            f"Grade {grade} is not taught at this school", details={"gradeLevel": grade}
        )
    return rules


def process(
    session: Session,
    *,
    principal: Principal,
    tenant_tag: str | None,
    request: ContinuingEnrollmentRequest,
) -> Processed:
    """Check the student's standing and the request, enroll every subject, advance the student."""
    institution = _institution(session, principal, tenant_tag)
    if not request.section_id and not request.subjects_to_enroll:
        raise MissingFields(["subjectsToEnroll", "sectionId"])
    if request.section_id and request.subjects_to_enroll:
        raise ContinuingRefused("Send either subjectsToEnroll or sectionId, not both")
    processor = _processor(session, principal, request.processed_by)
    student = _student(session, principal, request.student_id)
    year = repository.find_year(session, institution.id, request.school_year_id)
    if year is None:
        raise ContinuingRefused(f"School year not found: {request.school_year_id}")
    where = _place(session, institution, student, year, request)
    placed = enroll_all(session, student, processor, where.sections)
    previous_grade = student.grade_level or where.grade
    _advance(student, where.grade, year, where.batch)
    event_id = audit.record(
        session,
        institution_id=institution.id,
        actor_user_id=processor.id,
        action=AUDIT_ACTION,
        entity_type="student",
        entity_id=student.id,
        details={
            "school_year": year.code,
            "semester": where.term.code if where.term else None,
            "education_level": where.rules.level.value,
            "previous_grade_level": previous_grade,
            "grade_level": where.grade,
            "section": where.batch.code if where.batch else None,
            "schedules": [section.code for section in where.sections],
            "enrollment_ids": [str(enrollment.id) for _, enrollment in placed],
            "requested_by": str(principal.user.id),
        },
    )
    session.flush()
    done = Processed(
        record_id=str(event_id),
        student=student,
        rules=where.rules,
        year=year,
        term=where.term,
        batch=where.batch,
        previous_grade=previous_grade,
        processor=processor,
        placed=placed,
        processed_at=utcnow(),
    )
    notices.announce(session, _announcement(done))
    return done


def _place(
    session: Session,
    institution: Institution | InstitutionRef,
    student: Student,
    year: AcademicYear,
    request: ContinuingEnrollmentRequest,
) -> Placement:
    """The student's next grade and its rules, their standing checked, and the schedules to take."""
    all_rules = [
        LevelRules.from_policy(p) for p in repository.level_policies(session, institution.id)
    ]
    current = _level(all_rules, student.grade_level or 0)
    terms = list(repository.terms_of(session, year.id))
    if not terms:
        raise ContinuingRefused(f"School year {year.code} has no terms")
    term = None
    if request.semester_id:
        term = placement.resolve_term(terms, request.semester_id)
        if term is None:
            raise ContinuingRefused(f"Semester not found in {year.code}: {request.semester_id}")
    # A semester only matters to a semester-based level; a full-year level ignores one sent.
    period = last_period(
        session, student, year, term if current.semester_based else None, institution
    )
    judged = period.judged(current)
    grade = target_grade(
        student.grade_level or 0,
        assess(judged.regular, judged.makeups, current),
        new_school_year=period.new_school_year,
    )
    rules = _level(all_rules, grade)
    if not rules.semester_based:
        term = None
    elif term is None:
        raise MissingFields(["semesterId"])
    used_terms = placement.enrollment_terms(terms, term)
    # Full-year levels hold one enrollment per school year; semester-based ones one per term.
    held = repository.active_enrollments(
        session, student.id, [t.id for t in (used_terms if term is not None else terms)]
    )
    if held:
        raise ContinuingRefused(
            f"Student already has an active enrollment for {year.code}",
            details={"enrolledSubjects": list(held)},
        )
    judged = period.judged(rules)
    standing = assess(judged.regular, judged.makeups, rules)
    completed = detect_level(all_rules, standing.completed_grade or 0)
    core_required = core_check_applies(rules, completed)
    _refuse(standing_refusal(standing, rules, core_required=core_required))

    batch = None
    if request.section_id:
        room = placement.homeroom(
            session,
            student=student,
            code=request.section_id,
            grade=grade,
            rules=rules,
            terms=used_terms,
            year=year,
        )
        batch, sections = room.batch, room.sections
    else:
        sections = placement.subjects(
            session,
            student=student,
            items=request.subjects_to_enroll or [],
            grade=grade,
            rules=rules,
            terms=used_terms,
        )
    _check_prerequisites(session, sections, judged)
    if rules.semester_based:
        _refuse(unit_load_refusal(sum(s.course.credits for s in sections), rules))
    return Placement(grade=grade, rules=rules, term=term, batch=batch, sections=sections)


def _check_prerequisites(session: Session, sections: list[CourseSection], judged: Judged) -> None:
    """Every prerequisite of every subject passed before, make-ups included."""
    found = repository.prerequisites_of(session, [s.course_id for s in sections])
    for section in sections:
        prerequisites = [Prerequisite(pid, code) for pid, code in found.get(section.course_id, [])]
        _refuse(prerequisite_refusal(section.course.code, prerequisites, judged.passed_ever))


def _advance(student: Student, grade: int, year: AcademicYear, batch: StudentBatch | None) -> None:
    """Move the student to the grade they now study, and into the homeroom when one was given."""
    student.grade_level = grade
    student.academic_year_id = year.id
    if batch is not None:
        student.batch_id = batch.id
        student.section = batch.section
        student.track = student.track or batch.track
        student.strand = student.strand or batch.strand


def _announcement(done: Processed) -> notices.Announcement:
    sections = [section for section, _ in done.placed]
    return notices.Announcement(
        student=done.student,
        level=done.rules.level,
        school_year=done.year.code,
        previous_grade=done.previous_grade,
        section=done.batch.code if done.batch else None,
        semester=done.term.code if done.term else None,
        sections=sections,
        total_units=done.total_units,
    )
