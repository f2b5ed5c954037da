"""Locust users for the portal benchmark (driven by bench/portal_load.py).

Tokens come from the file named by BENCH_TOKENS (one JSON list of bearer tokens), issued by the
orchestrator so the measured load is the portal, not password hashing.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from typing import Any

from locust import HttpUser, between, task

PORTAL = "/api/student-portal/courses"
_tokens: list[str] = json.loads(open(os.environ["BENCH_TOKENS"]).read())
_next_token = itertools.count()


class _Student(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.2)

    def on_start(self) -> None:
        token = _tokens[next(_next_token) % len(_tokens)]
        self.client.headers["Authorization"] = f"Bearer {token}"


class ReadingStudent(_Student):
    """Looks at their courses, what they may take, and their batch's plan."""

    @task(3)
    def enrolled(self) -> None:
        self.client.get(f"{PORTAL}/enrolled/", name="GET enrolled")

    @task(2)
    def available(self) -> None:
        self.client.get(f"{PORTAL}/available/?include_sections=true", name="GET available")

    @task(1)
    def batch(self) -> None:
        self.client.get(f"{PORTAL}/batch/", name="GET batch")


class RushingStudent(_Student):
    """Registration opens: grab an elective section, sometimes change one's mind and drop it."""

    wait_time = between(0.0, 0.05)

    def on_start(self) -> None:
        super().on_start()
        self.enrolled_ids: list[str] = []

    def _open_sections(self) -> list[dict[str, Any]]:
        response = self.client.get(
            f"{PORTAL}/available/?include_sections=true", name="GET available"
        )
        if response.status_code != 200:
            return []
        courses = response.json().get("available_courses", [])
        return [section for course in courses for section in course.get("available_sections", [])]

    @task(4)
    def enroll(self) -> None:
        sections = self._open_sections()
        if not sections:
            return
        section = random.choice(sections)
        with self.client.post(
            f"{PORTAL}/enroll/",
            json={"course_section_id": section["id"], "enrollment_type": "REGULAR"},
            name="POST enroll",
            catch_response=True,
        ) as response:
            # A refusal (full, clash, already enrolled) is a correct answer under a rush.
            if response.status_code in (200, 201):
                self.enrolled_ids.append(response.json()["enrollment"]["id"])
                response.success()
            elif response.status_code in (400, 409):
                response.success()

    @task(1)
    def drop(self) -> None:
        if not self.enrolled_ids:
            return
        enrollment_id = self.enrolled_ids.pop(random.randrange(len(self.enrolled_ids)))
        self.client.post(
            f"{PORTAL}/drop/",
            json={"enrollment_id": enrollment_id, "reason": "Changed my mind"},
            name="POST drop",
        )
