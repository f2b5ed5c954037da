"""The catalog facts a registration reads, kept in each worker process between requests.

A registration needs its section's course, credits, prerequisites, term window and timetable,
the same for every section the student already holds, and the institution's credit limits and
grade scale. None of that changes during a registration rush, so each worker keeps it in
memory instead of reading it on every request.

It is never stale: `institutions.catalog_version` is a stamp the database itself replaces
whenever one of those facts changes (triggers; see the migration `catalog_version`). The
engine reads the stamp in the statement that locks the student, and a cache whose stamp
differs is dropped before use. Counters (seats taken, the waitlist) are never cached: only the
conditional updates in `seats.py` read and change them.

The first section asked for in a term brings the whole term's sections in three queries, so a
rush over a term's 2,400 offerings warms the cache at once rather than one miss at a time.
"""

from __future__ import annotations

import uuid
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, Connection, Select, select
from sqlalchemy.engine import Engine

from registrar.academics.models import Course, CourseSection, Term, TimetableSlot
from registrar.academics.models.catalog import course_prerequisites
from registrar.enrollment.facts import CourseRef, Policy, SectionFacts, Slot, TermFacts
from registrar.institutions.grading import GradeScale, scale_of
from registrar.institutions.models import Institution, InstitutionKind, WaitlistMode

# Past this many sections an institution's cache starts again from empty: a crude bound on
# memory (the 20,000-student demo has 8,600 sections, about 10 MB).
MAX_SECTIONS = 50_000


@dataclass(frozen=True)
class CatalogSection:
    """A section as registrations see it: the rules' facts, and its term's."""

    facts: SectionFacts
    code: str
    term_id: uuid.UUID
    term: TermFacts
    drop_deadline: datetime | None
    # Some LAB or TUTORIAL names this section as its lecture (a drop takes them along).
    has_linked: bool = False
    # The section's own waitlist mode and offer hours (None: the institution's).
    waitlist_mode: WaitlistMode | None = None
    offer_hours: int | None = None

    @property
    def id(self) -> uuid.UUID:
        """The section's id."""
        return self.facts.id

    @property
    def course(self) -> CourseRef:
        """The section's course."""
        return self.facts.course


@dataclass(frozen=True)
class InstitutionPolicy:
    """The institution's credit limits and grade scale, and whether it is a school (whose
    students' guardians hear of every change)."""

    policy: Policy
    scale: GradeScale
    school: bool = False
    waitlist_mode: WaitlistMode = WaitlistMode.AUTO_ENROLL
    offer_hours: int = 48

    def offer_hours_for(self, section: CatalogSection) -> int | None:
        """How long a seat that opens in the section is held for the head of its waitlist
        (None: it is given to them at once)."""
        mode = section.waitlist_mode or self.waitlist_mode
        if mode is WaitlistMode.AUTO_ENROLL:
            return None
        return section.offer_hours or self.offer_hours


@dataclass
class _Catalog:
    version: int
    sections: dict[uuid.UUID, CatalogSection] = field(default_factory=dict)
    policy: InstitutionPolicy | None = None
    # A request of this process is reading a whole term: the others read only their section.
    reading_a_term: bool = False
    # The terms read whole under this stamp: a section new to one of them is read alone.
    terms: set[uuid.UUID] = field(default_factory=set)


# (database URL, institution id) -> what this process knows of that institution's catalog.
_catalogs: dict[tuple[str, uuid.UUID], _Catalog] = {}
# Each engine's URL as a string: hashing a URL renders it anew on every call.
_urls: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def _url_of(engine: Engine) -> str:
    url = _urls.get(engine)
    if url is None:
        url = _urls[engine] = engine.url.render_as_string(hide_password=False)
    return url


def _catalog(connection: Connection, institution_id: uuid.UUID, version: int) -> _Catalog:
    key = (_url_of(connection.engine), institution_id)
    found = _catalogs.get(key)
    if found is None or found.version != version or len(found.sections) > MAX_SECTIONS:
        found = _Catalog(version)
        _catalogs[key] = found
    return found


