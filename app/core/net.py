"""The client's address: the peer, or the address the nearest trusted proxy saw (ProxyFix-style)."""
from __future__ import annotations

from flask import current_app, request

MAX_ADDRESS = 45  # the longest textual IPv6 address


def forwarded_client(remote_addr: str, forwarded_for: str, trusted_proxies: int) -> str:
    """The address `trusted_proxies` places from the right of X-Forwarded-For, else the peer.

    Each proxy appends the address it received the request from, so only the rightmost
    `trusted_proxies` entries were written by proxies we run; whatever lies left of them was
    written by the client and may be anything. Like werkzeug's ProxyFix, a header with fewer
    entries than trusted proxies is ignored (the request did not come through all of them).
    """
    if trusted_proxies <= 0 or not forwarded_for:
        return remote_addr[:MAX_ADDRESS]
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    if len(entries) < trusted_proxies:
        return remote_addr[:MAX_ADDRESS]
    return entries[-trusted_proxies][:MAX_ADDRESS] or remote_addr[:MAX_ADDRESS]


def client_address() -> str:
    # Several X-Forwarded-For headers count as one comma-separated list, as proxies treat them.
    forwarded = ",".join(request.headers.getlist("X-Forwarded-For"))
    return forwarded_client(request.remote_addr or "", forwarded, int(current_app.config.get("TRUSTED_PROXIES", 0)))
