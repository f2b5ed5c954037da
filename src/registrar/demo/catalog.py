"""The university catalog: course codes, credits and prerequisite chains from the curricula."""

from __future__ import annotations

from dataclasses import dataclass

from registrar.demo.curricula import CURRICULA, OVERRIDES

THEORY_CREDITS = (4, 4, 3, 3, 3)
LAB_CREDITS = 2
ELECTIVE_CREDITS = 3
# Theory slots whose course continues the same slot two semesters earlier (a chain per slot).
CHAINED_SLOTS = (0, 1)


@dataclass(frozen=True)
class CourseSpec:
    """A catalog course of a program semester."""

    code: str
    title: str
    credits: int
    semester: int
    is_core: bool
    is_lab: bool
    prerequisites: tuple[str, ...]

    @property
    def year(self) -> int:
        """The year of study the course belongs to."""
        return (self.semester + 1) // 2


def course_code(prefix: str, semester: int, sequence: int) -> str:
    """`CS301`: prefix, year of study, then 01-09 in odd and 11-19 in even semesters."""
    year = (semester + 1) // 2
    offset = 0 if semester % 2 == 1 else 10
    return f"{prefix}{year}{offset + sequence:02d}"


def elective_code(prefix: str, semester: int, index: int) -> str:
    """Electives number from 41 (odd semesters) and 51 (even semesters): `CS341`."""
    year = (semester + 1) // 2
    base = 41 if semester % 2 == 1 else 51
    return f"{prefix}{year}{base + index}"


def program_catalog(prefix: str, curriculum_key: str) -> list[CourseSpec]:
    """Every course of one program, semester by semester, prerequisites first."""
    specs: list[CourseSpec] = []
    for index, (theory, lab, electives) in enumerate(CURRICULA[curriculum_key]):
        semester = index + 1

        def earlier(slot: int, semester: int = semester) -> tuple[str, ...]:
            if semester <= 2:
                return ()
            return (course_code(prefix, semester - 2, slot + 1),)

        for slot, title in enumerate(theory):
            code = course_code(prefix, semester, slot + 1)
            prerequisites = earlier(slot) if slot in CHAINED_SLOTS else ()
            specs.append(
                CourseSpec(
                    code=code,
                    title=title,
                    credits=THEORY_CREDITS[slot],
                    semester=semester,
                    is_core=True,
                    is_lab=False,
                    prerequisites=OVERRIDES.get(code, prerequisites),
                )
            )
        specs.append(
            CourseSpec(
                code=course_code(prefix, semester, len(theory) + 1),
                title=lab,
                credits=LAB_CREDITS,
                semester=semester,
                is_core=True,
                is_lab=True,
                prerequisites=(),
            )
        )
        for slot, title in enumerate(electives):
            code = elective_code(prefix, semester, slot)
            specs.append(
                CourseSpec(
                    code=code,
                    title=title,
                    credits=ELECTIVE_CREDITS,
                    semester=semester,
                    is_core=False,
                    is_lab=False,
                    prerequisites=OVERRIDES.get(code, earlier(slot)),
                )
            )
    return specs


def describe(spec: CourseSpec, program_name: str, level: str) -> str:
    """A short catalog description."""
    kind = "Laboratory" if spec.is_lab else ("Elective" if not spec.is_core else "Core")
    return f"{kind} course of {program_name} ({level}), semester {spec.semester}: {spec.title}."
