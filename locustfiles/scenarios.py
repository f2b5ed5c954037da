"""Seed 002's load scenarios as Locust users, against any running Registrar.

    locust -f locustfiles/scenarios.py --host http://127.0.0.1:8000        (the web UI)
    python -m locustfiles --host http://127.0.0.1:8000 --users 50          (headless + audit)

Each simulated student logs in once, when it starts (tokens are never fetched per request),
as one of the institution's students (listed through the API by the registrar:
LOADTEST_REGISTRAR, LOADTEST_STUDENT_PASSWORD, LOADTEST_TENANT; see plan.py). A refusal the
rules decide (400, 409) is a correct answer under a rush and counts as a success; a 503 is
the service shedding load and counts as a failure, so the summary shows how often it did.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from gevent.lock import Semaphore
from locust import HttpUser, between, task
from locust.exception import StopUser

from locustfiles.plan import Plan, Settings, load

REFUSALS = frozenset({400, 409})
PORTAL = "/api/student-portal/courses"

_settings = Settings.from_env()
_plan: Plan | None = None
_plan_lock = Semaphore()
_next_student = itertools.count()


def plan_for(host: str) -> Plan:
    """The plan, read through the API by the first user of this process."""
    global _plan
    with _plan_lock:
        if _plan is None:
            _plan = load(host, _settings)
        return _plan


class _Student(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.5)

    def on_start(self) -> None:
        self.plan = plan_for(self.host or "")
        runner = self.environment.runner
        spread = 7919 * int(getattr(runner, "worker_index", 0) or 0)  # workers: other students
        roll = self.plan.students[(next(_next_student) + spread) % len(self.plan.students)]
        response = self.client.post(
            "/auth/login",
            json={"username": roll, "password": _settings.student_password},
            headers=_settings.tenant_headers(),
            name="POST /auth/login",
        )
        if response.status_code != 200:
            raise StopUser()
        self.client.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def _register(self, offering: str, name: str) -> dict[str, Any] | None:
        with self.client.post(
            f"/courses/{offering}/register", name=name, catch_response=True
        ) as response:
            if response.status_code == 200:  # seed 002: 200 for a seat or a reserve place
                response.success()
                body: dict[str, Any] = response.json()
                return body
            if response.status_code in REFUSALS:
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
        return None

    def _drop(self, offering: str) -> dict[str, Any] | None:
        with self.client.post(
            f"/courses/{offering}/drop", name="POST /courses/{id}/drop", catch_response=True
        ) as response:
            if response.status_code == 200:
                response.success()
                body: dict[str, Any] = response.json()
                return body
            if response.status_code == 404:  # held nothing there (anymore)
                response.success()
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
        return None

    def _my_courses(self) -> None:
        self.client.get(
            f"/semesters/{self.plan.semester}/my-courses", name="GET /semesters/{id}/my-courses"
        )


class PeakRegistration(_Student):
    """Registration opens: students register across the open semester's offerings."""

    weight = 5

    @task(4)
    def register_somewhere(self) -> None:
        offering = random.choice(self.plan.offerings)["id"]
        self._register(offering, "POST /courses/{id}/register")

    @task(1)
    def check(self) -> None:
        self._my_courses()


class HotOfferingRace(_Student):
    """Everyone goes for the same offering at once, once; then they watch their place."""

    weight = 2

    def on_start(self) -> None:
        super().on_start()
        self._register(self.plan.hot, "POST /courses/{hot}/register (race)")

    @task
    def watch(self) -> None:
        self._my_courses()


class ReserveQueue(_Student):
    """The hot offering is full: newcomers take reserve places until the list is full too."""

    weight = 1
    wait_time = between(0.2, 1.0)

    @task
    def queue(self) -> None:
        placed = self._register(self.plan.hot, "POST /courses/{hot}/register (reserve)")
        if (
            placed is not None
            and placed["status"] == "RESERVED"
            and (not placed["reserve_position"] or placed["reserve_position"] < 1)
        ):
            raise AssertionError(f"a reserve place without a position: {placed}")
        self._my_courses()


class DropAndPromotion(_Student):
    """Students holding the hot offering let it go; the head of its reserve list moves up."""

    weight = 1
    wait_time = between(0.5, 2.0)

    @task
    def take_then_leave(self) -> None:
        self._register(self.plan.hot, "POST /courses/{hot}/register (before drop)")
        self._drop(self.plan.hot)


class PortalReader(_Student):
    """Reads: the offerings list, the student's courses, and the student portal's pages."""

    weight = 3

    @task(3)
    def offerings(self) -> None:
        self.client.get(
            f"/semesters/{self.plan.semester}/courses", name="GET /semesters/{id}/courses"
        )

    @task(2)
    def mine(self) -> None:
        self._my_courses()

    @task(1)
    def portal(self) -> None:
        for page in ("enrolled", "available", "batch"):
            # A student with no batch is told so (400): an answer, not a failure.
            with self.client.get(
                f"{PORTAL}/{page}/", name=f"GET {PORTAL}/{page}/", catch_response=True
            ) as response:
                if response.status_code in (200, 400):
                    response.success()
