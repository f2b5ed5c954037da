"""Enrollments of students in sections, and courses assigned to whole batches."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registrar.academics.models import AcademicYear, Course, CourseSection
from registrar.db import Base
from registrar.enrollment.facts import HOLDING_PLACE as HOLDING_PLACE

# The rules' enums, here too so every model and query keeps naming them from the models.
from registrar.enrollment.facts import EnrollmentStatus as EnrollmentStatus
from registrar.enrollment.facts import EnrollmentType as EnrollmentType
from registrar.kit.columns import IdMixin, TenantMixin, TimestampMixin, UTCDateTime, str_enum
from registrar.students.models import Student, StudentBatch


class AssignmentType(enum.StrEnum):
    MANDATORY = "MANDATORY"
    ELECTIVE = "ELECTIVE"
    OPTIONAL = "OPTIONAL"


class BatchCourseStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"


class Enrollment(IdMixin, TenantMixin, TimestampMixin, Base):
    """One student in one section; never deleted, its status tells its story."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("student_id", "section_id"),
        CheckConstraint(
            "(status = 'WAITLISTED') = (waitlist_position IS NOT NULL)", name="waitlist_position"
        ),
        CheckConstraint("waitlist_position IS NULL OR waitlist_position > 0", name="position"),
        CheckConstraint("(status = 'OFFERED') = (offer_expires_at IS NOT NULL)", name="offer"),
        CheckConstraint(
            "attendance_percentage IS NULL OR attendance_percentage BETWEEN 0 AND 100",
            name="attendance",
        ),
        CheckConstraint("grade_points IS NULL OR grade_points >= 0", name="grade_points"),
        Index(None, "student_id", "status"),
        Index(None, "section_id", "status", "waitlist_position"),
        Index(None, "batch_course_id"),
        # The worker's search for offers past their time: all other rows are NULL here.
        Index(None, "offer_expires_at"),
    )

    student_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("students.id"))
    section_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_sections.id"))
    status: Mapped[EnrollmentStatus] = mapped_column(
        str_enum(EnrollmentStatus, "enrollment_status")
    )
    enrollment_type: Mapped[EnrollmentType] = mapped_column(
        str_enum(EnrollmentType, "enrollment_type"), default=EnrollmentType.REGULAR
    )
    enrollment_date: Mapped[date] = mapped_column(Date)
    grade: Mapped[str | None] = mapped_column(String(8))
    grade_points: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    attendance_percentage: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    waitlist_position: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    drop_reason: Mapped[str | None] = mapped_column(Text)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dropped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # An OFFERED seat is held for the student until then (`enrollment.offers`).
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The batch course that put the student here; None for the student's own choice. A batch
    # is a subscription: leaving it, or its course being cancelled, drops what the batch made
    # and never the student's own electives (`enrollment.batch_courses.subscriptions`).
    batch_course_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("batch_courses.id", ondelete="SET NULL")
    )

    student: Mapped[Student] = relationship(lazy="raise")
    section: Mapped[CourseSection] = relationship(lazy="raise")


class BatchCourse(IdMixin, TenantMixin, TimestampMixin, Base):
    """A course (optionally one section of it) assigned to a batch for a year and semester."""

    __tablename__ = "batch_courses"
    __table_args__ = (
        UniqueConstraint("batch_id", "course_id", "academic_year_id", "semester"),
        CheckConstraint("semester BETWEEN 1 AND 12", name="semester"),
        Index(None, "batch_id", "status"),
        Index(None, "course_id", "academic_year_id", "semester"),
        Index(None, "section_id"),
    )

    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("student_batches.id"))
    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id"))
    section_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("course_sections.id"))
    academic_year_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("academic_years.id"))
    semester: Mapped[int] = mapped_column(Integer)
    assignment_type: Mapped[AssignmentType] = mapped_column(
        str_enum(AssignmentType, "assignment_type"), default=AssignmentType.MANDATORY
    )
    status: Mapped[BatchCourseStatus] = mapped_column(
        str_enum(BatchCourseStatus, "batch_course_status"), default=BatchCourseStatus.ACTIVE
    )
    auto_enroll_new_students: Mapped[bool] = mapped_column(Boolean, default=True)
    enrollment_date: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")

    batch: Mapped[StudentBatch] = relationship(lazy="raise")
    course: Mapped[Course] = relationship(lazy="raise")
    section: Mapped[CourseSection | None] = relationship(lazy="raise")
    academic_year: Mapped[AcademicYear] = relationship(lazy="raise")
