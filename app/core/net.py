"""The client's address, trusting proxy headers only when configured to."""
from __future__ import annotations

from flask import current_app, request


def client_address() -> str:
    if current_app.config.get("TRUST_PROXY_HEADERS"):
        forwarded = request.headers.get("X-Forwarded-For", "")
        if forwarded:
            return forwarded.split(",")[0].strip()[:45]
    return (request.remote_addr or "")[:45]
