"""The one notification service: store an in-app notice and e-mail it in the recipient's language.

Messages are untranslated msgids (mark them with `N_` so they are extracted) with %(name)s
parameters; each reader sees them in their own language.
"""
from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, select, update

from app.core.mail import send_mail
from app.permissions import Refused
from models import Notification, User, db, utcnow

log = logging.getLogger(__name__)


def N_(message: str) -> str:
    """Mark a msgid for extraction without translating it now."""
    return message


def render_message(message: str, params: dict[str, Any]) -> str:
    return gettext(message, **params) if params else gettext(message)


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
            send_mail(recipient.email, gettext("[Think & Do Tank] %(text)s", text=text[:80]), body)
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
