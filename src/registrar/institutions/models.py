"""An institution and the rules it enrolls by."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from registrar.db import Base
from registrar.kit.columns import IdMixin, TenantMixin, TimestampMixin, str_enum


class InstitutionKind(enum.StrEnum):
    UNIVERSITY = "UNIVERSITY"
    K12 = "K12"


class WaitlistMode(enum.StrEnum):
    """What a seat that opens does for the head of a waitlist."""

    AUTO_ENROLL = "AUTO_ENROLL"  # moves them into it at once
    OFFER = "OFFER"  # holds it for them to accept within the offer's hours


class EducationLevel(enum.StrEnum):
    ELEMENTARY = "ELEMENTARY"
    JUNIOR_HIGH = "JUNIOR_HIGH"
    SENIOR_HIGH = "SENIOR_HIGH"


class Institution(IdMixin, TimestampMixin, Base):
    """A tenant: a university or a school, with its grading and credit policy.

    `grade_scale` is a list of `{"grade", "points", "min_percent", "passing"}` entries, best
    grade first; percentage scales (K-12) use `"grade": "<number>"` matching by `min_percent`.
    """

    __tablename__ = "institutions"
    __table_args__ = (
        CheckConstraint("min_credits >= 0 AND max_credits >= min_credits", name="credit_limits"),
        CheckConstraint(
            "max_waitlists_per_term IS NULL OR max_waitlists_per_term >= 0",
            name="waitlists_per_term",
        ),
        CheckConstraint("reenroll_cooldown_minutes >= 0", name="reenroll_cooldown"),
        CheckConstraint("default_waitlist_limit >= 0", name="waitlist_limit"),
        CheckConstraint("offer_hours > 0", name="offer_hours"),
    )

    tag: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[InstitutionKind] = mapped_column(str_enum(InstitutionKind, "institution_kind"))
    email_domain: Mapped[str | None] = mapped_column(String(120))
    grade_scale: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    gpa_scale_max: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("10.00"))
    passing_grade_points: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("4.00"))
    min_credits: Mapped[int] = mapped_column(Integer, default=15)
    max_credits: Mapped[int] = mapped_column(Integer, default=30)
    # Fair use in a rush: how many waitlists one student may queue on in a term (None: no
    # limit), and how long a student who drops a section waits before taking it again.
    max_waitlists_per_term: Mapped[int | None] = mapped_column(Integer, default=3)
    reenroll_cooldown_minutes: Mapped[int] = mapped_column(
        Integer, default=15, server_default=text("0")
    )
    default_waitlist_limit: Mapped[int] = mapped_column(Integer, default=10)
    # Whether a course passed may be taken again (as REPEAT) to improve its grade: off at a
    # university by default, on at a school for its remedial classes.
    allow_grade_improvement: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    # A seat that opens goes to the head of its waitlist at once, or is offered to them for
    # `offer_hours` (a section may say otherwise).
    waitlist_mode: Mapped[WaitlistMode] = mapped_column(
        str_enum(WaitlistMode, "waitlist_mode"),
        default=WaitlistMode.AUTO_ENROLL,
        server_default=WaitlistMode.AUTO_ENROLL.value,
    )
    offer_hours: Mapped[int] = mapped_column(Integer, default=48, server_default=text("48"))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # A new random stamp, set by database triggers, whenever a fact the API workers cache
    # changes (see the migration `catalog_version` and `enrollment/catalog.py`).
    catalog_version: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))


class LevelPolicy(IdMixin, TenantMixin, Base):
    """A K-12 education level's rules; the seed's numbers are only defaults."""

    __tablename__ = "level_policies"
    __table_args__ = (
        CheckConstraint("min_grade_level <= max_grade_level", name="grade_range"),
        CheckConstraint("max_failed_subjects >= 0", name="max_failed"),
        CheckConstraint("section_capacity > 0", name="section_capacity"),
        UniqueConstraint("institution_id", "level"),
    )

    level: Mapped[EducationLevel] = mapped_column(str_enum(EducationLevel, "education_level"))
    min_grade_level: Mapped[int] = mapped_column(Integer)
    max_grade_level: Mapped[int] = mapped_column(Integer)
    semester_based: Mapped[bool] = mapped_column(Boolean, default=False)
    min_gpa: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    max_failed_subjects: Mapped[int] = mapped_column(Integer, default=2)
    failed_subjects_period: Mapped[str] = mapped_column(String(16), default="YEAR")
    min_units: Mapped[int | None] = mapped_column(Integer)
    max_units: Mapped[int | None] = mapped_column(Integer)
    section_capacity: Mapped[int] = mapped_column(Integer, default=50)
    strict_prerequisites: Mapped[bool] = mapped_column(Boolean, default=False)
    track_strand_required: Mapped[bool] = mapped_column(Boolean, default=False)
    min_attendance: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    passing_mark: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal("75.00"))
