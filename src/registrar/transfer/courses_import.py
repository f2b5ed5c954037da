"""Importing catalog courses with their prerequisites from CSV, all or nothing."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from registrar.academics.models import Course, course_prerequisites
from registrar.academics.repository import catalog as catalog_repo
from registrar.academics.service.courses import find_cycle
from registrar.auth.actor import Actor
from registrar.transfer import repository as repo
from registrar.transfer.csv_rows import CourseRow
from registrar.transfer.importer import (
    ImportReport,
    Parsed,
    Problems,
    ProgressFn,
    first_seen,
    read_rows,
    record_import,
    report,
    report_before_writing,
    write_rows,
)

KIND = "courses"


def _check(
    session: Session, institution_id: uuid.UUID, rows: list[Parsed[CourseRow]], problems: Problems
) -> tuple[dict[str, uuid.UUID], dict[uuid.UUID, list[uuid.UUID]]]:
    """New course ids by code, and each new course's prerequisite ids; problems recorded."""
    first_seen(rows, lambda r: r.code, "code", "course code", problems)
    departments = repo.departments(session, institution_id)
    existing = {code: row.id for code, row in repo.courses(session, institution_id).items()}
    new_ids: dict[str, uuid.UUID] = {}
    for item in rows:
        new_ids.setdefault(item.row.code, uuid.uuid4())
    known = {**new_ids, **existing}
    edges: dict[uuid.UUID, list[uuid.UUID]] = {}
    for item in rows:
        row, line = item.row, item.line
        if row.code in existing:
            problems.add(line, "code", "Course code already exists in the institution", row.code)
        if row.department_code is not None and row.department_code not in departments:
            problems.add(line, "department_code", "Unknown department code", row.department_code)
        wanted = row.prerequisite_codes()
        for code in wanted:
            if code == row.code:
                problems.add(line, "prerequisites", "A course cannot be its own prerequisite", code)
            elif code not in known:
                problems.add(
                    line,
                    "prerequisites",
                    "Unknown prerequisite: not in the institution nor in this file",
                    code,
                )
        edges[new_ids[row.code]] = [known[c] for c in wanted if c in known and c != row.code]
    graph = {**catalog_repo.prerequisite_graph(session, institution_id)}
    graph.update({course: set(prereqs) for course, prereqs in edges.items()})
    names = {course_id: code for code, course_id in known.items()}
    for item in rows:
        course_id = new_ids[item.row.code]
        cycle = find_cycle(graph, course_id, sorted(graph.get(course_id, ())))
        if cycle is not None:
            problems.add(
                item.line,
                "prerequisites",
                f"Prerequisite cycle: {' -> '.join(names.get(c, str(c)) for c in cycle)}",
                item.row.prerequisites,
            )
    return new_ids, edges


def import_courses(
    session: Session,
    institution_id: uuid.UUID,
    actor: Actor,
    text: str,
    *,
    dry_run: bool,
    progress: ProgressFn,
) -> ImportReport:
    """Check every row; unless a dry run, write the courses and prerequisites, or nothing."""
    problems = Problems()
    rows, count = read_rows(text, CourseRow, problems)
    new_ids, edges = _check(session, institution_id, rows, problems)
    links = sum(len(p) for p in edges.values())
    created = {"courses": len(rows), "prerequisites": links}
    early = report_before_writing(
        KIND, dry_run=dry_run, rows=count, problems=problems, created=created
    )
    if early is not None:
        return early
    departments = repo.departments(session, institution_id)
    courses: list[dict[str, Any]] = []
    for item in rows:
        row = item.row
        dept = departments[row.department_code] if row.department_code else None
        courses.append(
            {
                "id": new_ids[row.code],
                "institution_id": institution_id,
                "department_id": dept.id if dept else None,
                "program_id": None,
                "code": row.code,
                "title": row.title,
                "description": row.description or "",
                "credits": row.credits,
                "level": row.level or "UG",
                "catalog_semester": row.catalog_semester,
                "is_core": True if row.is_core is None else row.is_core,
                "requires_linked_section": bool(row.requires_linked_section),
                "is_active": True,
            }
        )
    write_rows(session, cast(Table, Course.__table__), courses, "Writing courses", progress)
    pairs = [
        {"institution_id": institution_id, "course_id": course, "prerequisite_id": prerequisite}
        for course, prerequisites in edges.items()
        for prerequisite in prerequisites
    ]
    write_rows(session, course_prerequisites, pairs, "Writing prerequisites", progress)
    record_import(
        session,
        institution_id,
        actor.user_id,
        KIND,
        "course",
        {"courses": sorted(new_ids), "prerequisites": links},
    )
    return report(KIND, dry_run=False, rows=count, problems=problems, created=created)
