"""Linked sections: a lecture and one of its labs (or tutorials) are taken together, both places
or neither; a lab never without its lecture; dropping the lecture drops the lab."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from registrar.academics.models import CourseSection, SectionType, Term, Weekday
from registrar.auth.models import Role
from registrar.db import Database
from registrar.enrollment import engine
from registrar.enrollment.engine import SYSTEM, EnrollmentRefused, RuleCode
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from tests import factories
from tests.conftest import LoginFn

ENROLL = "/api/student-portal/courses/enroll/"
DROP = "/api/student-portal/courses/drop/"
SECTIONS = "/api/admin/sections"


@dataclass
class Lab:
    tag: str
    student: dict[str, str]
    registrar: dict[str, str]
    student_id: uuid.UUID
    lecture: uuid.UUID
    labs: list[uuid.UUID]  # the lecture's two labs; the second has one seat
    tutorial: uuid.UUID
    other_lecture: uuid.UUID  # a lecture of the same course whose lab is not the first's
    rival: dict[str, str]  # another student
    rival_id: uuid.UUID
    clashing: uuid.UUID  # another course's section, meeting when the first lab does
    term: uuid.UUID


def _linked(section: CourseSection, kind: SectionType, lecture: CourseSection) -> None:
    section.section_type = kind
    section.linked_to_section_id = lecture.id


@pytest.fixture
def lab(database: Database, login: LoginFn) -> Lab:
    with database.session() as s:
        inst = factories.institution(s)
        term = factories.term(s, inst, factories.academic_year(s, inst))
        physics = factories.course(s, inst, code="PH101", credits=4, requires_linked_section=True)
        lecture = factories.section(s, inst, physics, term, code="PH101-A")
        tue = ((Weekday.TUESDAY, time(14), time(16)),)
        first = factories.section(s, inst, physics, term, code="PH101-A-L1", slots=tue)
        second = factories.section(s, inst, physics, term, code="PH101-A-L2", capacity=1, slots=())
        tutorial = factories.section(s, inst, physics, term, code="PH101-A-T1", slots=())
        other = factories.section(s, inst, physics, term, code="PH101-B", slots=())
        for row, kind in ((first, SectionType.LAB), (second, SectionType.LAB)):
            _linked(row, kind, lecture)
        _linked(tutorial, SectionType.TUTORIAL, lecture)
        chemistry = factories.course(s, inst, code="CH101")
        clashing = factories.section(
            s, inst, chemistry, term, slots=((Weekday.TUESDAY, time(15), time(16)),)
        )
        s.flush()
        student = factories.student(s, inst)
        rival = factories.student(s, inst)
        registrar = factories.user(s, inst, role=Role.REGISTRAR)
        names = (inst.tag, student.roll_number, rival.roll_number, registrar.username)
        ids = (student.id, lecture.id, [first.id, second.id], tutorial.id, other.id)
        more = (clashing.id, term.id, rival.id)
    tag = names[0]
    return Lab(
        tag=tag,
        student=login(names[1], factories.PASSWORD, tag),
        registrar=login(names[3], factories.PASSWORD, tag),
        student_id=ids[0],
        lecture=ids[1],
        labs=ids[2],
        tutorial=ids[3],
        other_lecture=ids[4],
        rival=login(names[2], factories.PASSWORD, tag),
        clashing=more[0],
        term=more[1],
        rival_id=more[2],
    )


def _enroll(
    client: TestClient, headers: dict[str, str], section: uuid.UUID, *linked: uuid.UUID
) -> dict[str, object]:
    body = {"course_section_id": str(section), "linked_section_ids": [str(i) for i in linked]}
    response = client.post(ENROLL, json=body, headers=headers)
    return {"status": response.status_code, **response.json()}


def _places(database: Database, student_id: uuid.UUID) -> dict[uuid.UUID, EnrollmentStatus]:
    with database.session(write=False) as s:
        rows = s.execute(
            select(Enrollment.section_id, Enrollment.status).where(
                Enrollment.student_id == student_id
            )
        ).all()
    return dict(rows)


def _taken(database: Database, section_id: uuid.UUID) -> int:
    with database.session(write=False) as s:
        return int(
            s.scalar(select(CourseSection.enrolled_count).where(CourseSection.id == section_id))
            or 0
        )


def test_the_lecture_alone_is_refused_with_its_choices(
    client: TestClient, database: Database, lab: Lab
) -> None:
    answer = _enroll(client, lab.student, lab.lecture)
    assert answer["status"] == 400
    assert answer["code"] == "LINKED_SECTION_REQUIRED"
    choices = {c["section_code"]: c for c in answer["choices"]}  # type: ignore[attr-defined]
    assert set(choices) == {"PH101-A-L1", "PH101-A-L2", "PH101-A-T1"}
    assert choices["PH101-A-L2"]["available_seats"] == 1
    assert choices["PH101-A-L1"]["section_type"] == "LAB"
    assert _places(database, lab.student_id) == {}


def test_lecture_and_lab_are_taken_together(
    client: TestClient, database: Database, lab: Lab
) -> None:
    answer = _enroll(client, lab.student, lab.lecture, lab.labs[0], lab.tutorial)
    assert answer["status"] == 201, answer
    linked = answer["linked_enrollments"]
    assert [e["course_section"]["section_type"] for e in linked] == ["LAB", "TUTORIAL"]  # type: ignore[attr-defined]
    assert _places(database, lab.student_id) == {
        lab.lecture: EnrollmentStatus.ENROLLED,
        lab.labs[0]: EnrollmentStatus.ENROLLED,
        lab.tutorial: EnrollmentStatus.ENROLLED,
    }


def test_the_student_counts_the_course_once_with_its_lab(client: TestClient, lab: Lab) -> None:
    assert _enroll(client, lab.student, lab.lecture, lab.labs[0])["status"] == 201
    listed = client.get("/api/student-portal/courses/enrolled/", headers=lab.student).json()
    assert len(listed["enrolled_courses"]) == 2  # both places are listed, with their timetable
    summary = listed["summary"]
    assert (summary["total_courses"], summary["enrolled_credits"]) == (1, 4)


def test_a_lab_alone_is_refused(client: TestClient, database: Database, lab: Lab) -> None:
    answer = _enroll(client, lab.student, lab.labs[0])
    assert answer["status"] == 400
    assert answer["code"] == "LECTURE_REQUIRED"
    assert answer["lecture_section_id"] == str(lab.lecture)
    assert _places(database, lab.student_id) == {}


def test_a_lab_of_another_lecture_or_two_labs_are_refused(
    client: TestClient, database: Database, lab: Lab
) -> None:
    foreign = _enroll(client, lab.student, lab.other_lecture, lab.labs[0])
    assert (foreign["status"], foreign["code"]) == (400, "LINKED_SECTION_REQUIRED")
    both = _enroll(client, lab.student, lab.lecture, *lab.labs)
    assert (both["status"], both["code"]) == (400, "LINKED_SECTION_REQUIRED")
    assert _places(database, lab.student_id) == {}


def test_a_lab_that_refuses_leaves_no_lecture_seat(
    client: TestClient, database: Database, lab: Lab
) -> None:
    """The lab's own rules run with the lecture held: a clash with another course refuses
    the lab, and the lecture's seat, taken a moment before, is given back."""
    assert _enroll(client, lab.student, lab.clashing)["status"] == 201
    answer = _enroll(client, lab.student, lab.lecture, lab.labs[0])
    assert (answer["status"], answer["code"]) == (400, "TIMETABLE_CLASH")
    assert lab.lecture not in _places(database, lab.student_id)
    assert _taken(database, lab.lecture) == 0


