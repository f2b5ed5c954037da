"""Queries of the audit trail."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, and_, or_, select

from registrar.audit.models import AuditEvent
from registrar.audit.schemas import AuditFilters
from registrar.auth.models import User
from registrar.enrollment.models import Enrollment
from registrar.holds.models import Hold


def _about_student(student_id: uuid.UUID) -> ColumnElement[bool]:
    """The student's own record, their enrollments and their holds."""
    return or_(
        and_(AuditEvent.entity_type == "student", AuditEvent.entity_id == student_id),
        and_(
            AuditEvent.entity_type == "enrollment",
            AuditEvent.entity_id.in_(
                select(Enrollment.id).where(Enrollment.student_id == student_id)
            ),
        ),
        and_(
            AuditEvent.entity_type == "hold",
            AuditEvent.entity_id.in_(select(Hold.id).where(Hold.student_id == student_id)),
        ),
    )


def _about_section(section_id: uuid.UUID) -> ColumnElement[bool]:
    """The section itself and the enrollments in it."""
    return or_(
        and_(AuditEvent.entity_type == "section", AuditEvent.entity_id == section_id),
        and_(
            AuditEvent.entity_type == "enrollment",
            AuditEvent.entity_id.in_(
                select(Enrollment.id).where(Enrollment.section_id == section_id)
            ),
        ),
    )


def _action(action: str) -> ColumnElement[bool]:
    """One action, or every action under a prefix that ends with a dot."""
    if action.endswith("."):
        return AuditEvent.action.startswith(action, autoescape=True)
    return AuditEvent.action == action


def events(institution_id: uuid.UUID, filters: AuditFilters) -> Select[AuditEvent, User]:
    """The institution's events matching the filters, newest first, with their actor (None
    for the system, whatever the outer join's type says)."""
    statement = (
        select(AuditEvent, User)
        .outerjoin(User, User.id == AuditEvent.actor_user_id)
        .where(AuditEvent.institution_id == institution_id)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    if filters.student_id is not None:
        statement = statement.where(_about_student(filters.student_id))
    if filters.section_id is not None:
        statement = statement.where(_about_section(filters.section_id))
    if filters.actor_user_id is not None:
        statement = statement.where(AuditEvent.actor_user_id == filters.actor_user_id)
    if filters.action:
        statement = statement.where(_action(filters.action))
    if filters.since is not None:
        statement = statement.where(AuditEvent.occurred_at >= filters.since)
    if filters.until is not None:
        statement = statement.where(AuditEvent.occurred_at < filters.until)
    return statement
