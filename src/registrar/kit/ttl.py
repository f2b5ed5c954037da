"""A small per-worker cache of values that may be a few seconds old."""

from __future__ import annotations

import time
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TtlCache(Generic[V]):
    """Values by key, each trusted for `max_age` seconds (0 keeps nothing)."""

    def __init__(self, max_age: float, max_entries: int = 10_000) -> None:
        self.max_age = max_age
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, V]] = {}

    def get(self, key: Hashable) -> V | None:
        """The value, if one younger than `max_age` is kept."""
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key: Hashable, value: V) -> V:
        """Keep a value just computed; it is returned for convenience."""
        if self.max_age > 0:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()  # a crude bound: refilling costs one query per key
            self._entries[key] = (time.monotonic() + self.max_age, value)
        return value
