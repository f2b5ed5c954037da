"""Courses, their offerings (sections), timetables, rooms and faculty."""

from __future__ import annotations

import enum
import uuid
from datetime import time

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registrar.academics.models.structure import Department, Term
from registrar.db import Base
from registrar.institutions.models import WaitlistMode
from registrar.kit.columns import IdMixin, TenantMixin, TimestampMixin, str_enum


class SectionType(enum.StrEnum):
    LECTURE = "LECTURE"
    LAB = "LAB"
    TUTORIAL = "TUTORIAL"


class Weekday(enum.StrEnum):
    """A day of the week; `ordinal` orders them Monday first."""

    MONDAY = "MONDAY"
    TUESDAY = "TUESDAY"
    WEDNESDAY = "WEDNESDAY"
    THURSDAY = "THURSDAY"
    FRIDAY = "FRIDAY"
    SATURDAY = "SATURDAY"
    SUNDAY = "SUNDAY"

    @property
    def ordinal(self) -> int:
        """Monday is 0."""
        return _WEEKDAY_ORDINALS[self]


_WEEKDAY_ORDINALS = {day: number for number, day in enumerate(Weekday)}


course_prerequisites = Table(
    "course_prerequisites",
    Base.metadata,
    Column(
        "institution_id", Uuid, ForeignKey("institutions.id", ondelete="CASCADE"), nullable=False
    ),
    Column("course_id", Uuid, ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    Column("prerequisite_id", Uuid, ForeignKey("courses.id"), primary_key=True),
    CheckConstraint("course_id <> prerequisite_id", name="not_self"),
    Index(None, "prerequisite_id"),
)


class Course(IdMixin, TenantMixin, TimestampMixin, Base):
    """A catalog entry (a university course or a K-12 subject)."""

    __tablename__ = "courses"
    __table_args__ = (
        UniqueConstraint("institution_id", "code"),
        CheckConstraint("credits >= 0", name="credits"),
        Index(None, "department_id"),
    )

    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"))
    program_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("academic_programs.id"))
    code: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    credits: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16), default="UG")
    catalog_semester: Mapped[int | None] = mapped_column(Integer)
    grade_level: Mapped[int | None] = mapped_column(Integer)
    track: Mapped[str | None] = mapped_column(String(40))
    strand: Mapped[str | None] = mapped_column(String(40))
    is_core: Mapped[bool] = mapped_column(Boolean, default=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Taken with one of its lecture's linked LAB or TUTORIAL sections, never the lecture alone.
    requires_linked_section: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )

    department: Mapped[Department | None] = relationship(lazy="raise")
    prerequisites: Mapped[list[Course]] = relationship(
        secondary=course_prerequisites,
        primaryjoin=lambda: Course.id == course_prerequisites.c.course_id,
        secondaryjoin=lambda: Course.id == course_prerequisites.c.prerequisite_id,
        lazy="raise",
        # Read-only: the link rows carry institution_id, which the ORM cannot fill in, so
        # repositories insert them explicitly.
        viewonly=True,
    )


class Faculty(IdMixin, TenantMixin, TimestampMixin, Base):
    """A teacher or professor."""

    __tablename__ = "faculty"
    __table_args__ = (UniqueConstraint("institution_id", "employee_code"),)

    department_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("departments.id"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), unique=True)
    employee_code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    designation: Mapped[str] = mapped_column(String(80), default="")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Room(IdMixin, TenantMixin, Base):
    """A room in a building."""

    __tablename__ = "rooms"
    __table_args__ = (
        UniqueConstraint("institution_id", "code"),
        CheckConstraint("capacity > 0", name="capacity"),
    )

    code: Mapped[str] = mapped_column(String(32))
    building: Mapped[str] = mapped_column(String(120))
    capacity: Mapped[int] = mapped_column(Integer, default=60)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class CourseSection(IdMixin, TenantMixin, TimestampMixin, Base):
    """An offering of a course in a term, with its seats and its waitlist.

    The counters are changed only by conditional updates in the enrollment engine; the CHECKs
    make the database refuse any write that would oversubscribe the section.
    """

    __tablename__ = "course_sections"
    __table_args__ = (
        UniqueConstraint("institution_id", "code"),
        CheckConstraint("capacity >= 0", name="capacity"),
        CheckConstraint("waitlist_limit >= 0", name="waitlist_limit"),
        CheckConstraint("enrolled_count >= 0 AND enrolled_count <= capacity", name="enrolled"),
        CheckConstraint(
            "waitlisted_count >= 0 AND waitlisted_count <= waitlist_limit", name="waitlisted"
        ),
        CheckConstraint("offer_hours IS NULL OR offer_hours > 0", name="offer_hours"),
        Index(None, "term_id", "course_id"),
        Index(None, "course_id"),
        Index(None, "student_batch_id"),
        Index(None, "faculty_id"),
        Index(None, "linked_to_section_id"),
    )

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("courses.id"))
    term_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("terms.id"))
    faculty_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("faculty.id"))
    student_batch_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("student_batches.id"))
    code: Mapped[str] = mapped_column(String(40))
    section_type: Mapped[SectionType] = mapped_column(str_enum(SectionType, "section_type"))
    capacity: Mapped[int] = mapped_column(Integer)
    waitlist_limit: Mapped[int] = mapped_column(Integer, default=10)
    enrolled_count: Mapped[int] = mapped_column(Integer, default=0)
    waitlisted_count: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A LAB or TUTORIAL names the LECTURE it belongs to (same course and term): it is taken
    # only with that lecture, and dropping the lecture drops it.
    linked_to_section_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("course_sections.id", ondelete="SET NULL")
    )
    # The institution's waitlist mode and offer hours, unless the section says otherwise.
    waitlist_mode: Mapped[WaitlistMode | None] = mapped_column(
        str_enum(WaitlistMode, "waitlist_mode")
    )
    offer_hours: Mapped[int | None] = mapped_column(Integer)

    course: Mapped[Course] = relationship(lazy="raise")
    term: Mapped[Term] = relationship(lazy="raise")
    faculty: Mapped[Faculty | None] = relationship(lazy="raise")
    slots: Mapped[list[TimetableSlot]] = relationship(
        lazy="raise", order_by="TimetableSlot.start_time"
    )


class TimetableSlot(IdMixin, TenantMixin, Base):
    """A weekly meeting of a section."""

    __tablename__ = "timetable_slots"
    __table_args__ = (
        CheckConstraint("start_time < end_time", name="times"),
        Index(None, "section_id"),
        Index(None, "room_id", "day"),
    )

    section_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("course_sections.id", ondelete="CASCADE")
    )
    day: Mapped[Weekday] = mapped_column(str_enum(Weekday, "weekday"))
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    room_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("rooms.id"))

    room: Mapped[Room | None] = relationship(lazy="raise")