def test_a_refused_pair_leaves_nothing_in_a_transaction_that_goes_on(
    database: Database, lab: Lab
) -> None:
    """The pair is one savepoint: a caller that carries on after the refusal (a batch enrolling
    student after student) commits no lecture seat without its lab."""
    with database.session() as s:
        institution_id = s.scalar(
            select(CourseSection.institution_id).where(CourseSection.id == lab.lecture)
        )
        assert institution_id is not None
        asked = {"institution_id": institution_id, "student_id": lab.student_id, "actor": SYSTEM}
        engine.enroll(s, section_id=lab.clashing, **asked)  # type: ignore[arg-type]
        with pytest.raises(EnrollmentRefused) as refused:
            engine.enroll(
                s,
                section_id=lab.lecture,
                linked_section_ids=[lab.labs[0]],
                **asked,  # type: ignore[arg-type]
            )
        assert refused.value.violation.code is RuleCode.TIMETABLE_CLASH
    assert _places(database, lab.student_id) == {lab.clashing: EnrollmentStatus.ENROLLED}
    assert _taken(database, lab.lecture) == 0


def test_a_full_lab_waitlists_its_part_and_keeps_the_lecture_seat(
    client: TestClient, database: Database, lab: Lab
) -> None:
    assert _enroll(client, lab.rival, lab.lecture, lab.labs[1])["status"] == 201
    answer = _enroll(client, lab.student, lab.lecture, lab.labs[1])
    assert answer["status"] == 201, answer
    assert answer["linked_enrollments"][0]["status"] == "WAITLISTED"  # type: ignore[index]
    assert _places(database, lab.student_id) == {
        lab.lecture: EnrollmentStatus.ENROLLED,
        lab.labs[1]: EnrollmentStatus.WAITLISTED,
    }


