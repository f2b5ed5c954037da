"""The registrar's academic-structure routers under /api/admin/."""

from fastapi import APIRouter

from registrar.academics.endpoints import (
    batch_courses,
    courses,
    departments,
    faculty,
    programs,
    rooms,
    sections,
    terms,
    years,
)

router = APIRouter()
for _module in (
    departments,
    programs,
    years,
    terms,
    courses,
    faculty,
    rooms,
    sections,
    batch_courses,
):
    router.include_router(_module.router)
