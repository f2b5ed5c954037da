"""`available/`: each section's `eligibility`, the dry run's evaluation for the whole page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from registrar.academics.models import CourseSection, SectionType, Weekday
from registrar.auth.models import Role
from registrar.db import Database
from tests import factories
from tests.conftest import LoginFn
from tests.portal.student_portal import world as w
from tests.portal.student_portal.test_query_counts import BUDGET, log_in
from tests.statements import counting, engines_of

URL = "/api/student-portal/courses/available/"
ENROLL = "/api/student-portal/courses/enroll/"
ALLOWED = {"outcome": "ENROLLED", "reasons": []}


@dataclass
class Offer:
    """A batch whose student, John Doe, holds CS301 (Mon/Wed 9:00-10:30) this term and
    completed CS201 last year; a registrar of the institution; the sections offered, by name."""

    tenant: str
    student_id: uuid.UUID
    registrar: str
    sections: dict[str, uuid.UUID]


class _Offering:
    """Courses assigned to the world's batch, each with one section of its own, each section
    meeting at an hour no other does (Friday from 8:00) unless told otherwise."""

    def __init__(self, session: Session, world: w.World) -> None:
        self.session, self.world, self.hour = session, world, 8

    def offer(self, code: str | None = None, **fields: Any) -> CourseSection:
        s, world = self.session, self.world
        course = factories.course(
            s, world.inst, world.dept, code, credits=3, prerequisites=fields.pop("needs", ())
        )
        fields.setdefault("slots", ((Weekday.FRIDAY, time(self.hour), time(self.hour, 50)),))
        self.hour = 8 + (self.hour - 7) % 12
        section = factories.section(s, world.inst, course, world.term, **fields)
        factories.batch_course(s, world.inst, world.batch, course, world.year, sec=section)
        return section

    def linked_pair(self, code: str) -> tuple[CourseSection, CourseSection]:
        """A course taken with a lab (Thursday 16:00 and 17:00), both offered by the term."""
        s, world = self.session, self.world
        course = factories.course(
            s, world.inst, world.dept, code, credits=3, requires_linked_section=True
        )
        lecture, lab = (
            factories.section(
                s, world.inst, course, world.term, slots=((Weekday.THURSDAY, time(h), time(h, 50)),)
            )
            for h in (16, 17)
        )
        lab.section_type, lab.linked_to_section_id = SectionType.LAB, lecture.id
        factories.batch_course(s, world.inst, world.batch, course, world.year)
        s.flush()
        return lecture, lab


def _offer(database: Database) -> Offer:
    """CS302 (CS201 needed: passed), CS310 (CS205 needed: never taken), CS320 (Monday 10:00,
    over CS301), CS330 (full, waitlist open), CS340 (full, no waitlist), CS350 (full, and the
    student is on its waitlist), PH101's lecture and its lab (taken together)."""
    with database.session() as s:
        world = w.build(s)
        past = w.history(s, world)
        inst = world.inst
        _, s301 = w.cs301(s, world)
        factories.enrollment(s, inst, world.student, s301)
        offering = _Offering(s, world)
        cs205 = factories.course(s, inst, world.dept, "CS205", title="Operating Systems")
        someone = w.other_student(s, world)
        sections = {
            "CS302": offering.offer("CS302", needs=(past.cs201,)),
            "CS310": offering.offer("CS310", needs=(cs205,)),
            "CS320": offering.offer("CS320", slots=((Weekday.MONDAY, time(10), time(11)),)),
            "CS330": offering.offer("CS330", capacity=1),
            "CS340": offering.offer("CS340", capacity=1, waitlist_limit=0),
            "CS350": offering.offer("CS350", capacity=1),
        }
        sections["PH101"], sections["PH101 lab"] = offering.linked_pair("PH101")
        for code in ("CS330", "CS340", "CS350"):
            factories.enrollment(s, inst, someone, sections[code])
        factories.enrollment(s, inst, world.student, sections["CS350"], "WAITLISTED")
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        return Offer(
            world.tenant,
            world.student.id,
            registrar.username,
            {code: section.id for code, section in sections.items()},
        )


def _eligibility(client: TestClient, headers: dict[str, str], offer: Offer) -> dict[str, Any]:
    """Each listed section's eligibility, by the name `offer` gives the section."""
    response = client.get(URL, headers=headers)
    assert response.status_code == 200, response.text
    names = {str(section_id): name for name, section_id in offer.sections.items()}
    return {
        names[section["id"]]: section["eligibility"]
        for course in response.json()["available_courses"]
        for section in course["available_sections"]
    }


def _place_hold(client: TestClient, headers: dict[str, str], student_id: uuid.UUID) -> None:
    response = client.post(
        f"/api/admin/students/{student_id}/holds",
        json={"type": "FINANCIAL", "reason": "Fees for semester 5 unpaid"},
        headers=headers,
    )
    assert response.status_code == 201, response.text


