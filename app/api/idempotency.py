"""Exactly-once creates through the API: a repeated request with the same `Idempotency-Key` header
makes nothing new and is answered with the first result.

Stand-in for the reliability issue's submission keys (app/submissions.py, not in main when this
was written): the same shape, `submit_once(key, actor, digest, create) -> Outcome`, over a small table
of its own (`api_idempotency_keys`), so it can be replaced by that module later without touching
the resources.
"""
from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from models import ApiIdempotencyKey, User, db

from .problems import ApiProblem, invalid

log = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,100}$")  # visible ASCII, as the OpenAPI document says


@dataclass(frozen=True)
class Outcome:
    url: str
    created: bool  # False: the key had been used; nothing new was made


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


def _earlier(key: str, actor: User, digest: str) -> Outcome | None:
    row = db.session.get(ApiIdempotencyKey, (actor.id, key))
    if row is None:
        return None
    if row.request_digest != digest:
        raise ApiProblem(422, _("This Idempotency-Key was used for a different request. Use a new key for a new request."))
    return Outcome(row.result_url, False)


def submit_once(key: str | None, actor: User, digest: str, create: Callable[[], str]) -> Outcome:
    """Run `create` (returns the address of what it made) once per key and user; a used key gets the first result.

    The key row is written before `create`, in the same transaction: a concurrent duplicate waits on
    it (PostgreSQL) or runs after it (SQLite's BEGIN IMMEDIATE), then finds it. The caller commits;
    if `create` fails, the rollback removes the key too, so the client may try again with it.
    """
    if key is None:
        return Outcome(create(), True)
    earlier = _earlier(key, actor, digest)
    if earlier is not None:
        return earlier
    row = ApiIdempotencyKey(user_id=actor.id, key=key, request_digest=digest)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        earlier = _earlier(key, actor, digest)
        if earlier is None:  # pragma: no cover - the winner rolled back: nothing to replay
            raise ApiProblem(409, _("A request with this Idempotency-Key is still being processed."))
        return earlier
    row.result_url = create()[:300]
    db.session.flush()
    return Outcome(row.result_url, True)
