"""The stack's floor: the least an endpoint can cost on FastAPI, SQLAlchemy and psycopg.

A student's courses of a term, the way the simplest service on the same stack would
serve them: the bearer token's signature checked on every request, one Core statement on an
async connection from the pool, a Pydantic answer. No rules, no admission, no metrics, no
audit, no middleware. `python -m bench.floor` serves it beside `registrar serve` on the same
demo and the same machine, so that the registrar's figures read as a share of what the stack
itself can do here.

    FLOOR_DATABASE_URL=postgresql+psycopg://... FLOOR_SECRET=... uvicorn bench.floor_app:app
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import jwt
from fastapi import FastAPI, Header, HTTPException
from pydantic import BaseModel
from sqlalchemy import bindparam, column, select, table
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

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
        enrollments.c.status.in_(["ENROLLED", "WAITLISTED", "OFFERED"]),
    )
    .order_by(courses.c.code)
)


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


def _engine() -> AsyncEngine:
    url = os.environ["FLOOR_DATABASE_URL"]
    pool = int(os.environ.get("FLOOR_POOL_SIZE", "4"))
    return create_async_engine(url, pool_size=pool, max_overflow=0)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """One pool per worker, closed at shutdown."""
    app.state.engine = _engine()
    yield
    await app.state.engine.dispose()


app = FastAPI(lifespan=lifespan, openapi_url=None)


@app.get("/ready")
async def ready() -> dict[str, bool]:
    """No database: the framework alone."""
    return {"ok": True}


@app.get("/semesters/{term_id}/my-courses", response_model=MyCourses)
async def my_courses(term_id: uuid.UUID, authorization: Annotated[str, Header()]) -> MyCourses:
    """The bearer's courses of the term, as `GET /semesters/{id}/my-courses` answers them."""
    try:
        claims = jwt.decode(
            authorization.removeprefix("Bearer "),
            os.environ["FLOOR_SECRET"],
            algorithms=["HS256"],
            options={"verify_iss": False},
        )
        user_id = uuid.UUID(claims["sub"])
    except (jwt.PyJWTError, KeyError, ValueError) as error:
        raise HTTPException(status_code=401) from error
    engine: AsyncEngine = app.state.engine
    async with engine.connect() as connection:
        rows = (
            await connection.execute(MY_COURSES, {"user_id": user_id, "term_id": term_id})
        ).all()
    return MyCourses(
        courses=[
            Course(
                course_id=r.course_id,
                code=r.code,
                title=r.title,
                credits=r.credits,
                status=r.status,
                grade=r.grade,
            )
            for r in rows
        ]
    )