def test_each_section_says_what_enrolling_would_do_and_why_not(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    offer = _offer(database)
    headers = login("22CS001", factories.PASSWORD, offer.tenant)

    found = _eligibility(client, headers, offer)

    assert found["CS302"] == ALLOWED
    assert found["CS310"] == {
        "outcome": "REFUSED",
        "reasons": [
            {
                "rule": "PREREQUISITES",
                "message": "Prerequisites not met",
                "details": {
                    "missing_prerequisites": [
                        {"course_code": "CS205", "course_title": "Operating Systems"}
                    ]
                },
            }
        ],
    }
    assert found["CS320"] == {
        "outcome": "REFUSED",
        "reasons": [
            {
                "rule": "TIMETABLE_CLASH",
                "message": "Timetable clash with another enrolled course",
                "details": {
                    "clashes_with": [
                        {
                            "course_code": "CS301",
                            "day": "MONDAY",
                            "start_time": "09:00:00",
                            "end_time": "10:30:00",
                        }
                    ]
                },
            }
        ],
    }
    assert found["CS330"] == {"outcome": "WAITLISTED", "reasons": []}
    assert found["CS340"] == {
        "outcome": "REFUSED",
        "reasons": [
            {
                "rule": "CAPACITY",
                "message": "Course section is full",
                "details": {"available_seats": 0, "waitlist_available": False},
            }
        ],
    }
    assert found["CS350"]["outcome"] == "REFUSED"
    assert [r["rule"] for r in found["CS350"]["reasons"]] == ["ALREADY_ENROLLED"]
    assert found["CS350"]["reasons"][0]["details"]["status"] == "WAITLISTED"
    (linked,) = found["PH101"]["reasons"]
    assert (found["PH101"]["outcome"], linked["rule"]) == ("REFUSED", "LINKED_SECTION_REQUIRED")
    choice = {"course_section_id": str(offer.sections["PH101 lab"]), "section_type": "LAB"}
    assert [choice.items() <= offered.items() for offered in linked["details"]["choices"]] == [True]
    assert [r["rule"] for r in found["PH101 lab"]["reasons"]] == ["LECTURE_REQUIRED"]


def test_a_hold_refuses_every_section_and_the_other_reasons_still_show(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    offer = _offer(database)
    student = login("22CS001", factories.PASSWORD, offer.tenant)
    _place_hold(client, login(offer.registrar, factories.PASSWORD, offer.tenant), offer.student_id)

    found = _eligibility(client, student, offer)

    hold = {
        "rule": "HOLD",
        "message": "Registration blocked by a hold",
        "details": {"holds": [{"type": "FINANCIAL"}]},  # the registrar's reason stays private
    }
    assert {code: judged["outcome"] for code, judged in found.items()} == dict.fromkeys(
        offer.sections, "REFUSED"
    )
    assert all(judged["reasons"][0] == hold for judged in found.values())
    assert [r["rule"] for r in found["CS302"]["reasons"]] == ["HOLD"]
    assert [r["rule"] for r in found["CS310"]["reasons"]] == ["HOLD", "PREREQUISITES"]
    assert [r["rule"] for r in found["CS320"]["reasons"]] == ["HOLD", "TIMETABLE_CLASH"]


def test_eligibility_is_what_the_dry_run_of_each_section_answers(
    client: TestClient, database: Database, login: LoginFn
) -> None:
    offer = _offer(database)
    headers = login("22CS001", factories.PASSWORD, offer.tenant)

    found = _eligibility(client, headers, offer)

    assert set(found) == set(offer.sections)
    for code, section_id in offer.sections.items():
        dry = client.post(
            ENROLL,
            params={"dry_run": "true"},
            json={"course_section_id": str(section_id)},
            headers=headers,
        ).json()
        refusing = [
            {"rule": c["rule"], "message": c["message"], "details": c["details"]}
            for c in dry["checks"]
            if not c["passed"]
        ]
        assert found[code] == {"outcome": dry["outcome"], "reasons": refusing}, code


def _student_offered(database: Database, sections: int) -> tuple[str, str, uuid.UUID]:
    """A batch offering `sections` sections: a lecture and the lab it is taken with, then one
    of each kind in turn: open, a prerequisite missing, clashing with the student's CS301, full
    with a waitlist."""
    with database.session() as s:
        world = w.build(s)
        past = w.history(s, world)
        _, s301 = w.cs301(s, world)
        factories.enrollment(s, world.inst, world.student, s301)
        offering = _Offering(s, world)
        never = factories.course(s, world.inst, world.dept, "CS999")
        someone = w.other_student(s, world)
        monday = ((Weekday.MONDAY, time(10), time(11)),)
        kinds: list[dict[str, Any]] = [
            {"needs": (past.cs201,)},
            {"needs": (never,)},
            {"slots": monday},
            {"capacity": 1},
        ]
        offering.linked_pair("PH101")
        for i in range(sections - 2):
            section = offering.offer(f"EL{i:03d}", **kinds[i % len(kinds)])
            if section.capacity == 1:
                factories.enrollment(s, world.inst, someone, section)
        registrar = factories.user(s, world.inst, role=Role.REGISTRAR)
        return world.tenant, registrar.username, world.student.id


def test_the_statements_of_a_page_do_not_grow_with_its_sections(
    steady_client: TestClient, database: Database
) -> None:
    client = steady_client
    counts: dict[int, tuple[int, int]] = {}
    for n in (2, 20):
        tenant, registrar, student_id = _student_offered(database, n)
        _place_hold(client, log_in(client, registrar, tenant), student_id)
        headers = log_in(client, "22CS001", tenant)
        seen = []
        for _ in ("cold: the worker has none of the sections yet", "warm"):
            with counting(engines_of(client)) as statements:
                body = client.get(URL, headers=headers).json()
            seen.append(len(statements))
        sections = [s for c in body["available_courses"] for s in c["available_sections"]]
        assert len(sections) == n
        assert all(s["eligibility"]["reasons"][0]["rule"] == "HOLD" for s in sections)
        counts[n] = (seen[0], seen[1])
    assert counts[2] == counts[20], counts
    # Warm: the page's reads, the types of the student's holds (read only for one on hold) and
    # the lecture's linked sections (read only when a lecture that needs one is listed).
    sqlite_begin = 1 if database.is_sqlite else 0
    assert counts[20][1] == BUDGET["/available/"] + 2 + sqlite_begin, counts
