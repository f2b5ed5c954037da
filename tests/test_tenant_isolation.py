"""No request of institution A ever sees or changes a row of institution B, through any route.

The crawl reads the routes from the app's OpenAPI schema, so every endpoint added later is
checked without touching this file. Every B code, name, tag and roll number contains `ZBQ`; with
B's row ids, that is what a leak would look like in a response.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from registrar.academics.models import Course, TermKind
from registrar.audit.models import AuditEvent
from registrar.auth.models import Role
from registrar.auth.passwords import hash_password
from registrar.db import Base, Database
from registrar.enrollment.models import Enrollment, EnrollmentStatus
from registrar.institutions.models import Institution
from registrar.kit.columns import utcnow
from registrar.main import create_app
from registrar.notifications.models import Notification, RecipientKind
from registrar.students.models import Student
from tests import factories
from tests.conftest import make_settings

B_MARK = "zbq"  # in every code, name, tag and roll number of B; never in a UUID (not hex)
B_REGISTRAR_PASSWORD = "b-registrar-password"
SKIPPED = ("/docs", "/redoc", "/openapi.json")

# Parameter-name words and the kind of row they name; compound words first.
KIND_WORDS = [
    ("batch_course", "batch_course"),
    ("student_batch", "batch"),
    ("academic_year", "academic_year"),
    ("school_year", "academic_year"),
    ("academic_program", "program"),
    ("enrollment", "enrollment"),
    ("registration", "enrollment"),
    ("notification", "notification"),
    ("division", "batch"),
    ("semester", "term"),
    ("term", "term"),
    ("schedule", "section"),
    ("section", "section"),
    ("subject", "course"),
    ("course", "course"),
    ("batch", "batch"),
    ("roll", "student"),
    ("student", "student"),
    ("department", "department"),
    ("program", "program"),
    ("year", "academic_year"),
    ("faculty", "faculty"),
    ("teacher", "faculty"),
    ("room", "room"),
    ("slot", "slot"),
    ("user", "user"),
    ("institution", "institution"),
    ("tenant", "institution"),
    ("audit", "audit"),
    ("event", "audit"),
]
SEARCH_WORDS = ("q", "search", "query", "name", "code", "title")


def kind_of(name: str) -> str | None:
    """The kind of row a parameter names, from its name (`student_batch_id` -> batch)."""
    snake = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()
    return next((kind for word, kind in KIND_WORDS if word in snake), None)


@dataclass
class Tenant:
    """One institution's rows: ids and codes per kind."""

    tag: str
    ids: dict[str, list[str]] = field(default_factory=dict)
    codes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, kind: str, row: Any, *codes: str) -> None:
        self.ids.setdefault(kind, []).append(str(row.id))
        self.codes.setdefault(kind, []).extend(codes)

    def values(self, kind: str | None) -> list[str]:
        """What a parameter naming that kind could be given: an id, and a code if it has one."""
        if kind is None or kind not in self.ids:
            return [ids[0] for ids in self.ids.values()]  # any id of each kind
        return self.ids[kind][:1] + self.codes.get(kind, [])[:1]

    def all_ids(self) -> set[str]:
        return {value for ids in self.ids.values() for value in ids}


