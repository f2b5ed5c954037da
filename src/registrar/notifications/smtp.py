"""Sending one outbox row as an e-mail over SMTP (smtplib, optional STARTTLS/SSL and login)."""

from __future__ import annotations

import smtplib
import ssl
import uuid
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import formatdate
from types import TracebackType

from registrar.config import ConfigurationError, Settings

# Headers are not folded at 78 columns (RFC 5322 allows 998): Python folds a long subject by
# moving the whole value to a continuation line, which its own parser reads back with a
# leading space. Our subjects are at most 200 characters.
MESSAGE_POLICY = policy.SMTP.clone(max_line_length=998)
NOTIFICATION_HEADER = "X-Registrar-Notification"
EVENT_HEADER = "X-Registrar-Event"


class DeliveryError(Exception):
    """A message was not accepted; `permanent` when retrying cannot help (an SMTP 5xx reply)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to reach the mail server."""

    host: str
    port: int
    sender: str
    timeout: float
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    use_ssl: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpConfig:
        """The SMTP_* settings, refusing a contradictory TLS choice."""
        if settings.smtp_ssl and settings.smtp_starttls:
            raise ConfigurationError("set SMTP_SSL or SMTP_STARTTLS, not both")
        password = settings.smtp_password
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=settings.smtp_from,
            timeout=settings.smtp_timeout,
            username=settings.smtp_username,
            password=password.get_secret_value() if password is not None else None,
            starttls=settings.smtp_starttls,
            use_ssl=settings.smtp_ssl,
        )


@dataclass(frozen=True)
class OutgoingMessage:
    """What the worker read from a claimed row: enough to send it without the session."""

    id: uuid.UUID
    recipient: str
    event: str
    subject: str
    body: str


def build_message(outgoing: OutgoingMessage, sender: str) -> EmailMessage:
    """A plain-text e-mail carrying the row id, so duplicates can be recognised downstream."""
    message = EmailMessage(policy=MESSAGE_POLICY)
    message["From"] = sender
    message["To"] = outgoing.recipient
    message["Subject"] = outgoing.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = sender.rpartition("@")[2] or "registrar.localhost"
    message["Message-ID"] = f"<{outgoing.id}@{domain}>"
    message[NOTIFICATION_HEADER] = str(outgoing.id)
    message[EVENT_HEADER] = outgoing.event
    # Quoted-printable keeps non-ASCII text 7-bit clean for servers without 8BITMIME.
    message.set_content(outgoing.body, cte=None if outgoing.body.isascii() else "quoted-printable")
    return message


class SmtpMailer:
    """One SMTP connection, opened at the first send and reused for a batch."""

    def __init__(self, config: SmtpConfig) -> None:
        self.config = config
        self._client: smtplib.SMTP | None = None
        # One failed connection per batch is enough: the rest of the batch fails the same way
        # at once instead of each waiting out its own connect timeout.
        self._unreachable: DeliveryError | None = None

    def __enter__(self) -> SmtpMailer:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, outgoing: OutgoingMessage) -> None:
        """Hand one message to the server, or raise DeliveryError saying why not."""
        try:
            message = build_message(outgoing, self.config.sender)
        except (ValueError, TypeError) as error:
            # A line break in a header (an injection attempt or bad data) never gets better.
            raise DeliveryError(f"cannot build the message: {error}", permanent=True) from error
        if self._unreachable is not None:
            raise DeliveryError(str(self._unreachable))
        try:
            client = self._connect()
        except (smtplib.SMTPException, OSError) as error:
            # Refused connection, timeout, TLS or login trouble: a server or configuration
            # problem, never this message's fault, so always worth another try.
            self._drop()
            self._unreachable = DeliveryError(_describe_exception(error))
            raise self._unreachable from error
        try:
            client.send_message(
                message, from_addr=self.config.sender, to_addrs=[outgoing.recipient]
            )
        except smtplib.SMTPRecipientsRefused as error:
            self._reset()
            code, text = next(iter(error.recipients.values()), (0, b""))
            # 5xx for this recipient (no such mailbox): retrying cannot help.
            raise DeliveryError(_describe(code, text), permanent=code >= 500) from error
        except smtplib.SMTPDataError as error:
            self._reset()
            raise DeliveryError(
                _describe(error.smtp_code, error.smtp_error), permanent=error.smtp_code >= 500
            ) from error
        except (smtplib.SMTPException, OSError) as error:
            # Sender refused, line dropped, timeout: the next try may well succeed.
            self._drop()
            raise DeliveryError(_describe_exception(error)) from error

    def close(self) -> None:
        """Say QUIT politely, or just drop the line if the server is gone."""
        if self._client is None:
            return
        try:
            self._client.quit()
        except (smtplib.SMTPException, OSError):
            self._client.close()
        self._client = None

    def _connect(self) -> smtplib.SMTP:
        if self._client is not None:
            return self._client
        config = self.config
        client: smtplib.SMTP
        if config.use_ssl:
            client = smtplib.SMTP_SSL(
                config.host,
                config.port,
                timeout=config.timeout,
                context=ssl.create_default_context(),
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        try:
            client.ehlo()
            if config.starttls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if config.username:
                client.login(config.username, config.password or "")
        except BaseException:
            client.close()
            raise
        self._client = client
        return client

    def _reset(self) -> None:
        """After a refusal the session stays usable for the next message, unless it hung up."""
        if self._client is None:
            return
        try:
            self._client.rset()
        except (smtplib.SMTPException, OSError):
            self._drop()

    def _drop(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def _describe(code: int, text: bytes | str) -> str:
    detail = text.decode(errors="replace") if isinstance(text, bytes) else text
    return f"SMTP {code}: {detail}".strip()


def _describe_exception(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return _describe(error.smtp_code, error.smtp_error)
    return f"{type(error).__name__}: {error}"
