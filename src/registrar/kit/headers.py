"""Security headers on every answer, errors and 404s included (pure ASGI, see middleware.py).

Each header is added only when the endpoint did not set its own: the docs pages send a policy
that lets Swagger UI run, and a snapshot list sends `Cache-Control: private, no-cache` with its
ETag so clients revalidate instead of downloading it again.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The API answers JSON: nothing in an answer may load or run anything, or be framed.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# Two years, the figure browsers' preload lists ask for; subdomains too, as they share cookies.
HSTS = "max-age=63072000; includeSubDomains"

_ALWAYS = (
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Content-Security-Policy", API_POLICY),
    # Answers are about the caller (grades, tokens, rosters), and even a refusal says who asked:
    # no shared or browser cache keeps one unless the endpoint says it may.
    ("Cache-Control", "no-store"),
)
_OVER_TLS = (*_ALWAYS, ("Strict-Transport-Security", HSTS))


class SecurityHeaders:
    """Adds the security headers an answer lacks; `Strict-Transport-Security` over HTTPS only.

    The scheme is the one uvicorn put in the scope: behind a proxy that terminates TLS, its
    proxy headers (`X-Forwarded-Proto` from a trusted address) make it "https".
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the security headers to every answer."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        defaults = _OVER_TLS if scope["scheme"] == "https" else _ALWAYS

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in defaults:
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_secured)
