"""The registrar's academic-structure routers under /api/admin/."""

from fastapi import APIRouter

from registrar.academics.endpoints import (
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
):
    router.include_router(_module.router)
