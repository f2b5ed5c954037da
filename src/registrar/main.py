"""The FastAPI application factory."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse

from registrar import health
from registrar.academics import endpoints as academics_endpoints
from registrar.auth import endpoints as auth_endpoints
from registrar.config import Settings, get_settings
from registrar.db import Database, build_engine
from registrar.enrollment.continuing import endpoints as continuing_endpoints
from registrar.errors import RegistrarError, Unauthorized
from registrar.gradebook import endpoints as gradebook_endpoints
from registrar.kit.admission import AdmissionLimit
from registrar.notifications import endpoints as notification_endpoints
from registrar.portal.registration import endpoints as registration_endpoints
from registrar.portal.registration import student_endpoints as student_courses_endpoints
from registrar.portal.student_portal import endpoints as student_portal_endpoints
from registrar.students import division_endpoints as student_division_endpoints
from registrar.students import endpoints as student_endpoints
from registrar.transfer import endpoints as transfer_endpoints

logger = logging.getLogger("registrar")

REQUEST_ID_HEADER = "X-Request-ID"
_PLAIN_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/-]{1,128}")


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """Build the API for the given settings (the environment's by default)."""
    settings = settings or get_settings()
    settings.signing_key()  # fail at start-up, not at the first login
    database = database or Database(
        build_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            echo=settings.sql_echo,
        )
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        database.dispose()

    app = FastAPI(
        title="Registrar",
        summary="Enrollment for universities and K-12 schools",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.database = database
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    _install_error_handlers(app)
    # Outermost, so requests beyond the limit wait before anything holds a thread or connection.
    app.add_middleware(AdmissionLimit, limit=settings.max_concurrent_requests)
    app.include_router(health.router)
    app.include_router(auth_endpoints.router)
    app.include_router(academics_endpoints.router)
    app.include_router(student_portal_endpoints.router)
    app.include_router(student_endpoints.router)
    app.include_router(student_division_endpoints.router)
    app.include_router(notification_endpoints.router)
    app.include_router(registration_endpoints.router)
    app.include_router(student_courses_endpoints.router)
    app.include_router(continuing_endpoints.router)
    app.include_router(gradebook_endpoints.router)
    app.include_router(transfer_endpoints.router)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        # Echo a caller's id only when it is a plain token: it goes into logs and headers.
        rid = sent if _PLAIN_REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        request.state.request_id = rid
        try:
            response = await call_next(request)
        except Exception:
            logger.exception("unhandled error (request %s)", rid)
            response = JSONResponse(
                status_code=500, content={"error": "Internal server error", "request_id": rid}
            )
        response.headers[REQUEST_ID_HEADER] = rid
        return response

    @app.exception_handler(RegistrarError)
    async def registrar_error(_request: Request, error: RegistrarError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthorized) else None
        return JSONResponse(status_code=error.status_code, content=error.body(), headers=headers)
