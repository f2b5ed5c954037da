"""The seed's success answer, built in one place from what the service did."""

from __future__ import annotations

from collections.abc import Sequence

from registrar.academics.models import CourseSection
from registrar.enrollment.continuing.rulings import Ruling
from registrar.enrollment.continuing.service import Processed, Trial
from registrar.institutions.models import EducationLevel
from registrar.portal.continuing.schemas import (
    CheckRead,
    ContinuingData,
    ContinuingEnrollmentResponse,
    DryRunResponse,
    EnrollmentInfo,
    EnrollmentRead,
    ScheduleRead,
    StudentInfo,
    StudentRead,
    SubjectRead,
    SubjectTrialRead,
    Summary,
)


def schedule_of(section: CourseSection) -> ScheduleRead:
    """Days, first meeting's times and room of a schedule."""
    slots = sorted(section.slots, key=lambda slot: (slot.day.ordinal, slot.start_time))
    first = slots[0] if slots else None
    room = next((slot.room.code for slot in slots if slot.room is not None), None)
    return ScheduleRead(
        schedule_id=section.code,
        days=list(dict.fromkeys(slot.day.value for slot in slots)),
        time_start=f"{first.start_time:%H:%M}" if first else None,
        time_end=f"{first.end_time:%H:%M}" if first else None,
        room=room,
    )


def response_of(done: Processed) -> ContinuingEnrollmentResponse:
    """`{"success": true, "message": ..., "data": {enrollment, student, summary}}`."""
    return ContinuingEnrollmentResponse(
        data=ContinuingData(
            enrollment=_enrollment(done), student=_student(done), summary=_summary(done)
        )
    )


# Every continuing enrollment the service returns has enrolled its student.
STATUS = "ENROLLED"


def _semester(done: Processed) -> str | None:
    return done.term.code if done.term is not None else None


def _enrollment(done: Processed) -> EnrollmentRead:
    """The processed request: where the student went and who processed it."""
    grade = done.student.grade_level or 0
    return EnrollmentRead(
        id=done.record_id,
        status=STATUS,
        education_level=done.rules.level,
        school_year=done.year.code,
        semester=_semester(done),
        grade_level=grade,
        previous_grade_level=done.previous_grade,
        advanced=grade != done.previous_grade,
        section=done.batch.code if done.batch else None,
        mode="SECTION" if done.batch else "SUBJECTS",
        processed_by=done.processor.username,
        processed_at=done.processed_at.isoformat(),
        enrollment_ids=[str(enrollment.id) for _, enrollment in done.placed],
    )


def _student(done: Processed) -> StudentRead:
    """The student as they are now (their new grade and homeroom)."""
    student = done.student
    return StudentRead(
        id=str(student.id),
        student_id=student.roll_number,
        name=student.name,
        email=student.email,
        guardian_email=student.guardian_email,
        grade_level=student.grade_level or 0,
        education_level=done.rules.level,
        section=done.batch.code if done.batch else None,
        track=student.track,
        strand=student.strand,
        status=student.status.value,
    )


def _summary(done: Processed) -> Summary:
    """The report-card style summary; track, strand and semester only for Senior High."""
    student = done.student
    senior = done.rules.level is EducationLevel.SENIOR_HIGH
    return Summary(
        student_info=StudentInfo(
            id=student.roll_number,
            name=student.name,
            email=student.email,
            grade_level=str(student.grade_level or 0),
            strand=student.strand if senior else None,
            track=student.track if senior else None,
        ),
        enrollment_info=EnrollmentInfo(
            id=done.record_id,
            status=STATUS,
            total_units=done.total_units,
            total_subjects=len(done.placed),
            semester=_semester(done) if senior else None,
        ),
        subjects=[
            SubjectRead(
                code=section.course.code,
                name=section.course.title,
                units=section.course.credits,
                enrollment_id=str(enrollment.id),
                schedule=schedule_of(section),
            )
            for section, enrollment in done.placed
        ],
    )


def dry_run_of(trial: Trial) -> DryRunResponse:
    """`{"dry_run": true, "outcome": ..., "checks": [...], "subjects": [...]}`."""
    return DryRunResponse(
        outcome=trial.outcome,
        grade_level=trial.grade,
        checks=_checks(trial.checks),
        subjects=[
            SubjectTrialRead(
                subject=subject.subject,
                schedule_id=subject.schedule,
                outcome=subject.outcome,
                checks=_checks(subject.rulings),
            )
            for subject in trial.subjects
        ],
    )


def _checks(rulings: Sequence[Ruling]) -> list[CheckRead]:
    return [
        CheckRead(
            rule=ruling.rule,
            passed=ruling.passed,
            message=ruling.refusal.message if ruling.refusal is not None else "OK",
            details=ruling.refusal.details if ruling.refusal is not None else {},
        )
        for ruling in rulings
    ]
