"""Students and the batches they belong to."""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registrar.academics.models import AcademicProgram, AcademicYear, Department
from registrar.db import Base
from registrar.kit.columns import IdMixin, TenantMixin, TimestampMixin, str_enum


class StudentStatus(enum.StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"
    SUSPENDED = "SUSPENDED"
    GRADUATED = "GRADUATED"
    WITHDRAWN = "WITHDRAWN"


class Gender(enum.StrEnum):
    M = "M"
    F = "F"
    O = "O"  # noqa: E741 - the code students and registrars use


class StudentBatch(IdMixin, TenantMixin, TimestampMixin, Base):
    """A cohort studying together: `CS-2024-3-A`, or a K-12 homeroom `SEC-G11-STEM-A`."""

    __tablename__ = "student_batches"
    __table_args__ = (
        UniqueConstraint("institution_id", "code"),
        CheckConstraint("capacity > 0", name="capacity"),
        CheckConstraint("year_of_study IS NULL OR year_of_study BETWEEN 1 AND 6", name="year"),
        CheckConstraint("semester IS NULL OR semester BETWEEN 1 AND 12", name="semester"),
        CheckConstraint("grade_level IS NULL OR grade_level BETWEEN 1 AND 12", name="grade"),
        Index(
            None,
            "institution_id",
            "department_id",
            "program_id",
            "academic_year_id",
            "year_of_study",
            "semester",
            "section",
        ),
    )

    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"))
    program_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("academic_programs.id"))
    academic_year_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("academic_years.id"))
    year_of_study: Mapped[int | None] = mapped_column(Integer)
    semester: Mapped[int | None] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(8))
    grade_level: Mapped[int | None] = mapped_column(Integer)
    track: Mapped[str | None] = mapped_column(String(40))
    strand: Mapped[str | None] = mapped_column(String(40))
    capacity: Mapped[int] = mapped_column(Integer, default=70)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)

    department: Mapped[Department | None] = relationship(lazy="raise")
    program: Mapped[AcademicProgram | None] = relationship(lazy="raise")
    academic_year: Mapped[AcademicYear | None] = relationship(lazy="raise")


class Student(IdMixin, TenantMixin, TimestampMixin, Base):
    """A student of a university or a school."""

    __tablename__ = "students"
    __table_args__ = (
        UniqueConstraint("institution_id", "roll_number"),
        CheckConstraint("year_of_study IS NULL OR year_of_study BETWEEN 1 AND 6", name="year"),
        CheckConstraint("semester IS NULL OR semester BETWEEN 1 AND 12", name="semester"),
        CheckConstraint("grade_level IS NULL OR grade_level BETWEEN 1 AND 12", name="grade"),
        Index(None, "batch_id"),
        Index(
            None,
            "institution_id",
            "department_id",
            "program_id",
            "academic_year_id",
            "year_of_study",
            "semester",
            "section",
        ),
        Index(None, "institution_id", "grade_level"),
    )

    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), unique=True)
    roll_number: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    gender: Mapped[Gender | None] = mapped_column(str_enum(Gender, "gender"))
    category: Mapped[str | None] = mapped_column(String(16))
    guardian_email: Mapped[str | None] = mapped_column(String(254))
    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"))
    program_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("academic_programs.id"))
    academic_year_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("academic_years.id"))
    year_of_study: Mapped[int | None] = mapped_column(Integer)
    semester: Mapped[int | None] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(8))
    batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("student_batches.id"))
    grade_level: Mapped[int | None] = mapped_column(Integer)
    track: Mapped[str | None] = mapped_column(String(40))
    strand: Mapped[str | None] = mapped_column(String(40))
    admission_year: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[StudentStatus] = mapped_column(
        str_enum(StudentStatus, "student_status"), default=StudentStatus.ACTIVE
    )

    department: Mapped[Department | None] = relationship(lazy="raise")
    program: Mapped[AcademicProgram | None] = relationship(lazy="raise")
    academic_year: Mapped[AcademicYear | None] = relationship(lazy="raise")
    batch: Mapped[StudentBatch | None] = relationship(lazy="raise")
