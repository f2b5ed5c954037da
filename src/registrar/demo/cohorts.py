"""University cohorts: how many students per program and year, their batches and the students."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field

from registrar.auth.models import Role, User
from registrar.demo import names
from registrar.demo.common import Hashes, stream
from registrar.demo.university import CURRENT_YEAR, EMAIL_DOMAIN, PROGRAMS, Campus, ProgramDef
from registrar.kit.bulk import Row
from registrar.students.models import Student, StudentBatch, StudentStatus

BATCH_TARGET = 66  # students per batch; batches hold 70
BATCH_CAPACITY = 70
SECTION_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
INACTIVE_SHARE = 0.015
# 22CS001, the seeds' example student, is B.Tech CSE year 3: always present, always strong.
FLAGSHIP = ("BTECH-CS", 3)
FLAGSHIP_ABILITY = 1.4
FLAGSHIP_ROLL = "22CS001"
FLAGSHIP_BATCH = "CS-2024-3-A"


@dataclass
class StudentPlan:
    """A university student as the later stages need them."""

    id: uuid.UUID
    roll_number: str
    active: bool
    ability: float  # drives grades and attendance


@dataclass
class BatchPlan:
    """A current batch, its earlier incarnations (one per past year) and its students."""

    id: uuid.UUID
    code: str
    program: ProgramDef
    year: int
    letter: str
    index: int  # position among all batches, spreads the lab days
    size: int
    past: dict[int, uuid.UUID] = field(default_factory=dict)  # year of study -> batch id
    past_codes: dict[int, str] = field(default_factory=dict)
    students: list[StudentPlan] = field(default_factory=list)
    current_sections: dict[str, uuid.UUID] = field(default_factory=dict)  # course code -> id
    past_sections: dict[tuple[int, str], uuid.UUID] = field(default_factory=dict)
    # The elective section planned nearly full: course code and the students already in it.
    nearly_full: tuple[str, list[uuid.UUID]] | None = None

    @property
    def admission(self) -> int:
        """The calendar year the batch was admitted."""
        return CURRENT_YEAR - self.year + 1

    @property
    def semester(self) -> int:
        """The batch's semester in the current (odd) term."""
        return 2 * self.year - 1


def cohort_sizes(students: int) -> dict[tuple[str, int], int]:
    """Students per (program, year of study), summing exactly to `students` (largest remainder)."""
    cohorts = [(p.code, year) for p in PROGRAMS for year in range(1, p.years + 1)]
    weights = {
        (p.code, year): p.weight / p.years for p in PROGRAMS for year in range(1, p.years + 1)
    }
    total_weight = sum(weights.values())
    exact = {cohort: students * weights[cohort] / total_weight for cohort in cohorts}
    sizes = {cohort: math.floor(value) for cohort, value in exact.items()}
    leftover = students - sum(sizes.values())
    by_remainder = sorted(cohorts, key=lambda c: (-(exact[c] - sizes[c]), cohorts.index(c)))
    for cohort in by_remainder[:leftover]:
        sizes[cohort] += 1
    if students > 0 and sizes[FLAGSHIP] == 0:
        largest = max(cohorts, key=lambda c: (sizes[c], -cohorts.index(c)))
        sizes[largest] -= 1
        sizes[FLAGSHIP] += 1
    return sizes


def section_count(size: int) -> int:
    """Sections A, B, ...: two at least (when there are two students), about 66 in each."""
    if size <= 1:
        return 1
    return max(2, math.ceil(size / BATCH_TARGET))


