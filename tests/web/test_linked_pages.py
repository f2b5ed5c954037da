"""Linked sections on the student's pages: a lecture's LAB choices under it, taken with it by
one form, refused in place without one, and dropped with it."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import time

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from registrar.academics.models import (
    AcademicYear,
    CourseSection,
    SectionType,
    Term,
    Weekday,
)
from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.institutions.models import Institution
from registrar.students.models import Student, StudentBatch
from tests import factories
from tests.web.campus import Campus, csrf_of, form_key_of


@dataclass(frozen=True)
class Linked:
    """PH101 requires a lab (its batch course names the lecture, as the demo's do); CH210 offers
    an optional one (its batch course names none, so available/ lists the lab beside it)."""

    physics: uuid.UUID  # PH101-A, the lecture
    labs: tuple[uuid.UUID, uuid.UUID]  # PH101-A-L1 (Thursday), PH101-A-L2 (full)
    chemistry: uuid.UUID  # CH210-A, the lecture
    chemistry_lab: uuid.UUID  # CH210-A-L1


def _lab(section: CourseSection, lecture: CourseSection) -> CourseSection:
    section.section_type, section.linked_to_section_id = SectionType.LAB, lecture.id
    return section


@pytest.fixture
def linked(database: Database, campus: Campus) -> Linked:
    with database.session() as s:
        batch = s.get_one(StudentBatch, campus.batch)
        inst = s.get_one(Institution, batch.institution_id)
        term = s.get_one(Term, campus.term)
        year = s.get_one(AcademicYear, term.academic_year_id)
        dept = factories.department(s, inst, "PH001")
        physics = factories.course(
            s, inst, dept, "PH101", credits=4, title="Physics", requires_linked_section=True
        )
        lecture = factories.section(
            s, inst, physics, term, code="PH101-A", slots=((Weekday.WEDNESDAY, time(9), time(10)),)
        )
        thursday = ((Weekday.THURSDAY, time(10), time(12)),)
        first = _lab(
            factories.section(s, inst, physics, term, code="PH101-A-L1", slots=thursday), lecture
        )
        second = _lab(
            factories.section(s, inst, physics, term, code="PH101-A-L2", capacity=1, slots=()),
            lecture,
        )
        factories.batch_course(s, inst, batch, physics, year, sec=lecture, auto_enroll=False)
        classmate = s.scalars(select(Student).where(Student.roll_number == campus.other)).one()
        factories.enrollment(s, inst, classmate, second)

        chemistry = factories.course(s, inst, dept, "CH210", credits=3, title="Chemistry")
        friday = ((Weekday.FRIDAY, time(9), time(10)),)
        lecture2 = factories.section(s, inst, chemistry, term, code="CH210-A", slots=friday)
        afternoon = ((Weekday.FRIDAY, time(14), time(16)),)
        lab2 = _lab(
            factories.section(s, inst, chemistry, term, code="CH210-A-L1", slots=afternoon),
            lecture2,
        )
        factories.batch_course(
            s, inst, batch, chemistry, year, assignment_type="ELECTIVE", auto_enroll=False
        )
        return Linked(lecture.id, (first.id, second.id), lecture2.id, lab2.id)


def _card(page: Response, section: uuid.UUID) -> str:
    start = page.text.index(f'id="section-{section}"')
    return page.text[start : page.text.index("</section>", start)]


def _enroll(client: TestClient, section: uuid.UUID, **linked: str) -> Response:
    page = client.get("/enroll")
    form = {"csrf_token": csrf_of(page), "form_key": form_key_of(page), "section_id": str(section)}
    answer: Response = client.post("/enroll", data={**form, "back": "/enroll", **linked})
    assert answer.status_code == 303, answer.text
    return answer


def _places(database: Database, *sections: uuid.UUID) -> dict[uuid.UUID, EnrollmentStatus]:
    with database.session(write=False) as s:
        rows = s.execute(
            select(Enrollment.section_id, Enrollment.status)
            .join(Student, Student.id == Enrollment.student_id)
            .where(Student.roll_number == "22CS001", Enrollment.section_id.in_(sections))
        )
        return {row.section_id: row.status for row in rows}


def _enrollment_id(database: Database, section: uuid.UUID) -> uuid.UUID:
    with database.session(write=False) as s:
        return s.scalars(select(Enrollment.id).where(Enrollment.section_id == section)).one()


def test_a_lecture_lists_its_lab_choices_to_pick_one(student: TestClient, linked: Linked) -> None:
    page = student.get("/enroll")
    assert page.status_code == 200
    card = _card(page, linked.physics)
    assert "can't take" not in card  # the choice is made here: the rule does not refuse the card
    first, full = linked.labs
    assert f'type="radio" name="linked_lab" value="{first}"' in card
    assert f'type="radio" name="linked_lab" value="{full}"' in card
    assert "PH101-A-L1</b> · Thu 10:00–12:00 · 30 of 30 seats left" in card
    assert "PH101-A-L2</b> · No weekly meetings set · full: you would be #1 on its waitlist" in card
    assert "Lab (required)" in card
    assert 'value="" checked' not in card  # a required lab: no "none", nothing chosen for them
    assert "Enroll in PH101" in card
    # An optional lab listed by available/ beside its lecture is a choice under it, not a card.
    assert f'id="section-{linked.chemistry_lab}"' not in page.text
    chemistry = _card(page, linked.chemistry)
    assert f'name="linked_lab" value="{linked.chemistry_lab}"' in chemistry
    assert "CH210-A-L1</b> · Fri 14:00–16:00" in chemistry
    assert 'name="linked_lab" value="" checked' in chemistry


def test_the_lecture_is_enrolled_with_the_chosen_lab_through_the_form(
    student: TestClient, linked: Linked, database: Database
) -> None:
    answer = _enroll(student, linked.physics, linked_lab=str(linked.labs[0]))
    assert answer.headers["location"] == f"/enroll#section-{linked.physics}"
    after = student.get("/enroll")
    assert "Successfully enrolled in PH101 - Physics" in after.text
    assert "Also enrolled in the lab" in after.text
    assert _places(database, linked.physics, *linked.labs) == {
        linked.physics: EnrollmentStatus.ENROLLED,
        linked.labs[0]: EnrollmentStatus.ENROLLED,
    }
    term = student.get("/").text
    # The lab's Thursday meeting is on the grid, and the lab is a course card of its own.
    assert re.search(r'<b>PH101</b>\s*10:00<span class="until">–12:00', term)
    lab = _enrollment_id(database, linked.labs[0])
    assert f'href="/drop/{lab}?back=/">Drop PH101 lab…' in term


def test_a_full_lab_chosen_waitlists_the_lab_and_seats_the_lecture(
    student: TestClient, linked: Linked, database: Database
) -> None:
    _enroll(student, linked.physics, linked_lab=str(linked.labs[1]))
    assert "The lab is full: you are #1 on its waitlist" in student.get("/enroll").text
    assert _places(database, linked.physics, *linked.labs) == {
        linked.physics: EnrollmentStatus.ENROLLED,
        linked.labs[1]: EnrollmentStatus.WAITLISTED,
    }


def test_without_a_lab_the_rule_refuses_in_place_and_nothing_is_written(
    student: TestClient, linked: Linked, database: Database
) -> None:
    _enroll(student, linked.physics)
    card = _card(student.get("/enroll"), linked.physics)
    assert 'class="notice error"' in card
    assert "PH101 is taken with one of its linked sections" in card
    assert "PH101-A-L1: lab, 30 seats left" in card
    assert _places(database, linked.physics, *linked.labs) == {}


@pytest.mark.parametrize("with_lab", [True, False])
def test_an_optional_lab_is_taken_when_chosen_and_may_be_left_out(
    student: TestClient, linked: Linked, database: Database, with_lab: bool
) -> None:
    _enroll(student, linked.chemistry, linked_lab=str(linked.chemistry_lab) if with_lab else "")
    expected = {linked.chemistry: EnrollmentStatus.ENROLLED}
    if with_lab:
        expected[linked.chemistry_lab] = EnrollmentStatus.ENROLLED
    assert _places(database, linked.chemistry, linked.chemistry_lab) == expected


def test_dropping_the_lecture_says_its_lab_goes_with_it(
    student: TestClient, linked: Linked, database: Database
) -> None:
    _enroll(student, linked.physics, linked_lab=str(linked.labs[0]))
    lecture = _enrollment_id(database, linked.physics)
    confirm = student.get(f"/drop/{lecture}?back=/")
    assert confirm.status_code == 200
    assert "Your linked section goes with it" in confirm.text
    assert "PH101-A-L1 (lab, enrolled)" in confirm.text
    lab = _enrollment_id(database, linked.labs[0])
    assert "goes with it" not in student.get(f"/drop/{lab}?back=/").text
    answer = student.post(
        "/drop",
        data={
            "csrf_token": csrf_of(confirm),
            "form_key": form_key_of(confirm),
            "enrollment_id": str(lecture),
            "back": "/",
        },
    )
    assert answer.status_code == 303
    assert "Also dropped the lab" in student.get("/").text
    assert _places(database, linked.physics, linked.labs[0]) == {
        linked.physics: EnrollmentStatus.DROPPED,
        linked.labs[0]: EnrollmentStatus.DROPPED,
    }
