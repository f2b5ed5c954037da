"""What the scenarios share, read once per load-generating process through the API itself:
the open semester's offerings, the hot offering, and the students who will log in.

Nothing here imports Locust, so the runner and its audit can use it too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import httpx

MAX_STUDENTS = 5000
PAGE = 500


@dataclass(frozen=True)
class Settings:
    """Where the scenarios log in, from the environment (docker compose passes .env on)."""

    registrar: tuple[str, str]
    student_password: str
    tenant: str | None
    hot_offering: str | None

    @classmethod
    def from_env(cls) -> Settings:
        """LOADTEST_REGISTRAR (user:password), LOADTEST_STUDENT_PASSWORD, LOADTEST_TENANT and
        LOADTEST_HOT_OFFERING (an offering id; default: the smallest open one)."""
        user, _, password = os.environ.get(
            "LOADTEST_REGISTRAR", "registrar:registrar123"
        ).partition(":")
        return cls(
            registrar=(user, password),
            student_password=os.environ.get("LOADTEST_STUDENT_PASSWORD", "student123"),
            tenant=os.environ.get("LOADTEST_TENANT") or None,
            hot_offering=os.environ.get("LOADTEST_HOT_OFFERING") or None,
        )

    def tenant_headers(self) -> dict[str, str]:
        """The institution header for logins, when one is named."""
        return {"x-tenant-tag": self.tenant} if self.tenant else {}


@dataclass
class Plan:
    """The open semester, its offerings (the hot one apart) and the students' roll numbers."""

    semester: str
    offerings: list[dict[str, Any]]
    hot: str
    students: list[str] = field(default_factory=list)


def log_in(client: httpx.Client, settings: Settings, username: str, password: str) -> str:
    """A bearer token for the account."""
    response = client.post(
        "/auth/login",
        json={"username": username, "password": password},
        headers=settings.tenant_headers(),
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def registrar_client(base_url: str, settings: Settings) -> httpx.Client:
    """A client logged in as the registrar."""
    client = httpx.Client(base_url=base_url, timeout=30)
    token = log_in(client, settings, *settings.registrar)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def open_offerings(client: httpx.Client) -> tuple[str, list[dict[str, Any]]]:
    """The semester open for registration now, and its offerings."""
    semesters = client.get("/semesters/").raise_for_status().json()
    open_now = [s for s in semesters if s["is_registration_open"]]
    if not open_now:
        raise RuntimeError("no semester is open for registration: nothing to load-test")
    semester = str(open_now[0]["id"])
    offerings = client.get(f"/semesters/{semester}/courses").raise_for_status().json()
    return semester, list(offerings)


def load(base_url: str, settings: Settings) -> Plan:
    """Read the plan through the API, as the registrar."""
    client = registrar_client(base_url, settings)
    try:
        semester, offerings = open_offerings(client)
        if not offerings:
            raise RuntimeError("the open semester offers no course: nothing to load-test")
        hot = settings.hot_offering or str(min(offerings, key=lambda o: o["max_capacity"])["id"])
        students: list[str] = []
        while len(students) < MAX_STUDENTS:
            page = client.get(
                "/api/admin/students",
                params={"limit": PAGE, "offset": len(students), "status": "ACTIVE"},
            )
            items = page.raise_for_status().json()["items"]
            students += [item["roll_number"] for item in items]
            if len(items) < PAGE:
                break
    finally:
        client.close()
    if not students:
        raise RuntimeError("the institution has no active students to log in as")
    return Plan(semester=semester, offerings=offerings, hot=hot, students=students)