def warm(connection: Connection, now: datetime) -> int:
    """Read the sections of every term open for registration now; how many were read.

    A worker does this as it starts, so the first minutes of a registration window do not
    begin with every request missing the cache at once.
    """
    open_terms = connection.execute(
        select(Term.institution_id, Term.id, Institution.catalog_version)
        .join(Institution, Institution.id == Term.institution_id)
        .where(
            Term.is_active.is_(True),
            Term.registration_start <= now,
            Term.registration_end >= now,
            Institution.is_active.is_(True),
        )
    ).all()
    for institution_id, term_id, version in open_terms:
        _load_term(
            connection, _catalog(connection, institution_id, version), institution_id, term_id
        )
    return sum(len(found.sections) for found in _catalogs.values())


def version_of(connection: Connection, institution_id: uuid.UUID) -> int | None:
    """The institution's catalog stamp, for callers that lock no student first."""
    stamp = connection.scalar(
        select(Institution.catalog_version).where(Institution.id == institution_id)
    )
    return int(stamp) if stamp is not None else None


def section(
    connection: Connection, institution_id: uuid.UUID, version: int, section_id: uuid.UUID
) -> CatalogSection | None:
    """One section of the institution; a miss reads the section, then its whole term unless
    this stamp's catalog has read that term already.

    After the stamp moves in a rush, every request of the worker misses at once; while one of
    them reads the term, the others read only their own section, rather than each reading the
    same 2,400 sections (the requests share the worker's event loop, and wait on the database
    in turn). A section added to a term already read (which moves no stamp) is read alone: the
    term's 2,400 would cost the worker's event loop some 60-90 ms of CPU again."""
    catalog = _catalog(connection, institution_id, version)
    found = catalog.sections.get(section_id)
    if found is not None:
        return found
    _load(connection, catalog, institution_id, CourseSection.id == section_id)
    found = catalog.sections.get(section_id)
    if found is None or found.term_id in catalog.terms or catalog.reading_a_term:
        return found
    catalog.reading_a_term = True
    try:
        _load_term(connection, catalog, institution_id, found.term_id)
    finally:
        catalog.reading_a_term = False
    return catalog.sections.get(section_id)


def _load_term(
    connection: Connection, catalog: _Catalog, institution_id: uuid.UUID, term_id: uuid.UUID
) -> None:
    _load(connection, catalog, institution_id, CourseSection.term_id == term_id)
    catalog.terms.add(term_id)


def sections(
    connection: Connection,
    institution_id: uuid.UUID,
    version: int,
    section_ids: Iterable[uuid.UUID],
) -> dict[uuid.UUID, CatalogSection]:
    """The sections of the institution among `section_ids`; the ones not cached in one go."""
    catalog = _catalog(connection, institution_id, version)
    known = catalog.sections
    wanted = set(section_ids)
    # Not `wanted - known.keys()`: that would hash every cached key on each call.
    missing = [key for key in wanted if key not in known]
    if missing:
        _load(connection, catalog, institution_id, CourseSection.id.in_(missing))
    return {key: known[key] for key in wanted if key in known}


def policy(
    connection: Connection, institution_id: uuid.UUID, version: int
) -> InstitutionPolicy | None:
    """The institution's credit policy and grade scale."""
    catalog = _catalog(connection, institution_id, version)
    if catalog.policy is None:
        row = connection.execute(
            select(
                Institution.min_credits,
                Institution.max_credits,
                Institution.max_waitlists_per_term,
                Institution.reenroll_cooldown_minutes,
                Institution.allow_grade_improvement,
                Institution.grade_scale,
                Institution.kind,
                Institution.waitlist_mode,
                Institution.offer_hours,
            ).where(Institution.id == institution_id)
        ).one_or_none()
        if row is None:
            return None
        catalog.policy = InstitutionPolicy(
            policy=Policy(
                min_credits=row.min_credits,
                max_credits=row.max_credits,
                max_waitlists_per_term=row.max_waitlists_per_term,
                reenroll_cooldown_minutes=row.reenroll_cooldown_minutes,
                allow_grade_improvement=row.allow_grade_improvement,
            ),
            scale=scale_of(row.grade_scale),
            school=row.kind is InstitutionKind.K12,
            waitlist_mode=row.waitlist_mode,
            offer_hours=row.offer_hours,
        )
    return catalog.policy


