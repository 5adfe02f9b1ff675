"""Exactly-once create requests: a one-time submission key per form (or an API Idempotency-Key).

A create form carries a random key (`SubmissionKeyField`). `submit_once(key, actor, create)` runs
`create` (a service call that returns the URL of what it made) and commits it together with the
key; a repeated or concurrent POST with the same key creates nothing and gets the first result's
URL. Usable outside forms: the API passes the `Idempotency-Key` header as `key`.
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
from wtforms import HiddenField
from wtforms.validators import Optional, Regexp

from werkzeug.exceptions import BadRequest

from app.permissions import Refused
from models import Submission, User, db

log = logging.getLogger(__name__)

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_key() -> str:
    return secrets.token_urlsafe(24)


def SubmissionKeyField() -> HiddenField:  # noqa: N802 - used like a field class
    """The hidden one-time key of a create form; a re-shown form keeps the key it was sent with."""
    return HiddenField(default=new_key, validators=[Optional(), Regexp(KEY_PATTERN, message=_l("The form is damaged; please reload the page."))])


@dataclass(frozen=True)
class Outcome:
    url: str
    created: bool  # False: the key had been used; nothing new was made


def previous_result(key: str, actor: User) -> str | None:
    """Where the earlier request with this key led, or None if the key is unused."""
    submission = db.session.get(Submission, key)
    if submission is None:
        return None
    if submission.user_id != actor.id:
        return None  # someone else's key: never show another user's result
    return submission.result_url or "/"


def submit_once(key: str | None, actor: User, create: Callable[[], str]) -> Outcome:
    """Run `create` once per `key` and commit; a used key returns the first result instead.

    Without a key (a client that sends none) `create` simply runs. The key row is written before
    `create` runs, so a concurrent duplicate waits on it instead of doing the work twice.
    """
    if not key:
        url = create()
        db.session.commit()
        return Outcome(url, True)
    if not KEY_PATTERN.match(key):
        raise BadRequest("malformed submission key")
    earlier = previous_result(key, actor)
    if earlier is not None:
        return Outcome(earlier, False)
    submission = Submission(key=key, user_id=actor.id)
    try:
        db.session.add(submission)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return Outcome(_after_conflict(key, actor), False)
    url = create()
    submission.result_url = url[:300]
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return Outcome(_after_conflict(key, actor), False)
    return Outcome(url, True)


def _after_conflict(key: str, actor: User) -> str:
    earlier = previous_result(key, actor)
    if earlier is None:
        raise Refused()  # another user's key (copied from their page): never theirs to reuse
    log.info("duplicate submission %s… by user %s answered with the first result", key[:6], actor.id)
    return earlier


def redirect_once(outcome: Outcome, message: str):
    """The answer to a create POST: `message` the first time, a note that nothing was added after."""
    if outcome.created:
        flash(message, "success")
    else:
        flash(_("This form had already been sent; nothing was added twice. Here is the result."), "info")
    return redirect(outcome.url)
