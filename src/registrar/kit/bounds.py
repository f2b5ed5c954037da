"""Input types whose values the databases can hold, and short excerpts of what a client sent.

The rule for text has one home here. Put the marker last in an `Annotated`, after the `Field`
constraints, so that those stay native string constraints (and keep their OpenAPI `pattern`):
`Annotated[str, Field(max_length=40), OneLine]`.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

# PostgreSQL INTEGER, the type of every integer column a request can reach.
INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
# Rows a list may skip: far beyond any list, and within every database's OFFSET.
MAX_OFFSET = INT32_MAX

# Control characters (C0, DEL, C1) and lone surrogates. NUL is refused by PostgreSQL, a lone
# surrogate by UTF-8; the others only ever arrive by mistake or by malice.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# The same, less the tab and line breaks that a multi-line note may hold.
_CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

CONTROL_ERROR = "control_character"
_CONTROL_MESSAGE = "Text must not contain control characters (such as NUL)"


def one_line(value: str) -> str:
    """A name, code or search: no control character at all."""
    if _CONTROL.search(value):
        raise PydanticCustomError(CONTROL_ERROR, _CONTROL_MESSAGE)
    return value


def text_lines(value: str) -> str:
    """Free text (notes, descriptions): tabs and line breaks allowed, other controls refused."""
    if _CONTROL_IN_TEXT.search(value):
        raise PydanticCustomError(CONTROL_ERROR, _CONTROL_MESSAGE)
    return value


def has_control(value: str) -> bool:
    """True when a one-line value holds a character `one_line` refuses (for CSV cells)."""
    return _CONTROL.search(value) is not None


OneLine = AfterValidator(one_line)
Lines = AfterValidator(text_lines)

SafeStr = Annotated[str, OneLine]
SafeText = Annotated[str, Lines]
Int32 = Annotated[int, Field(ge=INT32_MIN, le=INT32_MAX)]
# A free-text search: long enough for any name, short enough to echo and to LIKE cheaply.
Search = Annotated[str, Field(max_length=200), OneLine]
# A list's filter by a code or label (no column holds more than 200 characters).
FilterText = Annotated[str, Field(max_length=200), OneLine]

EXCERPT_CHARS = 40


def excerpt(value: str, limit: int = EXCERPT_CHARS) -> str:
    """At most `limit` characters of a client's text, control characters shown as escapes."""
    short = value if len(value) <= limit else value[:limit] + "…"
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", short)


def echo(value: Any) -> Any:
    """A JSON-safe, short version of a value a client sent, for an error answer.

    Text is cut to an excerpt, numbers that JSON cannot carry become text, and anything larger
    than a scalar (a whole object or list) is left out.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        # Printing a huge integer costs quadratic time (and Python refuses past 4,300 digits).
        return value if value.bit_length() <= 128 else f"an integer of {value.bit_length()} bits"
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str | bytes):
        text = value if isinstance(value, str) else value.decode("utf-8", "replace")
        return excerpt(text)
    return None