def section_letter(index: int) -> str:
    """A, B, ..., Z, then AA, AB, ... (a very large intake has more than 26 sections)."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, len(SECTION_LETTERS))
        letters = SECTION_LETTERS[remainder] + letters
    return letters


def plan_batches(campus: Campus, students: int) -> list[BatchPlan]:
    """Current batches and their past-year rows, with the students split among them in order."""
    batches: list[BatchPlan] = []
    for (program_code, year), size in cohort_sizes(students).items():
        if size == 0:
            continue
        program = next(p for p in PROGRAMS if p.code == program_code)
        count = section_count(size)
        base, extra = divmod(size, count)
        for section in range(count):
            letter = section_letter(section)
            batch = BatchPlan(
                id=campus.ids.new(),
                code=f"{program.prefix}-{CURRENT_YEAR}-{year}-{letter}",
                program=program,
                year=year,
                letter=letter,
                index=len(batches),
                size=base + (1 if section < extra else 0),
            )
            campus.rows.add(StudentBatch.__table__, _batch_row(campus, batch, year, CURRENT_YEAR))
            for past_year in range(1, year):
                start = batch.admission + past_year - 1
                code = f"{program.prefix}-{start}-{past_year}-{letter}"
                row = _batch_row(campus, batch, past_year, start, code=code)
                campus.rows.add(StudentBatch.__table__, row)
                batch.past[past_year] = row["id"]
                batch.past_codes[past_year] = code
            batches.append(batch)
    return batches


def _batch_row(
    campus: Campus, batch: BatchPlan, year: int, start: int, *, code: str | None = None
) -> Row:
    """A batch row for the current year, or (inactive) for a year the cohort has finished."""
    code = code or batch.code
    return {
        "id": batch.id if code == batch.code else campus.ids.new(),
        "institution_id": campus.institution_id,
        "code": code,
        "name": code,
        "department_id": campus.departments[batch.program.department],
        "program_id": campus.programs[batch.program.code],
        "academic_year_id": campus.years[start],
        "year_of_study": year,
        "semester": 2 * year - 1,
        "section": batch.letter,
        "grade_level": None,
        "track": None,
        "strand": None,
        "capacity": BATCH_CAPACITY,
        "is_active": start == CURRENT_YEAR,
    }


def enroll_students(campus: Campus, batches: list[BatchPlan], hashes: Hashes) -> list[Row]:
    """Students and their logins; roll numbers run 001.. through a cohort's sections in order.

    Returns the student rows (the users are planned in the same order, before them).
    """
    rng = stream(campus.seed, "students")
    serials: dict[tuple[str, int], int] = {}
    rows: list[Row] = []
    for batch in batches:
        for _ in range(batch.size):
            key = (batch.program.code, batch.year)
            serials[key] = serials.get(key, 0) + 1
            roll = f"{batch.admission % 100:02d}{batch.program.prefix}{serials[key]:03d}"
            flagship = (key, serials[key]) == (FLAGSHIP, 1)
            person = names.telugu_person(rng)
            ability = FLAGSHIP_ABILITY if flagship else rng.gauss(0.0, 1.0)
            active = flagship or rng.random() >= INACTIVE_SHARE
            plan = StudentPlan(campus.ids.new(), roll, active, ability)
            batch.students.append(plan)
            user_id = campus.ids.new()
            email = f"{roll.lower()}@{EMAIL_DOMAIN}"
            campus.rows.add(
                User.__table__, _student_user(campus, user_id, roll, person, email, hashes)
            )
            row = {
                "id": plan.id,
                "institution_id": campus.institution_id,
                "user_id": user_id,
                "roll_number": roll,
                "name": person.name,
                "email": email,
                "gender": person.gender,
                "category": names.category(rng),
                "guardian_email": names.guardian_email(rng, person, roll),
                "department_id": campus.departments[batch.program.department],
                "program_id": campus.programs[batch.program.code],
                "academic_year_id": campus.years[CURRENT_YEAR],
                "year_of_study": batch.year,
                "semester": batch.semester,
                "section": batch.letter,
                "batch_id": batch.id,
                "grade_level": None,
                "track": None,
                "strand": None,
                "admission_year": batch.admission,
                "status": (StudentStatus.ACTIVE if active else StudentStatus.INACTIVE).value,
            }
            campus.rows.add(Student.__table__, row)
            rows.append(row)
    return rows


def _student_user(
    campus: Campus, user_id: uuid.UUID, roll: str, person: names.Person, email: str, hashes: Hashes
) -> Row:
    return {
        "id": user_id,
        "institution_id": campus.institution_id,
        "username": roll,
        "password_hash": hashes.student,
        "role": Role.STUDENT.value,
        "full_name": person.name,
        "email": email,
        "is_active": True,
    }
