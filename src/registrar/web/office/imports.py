"""CSV import: always a dry run first, with the row report; then the same file, for real.

Both runs are the API's own import endpoints. The real run takes the text the dry run
checked (kept in the confirm form when it is small, chosen again otherwise) and is refused
unless it is that very text, by its SHA-256.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import JSONResponse

from registrar.auth.principal import Principal
from registrar.deps import SessionDep
from registrar.errors import ValidationFailed
from registrar.idempotency.guard import Idempotency
from registrar.transfer import endpoints as transfer_endpoints
from registrar.transfer import service as transfer
from registrar.transfer.importer import ImportReport
from registrar.web.auth import CSRF, PageRegistrar
from registrar.web.forms import answer_of, once
from registrar.web.rendering import render
from registrar.web.routing import WebRoute

router = APIRouter(prefix="/office", route_class=WebRoute, include_in_schema=False)

# A checked file this small rides in the confirm form; a larger one is chosen again.
KEPT_IN_FORM = 32 * 1024
REPORTED_ROWS = 200

Importer = Callable[..., ImportReport | JSONResponse]
IMPORTERS: dict[transfer.Kind, Importer] = {
    transfer.Kind.STUDENTS: transfer_endpoints.import_students,
    transfer.Kind.COURSES: transfer_endpoints.import_courses,
    transfer.Kind.SECTIONS: transfer_endpoints.import_sections,
}


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _run(
    kind: transfer.Kind,
    principal: Principal,
    session: Any,
    text: str,
    password: str | None,
    *,
    dry_run: bool,
    idempotency: Idempotency,
) -> ImportReport:
    result = IMPORTERS[kind](
        principal=principal,
        session=session,
        upload=transfer_endpoints.Upload(text, password or None),
        idempotency=idempotency,
        dry_run=dry_run,
    )
    return ImportReport.model_validate(answer_of(result))


@router.get("/import")
async def import_form(request: Request, principal: PageRegistrar) -> Response:
    """Choose a kind and a file; the first run is always a dry run."""
    context = {"kinds": list(transfer.Kind), "report": None, "kind": "students"}
    return render(request, "office/import.html", context, principal=principal)


@router.post("/import", dependencies=[CSRF])
def run_import(
    request: Request,
    principal: PageRegistrar,
    session: SessionDep,
    kind: Annotated[transfer.Kind, Form()],
    form_key: Annotated[uuid.UUID, Form()],
    file: Annotated[UploadFile | None, File()] = None,
    content: Annotated[str | None, Form()] = None,
    checked: Annotated[str | None, Form(max_length=64)] = None,
    default_password: Annotated[str | None, Form(max_length=256)] = None,
) -> Response:
    """A dry run (no `checked` digest) or, for the file a dry run checked, the real run."""
    request.state.back = "/office/import"
    if content:
        text = content
    else:
        if file is None or not file.filename:
            raise ValidationFailed("Choose a CSV file")
        text = transfer.decode(file.file.read())
    digest = _digest(text)
    real = bool(checked)
    if real and checked != digest:
        raise ValidationFailed(
            "This is not the file the dry run checked: check it first (nothing was imported)"
        )
    report = _run(
        kind,
        principal,
        session,
        text,
        default_password,
        dry_run=not real,
        idempotency=once(form_key, "import", kind.value, digest, real),
    )
    context = {
        "kinds": list(transfer.Kind),
        "kind": kind.value,
        "report": report,
        "errors": report.errors[:REPORTED_ROWS],
        "digest": digest,
        "content": text if len(text.encode()) <= KEPT_IN_FORM else None,
        "had_password": bool(default_password),
    }
    return render(request, "office/import.html", context, principal=principal)
