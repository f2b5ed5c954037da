"""CSV import (`/api/admin/{students,courses,sections}/import`) and CSV exports.

Imports take the file as a multipart upload (field `file`) or as a raw `text/csv` body, UTF-8,
first line the column names (case and spaces do not matter: `Roll Number` is `roll_number`).
`dry_run=true` checks every row and writes nothing: the answer (200) lists every problem with
its line (the header is line 1), column, value and reason, and `created` says what a real run
would write. A real run (`dry_run=false`, the default) is all or nothing: one bad row and the
answer is 422 with the same report and nothing written; otherwise every row is written in one
transaction and the answer (200) has `dry_run: false`, `ok: true` and the counts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import Field
from starlette.datastructures import UploadFile

from registrar.auth.actor import actor_of
from registrar.deps import CurrentRegistrar, IdempotencyDep, ReadSessionDep, SessionDep
from registrar.errors import UnsupportedMediaType, ValidationFailed
from registrar.kit.body_limit import media_type
from registrar.kit.bounds import OneLine, excerpt, has_control
from registrar.kit.csv_export import streamed
from registrar.transfer import examples, exporter
from registrar.transfer import service as transfer
from registrar.transfer.csv_rows import ROW_MODELS, columns_of
from registrar.transfer.importer import ImportRefusal, ImportReport

router = APIRouter(prefix="/api/admin", tags=["import and export"])


# What a CSV may be sent as; none at all is taken as CSV too.
CSV_MEDIA_TYPES = frozenset(
    {"", "text/csv", "text/plain", "application/csv", "multipart/form-data"}
)


@dataclass(frozen=True)
class Upload:
    """The CSV text of a request, and the default password a multipart form may carry."""

    text: str
    default_password: str | None


async def read_upload(
    request: Request,
    x_default_password: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Upload:
    """The file of a multipart upload (field `file`) or the raw body."""
    password = x_default_password
    media = media_type(request.scope)
    if media not in CSV_MEDIA_TYPES:
        raise UnsupportedMediaType(
            "Send the file as a text/csv body or as the multipart/form-data field `file`, "
            f"not as {excerpt(media)}"
        )
    if media == "multipart/form-data":
        # Read whole first (within the upload size limit), so the form is parsed from the kept
        # body and the Idempotency-Key's fingerprint can still read it after this.
        await request.body()
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("Send the CSV file in the multipart field `file`")
        data = await upload.read()
        given = form.get("default_password")
        if isinstance(given, str) and given:
            password = given
    else:
        data = await request.body()
    if password is not None and (not 6 <= len(password) <= 256 or has_control(password)):
        raise ValidationFailed(
            "default_password must have 6 to 256 characters and no control characters"
        )
    return Upload(transfer.decode(data), password)


UploadDep = Annotated[Upload, Depends(read_upload)]
DryRun = Annotated[
    bool,
    Query(description="true: check every row and write nothing. false: write all rows or none"),
]


def _import_doc(kind: str) -> dict[str, Any]:
    """The CSV body an import takes, with an example of a file and of its report."""
    required, optional = columns_of(ROW_MODELS[kind])
    described = f"Columns: required {', '.join(required)}; optional {', '.join(optional)}."
    return {
        "requestBody": {
            "required": True,
            "description": described,
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": examples.IMPORTS[kind]},
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "default_password": {"type": "string"},
                        },
                    }
                },
            },
        },
        "responses": {
            "200": {"content": {"application/json": {"example": examples.REPORTS[kind]}}}
        },
    }


# A real run with a bad row answers 422 with the whole report beside `error`.
_IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ImportRefusal,
        "description": "A real run found bad rows and imported nothing (the report says why), "
        "or the file or a parameter is invalid",
    }
}


def _import(
    kind: transfer.Kind,
    principal: CurrentRegistrar,
    session: SessionDep,
    upload: Upload,
    dry_run: bool,
    idempotency: IdempotencyDep,
) -> ImportReport | JSONResponse:
    return idempotency.once_in(
        session,
        principal,
        200,
        lambda: transfer.run_import(
            session,
            kind,
            principal.institution,
            actor_of(principal),
            upload.text,
            dry_run=dry_run,
            default_password=upload.default_password,
        ),
    )


@router.post(
    "/students/import",
    response_model=ImportReport,
    responses=_IMPORT_RESPONSES,
    openapi_extra=_import_doc("students"),
)
def import_students(
    principal: CurrentRegistrar,
    session: SessionDep,
    upload: UploadDep,
    idempotency: IdempotencyDep,
    dry_run: DryRun = False,
) -> ImportReport | JSONResponse:
    """Import students. `department_code`, `program_code`, `academic_year` and `batch_code` are
    codes of the institution; a student with a `batch_code` takes the batch's placement (cells
    that disagree with it are errors) and, if ACTIVE, is enrolled in the batch's auto-enroll
    courses (outcomes counted in `auto_enrollment`). `gender` is M, F or O; `category` a quota
    code such as OC or BC-A; `status` ACTIVE by default. A `password` cell, or a
    `default_password` form field (or `X-Default-Password` header), creates a STUDENT login whose
    username is the roll number. Refused rows: roll number repeated in the file or already used,
    unknown codes, a full or inactive batch, a bad email, gender or category, missing cells."""
    return _import(transfer.Kind.STUDENTS, principal, session, upload, dry_run, idempotency)


@router.post(
    "/courses/import",
    response_model=ImportReport,
    responses=_IMPORT_RESPONSES,
    openapi_extra=_import_doc("courses"),
)
def import_courses(
    principal: CurrentRegistrar,
    session: SessionDep,
    upload: UploadDep,
    idempotency: IdempotencyDep,
    dry_run: DryRun = False,
) -> ImportReport | JSONResponse:
    """Import catalog courses: `code`, `title`, `credits`, `department_code`, and
    `prerequisites` as course codes separated by `;` (existing courses or rows of the same file),
    and `requires_linked_section` (true: taken only with a LAB or TUTORIAL). A code already
    used, an unknown prerequisite or a prerequisite cycle refuses the row."""
    return _import(transfer.Kind.COURSES, principal, session, upload, dry_run, idempotency)


@router.post(
    "/sections/import",
    response_model=ImportReport,
    responses=_IMPORT_RESPONSES,
    openapi_extra=_import_doc("sections"),
)
def import_sections(
    principal: CurrentRegistrar,
    session: SessionDep,
    upload: UploadDep,
    idempotency: IdempotencyDep,
    dry_run: DryRun = False,
) -> ImportReport | JSONResponse:
    """Import course sections: `course_code`, `term_code`, `section_code`, `section_type`
    (LECTURE, LAB, TUTORIAL), `capacity`, `reserve_limit` (the waitlist; the institution's
    default if empty), `faculty_code` (employee code), `batch_code`, and `timetable` as
    `MON 09:00-10:30 CS-101; WED 09:00-10:30 CS-101` (room codes), and for a LAB or TUTORIAL
    `linked_to`, the section code of its LECTURE (same course and term; in the file or offered
    already). A room booked at the same time by another section of the term, in the database or
    earlier in the file, refuses the row, as the admin API does."""
    return _import(transfer.Kind.SECTIONS, principal, session, upload, dry_run, idempotency)


def _csv_response(example: str) -> dict[int | str, dict[str, Any]]:
    """An export's answer: CSV text with a header line, as `example` shows it."""
    media = {"schema": {"type": "string"}, "example": example}
    return {200: {"content": {"text/csv": media}, "description": "CSV with a header line"}}


