"""Logging for `registrar serve` and `registrar worker`: JSON lines, or plain text.

python-json-logger rather than structlog: it is a `logging.Formatter`, so every logger already
in the process (ours, uvicorn's, SQLAlchemy's echo, Alembic's) writes JSON by configuration
alone, and the code keeps calling the standard library. Fields passed as `extra=` (the access
line's request id, route, status, duration, user and institution) become keys of the object.
"""

from __future__ import annotations

import logging.config
import sys
from typing import Any, Literal, TextIO

from pythonjsonlogger.core import RESERVED_ATTRS

LogFormat = Literal["json", "text"]

TEXT = "%(asctime)s %(levelname)s %(name)s %(message)s"
_JSON_FIELDS = "%(levelname)s %(name)s %(message)s"


class StandardError(logging.StreamHandler[TextIO]):
    """A handler writing to whatever `sys.stderr` is when the line is written, not the stream
    it was when logging was configured (a CLI runner or a test may swap it, then close it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        """The current standard error."""
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass  # always sys.stderr, as it is now


def dict_config(log_format: LogFormat, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for the format (uvicorn takes it as its `log_config`)."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": _JSON_FIELDS,
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601, UTC
            # uvicorn's copy of each message with terminal colours: not for a JSON line.
            "reserved_attrs": [*RESERVED_ATTRS, "color_message"],
        }
        if log_format == "json"
        else {"format": TEXT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "handlers": {
            # stderr, as uvicorn does (a container's log driver collects it with stdout).
            "console": {"class": "registrar.logs.StandardError", "formatter": "default"}
        },
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            # uvicorn's own lines go through the root handler, in the same format; its access
            # log stays off (the app writes a richer one, see kit.metrics.Observe).
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }


def configure(log_format: LogFormat, level: str = "INFO") -> None:
    """Configure this process's logging (the worker, serve's supervisor; uvicorn takes the
    dict itself in each server process)."""
    logging.config.dictConfig(dict_config(log_format, level))
    logging.captureWarnings(True)  # a library's warning is a log line too, in the same format
