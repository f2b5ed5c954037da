"""The FastAPI application factory."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException

from registrar import health
from registrar import metrics as metrics_endpoint
from registrar.academics import endpoints as academics_endpoints
from registrar.audit import endpoints as audit_endpoints
from registrar.auth import endpoints as auth_endpoints
from registrar.auth import passwords
from registrar.auth.principal import PrincipalCache
from registrar.auth.throttle import LoginThrottle
from registrar.config import Settings, get_settings
from registrar.db import AsyncDatabase, Database, Turns, build_async_engine, build_engine
from registrar.enrollment import catalog
from registrar.enrollment import endpoints as enrollment_endpoints
from registrar.enrollment.batch_courses import endpoints as batch_course_endpoints
from registrar.errors import RegistrarError
from registrar.gradebook import endpoints as gradebook_endpoints
from registrar.holds import endpoints as hold_endpoints
from registrar.institutions import endpoints as institution_endpoints
from registrar.kit.body_limit import BodyLimit
from registrar.kit.columns import utcnow
from registrar.kit.docs import install_docs
from registrar.kit.gates import KeyedGates
from registrar.kit.headers import SecurityHeaders
from registrar.kit.invalid_input import finite_json, install_invalid_input_handler
from registrar.kit.metrics import Observe, Occupancy
from registrar.kit.middleware import REQUEST_ID_HEADER, Admission, RequestContext
from registrar.kit.snapshots import SnapshotCache
from registrar.kit.ttl import TtlCache
from registrar.kit.unavailable import install_unavailable_handlers
from registrar.notifications import endpoints as notification_endpoints
from registrar.openapi import document_refusals
from registrar.portal.continuing import endpoints as continuing_endpoints
from registrar.portal.registration import endpoints as registration_endpoints
from registrar.portal.registration import student_endpoints as student_courses_endpoints
from registrar.portal.student_portal import endpoints as student_portal_endpoints
from registrar.students import endpoints as student_endpoints
from registrar.students.divisions import endpoints as student_division_endpoints
from registrar.transfer import endpoints as transfer_endpoints
from registrar.web.site import install_web

logger = logging.getLogger("registrar")

__all__ = ["REQUEST_ID_HEADER", "create_app"]

# Never queued, and documented with only what they declare themselves. /metrics too: a scrape
# must see a full worker, not wait behind its queue.
PROBES = frozenset({"/health", "/ready", "/metrics"})


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """Build the API for the given settings (the environment's by default).

    `database` is the synchronous engine (worker-thread endpoints, the CLI, tests); the request
    path's async engine is made from the same URL when the app starts, in the serving loop.
    """
    settings = settings or get_settings()
    settings.signing_key()  # fail at start-up, not at the first login
    limits = settings.db_limits()
    database = database or Database(
        build_engine(
            settings.database_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            echo=settings.sql_echo,
            limits=limits,
        )
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        serving = _serving_database(database.engine.url, settings)
        app.state.serving = serving
        await _warm_up(serving, freeze=settings.env != "test")
        hashing = passwords.HashingPool(settings.password_hash_threads)
        app.state.hashing = hashing
        app.state.login_throttle = LoginThrottle(
            per_account=settings.login_failures_per_account,
            per_address=settings.login_failures_per_address,
            redis_url=settings.redis_url,
            key_prefix=f"{settings.redis_key_prefix}-login",
        )
        try:
            async with metrics_endpoint.sampling(app):
                yield
        finally:
            hashing.shutdown()
            await serving.dispose()
            database.dispose()

    docs = settings.docs_enabled()
    app = FastAPI(
        title="Registrar",
        summary="Enrollment for universities and K-12 schools",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url="/openapi.json" if docs else None,
        docs_url=None,  # kit.docs serves the pages, each with a policy of its own
        redoc_url=None,
        # NaN and infinities anywhere in a JSON body are refused before any model reads it.
        dependencies=[Depends(finite_json)],
    )
    app.state.settings = settings
    app.state.database = database
    app.state.principals = PrincipalCache(settings.auth_cache_seconds)
    app.state.snapshots = SnapshotCache(settings.list_cache_seconds)
    app.state.batch_counts = TtlCache[tuple[int, int]](settings.batch_counts_seconds)
    app.state.occupancy = Occupancy()
    app.state.section_gates = KeyedGates(
        settings.section_writers, settings.section_queue, settings.section_wait
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_credentials=True,
            allow_methods=["*"],
            allow_headers=["*"],
        )
    _install_error_handlers(app)
    # Outermost but one, so requests beyond the limit wait before anything holds a connection.
    app.add_middleware(
        Admission,
        limit=settings.max_concurrent_requests,
        queue=settings.max_queued_requests,
        wait=settings.queue_timeout,
        exempt=PROBES,
        occupancy=app.state.occupancy,
    )
    # Outside admission: a body declared too large is refused before it waits for a slot.
    app.add_middleware(
        BodyLimit, json_bytes=settings.max_json_bytes, upload_bytes=settings.max_upload_bytes
    )
    app.add_middleware(RequestContext)
    # Outside the request id and the 500s, so each is counted (and logged) with its status.
    app.add_middleware(Observe, access_log=settings.access_log)
    # Outermost: the headers go on every answer, the 500s, 413s and 503s made above included.
    app.add_middleware(SecurityHeaders)
    # FastAPI tries routes in the order they were included, each with its own pattern: the ones
    # a registration rush calls come first, the registrar's many admin routes last.
    app.include_router(health.router)
    app.include_router(metrics_endpoint.router)
    app.include_router(registration_endpoints.router)
    app.include_router(student_portal_endpoints.router)
    app.include_router(student_courses_endpoints.router)
    app.include_router(auth_endpoints.router)
    app.include_router(academics_endpoints.router)
    app.include_router(batch_course_endpoints.router)
    app.include_router(enrollment_endpoints.router)
    app.include_router(student_endpoints.router)
    app.include_router(student_division_endpoints.router)
    app.include_router(notification_endpoints.router)
    app.include_router(hold_endpoints.router)
    app.include_router(institution_endpoints.router)
    app.include_router(audit_endpoints.router)
    app.include_router(continuing_endpoints.router)
    app.include_router(gradebook_endpoints.router)
    app.include_router(transfer_endpoints.router)
    # The web pages (`/`, `/office/`), last: none of the API's paths is theirs.
    install_web(app)
    if docs:
        install_docs(app)
    document_refusals(app, exempt=PROBES)
    return app


def _serving_database(url: URL, settings: Settings) -> AsyncDatabase:
    """The request path's engines: one for writes and, on PostgreSQL, one that only reads."""
    options: dict[str, Any] = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "echo": settings.sql_echo,
        "limits": settings.db_limits(),
    }
    writes = build_async_engine(url, **options)
    if writes.dialect.name == "sqlite":
        # One writer at a time is the file's own rule (BEGIN IMMEDIATE); no turns in front.
        return AsyncDatabase(writes)
    reads = build_async_engine(url, autocommit=True, **options)
    turns = Turns(settings.db_pool_size + settings.db_max_overflow, settings.db_pool_timeout)
    return AsyncDatabase(writes, reads, turns=turns)


