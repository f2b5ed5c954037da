"""The OpenAPI document tells the truth: each operation lists the refusals it may answer with
the error body's schema, real answers validate against what is documented, and declared formats
(`time`, `date-time`) hold for the values actually sent."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import time
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from registrar.academics.models import Weekday
from registrar.auth.models import Role
from registrar.config import Settings
from registrar.db import Database
from registrar.main import create_app
from tests import factories
from tests.conftest import TEST_SECRET, make_settings

WRITES = {"post", "put", "patch", "delete"}
# The refusals the API answers with its error body (a 500 is not one the client can act on).
REFUSALS = {400, 401, 403, 404, 409, 413, 422, 429, 503}
PROBES = {"/health", "/ready"}
ERROR_BODY = "#/components/schemas/ErrorBody"


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The document as served."""
    url = f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'doc.db'}"
    app = create_app(Settings(REGISTRAR_ENV="test", DATABASE_URL=url, SECRET_KEY=TEST_SECRET))
    response = TestClient(app).get("/openapi.json")  # no lifespan: no database is opened
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def error_codes(operation: dict[str, Any]) -> set[int]:
    return {int(code) for code in operation["responses"] if code.isdigit() and int(code) >= 400}


def json_schema(operation: dict[str, Any], code: int | str) -> dict[str, Any]:
    schema: dict[str, Any] = operation["responses"][str(code)]["content"]["application/json"][
        "schema"
    ]
    return schema


def offers(schema: dict[str, Any], ref: str) -> bool:
    """True when the schema is `ref`, or lets a body be one (anyOf/oneOf)."""
    if schema.get("$ref") == ref:
        return True
    return any(offers(choice, ref) for choice in schema.get("anyOf", schema.get("oneOf", [])))


