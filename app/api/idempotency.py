"""The API's way into the platform's one exactly-once mechanism (app/web/submissions.py): the
`Idempotency-Key` header is the submission key, and a digest of the request makes the same key sent
for a different request a 422 instead of a replay."""
from __future__ import annotations

import hashlib
from collections.abc import Callable

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from app.web.submissions import KEY_PATTERN, KeyReused, Outcome, submit_once

from .problems import ApiProblem, invalid

HEADER = "Idempotency-Key"


def request_digest() -> str:
    """What makes two requests "the same": method, path and body."""
    return hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode(), request.get_data()])).hexdigest()


def key_of_request() -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not KEY_PATTERN.match(key):
        raise invalid([{"loc": ("header", HEADER), "msg": "1 to 100 visible ASCII characters", "type": "pattern"}])
    return key


def create_once(create: Callable[[], str]) -> Outcome:
    """Run `create` (returns the address of what it made) and commit, once per user and Idempotency-Key."""
    try:
        return submit_once(key_of_request(), current_user, create, digest=request_digest())
    except KeyReused:
        raise ApiProblem(422, _("This Idempotency-Key was used for a different request. Use a new key for a new request.")) from None
