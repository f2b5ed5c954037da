"""Processing a continuing student's enrollment: decide, enroll through the engine, record; or,
in a dry run, decide and ask the engine, writing nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from registrar.academics.models import AcademicYear, CourseSection, Term
from registrar.audit import service as audit
from registrar.auth.models import Role, User
from registrar.auth.principal import InstitutionRef, Principal
from registrar.enrollment.continuing import deciding, notices, repository
from registrar.enrollment.continuing.enrolling import enroll_all, rule_schedules
from registrar.enrollment.continuing.placement import SubjectChoice
from registrar.enrollment.continuing.rulings import (
    ContinuingRefused,
    MissingFields,
    Ruling,
    Rulings,
    SubjectRulings,
)
from registrar.enrollment.continuing.standing import K12Rule, LevelRules, Refusal
from registrar.enrollment.outcomes import EnrollmentRecord
from registrar.errors import Forbidden, NotFound
from registrar.kit.columns import utcnow
from registrar.students.models import Student, StudentBatch, StudentStatus

AUDIT_ACTION = "CONTINUING_ENROLLMENT_PROCESSED"


class ContinuingRequest(Protocol):
    """What the engine reads of a request; the seed's JSON shape lives in the portal."""

    @property
    def student_id(self) -> str:
        """The student (a roll number or id)."""

    @property
    def school_year_id(self) -> str:
        """The school year (a code or id)."""

    @property
    def semester_id(self) -> str | None:
        """The semester (SEM1, a term code or id), if any."""

    @property
    def subjects_to_enroll(self) -> Sequence[SubjectChoice] | None:
        """The subjects asked for, in subject mode."""

    @property
    def section_id(self) -> str | None:
        """The homeroom (a batch code or id), in section mode."""

    @property
    def processed_by(self) -> str:
        """Who processes the request (a username or user id)."""


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


def _institution(session: Session, principal: Principal, tenant_tag: str | None) -> InstitutionRef:
    """The token's school; a header naming another one is refused."""
    if tenant_tag:
        named = repository.find_institution(session, tenant_tag)
        if named is None:
            raise NotFound(f"Unknown institution {tenant_tag!r}")
        if named.id != principal.institution.id:
            raise Forbidden("The x-tenant-tag header names another institution than the token")
    return principal.institution


def _student(session: Session, principal: Principal, ident: str, rulings: Rulings) -> Student:
    """The student asked for, locked (a dry run, which writes nothing, locks nothing); a
    student may only ask for themself."""
    find = repository.find_student if rulings.dry_run else repository.lock_student
    student = find(session, principal.institution.id, ident)
    if principal.role is Role.STUDENT and (student is None or student.user_id != principal.user.id):
        raise Forbidden("Students may only process their own enrollment")
    if student is None:
        raise ContinuingRefused(f"Student not found: {ident}", details={"studentId": ident})
    inactive = Refusal("Student is not active", {"status": student.status.value})
    active = student.status is StudentStatus.ACTIVE
    rulings.rule(K12Rule.STUDENT_INACTIVE, None if active else inactive)
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


@dataclass(frozen=True)
class Decided:
    """Who asked for what, and where the rules place the student; nothing written yet."""

    institution: InstitutionRef
    processor: User
    student: Student
    year: AcademicYear
    where: deciding.Placement


def _decide(
    session: Session,
    principal: Principal,
    tenant_tag: str | None,
    request: ContinuingRequest,
    rulings: Rulings,
) -> Decided:
    """The request checked, and the student's standing and schedules decided by the rules."""
    institution = _institution(session, principal, tenant_tag)
    if not request.section_id and not request.subjects_to_enroll:
        raise MissingFields(["subjectsToEnroll", "sectionId"])
    if request.section_id and request.subjects_to_enroll:
        raise ContinuingRefused("Send either subjectsToEnroll or sectionId, not both")
    processor = _processor(session, principal, request.processed_by)
    student = _student(session, principal, request.student_id, rulings)
    year = repository.find_year(session, institution.id, request.school_year_id)
    if year is None:
        raise ContinuingRefused(f"School year not found: {request.school_year_id}")
    asked = deciding.Asked(
        request.semester_id, request.section_id, request.subjects_to_enroll or []
    )
    where = deciding.place(session, institution, student, year, asked, rulings)
    return Decided(institution, processor, student, year, where)


@dataclass(frozen=True)
class Trial:
    """A dry run's answer: what the request would do now, every rule's verdict on it, and each
    subject's own verdicts."""

    outcome: str
    checks: list[Ruling]
    subjects: list[SubjectRulings]
    grade: int


def try_out(
    session: Session,
    *,
    principal: Principal,
    tenant_tag: str | None,
    request: ContinuingRequest,
) -> Trial:
    """Run every rule on the request, the engine's on each schedule too, and write nothing.

    The same checks of the request and the same authorization as `process`; a rule broken is
    noted and the next one judged. From unlocked reads: true as of now.
    """
    rulings = Rulings.noting()
    decided = _decide(session, principal, tenant_tag, request, rulings)
    rule_schedules(session, decided.student, decided.processor, decided.where.sections, rulings)
    return Trial(rulings.outcome, rulings.overall(), rulings.subjects, decided.where.grade)


def process(
    session: Session,
    *,
    principal: Principal,
    tenant_tag: str | None,
    request: ContinuingRequest,
) -> Processed:
    """Check the student's standing and the request, enroll every subject, advance the student."""
    decided = _decide(session, principal, tenant_tag, request, Rulings.refusing())
    institution, processor, student = decided.institution, decided.processor, decided.student
    year, where = decided.year, decided.where
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