def expected_refusals(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """What the shape of an operation alone says it may answer besides success."""
    codes = {503}  # a busy worker or database: every operation past the probes
    if operation.get("security"):
        codes |= {401, 403}
    if "requestBody" in operation:
        codes |= {413, 422}
    if operation.get("parameters"):
        codes.add(422)
    if "{" in path:
        codes.add(404)
    if method in WRITES and operation.get("security"):
        codes |= {400, 409}
    return codes


def test_every_operation_documents_its_refusals_with_the_error_body(
    document: dict[str, Any],
) -> None:
    missing: list[str] = []
    wrong_schema: list[str] = []
    for path, method, operation in operations(document):
        if path in PROBES:
            continue
        for code in sorted(expected_refusals(path, method, operation)):
            if str(code) not in operation["responses"]:
                missing.append(f"{method.upper()} {path}: {code}")
            elif not offers(json_schema(operation, code), ERROR_BODY):
                wrong_schema.append(f"{method.upper()} {path}: {code}")
        for code in error_codes(operation) & REFUSALS:
            if not offers(json_schema(operation, code), ERROR_BODY):
                wrong_schema.append(f"{method.upper()} {path}: {code}")
    assert missing == []
    assert wrong_schema == []


def test_the_error_body_is_an_error_message_with_details_beside_it(
    document: dict[str, Any],
) -> None:
    schema = document["components"]["schemas"]["ErrorBody"]
    assert schema["required"] == ["error"]
    assert schema["properties"]["error"]["type"] == "string"
    assert schema["additionalProperties"] is True


def test_retry_after_and_the_bearer_challenge_are_documented(document: dict[str, Any]) -> None:
    register = document["paths"]["/courses/{course_id}/register"]["post"]["responses"]
    assert "Retry-After" in register["503"]["headers"]
    assert "WWW-Authenticate" in register["401"]["headers"]


# Exactly what some operations answer: their shape, and what their services refuse.
PINNED = {
    ("post", "/courses/{course_id}/register"): {400, 401, 403, 404, 409, 422, 503},
    ("get", "/semesters/{semester_id}/courses"): {401, 403, 404, 422, 503},
    ("get", "/semesters/"): {401, 403, 503},
    ("get", "/api/admin/departments"): {401, 403, 422, 503},
    ("post", "/api/admin/departments"): {400, 401, 403, 409, 413, 422, 503},
    ("post", "/auth/login"): {400, 401, 404, 413, 422, 429, 503},
    ("get", "/auth/me"): {401, 403, 503},
    ("get", "/api/student-portal/courses/batch/"): {400, 401, 403, 404, 503},
    ("post", "/api/admin/students/import"): {400, 401, 403, 409, 413, 422, 503},
    ("get", "/health"): set(),
    ("get", "/ready"): {503},
}


@pytest.mark.parametrize(("method", "path"), sorted(PINNED))
def test_pinned_operations_list_exactly_their_refusals(
    document: dict[str, Any], method: str, path: str
) -> None:
    assert error_codes(document["paths"][path][method]) == PINNED[(method, path)]


def test_the_k12_envelope_keeps_its_own_failure_body(document: dict[str, Any]) -> None:
    operation = document["paths"]["/api/v2/enrollment/continuing/process"]["post"]
    for code in (400, 401, 403, 404):
        assert offers(json_schema(operation, code), "#/components/schemas/FailureResponse")
    assert offers(json_schema(operation, 503), ERROR_BODY)


def test_validation_errors_document_both_shapes(document: dict[str, Any]) -> None:
    schema = json_schema(document["paths"]["/api/admin/departments"]["post"], 422)
    assert offers(schema, ERROR_BODY)
    assert offers(schema, "#/components/schemas/HTTPValidationError")


def test_imports_document_their_report_for_success_and_refusal(document: dict[str, Any]) -> None:
    for kind in ("students", "courses", "sections"):
        operation = document["paths"][f"/api/admin/{kind}/import"]["post"]
        assert json_schema(operation, 200) == {"$ref": "#/components/schemas/ImportReport"}
        assert offers(json_schema(operation, 422), "#/components/schemas/ImportRefusal")
    refusal = document["components"]["schemas"]["ImportRefusal"]
    assert {"error", "errors", "kind", "dry_run", "ok"} <= set(refusal["required"])


def test_the_readiness_probe_documents_its_own_503(document: dict[str, Any]) -> None:
    schema = json_schema(document["paths"]["/ready"]["get"], 503)
    assert not offers(schema, ERROR_BODY)
    assert "Retry-After" in document["paths"]["/ready"]["get"]["responses"]["503"]["headers"]


def test_no_schema_declares_an_rfc3339_time(document: dict[str, Any]) -> None:
    """The API's clock times are wall-clock times ("09:00:00") without an offset, which JSON
    Schema's `format: time` (RFC 3339 full-time) refuses."""
    found: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            if node.get("format") == "time":
                found.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(document, "#")
    assert found == []


# Real answers against the document, formats checked.


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    root = {"allOf": [schema], "components": document["components"]}
    return jsonschema_rs.validator_for(root, validate_formats=True)


def assert_documented(document: dict[str, Any], path: str, method: str, answer: Response) -> None:
    """The answer's status is documented and its body validates against that schema."""
    responses = document["paths"][path][method]["responses"]
    assert str(answer.status_code) in responses, (path, answer.status_code)
    schema = responses[str(answer.status_code)]["content"]["application/json"]["schema"]
    errors = [str(e) for e in validator(document, schema).iter_errors(answer.json())]
    assert errors == [], (path, answer.status_code, errors)


@pytest.fixture
def served(database: Database) -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(database), database)) as client:
        yield client


@pytest.fixture
def world(database: Database) -> dict[str, Any]:
    """A student in a batch, enrolled in a section that meets MON 09:00-10:30."""
    with database.session() as s:
        inst = factories.institution(s, tag="ap-university")
        dept = factories.department(s, inst, "CSE")
        prog = factories.program(s, inst, dept)
        year = factories.academic_year(s, inst)
        term = factories.term(s, inst, year)
        group = factories.batch(s, inst, dept=dept, prog=prog, year=year)
        student = factories.student(s, inst, of_batch=group)
        course = factories.course(s, inst, dept, "CS301")
        section = factories.section(
            s, inst, course, term, slots=((Weekday.MONDAY, time(9), time(10, 30)),)
        )
        factories.enrollment(s, inst, student, section)
        factories.user(s, inst, "registrar", Role.REGISTRAR)
        return {
            "term": term.id,
            "section": section.id,
            "roll": student.roll_number,
            "batch": group.id,
        }


