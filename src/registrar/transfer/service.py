"""Imports by kind: one entry point for the HTTP endpoints and the CLI."""

from __future__ import annotations

import enum

import psycopg
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from registrar.auth.actor import Actor
from registrar.auth.principal import InstitutionRef
from registrar.errors import Conflict, ValidationFailed
from registrar.institutions.models import Institution
from registrar.transfer.courses_import import import_courses
from registrar.transfer.importer import ImportReport, ProgressFn, no_progress
from registrar.transfer.sections_import import import_sections
from registrar.transfer.students_import import import_students

MAX_BYTES = 32 * 1024 * 1024


class Kind(enum.StrEnum):
    STUDENTS = "students"
    COURSES = "courses"
    SECTIONS = "sections"


def decode(data: bytes) -> str:
    """The file's text (UTF-8, with or without a byte-order mark); 422 if it is not text."""
    if len(data) > MAX_BYTES:
        raise ValidationFailed(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationFailed(
            f"The file is not UTF-8 text (byte {error.start})", details={"line": None}
        ) from error


def run_import(
    session: Session,
    kind: Kind,
    institution: Institution | InstitutionRef,
    actor: Actor,
    text: str,
    *,
    dry_run: bool,
    default_password: str | None = None,
    progress: ProgressFn = no_progress,
) -> ImportReport:
    """Check a file of `kind` and, unless a dry run, write it in the caller's transaction.

    A real run with any bad row raises ValidationFailed (422) carrying the whole report.
    """
    try:
        if kind is Kind.STUDENTS:
            return import_students(
                session,
                institution.id,
                actor,
                text,
                dry_run=dry_run,
                default_password=default_password,
                progress=progress,
            )
        if kind is Kind.COURSES:
            return import_courses(
                session, institution.id, actor, text, dry_run=dry_run, progress=progress
            )
        return import_sections(
            session, institution, actor, text, dry_run=dry_run, progress=progress
        )
    except (IntegrityError, psycopg.IntegrityError) as error:
        # Another change wrote a clashing code or roll number between the check and the write.
        raise Conflict(
            f"The {kind.value} file clashes with a concurrent change; nothing was imported. "
            "Run it again to see which rows."
        ) from error
