"""The K-12 school's subjects: per grade for Elementary and Junior High, per strand for SHS."""

from __future__ import annotations

from dataclasses import dataclass

from registrar.institutions.models import EducationLevel

# An elementary grade's fixed load is its five core subjects, as seed 004's grade-4 example
# enrolls them (MATH4, ENG4, SCI4, FIL4, AP4, and COMP4 besides); the homeroom brings the rest.
ELEMENTARY_SUBJECTS = (
    ("MATH", "Mathematics", True),
    ("ENG", "English", True),
    ("SCI", "Science", True),
    ("FIL", "Filipino", True),
    ("AP", "Araling Panlipunan", True),
    ("MAPEH", "Music, Arts, Physical Education and Health", False),
    ("ESP", "Edukasyon sa Pagpapakatao", False),
    ("COMP", "Computer Education", False),
)
JUNIOR_HIGH_SUBJECTS = (
    *ELEMENTARY_SUBJECTS[:5],
    ("MAPEH", "Music, Arts, Physical Education and Health", True),
    ("ESP", "Edukasyon sa Pagpapakatao", True),
    ("TLE", "Technology and Livelihood Education", True),
)
# Junior High sequences: each grade's course needs the one before (from grade 8 on).
JUNIOR_HIGH_SEQUENCES = ("MATH", "SCI")

STRANDS: tuple[tuple[str, str], ...] = (
    ("STEM", "ACADEMIC"),
    ("ABM", "ACADEMIC"),
    ("HUMSS", "ACADEMIC"),
    ("GAS", "ACADEMIC"),
    ("ICT", "TVL"),
)
SHS_UNITS = 3

# (code, title, prerequisites) per grade and semester; strand subjects keyed by strand.
_SHS_COMMON: dict[tuple[int, int], tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    (11, 1): (
        ("ORALCOM11", "Oral Communication in Context", ()),
        ("GENMATH11", "General Mathematics", ()),
        ("EARTHSCI11", "Earth and Life Science", ()),
        ("KOMPAN11", "Komunikasyon at Pananaliksik sa Wika at Kulturang Pilipino", ()),
        ("PEH11A", "Physical Education and Health 1", ()),
    ),
    (11, 2): (
        ("READWRITE11", "Reading and Writing Skills", ()),
        ("STATS11", "Statistics and Probability", ("GENMATH11",)),
        ("PHYSCI11", "Physical Science", ("EARTHSCI11",)),
        ("PAGBASA11", "Pagbasa at Pagsusuri ng Iba't Ibang Teksto", ("KOMPAN11",)),
        ("PEH11B", "Physical Education and Health 2", ("PEH11A",)),
    ),
    (12, 1): (
        ("MIL12", "Media and Information Literacy", ()),
        ("PHILO12", "Introduction to the Philosophy of the Human Person", ()),
        ("CPAR12", "Contemporary Philippine Arts from the Regions", ()),
        ("EAPP12", "English for Academic and Professional Purposes", ("READWRITE11",)),
        ("PEH12A", "Physical Education and Health 3", ("PEH11B",)),
    ),
    (12, 2): (
        ("PR12", "Practical Research 2", ("STATS11",)),
        ("ENTREP12", "Entrepreneurship", ()),
        ("UCSP12", "Understanding Culture, Society and Politics", ()),
        ("WORKIMM12", "Work Immersion", ()),
        ("PEH12B", "Physical Education and Health 4", ("PEH12A",)),
    ),
}
_SHS_STRAND: dict[str, dict[tuple[int, int], tuple[str, str, tuple[str, ...]]]] = {
    "STEM": {
        (11, 1): ("PRECAL11", "Pre-Calculus", ()),
        (11, 2): ("BASCAL11", "Basic Calculus", ("PRECAL11",)),
        (12, 1): ("GENPHYS12", "General Physics 1", ("BASCAL11",)),
        (12, 2): ("GENPHYS212", "General Physics 2", ("GENPHYS12",)),
    },
    "ABM": {
        (11, 1): ("ORGMAN11", "Organization and Management", ()),
        (11, 2): ("BUSMATH11", "Business Mathematics", ("GENMATH11",)),
        (12, 1): (
            "FABM12",
            "Fundamentals of Accountancy, Business and Management 1",
            ("BUSMATH11",),
        ),
        (12, 2): ("FABM212", "Fundamentals of Accountancy, Business and Management 2", ("FABM12",)),
    },
    "HUMSS": {
        (11, 1): ("CW11", "Creative Writing", ()),
        (11, 2): ("DIASS11", "Disciplines and Ideas in the Social Sciences", ()),
        (12, 1): ("PHILPOL12", "Philippine Politics and Governance", ("DIASS11",)),
        (12, 2): ("CESC12", "Community Engagement, Solidarity and Citizenship", ("PHILPOL12",)),
    },
    "GAS": {
        (11, 1): ("HUMAN11", "Humanities 1", ()),
        (11, 2): ("SOCSCI11", "Social Science 1", ()),
        (12, 1): ("APPECON12", "Applied Economics", ()),
        (12, 2): ("DRRR12", "Disaster Readiness and Risk Reduction", ("PHYSCI11",)),
    },
    "ICT": {
        (11, 1): ("CSS11", "Computer Systems Servicing 1", ()),
        (11, 2): ("CSS211", "Computer Systems Servicing 2", ("CSS11",)),
        (12, 1): ("PROG12", "Computer Programming", ("CSS211",)),
        (12, 2): ("ANIM12", "Animation", ("PROG12",)),
    },
}


@dataclass(frozen=True)
class Subject:
    """A subject of one grade (and, in SHS, one semester and maybe one strand)."""

    code: str
    title: str
    grade: int
    units: int
    is_core: bool
    semester: int | None  # SHS only
    strand: str | None
    track: str | None
    prerequisites: tuple[str, ...]


def level_of(grade: int) -> EducationLevel:
    """The education level of a grade."""
    if grade <= 6:
        return EducationLevel.ELEMENTARY
    return EducationLevel.JUNIOR_HIGH if grade <= 10 else EducationLevel.SENIOR_HIGH


def track_of(strand: str) -> str:
    """ACADEMIC or TVL."""
    return dict(STRANDS)[strand]


def all_subjects() -> list[Subject]:
    """Every subject of grades 1 to 12, prerequisites before the subjects that need them."""
    subjects: list[Subject] = []
    for grade in range(1, 11):
        table = ELEMENTARY_SUBJECTS if grade <= 6 else JUNIOR_HIGH_SUBJECTS
        for prefix, name, core in table:
            needs: tuple[str, ...] = ()
            if grade >= 8 and prefix in JUNIOR_HIGH_SEQUENCES:
                needs = (f"{prefix}{grade - 1}",)
            subjects.append(
                Subject(
                    f"{prefix}{grade}", f"{name} {grade}", grade, 1, core, None, None, None, needs
                )
            )
    for grade in (11, 12):
        for semester in (1, 2):
            for code, title, needs in _SHS_COMMON[(grade, semester)]:
                subjects.append(
                    Subject(code, title, grade, SHS_UNITS, True, semester, None, None, needs)
                )
            for strand, track in STRANDS:
                code, title, needs = _SHS_STRAND[strand][(grade, semester)]
                subjects.append(
                    Subject(code, title, grade, SHS_UNITS, True, semester, strand, track, needs)
                )
    return subjects


def subjects_for(subjects: list[Subject], grade: int, strand: str | None) -> list[Subject]:
    """A homeroom's subjects: its grade's, and in SHS the common ones plus its strand's."""
    return [s for s in subjects if s.grade == grade and (s.strand is None or s.strand == strand)]
