"""Course sections through /api/admin/sections: seats, waitlists, timetables and rooms."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from registrar.academics.models import CourseSection, TermKind
from registrar.db import Database
from registrar.enrollment.models import EnrollmentStatus
from tests import factories
from tests.academics.conftest import Office, audit_count, audit_details, institution

SECTIONS = "/api/admin/sections"


@dataclass
class Catalog:
    course_id: uuid.UUID
    other_course_id: uuid.UUID
    term_id: uuid.UUID
    next_term_id: uuid.UUID
    faculty_id: uuid.UUID
    batch_id: uuid.UUID


@pytest.fixture
def catalog(database: Database, office: Office) -> Catalog:
    """A course, two terms, a teacher, a batch and two rooms (CS-101, CS-102) in CS Block."""
    with database.session() as session:
        inst = institution(session, office.institution_id)
        dept = factories.department(session, inst)
        year = factories.academic_year(session, inst)
        crs = factories.course(session, inst, dept, "CS301")
        other = factories.course(session, inst, dept, "CS302")
        odd = factories.term(session, inst, year)
        even = factories.term(session, inst, year, TermKind.EVEN)
        teacher = factories.faculty(session, inst, dept)
        group = factories.batch(session, inst, dept=dept, year=year)
        factories.room(session, inst, "CS-101")
        factories.room(session, inst, "CS-102")
        return Catalog(crs.id, other.id, odd.id, even.id, teacher.id, group.id)


def _payload(catalog: Catalog, code: str = "CS301-A", **fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "course_id": str(catalog.course_id),
        "term_id": str(catalog.term_id),
        "code": code,
        "section_type": "LECTURE",
        "faculty_id": str(catalog.faculty_id),
        "student_batch_id": str(catalog.batch_id),
        "max_students": 60,
        "reserve_limit": 5,
        "timetable": [
            {"day": "MONDAY", "start_time": "09:00", "end_time": "10:30", "room": "CS-101"},
            {"day": "WEDNESDAY", "start_time": "09:00", "end_time": "10:30", "room": "CS-101"},
        ],
    }
    payload.update(fields)
    return payload


def _create(client: TestClient, office: Office, payload: dict[str, Any]) -> dict[str, Any]:
    response = client.post(SECTIONS, json=payload, headers=office.headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_section_lifecycle(
    client: TestClient, database: Database, office: Office, catalog: Catalog
) -> None:
    body = _create(client, office, _payload(catalog))
    assert body["code"] == "CS301-A"
    assert body["course_code"] == "CS301"
    assert body["max_students"] == 60
    assert body["reserve_limit"] == 5
    assert body["enrolled"] == 0
    assert body["waitlisted"] == 0
    assert body["available_seats"] == 60
    assert body["timetable"] == [
        {
            "day": "MONDAY",
            "start_time": "09:00:00",
            "end_time": "10:30:00",
            "room": "CS-101",
            "building": "CS Block",
        },
        {
            "day": "WEDNESDAY",
            "start_time": "09:00:00",
            "end_time": "10:30:00",
            "room": "CS-101",
            "building": "CS Block",
        },
    ]
    section_id = uuid.UUID(body["id"])
    assert audit_count(database, section_id, "section.created") == 1
    assert client.get(f"{SECTIONS}/{section_id}", headers=office.headers).json() == body

    moved = client.patch(
        f"{SECTIONS}/{section_id}",
        json={
            "max_students": 40,
            "timetable": [
                {"day": "FRIDAY", "start_time": "14:00", "end_time": "15:00", "room": "CS-102"}
            ],
        },
        headers=office.headers,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["max_students"] == 40
    assert [(s["day"], s["room"]) for s in moved.json()["timetable"]] == [("FRIDAY", "CS-102")]
    details = audit_details(database, section_id, "section.updated")
    assert details["before"]["capacity"] == 60
    assert details["after"]["capacity"] == 40
    assert details["after"]["timetable"][0]["day"] == "FRIDAY"

    gone = client.post(f"{SECTIONS}/{section_id}/deactivate", headers=office.headers)
    assert gone.status_code == 200
    assert gone.json()["is_active"] is False


def test_section_defaults_to_the_institution_waitlist_limit(
    client: TestClient, database: Database, office: Office, catalog: Catalog
) -> None:
    # Not the column's own default of 10, so only the institution's setting can give 7.
    with database.session() as session:
        institution(session, office.institution_id).default_waitlist_limit = 7
    body = _create(client, office, _payload(catalog, reserve_limit=None, timetable=[]))
    assert body["reserve_limit"] == 7
    assert body["timetable"] == []


def test_section_list_filters(client: TestClient, office: Office, catalog: Catalog) -> None:
    _create(client, office, _payload(catalog, "CS301-A"))
    _create(client, office, _payload(catalog, "CS301-B", section_type="LAB", timetable=[]))
    _create(
        client,
        office,
        _payload(catalog, "CS302-A", course_id=str(catalog.other_course_id), timetable=[]),
    )
    _create(
        client,
        office,
        _payload(catalog, "CS301-N", term_id=str(catalog.next_term_id), timetable=[]),
    )
    by_course = client.get(
        SECTIONS, params={"course_id": str(catalog.other_course_id)}, headers=office.headers
    )
    assert [s["code"] for s in by_course.json()["items"]] == ["CS302-A"]
    labs = client.get(SECTIONS, params={"section_type": "LAB"}, headers=office.headers).json()
    assert [s["code"] for s in labs["items"]] == ["CS301-B"]
    by_term = client.get(
        SECTIONS, params={"term_id": str(catalog.term_id), "limit": 2}, headers=office.headers
    ).json()
    assert by_term["total"] == 3
    assert [s["code"] for s in by_term["items"]] == ["CS301-A", "CS301-B"]
    by_batch = client.get(
        SECTIONS, params={"student_batch_id": str(catalog.batch_id)}, headers=office.headers
    ).json()
    assert by_batch["total"] == 4


def test_room_booked_twice_is_409_naming_the_other_section(
    client: TestClient, office: Office, catalog: Catalog
) -> None:
    _create(client, office, _payload(catalog, "CS301-A"))
    clash = client.post(
        SECTIONS,
        json=_payload(
            catalog,
            "CS302-A",
            course_id=str(catalog.other_course_id),
            timetable=[
                {"day": "WEDNESDAY", "start_time": "10:00", "end_time": "11:00", "room": "CS-101"},
            ],
        ),
        headers=office.headers,
    )
    assert clash.status_code == 409
    body = clash.json()
    assert (
        body["error"] == "Room CS-101 is already booked on WEDNESDAY 09:00-10:30 by section CS301-A"
    )
    assert body["conflicting_section"]["code"] == "CS301-A"
    assert body["conflicting_section"]["start_time"] == "09:00:00"
    # Back to back, another room, or another term is no clash.
    _create(
        client,
        office,
        _payload(
            catalog,
            "CS302-A",
            course_id=str(catalog.other_course_id),
            timetable=[
                {"day": "WEDNESDAY", "start_time": "10:30", "end_time": "11:30", "room": "CS-101"},
                {"day": "MONDAY", "start_time": "09:00", "end_time": "10:30", "room": "CS-102"},
            ],
        ),
    )
    _create(client, office, _payload(catalog, "CS301-N", term_id=str(catalog.next_term_id)))


def test_room_clash_on_update_and_inactive_sections_free_their_rooms(
    client: TestClient, office: Office, catalog: Catalog
) -> None:
    first = _create(client, office, _payload(catalog, "CS301-A"))
    second = _create(
        client,
        office,
        _payload(
            catalog,
            "CS301-B",
            timetable=[
                {"day": "TUESDAY", "start_time": "09:00", "end_time": "10:00", "room": "CS-101"},
            ],
        ),
    )
    onto_first = {
        "timetable": [
            {"day": "MONDAY", "start_time": "10:00", "end_time": "11:00", "room": "CS-101"}
        ]
    }
    clash = client.patch(f"{SECTIONS}/{second['id']}", json=onto_first, headers=office.headers)
    assert clash.status_code == 409
    assert clash.json()["conflicting_section"]["code"] == "CS301-A"
    # Its own slots never clash with themselves.
    same = client.patch(
        f"{SECTIONS}/{first['id']}",
        json={"timetable": _payload(catalog)["timetable"]},
        headers=office.headers,
    )
    assert same.status_code == 200
    client.post(f"{SECTIONS}/{first['id']}/deactivate", headers=office.headers)
    freed = client.patch(f"{SECTIONS}/{second['id']}", json=onto_first, headers=office.headers)
    assert freed.status_code == 200


def _slot(start: str, end: str, **where: str) -> dict[str, str]:
    return {"day": "MONDAY", "start_time": start, "end_time": end, **where}


@pytest.mark.parametrize(
    ("timetable", "error"),
    [
        pytest.param(
            [_slot("09:00", "10:00", room="NOPE-9")], "Unknown room: NOPE-9", id="unknown"
        ),
        pytest.param([_slot("10:00", "09:00", room="CS-101")], None, id="ends-before-start"),
        pytest.param(
            [_slot("09:00", "10:00", room="CS-101", building="ME Block")],
            "Room CS-101 is in CS Block, not ME Block",
            id="wrong-building",
        ),
        pytest.param(
            [_slot("09:00", "10:00", room="CS-101"), _slot("09:30", "10:30", room="CS-101")],
            None,
            id="room-twice",
        ),
        pytest.param([_slot("09:00", "10:00", building="CS Block")], None, id="building-no-room"),
    ],
)
def test_timetable_validation(
    client: TestClient,
    office: Office,
    catalog: Catalog,
    timetable: list[dict[str, str]],
    error: str | None,
) -> None:
    response = client.post(
        SECTIONS, json=_payload(catalog, timetable=timetable), headers=office.headers
    )
    assert response.status_code == 422
    if error is not None:
        assert response.json()["error"] == error
    assert client.get(SECTIONS, headers=office.headers).json()["total"] == 0


def test_section_code_reused_is_409(client: TestClient, office: Office, catalog: Catalog) -> None:
    _create(client, office, _payload(catalog, timetable=[]))
    dup = client.post(SECTIONS, json=_payload(catalog, timetable=[]), headers=office.headers)
    assert dup.status_code == 409
    assert dup.json()["error"] == "Section code CS301-A already exists"


def _fill(
    database: Database, office: Office, section_id: str, enrolled: int, waitlisted: int
) -> None:
    with database.session() as session:
        inst = institution(session, office.institution_id)
        section = session.get(CourseSection, uuid.UUID(section_id))
        assert section is not None
        for _ in range(enrolled):
            factories.enrollment(
                session, inst, factories.student(session, inst, with_login=False), section
            )
        for _ in range(waitlisted):
            factories.enrollment(
                session,
                inst,
                factories.student(session, inst, with_login=False),
                section,
                EnrollmentStatus.WAITLISTED,
            )


def test_seats_never_drop_below_who_is_in_the_section(
    client: TestClient, database: Database, office: Office, catalog: Catalog
) -> None:
    body = _create(client, office, _payload(catalog, max_students=5, reserve_limit=3, timetable=[]))
    _fill(database, office, body["id"], enrolled=4, waitlisted=0)
    read = client.get(f"{SECTIONS}/{body['id']}", headers=office.headers).json()
    assert read["enrolled"] == 4
    assert read["available_seats"] == 1

    too_small = client.patch(
        f"{SECTIONS}/{body['id']}", json={"max_students": 3}, headers=office.headers
    )
    assert too_small.status_code == 409
    assert too_small.json()["error"] == "Capacity 3 is below the current enrollment of 4"
    assert too_small.json()["current_enrollment"] == 4
    exact = client.patch(
        f"{SECTIONS}/{body['id']}", json={"max_students": 4}, headers=office.headers
    )
    assert exact.status_code == 200

    _fill(database, office, body["id"], enrolled=0, waitlisted=2)
    short = client.patch(
        f"{SECTIONS}/{body['id']}", json={"reserve_limit": 1}, headers=office.headers
    )
    assert short.status_code == 409
    assert short.json()["current_waitlist"] == 2
    assert (
        client.patch(
            f"{SECTIONS}/{body['id']}", json={"reserve_limit": 2}, headers=office.headers
        ).status_code
        == 200
    )

    moved = client.patch(
        f"{SECTIONS}/{body['id']}",
        json={"term_id": str(catalog.next_term_id)},
        headers=office.headers,
    )
    assert moved.status_code == 409
    closed = client.post(f"{SECTIONS}/{body['id']}/deactivate", headers=office.headers)
    assert closed.status_code == 409
    assert closed.json()["enrolled"] == 4
    assert (
        client.get(f"{SECTIONS}/{body['id']}", headers=office.headers).json()["is_active"] is True
    )


def test_references_of_another_institution_do_not_exist(
    client: TestClient, database: Database, office: Office, catalog: Catalog
) -> None:
    with database.session() as session:
        other = institution(session, office.other_institution_id)
        year = factories.academic_year(session, other)
        foreign_term = factories.term(session, other, year)
        foreign_course = factories.course(session, other)
        foreign_section = factories.section(session, other, foreign_course, foreign_term)
        factories.room(session, other, "FOREIGN-1")
        ids = foreign_term.id, foreign_section.id
    term = client.post(
        SECTIONS, json=_payload(catalog, term_id=str(ids[0])), headers=office.headers
    )
    assert term.status_code == 422
    assert term.json()["field"] == "term_id"
    room = client.post(
        SECTIONS,
        json=_payload(
            catalog,
            timetable=[
                {"day": "MONDAY", "start_time": "09:00", "end_time": "10:00", "room": "FOREIGN-1"},
            ],
        ),
        headers=office.headers,
    )
    assert room.status_code == 422
    assert room.json()["unknown_rooms"] == ["FOREIGN-1"]
    assert client.get(f"{SECTIONS}/{ids[1]}", headers=office.headers).status_code == 404
    assert (
        client.patch(
            f"{SECTIONS}/{ids[1]}", json={"max_students": 1}, headers=office.headers
        ).status_code
        == 404
    )
    assert client.delete(f"{SECTIONS}/{ids[1]}", headers=office.headers).status_code == 404


def test_student_gets_403(client: TestClient, student_headers: dict[str, str]) -> None:
    assert client.get(SECTIONS, headers=student_headers).status_code == 403


def test_inactive_course_or_term_takes_no_new_section(
    client: TestClient, office: Office, catalog: Catalog
) -> None:
    client.post(f"/api/admin/courses/{catalog.other_course_id}/deactivate", headers=office.headers)
    client.post(f"/api/admin/terms/{catalog.next_term_id}/deactivate", headers=office.headers)
    course = client.post(
        SECTIONS,
        json=_payload(catalog, course_id=str(catalog.other_course_id), timetable=[]),
        headers=office.headers,
    )
    assert course.status_code == 422
    assert course.json()["error"] == "Course CS302 is not active"
    term = client.post(
        SECTIONS,
        json=_payload(catalog, term_id=str(catalog.next_term_id), timetable=[]),
        headers=office.headers,
    )
    assert term.status_code == 422
    assert term.json()["field"] == "term_id"
