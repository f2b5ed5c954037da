"""The divisions tree as nodes a template walks: each with its label, count and link.

A whole university has hundreds of sections: the tree of every department lists each
semester's sections as counts, with one link to the semester's students; one department's
tree links each section to its own students. Either way a page stays small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from registrar.students.divisions.schemas import UNASSIGNED, DepartmentDivision, YearOfStudyDivision


@dataclass
class Node:
    """One division: department, program, academic year, year of study, semester or section.

    A semester's `sections` are its leaves (label, count, link); the levels above it have
    `children`."""

    label: str
    count: int
    children: list[Node] = field(default_factory=list)
    link: str | None = None  # the students of the division, listed and paged
    sections: list[tuple[str, int, str | None]] = field(default_factory=list)


def _named(code: str, name: str | None) -> str:
    if code == UNASSIGNED:
        return "Unassigned"
    return f"{code} · {name}" if name and name != code else code


def _link(filters: dict[str, Any]) -> str | None:
    """The students list narrowed to the division; None where a level is unassigned (the list
    cannot ask for a missing value)."""
    if any(value is None or value == UNASSIGNED for value in filters.values()):
        return None
    return "/office/students?" + urlencode({k: str(v) for k, v in filters.items()})


def _semesters(
    of_study: YearOfStudyDivision, filters: dict[str, Any], link_sections: bool
) -> list[Node]:
    nodes = []
    for number, semester in of_study.semesters.items():
        where = {**filters, "semester": number}
        node = Node(
            f"Semester {number}" if number != UNASSIGNED else "No semester",
            semester.total_students,
            link=_link(where),
        )
        for letter, section in semester.sections.items():
            link = _link({**where, "section": letter}) if link_sections else None
            label = letter if letter != UNASSIGNED else "no section"
            node.sections.append((label, section.count, link))
        nodes.append(node)
    return nodes


def build(tree: dict[str, DepartmentDivision], *, link_sections: bool = False) -> list[Node]:
    """Nodes for the service's tree, with every level's total."""
    nodes = []
    for code, department in tree.items():
        dept = Node(_named(code, department.department_name), 0)
        for program_code, program in department.programs.items():
            prog = Node(_named(program_code, program.program_name), 0)
            for year_code, year in program.years.items():
                label = year_code if year_code != UNASSIGNED else "No academic year"
                of_year = Node(label, year.total_students)
                for study, of_study in year.year_of_study.items():
                    filters = {
                        "department": department.department_id,
                        "program": program.program_id,
                        "academic_year": year_code,
                        "year_of_study": study,
                    }
                    study_node = Node(
                        f"Year {study}" if study != UNASSIGNED else "No year of study",
                        of_study.total_students,
                        children=_semesters(of_study, filters, link_sections),
                    )
                    of_year.children.append(study_node)
                prog.children.append(of_year)
            prog.count = sum(child.count for child in prog.children)
            dept.children.append(prog)
        dept.count = sum(child.count for child in dept.children)
        nodes.append(dept)
    return nodes
