"""`python -m bench.inprocess` measures every hot endpoint on a demo and prints its costs."""

from __future__ import annotations

import re

import pytest
import uvloop
from bench import inprocess

from registrar.db import Database
from registrar.demo import load_demo


@pytest.mark.postgres
def test_each_endpoint_is_measured_with_its_calls_and_statements(
    pg: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    load_demo(pg, students=60, seed=7)
    url = pg.engine.url.render_as_string(hide_password=False)

    uvloop.run(inprocess.run(url, requests=5, only=None))

    printed = capsys.readouterr().out
    rows = {
        match["name"].strip(): match
        for match in re.finditer(
            r"^  (?P<name>\S.*?)\s+(?P<cpu>\d+)\s+(?P<wall>\d+)\s+(?P<calls>\d+)\s+"
            r"(?P<statements>[\d.]+)\s+[\d.]+ KB$",
            printed,
            re.MULTILINE,
        )
    }
    assert set(rows) == {
        "enrolled/",
        "available/",
        "batch/",
        "my-courses",
        "auth/me",
        "register (refused)",
    }, printed
    for name, row in rows.items():
        assert int(row["calls"]) > 500, (name, printed)  # a request runs the whole app
        assert float(row["statements"]) >= 1, (name, printed)
    # The statement counts the query-count tests hold, seen from outside.
    assert float(rows["my-courses"]["statements"]) == 1
    assert float(rows["enrolled/"]["statements"]) == 2
