"""The browser's session: the API's own token in a cookie, CSRF tokens bound to it, flashes.

- The session cookie carries the bearer token `POST /auth/login` issues (HttpOnly, so no script
  can read it; SameSite=Lax, so another site's form cannot send it; Secure over HTTPS). The API
  itself never reads cookies: only these pages do, so the API needs no CSRF defence.
- Every form carries a CSRF token: an HMAC of the session's token (or, before sign-in, of a
  random cookie), checked on every POST. A token from another session never verifies.
- A flash is the answer of the last action, shown once on the page it led back to; it is
  signed so that nothing but this app can put words on its pages.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from registrar.config import Settings

SESSION_COOKIE = "registrar_session"
ANONYMOUS_COOKIE = "registrar_anon"
FLASH_COOKIE = "registrar_flash"
CSRF_FIELD = "csrf_token"
FLASH_SECONDS = 120
MAX_LINES = 8


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _mac(request: Request, purpose: str, value: str) -> str:
    key = _settings(request).signing_key().encode()
    digest = hmac.new(key, f"web:{purpose}:{value}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def secure(request: Request) -> bool:
    """True when the request came over HTTPS (directly or from a trusted proxy)."""
    return request.url.scheme == "https"


def _set(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure(request),
    )


def session_token(request: Request) -> str | None:
    """The bearer token of the browser's session, if it has one."""
    return request.cookies.get(SESSION_COOKIE) or None


def start_session(response: Response, request: Request, token: str, seconds: int) -> None:
    """Keep the token in the session cookie for as long as the token lives."""
    _set(response, request, SESSION_COOKIE, token, seconds)


def end_session(response: Response, request: Request) -> None:
    """Forget the session (signing out, or a token that no longer works)."""
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure(request)
    )


def anonymous_id(request: Request) -> str | None:
    """The random id of a browser that has not signed in, if it has one."""
    return request.cookies.get(ANONYMOUS_COOKIE) or None


def new_anonymous_id(request: Request) -> str | None:
    """A new random id for a browser that has neither a session nor an anonymous id yet
    (None when it has one); `keep_anonymous_id` sends it."""
    if session_token(request) or anonymous_id(request):
        return None
    made = secrets.token_urlsafe(24)
    request.state.anonymous_id = made
    return made


def keep_anonymous_id(response: Response, request: Request, value: str) -> None:
    """Give the browser its anonymous id, for a day."""
    _set(response, request, ANONYMOUS_COOKIE, value, 60 * 60 * 24)


def csrf_token(request: Request) -> str:
    """The token the page's forms carry: bound to the session, or to the anonymous id."""
    token = session_token(request)
    if token:
        return _mac(request, "csrf", token)
    anonymous = anonymous_id(request) or getattr(request.state, "anonymous_id", None)
    return _mac(request, "csrf-anonymous", anonymous) if anonymous else ""


def csrf_valid(request: Request, sent: str | None, *, anonymous: bool = False) -> bool:
    """True when `sent` is this session's CSRF token (the anonymous id's, for the sign-in)."""
    if not sent:
        return False
    if anonymous:
        value = anonymous_id(request)
        expected = _mac(request, "csrf-anonymous", value) if value else ""
    else:
        token = session_token(request)
        expected = _mac(request, "csrf", token) if token else ""
    return bool(expected) and hmac.compare_digest(expected, sent)


@dataclass(frozen=True)
class Flash:
    """The answer of the last action: `ok` or `error`, its words, and what it was about."""

    kind: str
    text: str
    about: str = ""
    lines: tuple[str, ...] = ()


def flash(request: Request, response: Response, message: Flash) -> None:
    """Show `message` once, on the next page this browser opens."""
    # A cookie holds about 4 KB: a long refusal is cut rather than lost.
    lines = [line[:200] for line in message.lines[:MAX_LINES]]
    data = json.dumps(
        {"k": message.kind, "t": message.text[:400], "a": message.about[:80], "l": lines}
    )
    payload = base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")
    _set(
        response,
        request,
        FLASH_COOKIE,
        f"{payload}.{_mac(request, 'flash', payload)}",
        FLASH_SECONDS,
    )


def read_flash(request: Request) -> Flash | None:
    """The message left for this page (None if none, or not this app's)."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    payload, _, mac = raw.rpartition(".")
    if not payload or not hmac.compare_digest(mac, _mac(request, "flash", payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return Flash(str(data["k"]), str(data["t"]), str(data["a"]), tuple(map(str, data["l"])))
    except (ValueError, KeyError, TypeError):
        return None


def forget_flash(request: Request, response: Response) -> None:
    """Shown once: the page that shows the message forgets it."""
    if FLASH_COOKIE in request.cookies:
        response.delete_cookie(
            FLASH_COOKIE, path="/", httponly=True, samesite="lax", secure=secure(request)
        )