def build_tenant(database: Database, tag: str, mark: str, registrar_password: str) -> Tenant:
    """An institution with a full set of rows; `mark` is in every code and name."""
    t = Tenant(tag=tag)
    with database.session() as s:
        inst = factories.institution(s, tag=tag, name=f"{mark} Institute")
        t.add("institution", inst, tag)
        registrar = factories.user(s, inst, "registrar", Role.REGISTRAR)
        registrar.password_hash = (
            factories.password_hash()
            if registrar_password == factories.PASSWORD
            else hash_password(registrar_password)
        )
        t.add("user", registrar)
        dept = factories.department(s, inst, code=f"{mark}-CSE")
        t.add("department", dept, dept.code)
        prog = factories.program(s, inst, dept)
        prog.code, prog.name = f"{mark}-BTECH", f"{mark} B.Tech"
        t.add("program", prog, prog.code)
        year = factories.academic_year(s, inst, "2024-2025")
        past_year = factories.academic_year(s, inst, "2023-2024")
        t.add("academic_year", year)
        t.add("academic_year", past_year)
        term = factories.term(s, inst, year, TermKind.ODD, code=f"{mark}-2024-ODD")
        past = factories.term(
            s, inst, past_year, TermKind.EVEN, code=f"{mark}-2023-EVEN", registration_open=False
        )
        past.registration_start = utcnow() - timedelta(days=400)
        past.registration_end = past.registration_start + timedelta(days=20)
        t.add("term", term, term.code)
        t.add("term", past, past.code)
        basics = factories.course(s, inst, dept, f"{mark}-CS101", title=f"{mark} Programming")
        algo = factories.course(s, inst, dept, f"{mark}-CS201", title=f"{mark} Algorithms")
        factories.prerequisites_of(s, algo, basics)
        t.add("course", algo, algo.code)
        t.add("course", basics, basics.code)
        teacher = factories.faculty(s, inst, dept)
        teacher.employee_code, teacher.name = f"{mark}-EMP1", f"Dr. {mark}"
        t.add("faculty", teacher, teacher.employee_code)
        where = factories.room(s, inst, f"{mark}-R101")
        t.add("room", where, where.code)
        group = factories.batch(s, inst, dept=dept, prog=prog, year=year, code=f"{mark}-CS-3-A")
        t.add("batch", group, group.code)
        current = factories.section(s, inst, algo, term, teacher=teacher, batch=group, where=where)
        earlier = factories.section(s, inst, basics, past, teacher=teacher, where=where)
        t.add("section", current, current.code)
        t.add("section", earlier, earlier.code)
        first = factories.student(s, inst, f"{mark}22CS001", of_batch=group)
        second = factories.student(s, inst, f"{mark}22CS002", of_batch=group)
        for stu in (first, second):
            t.add("student", stu, stu.roll_number)
            t.ids["user"].append(str(stu.user_id))
        t.add("enrollment", factories.enrollment(s, inst, first, current))
        t.add("enrollment", factories.enrollment(s, inst, second, current, "WAITLISTED"))
        done = Enrollment(
            institution_id=inst.id,
            student_id=first.id,
            section_id=earlier.id,
            status=EnrollmentStatus.COMPLETED,
            enrollment_date=past.start_date,
            grade="A",
            grade_points=8,
            attendance_percentage=91,
            completed_at=utcnow(),
            notes=f"{mark} completed",
        )
        s.add(done)
        s.flush()
        t.add("enrollment", done)
        assigned = factories.batch_course(s, inst, group, algo, year, semester=5, sec=current)
        t.add("batch_course", assigned)
        note = Notification(
            institution_id=inst.id,
            student_id=first.id,
            recipient_kind=RecipientKind.STUDENT,
            recipient_email=first.email,
            event="ENROLLED",
            subject=f"{mark} enrolled",
            body=f"{mark} body",
        )
        event = AuditEvent(
            institution_id=inst.id,
            actor_user_id=registrar.id,
            action="enroll",
            entity_type="enrollment",
            entity_id=done.id,
            details={"mark": mark},
        )
        s.add_all([note, event])
        s.flush()
        t.add("notification", note)
        t.add("audit", event)
    with database.session(write=False) as s:
        slots = Base.metadata.tables["timetable_slots"]
        own = s.scalars(select(slots.c.id).where(slots.c.institution_id == inst.id))
        t.ids["slot"] = [str(slot_id) for slot_id in own]
    return t


@dataclass
class Finding:
    who: str
    method: str
    url: str
    status: int
    problem: str

    def __str__(self) -> str:
        return f"{self.who}: {self.method} {self.url} -> {self.status}: {self.problem}"


