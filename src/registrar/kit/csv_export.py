"""CSV answers, streamed a few hundred rows at a time, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from starlette.responses import StreamingResponse

ROWS_PER_CHUNK = 500
# What a spreadsheet reads as the start of a formula: such a text cell is exported behind a
# single quote, so that it shows as text and never runs (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    """A CSV to send: its file name and its rows (header first)."""

    filename: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]

    def chunks(self) -> Iterator[str]:
        """The CSV text a few hundred rows at a time, for a streamed response."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.header)
        for index, row in enumerate(self.rows, 1):
            writer.writerow([_cell(value) for value in row])
            if index % ROWS_PER_CHUNK == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()


def _cell(value: object) -> str:
    """A value as a CSV cell; text that a spreadsheet would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return str(value)


def streamed(export: Export) -> StreamingResponse:
    """The export as a CSV attachment, streamed."""
    return StreamingResponse(
        export.chunks(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )
