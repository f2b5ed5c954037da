"""Entry point of the demo loader (the interface the CLI calls)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from registrar.db import Database

ProgressFn = Callable[[str, int, int], None]


@dataclass
class DemoSummary:
    """What a demo load created, by kind of row."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def describe(self) -> str:
        """One line a person reads after the load."""
        parts = ", ".join(f"{count} {name}" for name, count in self.counts.items())
        return f"Demo loaded in {self.seconds:.1f}s: {parts}"


def load_demo(
    database: Database, *, students: int, seed: int, progress: ProgressFn | None = None
) -> DemoSummary:
    """Create the demo institutions and everything in them."""
    raise NotImplementedError("the demo loader is being written")
