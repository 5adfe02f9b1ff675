"""The one notification service: store an in-app notice and e-mail it in the recipient's language.

Messages are untranslated msgids (mark them with `N_` so they are extracted) with %(name)s
parameters; each reader sees them in their own language. A parameter that is itself words (a status
label) is passed as `label(...)`, a name with an English form as `bilingual(...)`: both are stored as they
are and rendered in the reader's language when shown or sent, never in the writer's.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale, gettext
from sqlalchemy import func, select, update

from app.core.mail import queue_mail
from app.permissions import Refused
from models import Notification, User, db, utcnow

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Mark a msgid for extraction without translating it now."""
    return message


def label(text: Any) -> dict[str, str]:
    """A translatable label (a lazy_gettext string, or a msgid) as a parameter: translated when read."""
    args = getattr(text, "_args", None)
    return {"msgid": args[0] if args else str(text)}


def bilingual(thing: Any) -> dict[str, str]:
    """The name of something with a Japanese and an English form (name_ja / name_en) as a parameter."""
    return {"ja": thing.name_ja, "en": getattr(thing, "name_en", "") or ""}


def _resolved(value: Any, locale: str) -> Any:
    if isinstance(value, dict):
        if "msgid" in value:
            return gettext(value["msgid"])
        if "ja" in value:
            return value.get(locale) or value["ja"]
    return value


def render_message(message: str, params: dict[str, Any]) -> str:
    """The message in the current language (the reader's page, or force_locale for an e-mail)."""
    if not params:
        return gettext(message)
    locale = str(get_locale() or "ja")
    return gettext(message, **{key: _resolved(value, locale) for key, value in params.items()})


def notify(recipient: User, message: str, *, link: str = "", email: bool = True, **params: Any) -> Notification:
    """Tell `recipient` something, in-app and (unless `email=False`) by e-mail in their language.

    `link` is a site path such as "/needs/3"; the e-mail carries it as a full URL from BASE_URL.
    """
    notification = Notification(recipient=recipient, message=message, params=params, link=link)
    db.session.add(notification)
    if email and recipient.is_active_account:
        with force_locale(recipient.locale or "ja"):
            text = render_message(message, params)
            body = text
            if link:
                body += "\n\n" + current_app.config["BASE_URL"] + link
            body += "\n\n" + gettext("— Think & Do Tank of Central Hokkaido, secretariat")
            queue_mail(recipient.email, gettext("[Think & Do Tank] %(text)s", text=text[:80]), body)
    return notification


def unread_count(user: User) -> int:
    stmt = select(func.count(Notification.id)).where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    return db.session.scalar(stmt) or 0


def notifications_for(user: User):
    return select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(user: User, notification: Notification) -> None:
    if notification.recipient_id != user.id:
        raise Refused()  # not the recipient
    if notification.read_at is None:
        notification.read_at = utcnow()


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification).where(Notification.recipient_id == user.id, Notification.read_at.is_(None)).values(read_at=utcnow())
    )
