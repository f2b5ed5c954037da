"""The school's continuing students, the examples of seed 004 among them, and their marks."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass

from registrar.demo import names
from registrar.demo.common import Ids
from registrar.demo.school_catalog import STRANDS, Subject

# (roll number, current grade, strand): the seed's eligible examples, then the clearly ineligible.
ELEM123 = ("ELEM123", 4, None)
SHS123 = ("SHS123", 11, "STEM")
JHS_LOW_GPA = ("JHS-LOWGPA", 9, None)
JHS_THREE_FAILED = ("JHS-3FAIL", 8, None)
SHS_NO_PREREQUISITE = ("SHS-NOPREREQ", 12, "STEM")
EXAMPLES = (ELEM123, SHS123, JHS_LOW_GPA, JHS_THREE_FAILED, SHS_NO_PREREQUISITE)
MISSING_PREREQUISITE = "BASCAL11"  # SHS-NOPREREQ failed it, and General Physics 1 needs it


@dataclass
class Pupil:
    """A continuing student: this year's grade (and strand), and last year's marks to come."""

    id: uuid.UUID
    roll_number: str
    person: names.Person
    grade: int
    strand: str | None
    ability: float

    @property
    def last_grade(self) -> int:
        """The grade finished last school year."""
        return self.grade - 1


def cohorts(per_grade: int) -> list[tuple[int, str | None, int]]:
    """(grade, strand, how many) for grades 2-12; grade 1 pupils are new, not continuing."""
    found: list[tuple[int, str | None, int]] = [(g, None, per_grade) for g in range(2, 11)]
    per_strand = max(2, per_grade // 4)
    for grade in (11, 12):
        found.extend((grade, strand, per_strand) for strand, _track in STRANDS)
    return found


def pupils(rng: random.Random, ids: Ids, per_grade: int) -> list[Pupil]:
    """Every continuing student; the examples come first in their cohorts (so section A)."""
    found: list[Pupil] = []
    serial = 0
    for grade, strand, count in cohorts(per_grade):
        for roll, example_grade, example_strand in EXAMPLES:
            if (example_grade, example_strand) == (grade, strand):
                found.append(Pupil(ids.new(), roll, names.filipino_person(rng), grade, strand, 1.0))
        for _ in range(count):
            serial += 1
            person = names.filipino_person(rng)
            ability = rng.gauss(0.0, 1.0)
            found.append(Pupil(ids.new(), f"SS{serial:05d}", person, grade, strand, ability))
    return found


def marks(
    rng: random.Random, pupil: Pupil, subjects: list[Subject]
) -> dict[str, tuple[int, float]]:
    """Last year's mark and attendance per subject code (percentage scale, 75 passes)."""
    result: dict[str, tuple[int, float]] = {}
    for index, subject in enumerate(subjects):
        mark = _example_mark(rng, pupil.roll_number, subject, index)
        if mark is None:
            mark = round(min(99.0, max(65.0, 84 + 6 * pupil.ability + rng.gauss(0.0, 4.0))))
        attendance = min(100.0, max(70.0, 88 + 4 * pupil.ability + rng.gauss(0.0, 3.0)))
        if pupil.roll_number in {example[0] for example in EXAMPLES}:
            attendance = max(attendance, 92.0)
        result[subject.code] = (mark, round(attendance, 1))
    return result


def _example_mark(rng: random.Random, roll: str, subject: Subject, index: int) -> int | None:
    """The engineered marks of the seed's examples; None for everyone else."""
    if roll in (ELEM123[0], SHS123[0]):
        return rng.randint(85, 93)
    if roll == JHS_LOW_GPA[0]:
        # Two failures (the most allowed) but an average of about 72: only the GPA rule refuses.
        return (62, 65)[index - 6] if index >= 6 else 75 + index % 2
    if roll == JHS_THREE_FAILED[0]:
        # An average above 84 but three failed subjects: only the failed-subjects rule refuses.
        return 71 if index >= 5 else 92
    if roll == SHS_NO_PREREQUISITE[0]:
        return 72 if subject.code == MISSING_PREREQUISITE else 86
    return None
