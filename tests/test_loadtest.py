"""`python -m locustfiles` (what `make loadtest` runs): the seed-002 scenarios headless against a
served test database for a few seconds, a summary, and an audit that finds every invariant
holding."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from registrar.db import Database
from tests import factories
from tests.enrollment.support import assert_consistent
from tests.live import serve_live
from tests.rush_world import rush_world

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.postgres
@pytest.mark.timeout(120)
def test_the_scenarios_run_headless_and_the_audit_passes(pg: Database) -> None:
    world = rush_world(pg, students=40)
    url = pg.engine.url.render_as_string(hide_password=False)
    with serve_live(pg) as server:
        env = {
            **os.environ,
            "LOADTEST_REGISTRAR": f"registrar:{factories.PASSWORD}",
            "LOADTEST_STUDENT_PASSWORD": factories.PASSWORD,
            "LOADTEST_TENANT": world.tag,
            "LOADTEST_HOT_OFFERING": str(world.hot),
        }
        command = [sys.executable, "-m", "locustfiles", "--host", server.url]
        run = subprocess.run(
            [*command, "--users", "20", "--run-time", "6s", "--database-url", url],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    # The summary names every scenario's requests; the audit ran both ways and found nothing.
    for name in ("POST /auth/login", "POST /courses/{hot}/register (race)", "Aggregated"):
        assert name in run.stdout, output
    assert "invariant audit:" in run.stdout
    assert "FAIL" not in run.stdout
    assert "ok   offerings over capacity (API): 0" in run.stdout
    assert "ok   waitlists with gaps or repeats: 0" in run.stdout
    hot = assert_consistent(pg, world.hot)
    assert int(str(hot["enrolled_count"])) <= 3
    for section in world.sections[1:]:
        assert_consistent(pg, section)