def test_dropping_the_lecture_drops_the_lab_and_promotes_its_waitlist(
    client: TestClient, database: Database, lab: Lab
) -> None:
    first = _enroll(client, lab.rival, lab.lecture, lab.labs[1])
    assert _enroll(client, lab.student, lab.lecture, lab.labs[1])["status"] == 201
    body = {"enrollment_id": first["enrollment"]["id"], "reason": "Changed my plan"}  # type: ignore[index]
    dropped = client.post(DROP, json=body, headers=lab.rival)
    assert dropped.status_code == 200, dropped.text
    assert [e["status"] for e in dropped.json()["linked_dropped"]] == ["DROPPED"]
    assert _places(database, lab.student_id)[lab.labs[1]] is EnrollmentStatus.ENROLLED
    assert _taken(database, lab.labs[1]) == 1
    assert _taken(database, lab.lecture) == 1


def test_credits_count_once_for_lecture_and_lab(
    client: TestClient, database: Database, lab: Lab
) -> None:
    """The lab is part of its lecture's course: a 4-credit course with its lab is 4 credits
    against the term's limit, not 8."""
    with database.session() as s:
        s.execute(update(Term).where(Term.id == lab.term).values(min_credits=0, max_credits=4))
    answer = _enroll(client, lab.student, lab.lecture, lab.labs[0])
    assert answer["status"] == 201, answer


def test_a_registrar_enrolls_the_pair_or_overrides_the_rule_with_a_reason(
    client: TestClient, lab: Lab
) -> None:
    body = {
        "student_id": str(lab.student_id),
        "course_section_id": str(lab.lecture),
        "linked_section_ids": [str(lab.labs[0])],
    }
    answer = client.post("/api/admin/enrollments", json=body, headers=lab.registrar)
    assert answer.status_code == 201, answer.text
    assert [e["section_id"] for e in answer.json()["linked"]] == [str(lab.labs[0])]
    dry = client.post(
        f"{ENROLL}?dry_run=true",
        json={"course_section_id": str(lab.other_lecture)},
        headers=lab.rival,
    )
    assert dry.status_code == 200
    verdicts = {c["rule"]: c["passed"] for c in dry.json()["checks"]}
    assert (dry.json()["outcome"], verdicts["LINKED_SECTION_REQUIRED"]) == ("REFUSED", False)
    with_reason = {
        "student_id": str(lab.rival_id),
        "course_section_id": str(lab.other_lecture),
        "overrides": ["LINKED_SECTION_REQUIRED"],
        "reason": "Lab exempted: done at the partner college",
    }
    overridden = client.post("/api/admin/enrollments", json=with_reason, headers=lab.registrar)
    assert overridden.status_code == 201, overridden.text
    assert overridden.json()["overrides"] == ["LINKED_SECTION_REQUIRED"]


