"""The stack's floor: the least an endpoint can cost on FastAPI, SQLAlchemy and psycopg.

A student's courses of a term, the way the simplest service on the same stack would
serve them: the bearer token's signature checked on every request, one Core statement on an
async connection from the pool, a Pydantic answer. No rules, no admission, no metrics, no
audit, no middleware. `python -m bench.floor` serves it beside `registrar serve` on the same
demo and the same machine, so that the registrar's figures read as a share of what the stack
itself can do here.

`/raw/...` answers the same from the same SQL sent by psycopg alone (its own pool, no
SQLAlchemy): what the database layer costs, measured beside the rest.

    FLOOR_DATABASE_URL=postgresql+psycopg://... FLOOR_SECRET=... uvicorn bench.floor_app:app
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Annotated, Any

import jwt
from fastapi import FastAPI, Header, HTTPException
from psycopg_pool import AsyncConnectionPool
from pydantic import BaseModel
from sqlalchemy import bindparam, column, literal_column, select, table
from sqlalchemy.dialects.postgresql.psycopg import dialect as psycopg_dialect
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bench.harness import libpq

students = table("students", column("id"), column("user_id"))
enrollments = table(
    "enrollments", column("student_id"), column("section_id"), column("status"), column("grade")
)
sections = table("course_sections", column("id"), column("course_id"), column("term_id"))
courses = table("courses", column("id"), column("code"), column("title"), column("credits"))

MY_COURSES = (
    select(
        sections.c.id.label("course_id"),  # the offering, as the seed names it
        courses.c.code,
        courses.c.title,
        courses.c.credits,
        enrollments.c.status,
        enrollments.c.grade,
    )
    .select_from(students)
    .join(enrollments, enrollments.c.student_id == students.c.id)
    .join(sections, sections.c.id == enrollments.c.section_id)
    .join(courses, courses.c.id == sections.c.course_id)
    .where(
        students.c.user_id == bindparam("user_id"),
        sections.c.term_id == bindparam("term_id"),
        # Literals, not a list bound at execution: one text for both drivers.
        enrollments.c.status.in_(
            [literal_column(f"'{status}'") for status in ("ENROLLED", "WAITLISTED", "OFFERED")]
        ),
    )
    .order_by(courses.c.code)
)


# The same statement as psycopg takes it (named placeholders).
MY_COURSES_SQL = str(MY_COURSES.compile(dialect=psycopg_dialect()))  # type: ignore[no-untyped-call]


class Course(BaseModel):
    """One of the student's courses."""

    course_id: uuid.UUID
    code: str
    title: str
    credits: int
    status: str
    grade: str | None


class MyCourses(BaseModel):
    """The student's places (enrolled, waiting, offered) in a term's courses."""

    courses: list[Course]


def _pool_size() -> int:
    return int(os.environ.get("FLOOR_POOL_SIZE", "4"))


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Per worker: an engine's pool, and a pool of psycopg's own, closed at shutdown."""
    url = os.environ["FLOOR_DATABASE_URL"]
    size = _pool_size()
    app.state.engine = create_async_engine(url, pool_size=size, max_overflow=0)
    async with AsyncConnectionPool(libpq(url), min_size=size, max_size=size, open=False) as pool:
        app.state.pool = pool
        yield
    await app.state.engine.dispose()


app = FastAPI(lifespan=lifespan, openapi_url=None)


def _user_id(authorization: str) -> uuid.UUID:
    try:
        claims = jwt.decode(
            authorization.removeprefix("Bearer "),
            os.environ["FLOOR_SECRET"],
            algorithms=["HS256"],
            options={"verify_iss": False},
        )
        return uuid.UUID(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError) as error:
        raise HTTPException(status_code=401) from error


def _answer(rows: Sequence[Sequence[Any]]) -> MyCourses:
    return MyCourses(
        courses=[
            Course(
                course_id=row[0],
                code=row[1],
                title=row[2],
                credits=row[3],
                status=row[4],
                grade=row[5],
            )
            for row in rows
        ]
    )


@app.get("/ready")
async def ready() -> dict[str, bool]:
    """No database: the framework alone."""
    return {"ok": True}


@app.get("/semesters/{term_id}/my-courses", response_model=MyCourses)
async def my_courses(term_id: uuid.UUID, authorization: Annotated[str, Header()]) -> MyCourses:
    """The bearer's courses of the term, as `GET /semesters/{id}/my-courses` answers them."""
    params = {"user_id": _user_id(authorization), "term_id": term_id}
    engine: AsyncEngine = app.state.engine
    async with engine.connect() as connection:
        rows = (await connection.execute(MY_COURSES, params)).all()
    return _answer(rows)


@app.get("/raw/semesters/{term_id}/my-courses", response_model=MyCourses)
async def my_courses_raw(term_id: uuid.UUID, authorization: Annotated[str, Header()]) -> MyCourses:
    """The same, the statement sent by psycopg alone."""
    params = {"user_id": _user_id(authorization), "term_id": term_id}
    pool: AsyncConnectionPool = app.state.pool
    async with pool.connection() as connection:
        cursor = await connection.execute(MY_COURSES_SQL, params)
        rows = await cursor.fetchall()
    return _answer(rows)