async def _warm_up(serving: AsyncDatabase, *, freeze: bool) -> None:
    """Fill the catalog cache for the terms open now, then freeze what start-up made.

    Frozen objects are never traversed by the cycle collector again: its full collections
    then scan only what requests create, and stop pausing every request for ~100 ms.
    """
    try:
        async with serving.engine.connect() as connection:
            sections = await connection.run_sync(catalog.warm, utcnow())
        logger.info("catalog cache warmed: %d sections of the terms open now", sections)
    except (SQLAlchemyError, OSError) as error:
        logger.warning("catalog cache not warmed (%s); it fills as requests come", error)
    if freeze:  # not in tests: the suite starts hundreds of apps in one process
        gc.collect()
        gc.freeze()


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RegistrarError)
    async def registrar_error(_request: Request, error: RegistrarError) -> JSONResponse:
        return JSONResponse(
            status_code=error.status_code, content=error.body(), headers=error.headers()
        )

    @app.exception_handler(HTTPException)
    async def http_error(_request: Request, error: HTTPException) -> JSONResponse:
        # The framework's own refusals (a body that is not JSON, an unknown path, a method the
        # path does not take) in the same body as every other refusal.
        return JSONResponse(
            status_code=error.status_code,
            content={"error": str(error.detail)},
            headers=error.headers,
        )

    install_unavailable_handlers(app)
    install_invalid_input_handler(app)
