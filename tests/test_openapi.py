"""The OpenAPI document tells the truth: each operation lists the refusals it may answer with
the error body's schema, real answers validate against what is documented, and declared formats
(`time`, `date-time`) hold for the values actually sent."""

from __future__ import annotations

import copy
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
from registrar.kit.openapi_examples import with_examples
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
    # The body names the student and the section, either of which may be unknown (404).
    ("post", "/api/admin/enrollments"): {400, 401, 403, 404, 409, 413, 422, 503},
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


# Examples: every body and successful answer shows one, and each is valid.

# Uploads of files (multipart) are binary: Swagger UI offers a file picker, not an example.
UPLOAD = "multipart/form-data"


def exemplified(document: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each operation's request body media, and each of its successful answers' media."""
    for path, method, operation in operations(document):
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            if media_type != UPLOAD:
                yield f"{method.upper()} {path} body {media_type}", media
        for code, response in operation["responses"].items():
            for media_type, media in response.get("content", {}).items():
                if code.startswith("2"):
                    yield f"{method.upper()} {path} {code} {media_type}", media


def missing_examples(document: dict[str, Any]) -> list[str]:
    """The bodies and successful answers that show no example."""
    return [
        where
        for where, media in exemplified(document)
        if "example" not in media and not media.get("examples")
    ]


def schema_nodes(schema: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """A schema and every schema inside it."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for key in ("properties", "$defs"):
        for name, part in schema.get(key, {}).items():
            yield from schema_nodes(part, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties", "propertyNames", "not"):
        yield from schema_nodes(schema.get(key), f"{where}/{key}")
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        for index, part in enumerate(schema.get(key, [])):
            yield from schema_nodes(part, f"{where}/{key}/{index}")


def examples_with_schemas(document: dict[str, Any]) -> Iterator[tuple[str, Any, dict[str, Any]]]:
    """Every example of the document, with the schema it illustrates."""
    holders: list[tuple[str, dict[str, Any]]] = []
    for path, method, operation in operations(document):
        name = f"{method.upper()} {path}"
        for parameter in operation.get("parameters", []):
            holders.append((f"{name} parameter {parameter['name']}", parameter))
        for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
            holders.append((f"{name} body {media_type}", media))
        for code, response in operation["responses"].items():
            for media_type, media in response.get("content", {}).items():
                holders.append((f"{name} {code} {media_type}", media))
    schemas = [
        (f"#/components/schemas/{n}", s) for n, s in document["components"]["schemas"].items()
    ]
    for where, holder in holders:
        schema = holder.get("schema", {})
        if "example" in holder:
            yield where, holder["example"], schema
        for key, example in holder.get("examples", {}).items():
            yield f"{where} examples/{key}", example.get("value"), schema
        schemas.append((f"{where} schema", schema))
    for root, schema in schemas:
        for where, node in schema_nodes(schema, root):
            own = {key: value for key, value in node.items() if key not in ("examples", "example")}
            for index, example in enumerate(node.get("examples", [])):
                yield f"{where} examples/{index}", example, own


def invalid_examples(document: dict[str, Any]) -> list[str]:
    """Each example that its schema refuses, with why."""
    problems: list[str] = []
    for where, example, schema in examples_with_schemas(document):
        for error in validator(document, schema).iter_errors(example):
            problems.append(f"{where}: {error}")
    return problems


def test_every_body_and_successful_answer_shows_an_example(document: dict[str, Any]) -> None:
    assert missing_examples(document) == []


def test_every_example_is_valid_against_the_schema_it_illustrates(
    document: dict[str, Any],
) -> None:
    examples = list(examples_with_schemas(document))
    assert len(examples) > 250  # the models' own, the composed ones, the routes'
    assert invalid_examples(document) == []


def test_a_missing_or_invalid_example_is_reported(document: dict[str, Any]) -> None:
    changed = copy.deepcopy(document)
    login = changed["paths"]["/auth/login"]["post"]
    del login["requestBody"]["content"]["application/json"]["example"]
    del login["responses"]["200"]["content"]["application/json"]["example"]
    roster = changed["paths"]["/api/admin/sections/{section_id}/roster.csv"]["get"]
    del roster["responses"]["200"]["content"]["text/csv"]["example"]
    assert missing_examples(changed) == [
        "POST /auth/login body application/json",
        "POST /auth/login 200 application/json",
        "GET /api/admin/sections/{section_id}/roster.csv 200 text/csv",
    ]
    changed["components"]["schemas"]["DepartmentCreate"]["examples"][0]["code"] = "C S"
    section = changed["paths"]["/api/admin/sections"]["post"]["requestBody"]["content"]
    section["application/json"]["example"]["max_students"] = -1
    invalid = [problem.split(":")[0] for problem in invalid_examples(changed)]
    assert invalid == [
        "POST /api/admin/sections body application/json",
        "#/components/schemas/DepartmentCreate examples/0",
    ]


def test_the_operations_examples_are_made_of_their_models_examples(
    document: dict[str, Any],
) -> None:
    """Without DepartmentRead's example the department answers have none; a wrong one in
    DepartmentCreate makes the body's wrong too."""
    rebuilt = copy.deepcopy(document)
    schemas = rebuilt["components"]["schemas"]
    del schemas["DepartmentRead"]["examples"]
    schemas["DepartmentCreate"]["examples"][0]["code"] = "C S"
    departments = rebuilt["paths"]["/api/admin/departments"]
    for item in (departments, rebuilt["paths"]["/api/admin/programs"]):  # made again below
        for _, media in exemplified({"paths": {"/": item}}):
            del media["example"]
    with_examples(rebuilt)
    assert missing_examples(rebuilt) == [
        "GET /api/admin/departments 200 application/json",
        "POST /api/admin/departments 201 application/json",
    ]
    body = departments["post"]["requestBody"]["content"]["application/json"]
    assert body["example"] == {"code": "C S", "name": "Information Technology"}
    invalid = [problem.split(":")[0] for problem in invalid_examples(rebuilt)]
    assert "POST /api/admin/departments body application/json" in invalid
    programs = rebuilt["paths"]["/api/admin/programs"]["get"]["responses"]["200"]
    assert programs["content"]["application/json"]["example"]["items"][0]["code"] == "BTECH-CS"


def test_examples_keep_their_nulls_and_the_order_of_their_fields(
    document: dict[str, Any],
) -> None:
    """FastAPI drops the Nones of the document, examples included, and pydantic sorts their
    keys: a course of the university has no grade level, and its id comes first."""
    course = document["components"]["schemas"]["CourseRead"]["examples"][0]
    assert course["grade_level"] is None
    assert list(course)[:3] == ["id", "department_id", "program_id"]
    enrolled = document["paths"]["/api/student-portal/courses/enrolled/"]["get"]
    example = enrolled["responses"]["200"]["content"]["application/json"]["example"]
    assert example["enrolled_courses"][0]["enrollment"]["grade"] is None
    assert example["academic_info"]["student_batch"]["batch_code"] == "CS-2024-3-A"