def test_sections_name_their_lecture_through_the_api(client: TestClient, lab: Lab) -> None:
    section = client.get(f"{SECTIONS}/{lab.labs[0]}", headers=lab.registrar).json()
    assert section["linked_to_section_id"] == str(lab.lecture)
    lecture_as_lab = client.patch(
        f"{SECTIONS}/{lab.labs[0]}",
        json={"linked_to_section_id": str(lab.tutorial)},
        headers=lab.registrar,
    )
    assert lecture_as_lab.status_code == 422, lecture_as_lab.text
    lecture_linked = client.patch(
        f"{SECTIONS}/{lab.other_lecture}",
        json={"linked_to_section_id": str(lab.lecture)},
        headers=lab.registrar,
    )
    assert lecture_linked.status_code == 422
    retyped = client.patch(
        f"{SECTIONS}/{lab.lecture}", json={"section_type": "LAB"}, headers=lab.registrar
    )
    assert retyped.status_code == 409
    unlinked = client.patch(
        f"{SECTIONS}/{lab.labs[0]}", json={"linked_to_section_id": None}, headers=lab.registrar
    )
    assert unlinked.status_code == 200
    assert unlinked.json()["linked_to_section_id"] is None


def test_the_course_says_it_requires_a_linked_section(
    client: TestClient, database: Database, lab: Lab
) -> None:
    with database.session(write=False) as s:
        course_id = s.scalar(select(CourseSection.course_id).where(CourseSection.id == lab.lecture))
    course = client.get(f"/api/admin/courses/{course_id}", headers=lab.registrar)
    assert course.json()["requires_linked_section"] is True
    changed = client.patch(
        f"/api/admin/courses/{course_id}",
        json={"requires_linked_section": False},
        headers=lab.registrar,
    )
    assert changed.status_code == 200
    # The running worker sees the change at once (the catalog stamp moved).
    assert _enroll(client, lab.student, lab.lecture)["status"] == 201


def test_the_import_links_a_lab_to_a_lecture_of_the_file(
    client: TestClient, database: Database, lab: Lab
) -> None:
    with database.session(write=False) as s:
        term_code = s.scalar(select(Term.code).where(Term.id == lab.term))
    rows = (
        "course_code,term_code,section_code,section_type,capacity,linked_to\n"
        f"PH101,{term_code},PH101-C-L1,LAB,20,PH101-C\n"
        f"PH101,{term_code},PH101-C,LECTURE,60,\n"
        f"PH101,{term_code},PH101-D-L1,LAB,20,PH101-C-L1\n"
    )
    files = {"file": ("sections.csv", rows, "text/csv")}
    refused = client.post("/api/admin/sections/import", files=files, headers=lab.registrar)
    assert refused.status_code == 422, refused.text
    assert "linked_to" in refused.text
    good = rows.rsplit("\n", 2)[0] + "\n"
    files = {"file": ("sections.csv", good, "text/csv")}
    answer = client.post("/api/admin/sections/import", files=files, headers=lab.registrar)
    assert answer.status_code in (200, 201), answer.text
    with database.session(write=False) as s:
        lecture = s.scalar(select(CourseSection.id).where(CourseSection.code == "PH101-C"))
        linked = s.scalar(
            select(func.count())
            .select_from(CourseSection)
            .where(CourseSection.linked_to_section_id == lecture)
        )
    assert linked == 1
