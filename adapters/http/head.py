"""HEAD wherever GET works (RFC 9110 §9.3.2): the same status and headers,
ETag and Content-Length included, and no body.

FastAPI routes declare GET alone, so a HEAD would be refused with 405. This
ASGI middleware answers it as the GET it stands for, and drops the body
itself rather than trusting the server to; the ``Allow`` of a 405 then
names HEAD beside GET.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"

        async def answer(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                headers = MutableHeaders(scope=message)
                allowed = [method.strip() for method in headers.get("allow", "").split(",") if method.strip()]
                if "GET" in allowed and "HEAD" not in allowed:
                    headers["allow"] = ", ".join([*allowed, "HEAD"])
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"} if head else scope, receive, answer)
