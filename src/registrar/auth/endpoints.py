"""`POST /auth/login` (JSON or OAuth2 form) and `GET /auth/me`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
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
from registrar.deps import CurrentPrincipal, ServingDep, SettingsDep, TenantDep, UnitDep
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
                "schema": {
                    "type": "object",
                    "required": ["username", "password"],
                    "properties": {
                        "username": {"type": "string"},
                        "password": {"type": "string", "format": "password"},
                    },
                }
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


@router.post("/login", response_model=TokenResponse, openapi_extra=_LOGIN_BODY)
async def login(
    request: Request,
    credentials: Annotated[LoginRequest, Depends(read_login)],
    tenant: TenantDep,
    serving: ServingDep,
    settings: SettingsDep,
    response: Response,
) -> TokenResponse:
    """Exchange a username (or roll/student number) and password for a bearer token."""
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