class Crawler:
    """Calls every route of an app as one principal with B's ids, and reports leaks."""

    def __init__(self, client: TestClient, app: FastAPI, b: Tenant, only: str = "/") -> None:
        self.client = client
        self.only = only
        self.schema = app.openapi()
        self.b = b
        self.b_ids = {value.lower() for value in b.all_ids()}
        self.b_ids |= {uuid.UUID(value).hex for value in b.all_ids()}
        self.findings: list[Finding] = []
        self.ok_responses = 0

    # -- what a leak looks like -------------------------------------------------------------
    def leaked(self, body: str, sent: list[str]) -> str | None:
        """B data in a body, once the values the request itself carried are taken out."""
        for value in sorted(sent, key=len, reverse=True):
            body = body.replace(value, "")
        lowered = body.lower()
        if B_MARK in lowered:
            start = lowered.index(B_MARK)
            return f"B data in body: ...{body[max(0, start - 40) : start + 40]}..."
        found = [value for value in self.b_ids if value in lowered]
        return f"B ids in body: {found[:3]}" if found else None

    def call(self, method: str, url: str, headers: dict[str, str], **kwargs: Any) -> Any:
        response = self.client.request(method, url, headers=headers, **kwargs)
        if 200 <= response.status_code < 300:
            self.ok_responses += 1
        return response

    def check(self, who: str, method: str, url: str, response: Any, sent: list[str]) -> None:
        problem = None
        if response.status_code >= 500:
            problem = "server error"
        else:
            problem = self.leaked(response.text, sent)
        if problem:
            self.findings.append(Finding(who, method, url, response.status_code, problem))

    # -- the routes ------------------------------------------------------------------------
    def operations(self) -> Iterator[tuple[str, str, dict[str, Any]]]:
        for path, item in self.schema["paths"].items():
            if path.startswith(SKIPPED) or not path.startswith(self.only):
                continue
            for method, operation in item.items():
                if method in ("get", "post", "put", "patch", "delete"):
                    yield method.upper(), path, operation

    def parameters(self, operation: dict[str, Any], where: str) -> list[dict[str, Any]]:
        return [p for p in operation.get("parameters", []) if p["in"] == where]

    def fillings(self, path: str, operation: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
        """The path with its parameters set to B's values, and the values used."""
        names = [p["name"] for p in self.parameters(operation, "path")]
        choices = [self.b.values(kind_of(name)) for name in names]
        for combo in itertools.islice(itertools.product(*choices), 40):
            url = path
            for name, value in zip(names, combo, strict=True):
                url = url.replace("{" + name + "}", value)
            yield url, list(combo)

    def control(self, path: str, operation: dict[str, Any], sent: list[str]) -> str:
        """The same path with every B value replaced by one that exists nowhere."""
        url = path
        for p, value in zip(self.parameters(operation, "path"), sent, strict=True):
            stand_in = str(uuid.uuid4()) if _is_uuid(value) else f"NOPE{uuid.uuid4().hex[:6]}"
            url = url.replace("{" + p["name"] + "}", stand_in)
        return url

    def required_query(self, operation: dict[str, Any]) -> dict[str, Any]:
        return {
            p["name"]: _example(p.get("schema", {}))
            for p in self.parameters(operation, "query")
            if p.get("required")
        }

    def crawl_reads(self, who: str, headers: dict[str, str]) -> None:
        """Every GET route: plain, with B's ids in the path, and with B's ids as filters."""
        for method, path, operation in self.operations():
            if method != "GET":
                continue
            base_query = self.required_query(operation)
            if "{" not in path:
                response = self.call(method, path, headers, params=base_query)
                self.check(who, method, path, response, [])
            else:
                for url, sent in self.fillings(path, operation):
                    response = self.call(method, url, headers, params=base_query)
                    self.check(who, method, url, response, sent)
                    control = self.call(
                        method, self.control(path, operation, sent), headers, params=base_query
                    )
                    if response.status_code != control.status_code:
                        self.findings.append(
                            Finding(
                                who,
                                method,
                                url,
                                response.status_code,
                                f"answers {response.status_code} for B's row but "
                                f"{control.status_code} for a missing one (an oracle)",
                            )
                        )
            self.crawl_filters(who, headers, path, operation, base_query)

    def crawl_filters(
        self,
        who: str,
        headers: dict[str, str],
        path: str,
        operation: dict[str, Any],
        base_query: dict[str, Any],
    ) -> None:
        if "{" in path:
            path = next(self.fillings(path, operation))[0]  # filters of a B row: still nothing
        for p in self.parameters(operation, "query"):
            name = p["name"]
            kind = kind_of(name)
            if kind is not None:
                values = self.b.values(kind)
            elif name.lower() in SEARCH_WORDS:
                values = [f"{B_MARK}22cs", B_MARK.upper()]
            else:
                continue
            for value in values:
                query = {**base_query, name: value}
                response = self.call("GET", path, headers, params=query)
                self.check(who, "GET", f"{path}?{name}={value}", response, [value])

    def crawl_writes(self, who: str, headers: dict[str, str]) -> None:
        """Every write route with B's ids in its path or body must refuse."""
        for method, path, operation in self.operations():
            if method == "GET" or path == "/auth/login":
                continue
            body_schema = _json_body_schema(operation, self.schema)
            fillings = list(self.fillings(path, operation)) if "{" in path else [(path, [])]
            for url, sent in fillings[:12]:
                bodies: list[Any] = [self.body(body_schema)]
                if "{" in path:
                    bodies.append({})
                for body in bodies:
                    carried = sent + _strings_in(body)
                    if not any(self._is_b(value) for value in carried):
                        continue
                    response = self.call(method, url, headers, json=body)
                    self.check(who, method, url, response, carried)
                    if 200 <= response.status_code < 300:
                        self.findings.append(
                            Finding(who, method, url, response.status_code, f"accepted {body}")
                        )

    def _is_b(self, value: str) -> bool:
        return value.lower() in self.b_ids or B_MARK in value.lower()

    def body(self, schema: dict[str, Any] | None) -> Any:
        """A request body with every id-like field set to one of B's ids."""
        if not schema:
            return {}
        schema = _resolve(schema, self.schema)
        if schema.get("type") == "array":
            return [self.body(schema.get("items"))]
        body: dict[str, Any] = {}
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            prop = _resolve(_first_option(prop), self.schema)
            kind = kind_of(name)
            if kind is not None and kind in self.b.ids:
                value = self.b.values(kind)[0]
                if not _accepts_uuid(prop, self.schema):
                    value = (self.b.codes.get(kind) or [value])[0]
                body[name] = [value] if prop.get("type") == "array" else value
            elif name in required:
                body[name] = _example(prop)
        return body


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _first_option(schema: dict[str, Any]) -> dict[str, Any]:
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return options[0] if options else schema
    return schema


def _accepts_uuid(prop: dict[str, Any], root: dict[str, Any]) -> bool:
    item = _resolve(_first_option(prop.get("items", prop)), root)
    return item.get("format") == "uuid" or item.get("type") != "integer"


def _example(schema: dict[str, Any]) -> Any:
    schema = _first_option(schema)
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return []
    if kind == "object":
        return {}
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if schema.get("format") == "date":
        return "2024-07-01"
    if schema.get("format") == "date-time":
        return "2024-07-01T09:00:00Z"
    return "probe"


def _json_body_schema(operation: dict[str, Any], root: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return _resolve(schema, root) if schema else None


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings_in(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings_in(item)]
    return []


def snapshot(database: Database, tag: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of one institution, table by table."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with database.session(write=False) as s:
        inst_id = s.scalar(select(Institution.id).where(Institution.tag == tag))
        for table in Base.metadata.sorted_tables:
            column = table.c.get("institution_id") if table.name != "institutions" else table.c.id
            if column is None:
                continue
            found = s.execute(select(table).where(column == inst_id)).all()
            rows[table.name] = sorted((tuple(map(str, row)) for row in found), key=str)
    return rows


@dataclass
class Setup:
    a: Tenant
    b: Tenant
    principals: dict[str, dict[str, str]]


def log_in(client: TestClient, tag: str, username: str, password: str) -> dict[str, str]:
    response = client.post(
        "/auth/login",
        json={"username": username, "password": password},
        headers={"x-tenant-tag": tag},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def prepare(client: TestClient, database: Database) -> Setup:
    a = build_tenant(database, "aqx-university", "AQX", factories.PASSWORD)
    b = build_tenant(database, "zbq-school", "ZBQ", B_REGISTRAR_PASSWORD)
    registrar = log_in(client, a.tag, "registrar", factories.PASSWORD)
    student = log_in(client, a.tag, a.codes["student"][0], factories.PASSWORD)
    # With A's token, B's tag in the header is the harder case: a route that took the tenant
    # from the header instead of the token would show B's rows.
    principals = {
        "anonymous (A header)": {"x-tenant-tag": a.tag},
        "A registrar (B header)": {**registrar, "x-tenant-tag": b.tag},
        "A student (B header)": {**student, "x-tenant-tag": b.tag},
    }
    return Setup(a, b, principals)


def test_no_route_shows_or_changes_another_institutions_rows(
    client: TestClient, database: Database
) -> None:
    setup = prepare(client, database)
    crawler = Crawler(client, client.app, setup.b)  # type: ignore[arg-type]
    before = snapshot(database, setup.b.tag)
    for who, headers in setup.principals.items():
        crawler.crawl_reads(who, headers)
    for who, headers in setup.principals.items():
        crawler.crawl_writes(who, headers)

    assert [str(finding) for finding in crawler.findings] == []
    assert snapshot(database, setup.b.tag) == before
    assert crawler.ok_responses > 0


def test_the_crawl_sees_data_when_it_is_there(client: TestClient, database: Database) -> None:
    """The same crawl with A's own ids finds A's data: a leak of B's would not go unseen."""
    setup = prepare(client, database)
    crawler = Crawler(client, client.app, setup.a)  # type: ignore[arg-type]
    crawler.crawl_reads("A registrar", setup.principals["A registrar (B header)"])
    seen = {f.url.split("?")[0] for f in crawler.findings if f.problem.startswith("B ")}
    assert "/auth/me" in seen
    assert len(seen) >= 2


def test_the_crawl_catches_a_leaky_route(database: Database) -> None:
    """A route that forgets the tenant filter is reported, by id and in lists."""
    settings = make_settings(database)
    app = create_app(settings, database)

    @app.get("/leaky/students/{student_id}")
    def leaky_student(student_id: uuid.UUID) -> dict[str, str]:
        with database.session(write=False) as s:
            row = s.get(Student, student_id)
            if row is None:
                return {"error": "not found"}
            return {"roll_number": row.roll_number}

    @app.get("/leaky/courses")
    def leaky_courses() -> list[str]:
        with database.session(write=False) as s:
            return list(s.scalars(select(Course.code)))

    @app.delete("/leaky/courses/{course_id}")
    def leaky_delete(course_id: uuid.UUID) -> dict[str, str]:
        with database.session() as s:
            course = s.get(Course, course_id)
            if course is not None:
                course.title = "renamed"
        return {"status": "ok"}

    with TestClient(app) as client:
        setup = prepare(client, database)
        crawler = Crawler(client, app, setup.b, only="/leaky/")
        before = snapshot(database, setup.b.tag)
        crawler.crawl_reads("A registrar", setup.principals["A registrar (B header)"])
        crawler.crawl_writes("A registrar", setup.principals["A registrar (B header)"])
    leaks = {f.url.split("?")[0].split("/")[2] for f in crawler.findings}
    assert {"students", "courses"} <= leaks
    assert any(f.method == "DELETE" for f in crawler.findings)
    assert snapshot(database, setup.b.tag) != before


def test_b_credentials_do_not_open_a(client: TestClient, database: Database) -> None:
    setup = prepare(client, database)
    attempts = [
        {"username": "registrar", "password": B_REGISTRAR_PASSWORD},
        {"username": setup.b.codes["student"][0], "password": factories.PASSWORD},
        {"student_number": setup.b.codes["student"][0], "password": factories.PASSWORD},
    ]
    for credentials in attempts:
        response = client.post(
            "/auth/login", json=credentials, headers={"x-tenant-tag": setup.a.tag}
        )
        assert response.status_code == 401, credentials
    # and they do open B, so the refusal above is about the tenant
    assert log_in(client, setup.b.tag, "registrar", B_REGISTRAR_PASSWORD)


def test_a_student_of_a_is_not_a_student_of_b(client: TestClient, database: Database) -> None:
    setup = prepare(client, database)
    with database.session(write=False) as s:
        b_students = s.scalars(
            select(Student.roll_number)
            .join(Institution, Institution.id == Student.institution_id)
            .where(Institution.tag == setup.b.tag)
        ).all()
    assert sorted(b_students) == sorted(setup.b.codes["student"])
    me = client.get("/auth/me", headers=setup.principals["A student (B header)"]).json()
    assert me["institution"]["tag"] == setup.a.tag
    assert me["student"]["roll_number"] == setup.a.codes["student"][0]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("student_id", "student"),
        ("student_batch_id", "batch"),
        ("semesterId", "term"),
        ("scheduleId", "section"),
        ("course_id", "course"),
        ("academic_year", "academic_year"),
        ("id", None),
    ],
)
def test_parameter_names_map_to_kinds(name: str, kind: str | None) -> None:
    assert kind_of(name) == kind
