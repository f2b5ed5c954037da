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
from registrar.enrollment.invariants import INVARIANTS


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
                for name, sql in INVARIANTS.items()
            }
    finally:
        engine.dispose()
