"""Exactly-once create requests, the one mechanism for forms and the API.

A create form carries a random key (`SubmissionKeyField`); the JSON API takes the client's
`Idempotency-Key` header (app/api/idempotency.py reads it). `submit_once(key, actor, create)` runs
`create` (a service call that returns the address of what it made) and commits it together with the
key; a repeated or concurrent request with the same key creates nothing and gets the first result's
address. Keys are each user's own (table `submission_keys`, primary key user and key). The API also
passes a digest of the request: the same key sent again for a different request raises `KeyReused`
(a form's repeat shows the first result whatever was typed since).
"""
from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import flash, redirect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import BadRequest, Conflict
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

from models import SubmissionKey, User, db

log = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,100}$")  # any key: 1 to 100 visible ASCII characters (API clients choose theirs)
FORM_KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")  # the forms' own keys (`new_key`)


def new_key() -> str:
    return secrets.token_urlsafe(24)


def SubmissionKeyField() -> HiddenField:  # noqa: N802 - used like a field class
    """The hidden one-time key of a create form; a re-shown form keeps the key it was sent with."""
    return HiddenField(default=new_key, validators=[Optional(), Regexp(FORM_KEY_PATTERN, message=_l("The form is damaged; please reload the page."))])


class KeyReused(Exception):
    """The user sent this key before with a different request (only checked when a digest is given)."""


@dataclass(frozen=True)
class Outcome:
    url: str
    created: bool  # False: the key had been used; nothing new was made


def _earlier(key: str, actor: User, digest: str | None) -> Outcome | None:
    """The first result of this user's key, or None if the key is unused."""
    row = db.session.get(SubmissionKey, (actor.id, key))
    if row is None:
        return None
    if digest is not None and row.request_digest != digest:
        raise KeyReused()
    return Outcome(row.result_url or "/", False)


def submit_once(key: str | None, actor: User, create: Callable[[], str], *, digest: str | None = None) -> Outcome:
    """Run `create` once per user and `key` and commit; a used key returns the first result instead.

    Without a key (a client that sends none) `create` simply runs. The key row is written before
    `create` runs, in the same transaction, so a concurrent duplicate waits on it (PostgreSQL) or
    runs after it (SQLite's BEGIN IMMEDIATE) instead of doing the work twice; if `create` fails, the
    rollback removes the key too, so it may be sent again. `digest` (the API's method, path and body)
    makes a repeat with another request raise `KeyReused`.
    """
    if not key:
        url = create()
        db.session.commit()
        return Outcome(url, True)
    if not KEY_PATTERN.match(key):
        raise BadRequest("malformed submission key")
    earlier = _earlier(key, actor, digest)
    if earlier is not None:
        return earlier
    row = SubmissionKey(user_id=actor.id, key=key, request_digest=digest)
    try:
        db.session.add(row)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return _after_conflict(key, actor, digest)
    url = create()
    row.result_url = url[:300]
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _after_conflict(key, actor, digest)
    return Outcome(url, True)


def _after_conflict(key: str, actor: User, digest: str | None) -> Outcome:
    earlier = _earlier(key, actor, digest)
    if earlier is None:  # the concurrent request with this key failed after all: nothing to show yet
        raise Conflict()
    log.info("duplicate submission %s… by user %s answered with the first result", key[:6], actor.id)
    return earlier


def redirect_once(outcome: Outcome, message: str):
    """The answer to a create POST: `message` the first time, a note that nothing was added after."""
    if outcome.created:
        flash(message, "success")
    else:
        flash(_("This form had already been sent; nothing was added twice. Here is the result."), "info")
    return redirect(outcome.url)
