"""The student's pages without JavaScript: every action a form, its answer on the next page."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import select

from registrar.academics.models import CourseSection
from registrar.auth.actor import Actor
from registrar.db import Database
from registrar.enrollment import engine
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.institutions.models import WaitlistMode
from registrar.kit.columns import utcnow
from tests.web.campus import Campus, csrf_of, form_key_of

PAGE_BUDGET = 100 * 1024  # the limit: a page's HTML and its own assets


def _card(page: Response, section: uuid.UUID) -> str:
    """The part of the courses page about one section."""
    start = page.text.index(f'id="section-{section}"')
    return page.text[start : page.text.index("</section>", start)]


def _enroll(client: TestClient, section: uuid.UUID, back: str = "/enroll") -> Response:
    page = client.get(back)
    answer: Response = client.post(
        "/enroll",
        data={
            "csrf_token": csrf_of(page),
            "form_key": form_key_of(page),
            "section_id": str(section),
            "back": back,
        },
    )
    return answer


def _rows(database: Database, section: uuid.UUID) -> list[tuple[str, EnrollmentStatus, int | None]]:
    with database.session(write=False) as s:
        found = s.execute(
            select(Enrollment.id, Enrollment.status, Enrollment.waitlist_position).where(
                Enrollment.section_id == section
            )
        )
        return [(str(row.id), row.status, row.waitlist_position) for row in found]


def test_this_term_shows_the_grid_the_summary_and_the_courses(student: TestClient) -> None:
    page = student.get("/")
    assert page.status_code == 200
    assert '<table class="timetable"' in page.text
    assert "GPA" in page.text
    assert "3.67" in page.text
    assert "CS-2024-3-A" in page.text
    assert len(page.content) < PAGE_BUDGET


def test_courses_say_what_the_student_can_do_with_each_section(
    student: TestClient, campus: Campus
) -> None:
    page = student.get("/enroll")
    assert page.status_code == 200
    assert "Enroll in CS341" in _card(page, campus.open_section)
    full = _card(page, campus.full_section)
    assert "0 of 1 seats left" in full
    assert "Join the waitlist for CS342" in full
    locked = _card(page, campus.locked_section)
    assert "t take this section:" in locked
    assert "Prerequisites not met" in locked
    assert "Complete CS399" in locked
    assert "<form" not in locked
    only_electives = student.get("/enroll?type=ELECTIVE&department=")
    assert only_electives.status_code == 200
    assert "CS341" in only_electives.text
    assert "CS341" not in student.get("/enroll?type=MANDATORY").text


def test_enrolling_is_one_form_and_its_answer_shows_on_the_next_page(
    student: TestClient, campus: Campus, database: Database
) -> None:
    answer = _enroll(student, campus.open_section)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/enroll#section-{campus.open_section}"
    after = student.get("/enroll")
    assert "Successfully enrolled in CS341 - Artificial Intelligence" in after.text
    assert [status for _, status, _ in _rows(database, campus.open_section)] == [
        EnrollmentStatus.ENROLLED
    ]
    # Shown once: the message is gone from the page after.
    assert "Successfully enrolled" not in student.get("/enroll").text
    assert "CS341" in student.get("/").text


def test_a_full_section_puts_the_student_on_its_waitlist_shown_in_place(
    student: TestClient, campus: Campus
) -> None:
    _enroll(student, campus.full_section)
    page = student.get("/enroll")
    card = _card(page, campus.full_section)
    assert "added to the waitlist" in card
    assert "at position 1" in card
    assert "You are #1 on the waitlist" in card
    assert "Waitlisted" in student.get("/").text


def test_a_refusal_is_said_beside_the_section_and_nothing_is_written(
    student: TestClient, campus: Campus, database: Database
) -> None:
    answer = _enroll(student, campus.locked_section)
    assert answer.status_code == 303
    card = _card(student.get("/enroll"), campus.locked_section)
    assert 'class="notice error"' in card
    assert "Prerequisites not met" in card
    assert _rows(database, campus.locked_section) == []


def test_the_same_form_sent_twice_enrolls_once(
    student: TestClient, campus: Campus, database: Database
) -> None:
    page = student.get("/enroll")
    form = {
        "csrf_token": csrf_of(page),
        "form_key": form_key_of(page),
        "section_id": str(campus.open_section),
    }
    first = student.post("/enroll", data=form)
    again = student.post("/enroll", data=form)
    assert first.status_code == again.status_code == 303
    assert len(_rows(database, campus.open_section)) == 1
    assert "Successfully enrolled in CS341" in student.get("/enroll").text


def test_dropping_asks_first_then_drops_with_the_reason(
    student: TestClient, campus: Campus, database: Database
) -> None:
    _enroll(student, campus.open_section)
    ((enrollment_id, _, _),) = _rows(database, campus.open_section)
    confirm = student.get(f"/drop/{enrollment_id}?back=/")
    assert confirm.status_code == 200
    assert "Drop CS341?" in confirm.text
    assert 'name="reason"' in confirm.text
    answer = student.post(
        "/drop",
        data={
            "csrf_token": csrf_of(confirm),
            "form_key": form_key_of(confirm),
            "enrollment_id": enrollment_id,
            "reason": "Too many labs",
            "back": "/",
        },
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    assert "Successfully dropped CS341" in student.get("/").text
    assert _rows(database, campus.open_section)[0][1] is EnrollmentStatus.DROPPED


def test_another_students_enrollment_is_not_found(
    student: TestClient, campus: Campus, database: Database
) -> None:
    assert student.get(f"/drop/{campus.other_enrollment}").status_code == 404
    page = student.get("/")
    answer = student.post(
        "/drop",
        data={
            "csrf_token": csrf_of(page),
            "form_key": form_key_of(page) if "form_key" in page.text else str(uuid.uuid4()),
            "enrollment_id": str(campus.other_enrollment),
            "back": "/",
        },
    )
    assert answer.status_code == 303
    assert "not found" in student.get("/").text.lower()
    assert _rows(database, campus.full_section)[0][1] is EnrollmentStatus.ENROLLED
    assert "Ravi Kumar" not in student.get("/enroll").text


def test_grades_and_history(student: TestClient, campus: Campus) -> None:
    _enroll(student, campus.open_section)
    page = student.get("/record")
    assert page.status_code == 200
    assert "CS201" in page.text
    assert "CS202" in page.text
    assert "3.67" in page.text
    assert "Enrolled in CS341" in page.text


def _offered_the_full_seat(student: TestClient, campus: Campus, database: Database) -> str:
    """22CS001 waits for CS342's one seat; its holder drops it, and since the section holds a
    freed seat for the head of its waitlist (OFFER mode), the seat is offered to 22CS001."""
    _enroll(student, campus.full_section)
    with database.session() as s:
        section = s.get(CourseSection, campus.full_section)
        assert section is not None
        section.waitlist_mode = WaitlistMode.OFFER
        section.offer_hours = 24
        s.flush()
        engine.drop(
            s,
            institution_id=section.institution_id,
            enrollment_id=campus.other_enrollment,
            actor=Actor(None, None),
        )
    mine = [
        row for row in _rows(database, campus.full_section) if row[1] is EnrollmentStatus.OFFERED
    ]
    assert len(mine) == 1
    return mine[0][0]


def _offer_form(student: TestClient) -> dict[str, str]:
    page = student.get("/")
    return {"csrf_token": csrf_of(page), "form_key": form_key_of(page)}


def _answer_offer(student: TestClient, offer: str, answer: str) -> Response:
    sent: Response = student.post(f"/offers/{offer}/{answer}", data=_offer_form(student))
    return sent


def test_a_seat_held_for_the_student_is_shown_and_taken_with_one_form(
    student: TestClient, campus: Campus, database: Database
) -> None:
    offer = _offered_the_full_seat(student, campus, database)
    home = student.get("/").text
    assert "Seats held for you" in home
    assert f'id="offer-{offer}"' in home
    assert "Take the seat in CS342" in home

    form = _offer_form(student)
    taken = student.post(f"/offers/{offer}/accept", data=form)
    again = student.post(f"/offers/{offer}/accept", data=form)  # a double tap

    assert (taken.status_code, taken.headers["location"]) == (303, "/")
    assert again.status_code == 303
    home = student.get("/").text
    assert "Successfully enrolled in CS342" in home
    assert "Seats held for you" not in home
    assert (offer, EnrollmentStatus.ENROLLED, None) in _rows(database, campus.full_section)


def test_a_seat_let_pass_leaves_the_student_without_it(
    student: TestClient, campus: Campus, database: Database
) -> None:
    offer = _offered_the_full_seat(student, campus, database)
    declined = _answer_offer(student, offer, "decline")
    assert declined.status_code == 303
    home = student.get("/").text
    assert "Declined the seat in CS342" in home
    assert "Seats held for you" not in home
    statuses = {row[0]: row[1] for row in _rows(database, campus.full_section)}
    assert statuses[offer] is not EnrollmentStatus.OFFERED
    assert statuses[offer] is not EnrollmentStatus.ENROLLED


def test_an_offer_answered_too_late_is_refused_on_the_page(
    student: TestClient, campus: Campus, database: Database
) -> None:
    offer = _offered_the_full_seat(student, campus, database)
    with database.session() as s:
        held = s.get(Enrollment, uuid.UUID(offer))
        assert held is not None
        held.offer_expires_at = utcnow() - timedelta(minutes=1)
    late = _answer_offer(student, offer, "accept")
    assert (late.status_code, late.headers["location"]) == (303, "/")
    assert 'class="notice error"' in student.get("/").text
    statuses = {row[0]: row[1] for row in _rows(database, campus.full_section)}
    assert statuses[offer] is not EnrollmentStatus.ENROLLED