@router.get(
    "/sections/{section_id}/roster.csv",
    response_class=StreamingResponse,
    responses=_csv_response(examples.SECTION_ROSTER),
)
def section_roster(
    section_id: uuid.UUID, principal: CurrentRegistrar, session: ReadSessionDep
) -> StreamingResponse:
    """The section's roster: every enrollment (seated first, then the waitlist in order) with
    roll number, name, email, status, enrollment type, waitlist position, grade, grade points
    and attendance."""
    return streamed(exporter.section_roster(session, principal.institution.id, section_id))


@router.get(
    "/batches/{batch_id}/enrollments.csv",
    response_class=StreamingResponse,
    responses=_csv_response(examples.BATCH_ENROLLMENTS),
)
def batch_enrollments(
    batch_id: uuid.UUID,
    principal: CurrentRegistrar,
    session: ReadSessionDep,
    term: Annotated[
        Annotated[str, Field(max_length=40), OneLine] | None,
        Query(description="Term code; the current term by default"),
    ] = None,
) -> StreamingResponse:
    """Each student of the batch with each of their enrollments in the term: the term running
    today, else the one that started last (or the `term` given). A student with none has one
    line with the enrollment columns empty."""
    return streamed(exporter.batch_enrollments(session, principal.institution.id, batch_id, term))
