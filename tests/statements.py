"""Counting the SQL statements a request sends, on every engine the app has."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event


def engines_of(client: TestClient) -> list[Engine]:
    """The app's engines: the request path's (async, by its sync core) and the worker-thread one."""
    state = client.app.state  # type: ignore[attr-defined]
    return [engine.sync_engine for engine in state.serving.engines] + [state.database.engine]


@contextmanager
def counting(engines: list[Engine]) -> Iterator[list[str]]:
    """Every statement the engines send while the block runs."""
    seen: list[str] = []

    def listener(*args: Any) -> None:
        seen.append(args[2])

    for engine in engines:
        event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", listener)
