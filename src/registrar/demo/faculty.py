"""University teachers: hired per department, each given sections whose meetings never clash."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from functools import partial

from registrar.academics.models import Faculty
from registrar.demo import names
from registrar.demo.common import stream
from registrar.demo.timetable import Meeting, Rota
from registrar.demo.university import DEPARTMENTS, EMAIL_DOMAIN, Campus

DESIGNATIONS = ("Professor", "Associate Professor", "Assistant Professor", "Assistant Professor")
SECTIONS_PER_TEACHER = 5


@dataclass
class Staff:
    """Every department's rota of teachers."""

    campus: Campus
    rotas: dict[str, Rota] = field(default_factory=dict)
    _emails: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._rng = stream(self.campus.seed, "faculty")
        for department in DEPARTMENTS:
            self.rotas[department.code] = Rota(hire=partial(self._hire, department.code))

    def _hire(self, department: str) -> uuid.UUID:
        person = names.telugu_person(self._rng)
        local = person.email_local()
        email, suffix = f"{local}@{EMAIL_DOMAIN}", 2
        while email in self._emails:
            email, suffix = f"{local}{suffix}@{EMAIL_DOMAIN}", suffix + 1
        self._emails.add(email)
        designation = self._rng.choice(DESIGNATIONS)
        title = (
            "Dr." if designation != "Assistant Professor" or self._rng.random() < 0.4 else "Prof."
        )
        row = self.campus.rows.add(
            Faculty.__table__,
            {
                "id": self.campus.ids.new(),
                "institution_id": self.campus.institution_id,
                "department_id": self.campus.departments[department],
                "user_id": None,
                "employee_code": f"{department}F{len(self.rotas[department].staff) + 1:03d}",
                "name": f"{title} {person.name}",
                "email": email,
                "designation": designation,
                "is_active": True,
            },
        )
        return row["id"]  # type: ignore[no-any-return]

    def hire_for(self, sections_per_department: dict[str, int]) -> None:
        """Enough teachers for each department's sections this term (at least six)."""
        for department in DEPARTMENTS:
            count = sections_per_department.get(department.code, 0)
            for _ in range(max(6, math.ceil(count / SECTIONS_PER_TEACHER))):
                self.rotas[department.code].add()

    def teacher(self, department: str, meetings: list[Meeting] | None = None) -> uuid.UUID:
        """A teacher of the department free at every meeting (past sections have none)."""
        return self.rotas[department].pick(meetings or [])
