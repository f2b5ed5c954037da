"""`POST /auth/login` (JSON or OAuth2 form) and `GET /auth/me`."""

from __future__ import annotations

import base64
import binascii
from typing import Annotated, Any
from urllib.parse import unquote_plus

from fastapi import APIRouter, Depends, Header, Request, Response
from pydantic import ValidationError
from pydantic_core import from_json

from registrar.auth import service
from registrar.auth.passwords import HashingPool
from registrar.auth.schemas import (
    InstitutionBrief,
    LoginRequest,
    MeResponse,
    StudentBrief,
    TokenResponse,
)
from registrar.auth.throttle import LoginThrottle
from registrar.auth.tokens import issue_token
from registrar.deps import CurrentPrincipal, ServingDep, SettingsDep, UnitDep, get_tenant
from registrar.errors import Unauthorized, ValidationFailed
from registrar.kit.invalid_input import refuse_non_finite
from registrar.students import repository as students

router = APIRouter(prefix="/auth", tags=["auth"])

_LOGIN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": LoginRequest.model_json_schema()},
            "application/x-www-form-urlencoded": {
                "example": {
                    "username": "registrar",
                    "password": "registrar123",
                    "client_id": "ap-university",
                },
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "username": {"type": "string"},
                        "password": {"type": "string", "format": "password"},
                        "client_id": {
                            "type": "string",
                            "description": "The institution's tag (as `x-tenant-tag`): "
                            "in /docs, Authorize's client_id field",
                        },
                    },
                },
            },
        },
    }
}


async def read_login(request: Request) -> LoginRequest:
    """The credentials, from a JSON body or an OAuth2 password form."""
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            return LoginRequest.model_validate(
                {key: value for key, value in form.items() if isinstance(value, str)}
            )
        body = await request.body()
        credentials = LoginRequest.model_validate_json(body)
        refuse_non_finite(from_json(body))  # numbers the model ignored must be JSON's too
        return credentials
    except ValidationError as error:
        raise ValidationFailed(
            "Invalid login request",
            details={
                "detail": error.errors(
                    include_url=False, include_context=False, include_input=False
                )
            },
        ) from error


def basic_client_id(request: Request) -> str | None:
    """The client id of an `Authorization: Basic` header (RFC 6749, 2.3.1), if one is sent.

    Swagger UI's Authorize dialog sends its client_id that way unless told to put it in the
    form ("Client credentials location").
    """
    scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    return unquote_plus(decoded.partition(":")[0]) or None


@router.post(
    "/login",
    response_model=TokenResponse,
    openapi_extra=_LOGIN_BODY,
    summary="Log in: a bearer token for a username and password",
)
async def login(
    request: Request,
    credentials: Annotated[LoginRequest, Depends(read_login)],
    serving: ServingDep,
    settings: SettingsDep,
    response: Response,
    x_tenant_tag: Annotated[str | None, Header(max_length=64)] = None,
) -> TokenResponse:
    """Exchange a username (or roll/student number) and password for a bearer token.

    The institution is the OAuth2 `client_id` (a form or JSON field, or the user part of an
    `Authorization: Basic` header) when one is sent, else the `x-tenant-tag` header, else
    `REGISTRAR_DEFAULT_TENANT`, else the only institution.
    """
    client_id = credentials.client_id or basic_client_id(request)
    tenant = await get_tenant(serving, settings, client_id or x_tenant_tag)
    hashing: HashingPool = request.app.state.hashing
    throttle: LoginThrottle = request.app.state.login_throttle
    name = credentials.login_name
    address = request.client.host if request.client else "unknown"
    await throttle.check(tenant.id, name, address)
    try:
        user = await service.authenticate(serving, hashing, tenant.id, name, credentials.password)
    except Unauthorized:
        await throttle.failed(tenant.id, name, address)
        raise
    await throttle.succeeded(tenant.id, name)
    token, expires_in = issue_token(user, settings)
    # A token must not be kept by any cache on the way (RFC 6749, section 5.1).
    response.headers["Cache-Control"] = "no-store"
    return TokenResponse(access_token=token, expires_in=expires_in)


@router.get("/me", response_model=MeResponse)
async def me(principal: CurrentPrincipal, unit: UnitDep) -> MeResponse:
    """Who the token belongs to."""
    user, institution = principal.user, principal.institution
    student = await unit.read(students.find_by_user, institution.id, user.id)
    return MeResponse(
        id=user.id,
        username=user.username,
        role=user.role,
        full_name=user.full_name,
        email=user.email,
        institution=InstitutionBrief(id=institution.id, tag=institution.tag, name=institution.name),
        student=StudentBrief(id=student.id, roll_number=student.roll_number, name=student.name)
        if student
        else None,
    )
