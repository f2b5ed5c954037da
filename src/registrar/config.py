"""Settings read from the environment (and an optional `.env` file)."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from limits import parse as parse_rate
from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from registrar.db import Limits, PlanCacheMode

DEFAULT_DATABASE_URL = "sqlite:///registrar.db"
SECRET_KEY_FILE_NAME = ".secret_key"


class ConfigurationError(RuntimeError):
    """The environment does not describe a service that can start."""


def normalize_database_url(url: str) -> str:
    """Map the plain URL a user writes to the driver this project uses."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise ConfigurationError(
            "DATABASE_URL is not a database URL; write postgresql://user@host:5432/db "
            "or sqlite:///path.db"
        ) from error
    backend = parsed.get_backend_name()
    # `postgres://` is what many hosting providers hand out; SQLAlchemy no longer accepts it.
    if backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+pysqlite")
    else:
        raise ConfigurationError(
            f"DATABASE_URL must be a postgresql:// or sqlite:/// URL, not {backend}://"
        )
    return parsed.render_as_string(hide_password=False)


class Settings(BaseSettings):
    """Everything the service reads from its environment."""

    # An empty value is no value: `.env.example` and docker compose leave unset settings empty.
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

    env: Literal["development", "production", "test"] = Field(
        default="development", validation_alias="REGISTRAR_ENV"
    )
    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    secret_key: str | None = Field(default=None, validation_alias="SECRET_KEY")
    token_issuer: str = Field(default="registrar", validation_alias="TOKEN_ISSUER")
    access_token_minutes: int = Field(default=60, ge=1, validation_alias="ACCESS_TOKEN_MINUTES")
    # NoDecode: the environment holds a comma list (or a JSON list); the validator decides.
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias="CORS_ORIGINS"
    )
    default_tenant: str | None = Field(default=None, validation_alias="REGISTRAR_DEFAULT_TENANT")
    db_pool_size: int = Field(default=4, ge=1, le=200, validation_alias="DB_POOL_SIZE")
    db_max_overflow: int = Field(default=0, ge=0, le=200, validation_alias="DB_MAX_OVERFLOW")
    db_pool_timeout: float = Field(default=5.0, gt=0, le=300, validation_alias="DB_POOL_TIMEOUT")
    db_connect_timeout: float = Field(
        default=5.0, ge=1, le=300, validation_alias="DB_CONNECT_TIMEOUT"
    )
    db_statement_timeout: float = Field(
        default=10.0, gt=0, le=3600, validation_alias="DB_STATEMENT_TIMEOUT"
    )
    db_lock_timeout: float = Field(default=2.0, gt=0, le=3600, validation_alias="DB_LOCK_TIMEOUT")
    db_plan_cache_mode: PlanCacheMode = Field(
        default="force_generic_plan", validation_alias="DB_PLAN_CACHE_MODE"
    )
    sql_echo: bool = Field(default=False, validation_alias="SQL_ECHO")
    max_concurrent_requests: int = Field(
        default=256, ge=1, le=10000, validation_alias="MAX_CONCURRENT_REQUESTS"
    )
    max_queued_requests: int = Field(
        default=1024, ge=0, le=100000, validation_alias="MAX_QUEUED_REQUESTS"
    )
    queue_timeout: float = Field(default=10.0, gt=0, le=300, validation_alias="QUEUE_TIMEOUT")
    section_writers: int = Field(default=2, ge=1, le=100, validation_alias="SECTION_WRITERS")
    section_queue: int = Field(default=256, ge=0, le=100000, validation_alias="SECTION_QUEUE")
    section_wait: float = Field(default=2.0, gt=0, le=300, validation_alias="SECTION_WAIT")
    auth_cache_seconds: float = Field(
        default=5.0, ge=0, le=3600, validation_alias="AUTH_CACHE_SECONDS"
    )
    redis_url: str | None = Field(default=None, validation_alias="REDIS_URL")
    redis_key_prefix: str = Field(
        default="registrar", max_length=64, validation_alias="REDIS_KEY_PREFIX"
    )
    login_failures_per_account: str = Field(
        default="10 per 15 minutes", validation_alias="LOGIN_FAILURES_PER_ACCOUNT"
    )
    login_failures_per_address: str = Field(
        default="100 per 15 minutes", validation_alias="LOGIN_FAILURES_PER_ADDRESS"
    )
    password_hash_threads: int = Field(
        default=1, ge=1, le=64, validation_alias="PASSWORD_HASH_THREADS"
    )
    list_cache_seconds: float = Field(
        default=1.0, ge=0, le=3600, validation_alias="LIST_CACHE_SECONDS"
    )
    # A batch's head counts on `.../batch/` cost the database about 1 ms each; a worker that
    # read them every second for each of a campus's batches would spend a third of a core.
    batch_counts_seconds: float = Field(
        default=10.0, ge=0, le=3600, validation_alias="BATCH_COUNTS_SECONDS"
    )
    # Request bodies beyond these are refused (413) before anything parses them.
    max_json_bytes: int = Field(
        default=1024 * 1024, ge=1024, le=1024**3, validation_alias="MAX_JSON_BYTES"
    )
    max_upload_bytes: int = Field(
        default=32 * 1024 * 1024, ge=1024, le=1024**3, validation_alias="MAX_UPLOAD_BYTES"
    )
    access_log: bool = Field(default=False, validation_alias="ACCESS_LOG")
    # None: JSON lines in production, plain text elsewhere.
    log_format: Literal["json", "text"] | None = Field(default=None, validation_alias="LOG_FORMAT")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", validation_alias="LOG_LEVEL"
    )
    # None: on outside production. The document maps every route for whoever asks.
    api_docs: bool | None = Field(default=None, validation_alias="API_DOCS")
    smtp_host: str = Field(default="localhost", validation_alias="SMTP_HOST")
    smtp_port: int = Field(default=25, ge=1, le=65535, validation_alias="SMTP_PORT")
    smtp_username: str | None = Field(default=None, validation_alias="SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(default=None, validation_alias="SMTP_PASSWORD")
    smtp_starttls: bool = Field(default=False, validation_alias="SMTP_STARTTLS")
    smtp_ssl: bool = Field(default=False, validation_alias="SMTP_SSL")
    smtp_from: str = Field(default="registrar@localhost", validation_alias="SMTP_FROM")
    smtp_timeout: float = Field(default=10.0, gt=0, validation_alias="SMTP_TIMEOUT")
    notify_max_attempts: int = Field(default=5, ge=1, validation_alias="NOTIFY_MAX_ATTEMPTS")
    notify_backoff_seconds: float = Field(
        default=60.0, ge=0, validation_alias="NOTIFY_BACKOFF_SECONDS"
    )

    @field_validator("login_failures_per_account", "login_failures_per_address")
    @classmethod
    def _rate(cls, value: str) -> str:
        try:
            parse_rate(value)
        except ValueError as error:
            raise ValueError(f"not a rate such as '10 per 15 minutes': {value!r}") from error
        return value

    @field_validator("log_format", "log_level", mode="before")
    @classmethod
    def _case(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        return value.upper() if info.field_name == "log_level" else value.lower()

    @field_validator("database_url")
    @classmethod
    def _driver(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().startswith("["):
            return json.loads(value)
        if isinstance(value, str):
            return [origin.strip() for origin in value.split(",") if origin.strip()]
        return value

    @model_validator(mode="after")
    def _production_needs_secret(self) -> Settings:
        if self.env == "production" and not self.secret_key:
            raise ConfigurationError(
                "SECRET_KEY must be set when REGISTRAR_ENV=production; refusing to start"
            )
        if self.env == "production" and self.secret_key and len(self.secret_key) < 32:
            raise ConfigurationError("SECRET_KEY must be at least 32 characters in production")
        if self.env == "production" and self.secret_key:
            _refuse_weak_secret(self.secret_key)
        return self

    def docs_enabled(self) -> bool:
        """Whether /docs, /redoc and /openapi.json are served: API_DOCS, else not in production."""
        return self.api_docs if self.api_docs is not None else self.env != "production"

    def logs_as(self) -> Literal["json", "text"]:
        """The log format: LOG_FORMAT, else JSON in production and plain text elsewhere."""
        if self.log_format is not None:
            return self.log_format
        return "json" if self.env == "production" else "text"

    def db_limits(self) -> Limits:
        """The waits the serving engines allow (see `db.Limits`)."""
        return Limits(
            connect_seconds=self.db_connect_timeout,
            statement_seconds=self.db_statement_timeout,
            lock_seconds=self.db_lock_timeout,
            pool_timeout_seconds=self.db_pool_timeout,
            plan_cache_mode=self.db_plan_cache_mode,
        )

    @property
    def is_sqlite(self) -> bool:
        """True when the embedded SQLite database is in use."""
        return make_url(self.database_url).get_backend_name() == "sqlite"

    def data_dir(self) -> Path:
        """The folder beside the database, where a development secret is kept."""
        url = make_url(self.database_url)
        if self.is_sqlite and url.database and url.database != ":memory:":
            return Path(url.database).resolve().parent
        return Path.cwd()

    def signing_key(self) -> str:
        """The JWT signing key: configured, or generated once and kept beside the database."""
        if self.secret_key:
            return self.secret_key
        key_file = self.data_dir() / SECRET_KEY_FILE_NAME
        if not key_file.exists():
            _create_key_file(key_file, secrets.token_urlsafe(48))
        key = key_file.read_text().strip()
        if not key:
            raise ConfigurationError(f"{key_file} is empty; delete it or set SECRET_KEY")
        self.secret_key = key
        return key


# A random key of 32 or more characters uses far more distinct characters than this (even hex
# digits: all 16, nearly always); a key that does not was typed, not generated.
MIN_DISTINCT_SECRET_CHARACTERS = 8
_GENERATE_HINT = "generate one: python -c 'import secrets; print(secrets.token_urlsafe(48))'"


def _refuse_weak_secret(key: str) -> None:
    """Refuse a key that is long but plainly not random; the message never repeats the key."""
    # A key has period p when it is its first p characters repeated ("abab...", "aaaa...").
    if any(key[period:] == key[:-period] for period in range(1, len(key) // 2 + 1)):
        raise ConfigurationError(
            f"SECRET_KEY is too weak: it is one short sequence repeated; {_GENERATE_HINT}"
        )
    distinct = len(set(key))
    if distinct < MIN_DISTINCT_SECRET_CHARACTERS:
        raise ConfigurationError(
            f"SECRET_KEY is too weak: it has only {distinct} distinct characters; {_GENERATE_HINT}"
        )


def _create_key_file(key_file: Path, key: str) -> None:
    """Write the key readable by its owner only, atomically: the first writer wins.

    Several worker processes may start at once; each must end up with the same key, so the
    file appears complete or not at all (written aside, then hard-linked into place).
    """
    key_file.parent.mkdir(parents=True, exist_ok=True)
    draft = key_file.with_name(f"{key_file.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(key)
        # Another process may have got there first; its key is then the one to use.
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
    finally:
        draft.unlink(missing_ok=True)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
