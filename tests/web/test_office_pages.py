"""The registrar's pages without JavaScript: reading pages, and each action a form."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.db import Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.students.models import Student
from tests.web.campus import Campus, csrf_of, form_key_of

PAGE_BUDGET = 100 * 1024


def _sections_of(database: Database, roll: str) -> dict[str, EnrollmentStatus]:
    with database.session(write=False) as s:
        student = s.scalar(select(Student).where(Student.roll_number == roll))
        assert student is not None
        rows = s.execute(
            select(Enrollment.section_id, Enrollment.status).where(
                Enrollment.student_id == student.id
            )
        )
        return {str(row.section_id): row.status for row in rows}


def test_divisions_tree_counts_and_links_each_section_to_its_students(
    registrar: TestClient, campus: Campus
) -> None:
    page = registrar.get("/office/")
    assert page.status_code == 200
    assert "2 students" in page.text  # the batch's two students, at every level
    assert "Section A" in page.text
    one = registrar.get(f"/office/?department={campus.department}")
    link = re.search(r'href="(/office/students\?[^"]+section=A)"', one.text)
    assert link
    listed = registrar.get(link.group(1).replace("&amp;", "&"))
    assert listed.status_code == 200
    assert "2 students." in listed.text
    assert "22CS001" in listed.text


def test_statistics_are_svg_charts_drawn_on_the_server(
    registrar: TestClient, campus: Campus
) -> None:
    page = registrar.get(f"/office/statistics?department=&term={campus.term}")
    assert page.status_code == 200
    assert page.text.count("<svg viewBox=") >= 5
    assert 'role="img"' in page.text
    assert "<desc" in page.text
    assert "Longest waitlists" not in page.text or "CS342" in page.text
    assert "Fullest sections" in page.text
    assert "CS342" in page.text
    assert len(page.content) < PAGE_BUDGET


def test_a_students_page_and_an_enrollment_on_their_behalf(
    registrar: TestClient, campus: Campus, database: Database
) -> None:
    found = registrar.get("/office/students?search=22CS001&department=")
    student_id = re.search(r'href="/office/students/([0-9a-f-]{36})"', found.text)
    assert student_id
    page = registrar.get(f"/office/students/{student_id.group(1)}")
    assert page.status_code == 200
    assert "CS-2024-3-A" in page.text
    assert "CS201" in page.text
    answer = registrar.post(
        f"/office/students/{student_id.group(1)}/enroll",
        data={"csrf_token": csrf_of(page), "form_key": form_key_of(page), "course_code": "cs341"},
    )
    assert answer.status_code == 303
    assert "CS341: enrolled" in registrar.get(answer.headers["location"]).text
    assert _sections_of(database, "22CS001")[str(campus.open_section)] is EnrollmentStatus.ENROLLED
    unknown = registrar.post(
        f"/office/students/{student_id.group(1)}/enroll",
        data={"csrf_token": csrf_of(page), "form_key": str(uuid.uuid4()), "course_code": "XX1"},
    )
    assert "No course has the code" in registrar.get(unknown.headers["location"]).text


def _bulk_query(campus: Campus) -> str:
    return (
        f"from_department={campus.department}&from_year_of_study=3&from_semester=5"
        "&from_section=A&to_section=B&to_program=&to_academic_year="
    )


def test_bulk_assignment_shows_who_matches_then_moves_them(
    registrar: TestClient, campus: Campus, database: Database
) -> None:
    preview = registrar.get(f"/office/bulk-assign?preview=1&{_bulk_query(campus)}")
    assert preview.status_code == 200
    assert "Preview: 2 students match" in preview.text
    assert "22CS001" in preview.text
    assert "22CS002" in preview.text
    fields = dict(
        re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', preview.text)
    )
    assert fields["expected"] == "2"
    assert fields["to_section"] == "B"
    done = registrar.post("/office/bulk-assign", data=fields)
    assert done.status_code == 200
    assert "2 students moved" in done.text
    with database.session(write=False) as s:
        sections = set(s.scalars(select(Student.section).where(Student.roll_number.like("22CS%"))))
    assert sections == {"B"}


def test_bulk_assignment_refuses_when_the_match_changed_since_the_preview(
    registrar: TestClient, campus: Campus, database: Database
) -> None:
    preview = registrar.get(f"/office/bulk-assign?preview=1&{_bulk_query(campus)}")
    fields = dict(
        re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', preview.text)
    )
    answer = registrar.post("/office/bulk-assign", data={**fields, "expected": "3"})
    assert answer.status_code == 303
    assert "nobody was moved" in registrar.get(answer.headers["location"]).text
    with database.session(write=False) as s:
        sections = set(s.scalars(select(Student.section).where(Student.roll_number.like("22CS%"))))
    assert sections == {"A"}


def test_bulk_assignment_needs_a_criterion(registrar: TestClient) -> None:
    answer = registrar.get("/office/bulk-assign?preview=1&to_section=B")
    assert answer.status_code == 422
    assert "at least one criterion" in answer.text


def test_a_roster_and_its_csv(registrar: TestClient, campus: Campus) -> None:
    sections = registrar.get("/office/sections?q=CS342&term=")
    assert sections.status_code == 200
    page = registrar.get(f"/office/sections/{campus.full_section}")
    assert page.status_code == 200
    assert "22CS002" in page.text
    assert "Ravi Kumar" in page.text
    csv = registrar.get(f"/office/sections/{campus.full_section}/roster.csv")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].startswith("roll_number,name,email,status")
    assert "22CS002,Ravi Kumar" in csv.text


def test_batch_courses_and_assigning_one(registrar: TestClient, campus: Campus) -> None:
    page = registrar.get(f"/office/batches/{campus.batch}")
    assert page.status_code == 200
    assert "CS341" in page.text
    assert "Elective" in page.text
    answer = registrar.post(
        f"/office/batches/{campus.batch}/courses",
        data={
            "csrf_token": csrf_of(page),
            "form_key": form_key_of(page),
            "course_code": "CS399",
            "academic_year": "2024-2025",
            "semester": "5",
            "assignment_type": "OPTIONAL",
        },
    )
    assert answer.status_code == 303
    after = registrar.get(answer.headers["location"])
    assert "CS399 assigned as optional" in after.text
    assert registrar.get("/office/batches?q=CS-2024").status_code == 200


STUDENTS_CSV = "roll_number,name,email\n23CS900,Asha Rao,asha@example.edu\n23CS901,Vikram Das,\n"


def test_import_checks_the_file_first_then_imports_that_file(
    registrar: TestClient, database: Database
) -> None:
    page = registrar.get("/office/import")
    checked = registrar.post(
        "/office/import",
        data={"csrf_token": csrf_of(page), "form_key": form_key_of(page), "kind": "students"},
        files={"file": ("students.csv", STUDENTS_CSV.encode(), "text/csv")},
    )
    assert checked.status_code == 200
    assert "Every row is valid. Nothing was written yet." in checked.text
    with database.session(write=False) as s:
        assert s.scalar(select(Student.id).where(Student.roll_number == "23CS900")) is None
    form = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', checked.text))
    form["content"] = form["content"].replace("&#10;", "\n")
    tampered = registrar.post(
        "/office/import", data={**form, "content": form["content"] + "23CS902,Eve,\n"}
    )
    assert "not the file the dry run checked" in registrar.get(tampered.headers["location"]).text
    done = registrar.post("/office/import", data=form)
    assert done.status_code == 200
    assert "Imported: 2 students rows written" in done.text
    with database.session(write=False) as s:
        assert s.scalar(select(Student.id).where(Student.roll_number == "23CS900")) is not None


def test_import_reports_each_bad_row(registrar: TestClient) -> None:
    page = registrar.get("/office/import")
    checked = registrar.post(
        "/office/import",
        data={"csrf_token": csrf_of(page), "form_key": form_key_of(page), "kind": "students"},
        files={
            "file": ("s.csv", b"roll_number,name,gender\n23CS900,Asha,X\n,Nobody,M\n", "text/csv")
        },
    )
    assert checked.status_code == 200
    assert "problems: fix the file" in checked.text
    assert '<td class="num">2</td>' in checked.text
    assert '<td class="num">3</td>' in checked.text
