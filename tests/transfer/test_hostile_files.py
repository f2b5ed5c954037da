"""Import files made to break the importer: each is refused cleanly, and a dry run sees it all."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from registrar.academics.models import Course
from registrar.db import Database
from registrar.students.models import Student
from registrar.transfer.csv_rows import StudentRow
from registrar.transfer.importer import Problems, read_rows
from tests.complexity import looks_linear
from tests.transfer.conftest import count, post_csv

STUDENTS = "/api/admin/students/import"
COURSES = "/api/admin/courses/import"
SECTIONS = "/api/admin/sections/import"
FIELD_LIMIT = 131_072  # Python's csv.field_size_limit()


@pytest.mark.parametrize("dry_run", ["true", "false"])
def test_a_cell_over_the_csv_field_limit_is_a_422_naming_its_line(
    client: TestClient, registrar: dict[str, str], database: Database, dry_run: str
) -> None:
    text = "roll_number,name\n24CS001,Asha\n24CS002," + "x" * (FIELD_LIMIT + 1) + "\n"
    response = post_csv(client, STUDENTS, text, registrar, dry_run=dry_run)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["line"] == 3
    assert "line 3" in body["error"].lower()
    assert len(response.content) < 1_000
    assert count(database, Student) == 1  # the campus's own


def test_a_header_cell_over_the_field_limit_names_line_1(
    client: TestClient, registrar: dict[str, str]
) -> None:
    text = "roll_number," + "n" * (FIELD_LIMIT + 1) + "\n24CS001,Asha\n"
    response = post_csv(client, STUDENTS, text, registrar, dry_run="true")
    assert response.status_code == 422, response.text
    assert response.json()["line"] == 1


CONTROL_ROWS = [
    ("name", "24CS001,Asha\x00Rao"),
    ("roll_number", "24CS\x00001,Asha Rao"),
    ("name", "24CS001,Asha\x1bRao"),
]


@pytest.mark.parametrize(("column", "row"), CONTROL_ROWS)
def test_a_control_character_in_a_cell_is_found_by_the_dry_run(
    client: TestClient, registrar: dict[str, str], database: Database, column: str, row: str
) -> None:
    text = f"roll_number,name\n{row}\n"
    dry = post_csv(client, STUDENTS, text, registrar, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert [(e["line"], e["column"]) for e in dry.json()["errors"]] == [(2, column)]
    assert "\x00" not in dry.text
    real = post_csv(client, STUDENTS, text, registrar)
    assert real.status_code == 422, real.text
    assert count(database, Student) == 1


def test_a_nul_in_a_course_or_section_file_is_found_by_the_dry_run(
    client: TestClient, registrar: dict[str, str]
) -> None:
    course = post_csv(
        client,
        COURSES,
        "code,title,credits,description\nCS9,T,3,a\x00b\n",
        registrar,
        dry_run="true",
    )
    assert [(e["line"], e["column"]) for e in course.json()["errors"]] == [(2, "description")]
    section = post_csv(
        client,
        SECTIONS,
        "course_code,term_code,section_code,capacity,timetable\n"
        "CS301,2024-ODD,CS301-Z,30,MON 09:00-10:00 CS-1\x0001\n",
        registrar,
        dry_run="true",
    )
    assert section.status_code == 200, section.text
    assert [(e["line"], e["column"]) for e in section.json()["errors"]] == [(2, "timetable")]


def test_what_a_dry_run_accepts_a_real_run_writes(
    client: TestClient, registrar: dict[str, str], database: Database
) -> None:
    """Cells as long as each column holds, and one longer: the dry run and the real run agree."""
    code = "C" * 32
    fits = f"code,title,credits\n{code},{'T' * 200},40\n"
    assert post_csv(client, COURSES, fits, registrar, dry_run="true").json()["ok"] is True
    assert post_csv(client, COURSES, fits, registrar).status_code == 200
    longer = f"code,title,credits\n{code}D,Title,3\n"
    dry = post_csv(client, COURSES, longer, registrar, dry_run="true")
    assert [(e["line"], e["column"]) for e in dry.json()["errors"]] == [(2, "code")]
    assert post_csv(client, COURSES, longer, registrar).status_code == 422
    assert count(database, Course) == 2  # the campus's CS301 and the one that fits


def _wide_header(columns: int) -> None:
    header = ",".join(f"column{i}" for i in range(columns))
    problems = Problems()
    rows, count_ = read_rows(header + "\n", StudentRow, problems)
    assert (rows, count_) == ([], 0)
    assert len(problems.items) == columns + 2  # each unknown column, and the two missing


def test_a_wide_header_is_read_in_linear_time() -> None:
    """A complexity guard, not a speed measure: 100,000 columns once took 167 s (quadratic)."""
    assert looks_linear(_wide_header, 20_000, 100_000, budget=20)


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/x-www-form-urlencoded", "image/png"]
)
def test_csv_sent_as_another_media_type_is_refused_with_415(
    client: TestClient, registrar: dict[str, str], content_type: str
) -> None:
    response = client.post(
        STUDENTS,
        content=b"roll_number,name\n24CS001,Asha\n",
        headers={**registrar, "Content-Type": content_type},
    )
    assert response.status_code == 415, response.text
    assert "text/csv" in response.json()["error"]


def test_csv_media_types_are_accepted(client: TestClient, registrar: dict[str, str]) -> None:
    for content_type in ("text/csv", "text/csv; charset=utf-8", "text/plain", "application/csv"):
        response = client.post(
            STUDENTS,
            params={"dry_run": "true"},
            content=b"roll_number,name\n24CS001,Asha\n",
            headers={**registrar, "Content-Type": content_type},
        )
        assert response.status_code == 200, (content_type, response.text)


def test_a_control_character_in_the_default_password_is_refused(
    client: TestClient, registrar: dict[str, str]
) -> None:
    response = client.post(
        STUDENTS,
        params={"dry_run": "true"},
        files={"file": ("s.csv", b"roll_number,name\n24CS001,Asha\n", "text/csv")},
        data={"default_password": "secret\x00123"},
        headers=registrar,
    )
    assert response.status_code == 422, response.text


def test_an_error_report_echoes_only_an_excerpt_of_a_cell(
    client: TestClient, registrar: dict[str, str]
) -> None:
    text = "roll_number,name,email\n24CS001,Asha," + "e" * 100_000 + "\n"
    response = post_csv(client, STUDENTS, text, registrar, dry_run="true")
    assert response.status_code == 200
    (error,) = response.json()["errors"]
    assert error["column"] == "email"
    assert len(error["value"]) <= 41
    assert len(response.content) < 2_000
