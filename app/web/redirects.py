"""Safe redirects: only paths on this site, never another host (no open redirect)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, request, url_for


def is_safe_path(target: str | None) -> bool:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and not any(ord(c) < 32 for c in target)


def redirect_next(default_endpoint: str = "main.dashboard", **values):
    """Redirect to `next` (form or query string) when it is a safe local path, else to the default."""
    target = request.form.get("next") or request.args.get("next")
    if is_safe_path(target):
        return redirect(target)
    return redirect(url_for(default_endpoint, **values))
