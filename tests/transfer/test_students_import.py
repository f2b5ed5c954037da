"""POST /api/admin/students/import: dry run, all-or-nothing, logins, batches, auto-enrollment."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.auth.models import User
from registrar.db import Database
from registrar.enrollment.models import Enrollment
from registrar.students.models import Student
from tests import factories
from tests.conftest import LoginFn
from tests.transfer.conftest import Campus, count, post_csv

PATH = "/api/admin/students/import"
HEADER = "roll_number,name,email,gender,category,department_code,program_code,batch_code,password"


def test_dry_run_reports_every_bad_row_and_writes_nothing(
    client: TestClient, registrar: dict[str, str], database: Database
) -> None:
    text = "\n".join(
        [
            HEADER,
            "24CS001,Asha Rao,asha@uni.edu,F,OC,CS,,,",  # good (line 2)
            "24CS002,Bala,not-an-email,M,OC,CS,,,",  # bad email (3)
            "24CS001,Asha Again,asha2@uni.edu,F,OC,CS,,,",  # duplicate in file (4)
            "22CS900,Taken,t@uni.edu,M,OC,CS,,,",  # already in the institution (5)
            "24CS003,Chitra,c@uni.edu,X,OC,CS,,,",  # bad gender (6)
            "24CS004,Devi,d@uni.edu,F,bc a!,CS,,,",  # bad category (7)
            "24CS005,Esha,e@uni.edu,F,OC,ZZ,,,",  # unknown department (8)
            "24CS006,Farid,f@uni.edu,M,OC,,,NOPE-1,",  # unknown batch (9)
            "24CS007,,g@uni.edu,M,OC,CS,,,",  # missing name (10)
            "24CS008,Gita,g@uni.edu,F,OC,EE,,CS-2024-3-A,",  # disagrees with the batch (11)
            "24CS009,Hari,h@uni.edu,M,OC,,,CS-2024-3-B,",  # batch full (12)
            "24CS010,Indu,i@uni.edu,F,OC,,,,short",  # password too short (13)
        ]
    )
    before = count(database, Student)
    response = post_csv(client, PATH, text, registrar, dry_run="true")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["dry_run"] is True
    assert body["ok"] is False
    assert body["rows"] == 12
    assert body["valid_rows"] == 1
    assert body["created"] == {}
    found = {(e["line"], e["column"]) for e in body["errors"]}
    assert found == {
        (3, "email"),
        (4, "roll_number"),
        (5, "roll_number"),
        (6, "gender"),
        (7, "category"),
        (8, "department_code"),
        (9, "batch_code"),
        (10, "name"),
        (11, "department_code"),
        (12, "batch_code"),
        (13, "password"),
    }
    duplicate = next(e for e in body["errors"] if e["line"] == 4)
    assert "first on line 2" in duplicate["reason"]
    assert count(database, Student) == before


def test_dry_run_of_a_good_file_says_what_it_would_write(
    client: TestClient, registrar: dict[str, str], database: Database
) -> None:
    text = f"{HEADER}\n24CS001,Asha Rao,asha@uni.edu,F,OC,CS,,,secret99\n"
    response = post_csv(client, PATH, text, registrar, dry_run="true")
    assert response.status_code == 200
    body = response.json()
    assert (body["ok"], body["dry_run"], body["errors"]) == (True, True, [])
    assert body["created"] == {"students": 1, "logins": 1}
    assert count(database, Student) == 1  # only the campus's own student


def test_a_missing_required_column_is_reported_on_the_header(
    client: TestClient, registrar: dict[str, str]
) -> None:
    response = post_csv(client, PATH, "roll_number,nmae\n24CS001,Asha\n", registrar, dry_run=True)
    errors = response.json()["errors"]
    assert {(e["line"], e["column"]) for e in errors} == {(1, "nmae"), (1, "name")}
    assert "Missing required column" in next(e for e in errors if e["column"] == "name")["reason"]


def test_a_real_run_with_one_bad_row_writes_nothing(
    client: TestClient, registrar: dict[str, str], database: Database
) -> None:
    good = [f"24CS{n:03},Student {n},s{n}@uni.edu,F,OC,,,CS-2024-3-A,secret99" for n in range(20)]
    text = "\n".join([HEADER, *good, "24CS999,Bad,bad-email,F,OC,,,CS-2024-3-A,secret99"])
    students, users = count(database, Student), count(database, User)
    response = post_csv(client, PATH, text, registrar)
    assert response.status_code == 422
    body = response.json()
    assert "nothing was imported" in body["error"]
    assert body["dry_run"] is False
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(22, "email")]
    assert (count(database, Student), count(database, User)) == (students, users)


def test_a_good_file_imports_students_who_can_log_in(
    client: TestClient,
    registrar: dict[str, str],
    campus: Campus,
    database: Database,
    login: LoginFn,
) -> None:
    with database.session() as s:
        section = factories.section(s, campus.inst, campus.dsa, campus.term, where=campus.room)
        factories.batch_course(s, campus.inst, campus.batch, campus.dsa, campus.year, sec=section)
    text = "\n".join(
        [
            HEADER,
            "24CS001,Asha Rao,asha@uni.edu,f,oc,,,CS-2024-3-A,first-pass",
            "24CS002,Bala Krishna,bala@uni.edu,M,BC-A,CS,,CS-2024-3-A,shared-pass",
            "24CS003,Chitra,chitra@uni.edu,F,SC,,,CS-2024-3-A,shared-pass",
            "24EE001,Esha,esha@uni.edu,F,OC,EE,,,",
        ]
    )
    response = post_csv(client, PATH, text, registrar)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["ok"], body["dry_run"]) == (True, False)
    assert body["created"] == {"students": 4, "logins": 3}
    assert body["auto_enrollment"] == {"ENROLLED": 3}
    login("24CS001", "first-pass", campus.inst.tag)
    login("24CS003", "shared-pass", campus.inst.tag)
    refused = client.post(
        "/auth/login",
        json={"username": "24EE001", "password": "anything"},
        headers={"x-tenant-tag": campus.inst.tag},
    )
    assert refused.status_code == 401
    with database.session(write=False) as s:
        asha = s.scalars(select(Student).where(Student.roll_number == "24CS001")).one()
        assert (asha.batch_id, asha.department_id, asha.program_id) == (
            campus.batch.id,
            campus.cs.id,
            campus.btech.id,
        )
        assert (asha.academic_year_id, asha.year_of_study, asha.semester, asha.section) == (
            campus.year.id,
            3,
            5,
            "A",
        )
        assert (asha.gender.value if asha.gender else None, asha.category) == ("F", "OC")
        esha = s.scalars(select(Student).where(Student.roll_number == "24EE001")).one()
        assert (esha.department_id, esha.batch_id, esha.user_id) == (campus.ee.id, None, None)
        hashes = s.scalars(select(User.password_hash).where(User.username.like("24CS%"))).all()
        assert len(hashes) == 3
        assert len(set(hashes)) == 2  # each distinct password hashed once
        seated = s.scalars(select(Enrollment).where(Enrollment.section_id == section.id)).all()
        assert len(seated) == 3
    listed = client.get(
        "/api/admin/students", params={"search": "24CS002"}, headers=registrar
    ).json()
    assert listed["items"][0]["student_batch_id"] == str(campus.batch.id)


def test_multipart_upload_with_a_default_password(
    client: TestClient, registrar: dict[str, str], campus: Campus, login: LoginFn
) -> None:
    text = "Roll Number,Name\n24CS001,Asha Rao\n24CS002,Bala\n"
    response = client.post(
        PATH,
        files={"file": ("students.csv", text.encode(), "text/csv")},
        data={"default_password": "welcome-2024"},
        headers=registrar,
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == {"students": 2, "logins": 2}
    login("24CS002", "welcome-2024", campus.inst.tag)


def test_only_the_registrar_imports(
    client: TestClient, campus: Campus, login: LoginFn, database: Database
) -> None:
    text = "roll_number,name\n24CS001,Asha\n"
    assert post_csv(client, PATH, text, {}).status_code == 401
    faculty = login("prof", factories.PASSWORD, campus.inst.tag)
    assert post_csv(client, PATH, text, faculty).status_code == 403
    other = login("other-registrar", factories.PASSWORD, campus.other.tag)
    # Another institution's registrar imports into their own institution only.
    response = post_csv(client, PATH, text + "24CS002,Bala\n", other)
    assert response.status_code == 200
    with database.session(write=False) as s:
        rows = s.execute(select(Student.institution_id).where(Student.roll_number == "24CS001"))
        assert [r.institution_id for r in rows] == [campus.other.id]


def test_auto_enrollment_outcomes_are_counted_and_counters_match_rows(
    client: TestClient, registrar: dict[str, str], campus: Campus, database: Database
) -> None:
    with database.session() as s:
        section = factories.section(
            s, campus.inst, campus.dsa, campus.term, capacity=1, waitlist_limit=1
        )
        factories.batch_course(s, campus.inst, campus.batch, campus.dsa, campus.year, sec=section)
    rows = [f"24CS00{n},Student {n},,,,,,CS-2024-3-A," for n in range(1, 4)]
    response = post_csv(client, PATH, "\n".join([HEADER, *rows]), registrar)
    assert response.status_code == 200, response.text
    assert response.json()["auto_enrollment"] == {"ENROLLED": 1, "WAITLISTED": 1, "REFUSED": 1}
    with database.session(write=False) as s:
        stored = s.get_one(type(section), section.id)
        statuses = sorted(
            e.status.value
            for e in s.scalars(select(Enrollment).where(Enrollment.section_id == section.id))
        )
        assert statuses == ["ENROLLED", "WAITLISTED"]
        assert (stored.enrolled_count, stored.waitlisted_count) == (1, 1)


def test_a_retried_import_answers_as_the_first_and_creates_nothing_more(
    client: TestClient, registrar: dict[str, str], database: Database
) -> None:
    text = "\n".join([HEADER, "24CS101,Kiran,kiran@uni.edu,M,OC,CS,,,"])
    headers = {**registrar, "Idempotency-Key": "import-1"}
    before = count(database, Student)
    first = post_csv(client, PATH, text, headers)
    assert first.status_code == 200, first.text
    again = post_csv(client, PATH, text, headers)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert count(database, Student) == before + 1
    # Without the key, the same file is a new import: its roll number is now taken.
    assert post_csv(client, PATH, text, registrar).status_code == 422


def test_a_multipart_upload_with_an_idempotency_key_is_read_once(
    client: TestClient, registrar: dict[str, str]
) -> None:
    text = "Roll Number,Name\n24CS001,Asha Rao\n"
    headers = {**registrar, "Idempotency-Key": "upload-1"}
    files = {"file": ("students.csv", text.encode(), "text/csv")}
    first = client.post(PATH, files=files, headers=headers, params={"dry_run": "true"})
    assert first.status_code == 200, first.text
    again = client.post(PATH, files=files, headers=headers, params={"dry_run": "true"})
    assert again.status_code == 200, again.text
    assert again.headers["idempotent-replayed"] == "true"
    other = {"file": ("students.csv", b"Roll Number,Name\n24CS009,Other\n", "text/csv")}
    changed = client.post(PATH, files=other, headers=headers, params={"dry_run": "true"})
    assert changed.status_code == 422, (changed.text, changed.headers)
