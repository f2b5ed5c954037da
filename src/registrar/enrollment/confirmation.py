"""Checks the registrar's confirmation of a term's registrations makes (blocking, not warning)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from registrar.academics.models import Term
from registrar.enrollment import repository
from registrar.enrollment.rules import Violation, credit_minimum
from registrar.errors import NotFound


def credit_minimum_violation(
    session: Session, *, institution_id: uuid.UUID, student_id: uuid.UUID, term_id: uuid.UUID
) -> Violation | None:
    """CREDIT_MINIMUM when the student's enrolled load in the term is below its minimum.

    At enrollment this is only a warning; confirmation refuses on it.
    """
    term = session.scalar(
        select(Term).where(Term.id == term_id, Term.institution_id == institution_id)
    )
    institution = repository.get_institution(session, institution_id)
    if term is None or institution is None:
        raise NotFound("Semester not found")
    minimum = term.min_credits if term.min_credits is not None else institution.min_credits
    return credit_minimum(repository.enrolled_credits(session, student_id, term.id), minimum)