def _load(
    connection: Connection,
    catalog: _Catalog,
    institution_id: uuid.UUID,
    which: ColumnElement[bool],
) -> None:
    """Read the matching sections with their course, term, timetable and prerequisites."""
    rows = connection.execute(
        select(
            CourseSection.id,
            CourseSection.code,
            CourseSection.section_type,
            CourseSection.is_active,
            CourseSection.term_id,
            CourseSection.linked_to_section_id,
            CourseSection.waitlist_mode,
            CourseSection.offer_hours,
            Course.id.label("course_id"),
            Course.code.label("course_code"),
            Course.title,
            Course.credits,
            Course.is_active.label("course_active"),
            Course.requires_linked_section,
            Term.is_active.label("term_active"),
            Term.registration_start,
            Term.registration_end,
            Term.min_credits,
            Term.max_credits,
            Term.drop_deadline,
        )
        .join(Course, Course.id == CourseSection.course_id)
        .join(Term, Term.id == CourseSection.term_id)
        .where(CourseSection.institution_id == institution_id, which)
    ).all()
    if not rows:
        return
    # The same sections again, as a subquery: a term's thousands of ids as bound parameters
    # would cost more to send, parse and plan than the rows they fetch.
    chosen = select(CourseSection.id).where(CourseSection.institution_id == institution_id, which)
    courses = select(CourseSection.course_id).where(
        CourseSection.institution_id == institution_id, which
    )
    slots = _slots(connection, chosen)
    prerequisites = _prerequisites(connection, courses)
    lectures = _lectures(connection, chosen)
    for row in rows:
        catalog.sections[row.id] = CatalogSection(
            facts=SectionFacts(
                id=row.id,
                course=CourseRef(id=row.course_id, code=row.course_code, title=row.title),
                # A lab linked to its lecture is part of the lecture's course: the course's
                # credits count once, on the lecture.
                credits=0 if row.linked_to_section_id is not None else row.credits,
                section_type=row.section_type.value,
                is_active=row.is_active and row.course_active and row.term_active,
                slots=tuple(slots.get(row.id, ())),
                prerequisites=tuple(prerequisites.get(row.course_id, ())),
                linked_to=row.linked_to_section_id,
                requires_linked=row.requires_linked_section,
            ),
            code=row.code,
            term_id=row.term_id,
            term=TermFacts(
                registration_start=row.registration_start,
                registration_end=row.registration_end,
                min_credits=row.min_credits,
                max_credits=row.max_credits,
            ),
            drop_deadline=row.drop_deadline,
            has_linked=row.id in lectures,
            waitlist_mode=row.waitlist_mode,
            offer_hours=row.offer_hours,
        )


def _lectures(connection: Connection, chosen: Select[uuid.UUID]) -> set[uuid.UUID]:
    """Which of the chosen sections some LAB or TUTORIAL names as its lecture."""
    return set(
        connection.scalars(
            select(CourseSection.linked_to_section_id)
            .where(CourseSection.linked_to_section_id.in_(chosen))
            .distinct()
        )
    )


def _slots(connection: Connection, chosen: Select[uuid.UUID]) -> dict[uuid.UUID, list[Slot]]:
    found: dict[uuid.UUID, list[Slot]] = defaultdict(list)
    rows = connection.execute(
        select(
            TimetableSlot.section_id,
            TimetableSlot.day,
            TimetableSlot.start_time,
            TimetableSlot.end_time,
        )
        .where(TimetableSlot.section_id.in_(chosen))
        .order_by(TimetableSlot.section_id, TimetableSlot.start_time)
    )
    for section_id, day, start, end in rows:
        found[section_id].append(Slot(day=day.value, start=start, end=end))
    return found


def _prerequisites(
    connection: Connection, courses: Select[uuid.UUID]
) -> dict[uuid.UUID, list[CourseRef]]:
    found: dict[uuid.UUID, list[CourseRef]] = defaultdict(list)
    rows = connection.execute(
        select(course_prerequisites.c.course_id, Course.id, Course.code, Course.title)
        .join(Course, Course.id == course_prerequisites.c.prerequisite_id)
        .where(course_prerequisites.c.course_id.in_(courses))
        .order_by(course_prerequisites.c.course_id, Course.code)
    )
    for course_id, pre_id, code, title in rows:
        found[course_id].append(CourseRef(id=pre_id, code=code, title=title))
    return found