def bearer(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post("/auth/login", json={"username": username, "password": factories.PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def test_times_and_timestamps_sent_match_their_declared_formats(
    document: dict[str, Any], served: TestClient, world: dict[str, Any]
) -> None:
    student = bearer(served, world["roll"])
    registrar = bearer(served, "registrar")
    reads = [
        ("/semesters/", "/semesters/", student),
        (f"/semesters/{world['term']}", "/semesters/{semester_id}", student),
        ("/api/student-portal/courses/enrolled/", "/api/student-portal/courses/enrolled/", student),
        ("/api/admin/terms", "/api/admin/terms", registrar),
        (
            f"/api/admin/sections/{world['section']}",
            "/api/admin/sections/{section_id}",
            registrar,
        ),
        (f"/api/admin/batches/{world['batch']}", "/api/admin/batches/{batch_id}", registrar),
        ("/api/admin/students", "/api/admin/students", registrar),
    ]
    for url, path, headers in reads:
        answer = served.get(url, headers=headers)
        assert answer.status_code == 200, (url, answer.text)
        assert_documented(document, path, "get", answer)
    slot = served.get(f"/api/admin/sections/{world['section']}", headers=registrar).json()
    assert slot["timetable"][0]["start_time"] == "09:00:00"


def test_a_clock_time_as_the_readme_writes_it_is_a_valid_request(
    document: dict[str, Any],
) -> None:
    slot = {"day": "TUESDAY", "start_time": "11:00", "end_time": "12:30:00", "room": "CS-102"}
    check = validator(document, {"$ref": "#/components/schemas/SlotIn"})
    assert check.is_valid(slot)
    assert not check.is_valid({**slot, "start_time": "25:00"})


def test_refusals_match_their_documented_schema(
    document: dict[str, Any], served: TestClient, world: dict[str, Any]
) -> None:
    registrar = bearer(served, "registrar")
    student = bearer(served, world["roll"])
    department = {"code": "ECE", "name": "Electronics"}
    assert served.post("/api/admin/departments", json=department, headers=registrar).is_success
    answers = [
        ("/auth/me", "get", served.get("/auth/me")),
        ("/auth/login", "post", served.post("/auth/login", json={})),
        (
            "/api/admin/departments",
            "get",
            served.get("/api/admin/departments", headers=student),
        ),
        (
            "/api/admin/departments",
            "post",
            served.post("/api/admin/departments", json=department, headers=registrar),
        ),
        (
            "/api/admin/departments",
            "post",
            served.post("/api/admin/departments", json={"code": 5}, headers=registrar),
        ),
        (
            "/api/admin/departments/{department_id}",
            "get",
            served.get(f"/api/admin/departments/{uuid.uuid4()}", headers=registrar),
        ),
        (
            "/api/admin/courses/import",
            "post",
            served.post(
                "/api/admin/courses/import",
                content="code,title,credits\nCS900,,x\n",
                headers={**registrar, "Content-Type": "text/csv"},
            ),
        ),
    ]
    assert [a.status_code for _, _, a in answers] == [401, 422, 403, 409, 422, 404, 422]
    for path, method, answer in answers:
        assert_documented(document, path, method, answer)
    refusal = answers[-1][2].json()
    check = validator(document, {"$ref": "#/components/schemas/ImportRefusal"})
    assert check.is_valid(refusal)


STUDENT_TAGS = ["student portal", "semester registration", "student courses"]


def test_the_students_operations_come_first(document: dict[str, Any]) -> None:
    tags = [tag["name"] for tag in document["tags"]]
    assert tags[:4] == [*STUDENT_TAGS, "auth"]
    assert tags[-1] == "health"
    first_tags = [operation["tags"][0] for _, _, operation in operations(document)]
    students = [tag in STUDENT_TAGS for tag in first_tags]
    # Every student operation before any other (the first ones of the document).
    assert students == sorted(students, reverse=True)
    assert sum(students) >= 14


def test_every_operation_has_a_summary_of_its_own(document: dict[str, Any]) -> None:
    for path, method, operation in operations(document):
        summary = operation.get("summary", "")
        assert summary, (method, path)
        # Not the one FastAPI makes of the function's name ("Get Course").
        assert summary != summary.title(), (method, path, summary)
        assert "\n" not in summary
