"""The text of every notification, from the template files in `templates/` (one per event).

A template's first line is `Subject: ...`, then a blank line, then the body; both are Jinja2
with the event's values. Templates are files so the office can reword them without touching
code; a missing value is an error (StrictUndefined), never an empty gap in a student's mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).parent / "templates"
_SUBJECT = "Subject:"

_environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    undefined=StrictUndefined,
    autoescape=False,  # plain-text mail: nothing here is HTML
    keep_trailing_newline=True,
    trim_blocks=True,
)


@dataclass(frozen=True)
class Message:
    """A rendered notification: its event, subject line and body."""

    event: str
    subject: str
    body: str


def events() -> list[str]:
    """Every event a template exists for."""
    return sorted(path.stem for path in TEMPLATES.glob("*.txt"))


def render(event: str, **values: Any) -> Message:
    """The event's message with these values."""
    text = _environment.get_template(f"{event}.txt").render(**values)
    first, _, rest = text.partition("\n")
    if not first.startswith(_SUBJECT):
        raise ValueError(f"Template {event}.txt must start with '{_SUBJECT}'")
    body = "\n".join(line.rstrip() for line in rest.strip("\n").splitlines())
    return Message(event=event, subject=first.removeprefix(_SUBJECT).strip(), body=body + "\n")
