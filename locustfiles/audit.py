"""After a load test: does every invariant still hold?

Through the API (any base URL): no offering has more students than seats, or more reserve
places than its list allows. With the database at hand (DATABASE_URL), every invariant the
benchmarks check: no section over capacity, counters equal rows, waitlists contiguous, nobody
in one section twice.
"""

from __future__ import annotations

from sqlalchemy import text

from locustfiles.plan import Settings, open_offerings, registrar_client
from registrar.config import normalize_database_url
from registrar.db import build_engine

AUDIT_SQL = {
    "sections over capacity": (
        "SELECT count(*) FROM course_sections WHERE enrolled_count > capacity "
        "OR waitlisted_count > waitlist_limit"
    ),
    "sections whose counters differ from rows": """
        SELECT count(*) FROM course_sections s WHERE
          s.enrolled_count <> (SELECT count(*) FROM enrollments e WHERE e.section_id = s.id
                               AND e.status IN ('ENROLLED', 'COMPLETED', 'OFFERED'))
          OR s.waitlisted_count <> (SELECT count(*) FROM enrollments e WHERE e.section_id = s.id
                                    AND e.status = 'WAITLISTED')""",
    "waitlists with gaps or repeats": """
        SELECT count(*) FROM (
          SELECT section_id FROM enrollments WHERE status = 'WAITLISTED' GROUP BY section_id
          HAVING count(DISTINCT waitlist_position) <> count(*)
              OR max(waitlist_position) <> count(*)) gaps""",
    "students in one section twice": """
        SELECT count(*) FROM (SELECT student_id, section_id FROM enrollments
                              GROUP BY student_id, section_id HAVING count(*) > 1) twice""",
}


def through_api(base_url: str, settings: Settings) -> dict[str, int]:
    """Offerings over their seats or reserve lists, as the API reports them."""
    client = registrar_client(base_url, settings)
    try:
        _, offerings = open_offerings(client)
    finally:
        client.close()
    return {
        "offerings over capacity (API)": sum(
            1 for o in offerings if o["enrolled_count"] > o["max_capacity"]
        ),
        "reserve lists over their limit (API)": sum(
            1 for o in offerings if o["reserved_count"] > o["reserve_limit"]
        ),
    }


def in_database(url: str) -> dict[str, int]:
    """Every invariant, counted in the database: each count must be 0."""
    engine = build_engine(normalize_database_url(url), pool_size=1, max_overflow=0)
    try:
        with engine.connect() as connection:
            return {
                name: int(connection.execute(text(sql)).scalar_one())
                for name, sql in AUDIT_SQL.items()
            }
    finally:
        engine.dispose()
