"""Outgoing e-mail: SMTP when MAIL_SERVER is set, otherwise the log and the instance outbox folder."""
from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)

# Tests read what was sent here (TESTING only).
sent_messages: list[EmailMessage] = []


def send_mail(to: str, subject: str, body: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="thinkdo-dohoku.example")
    message.set_content(body)

    if config.get("TESTING"):
        sent_messages.append(message)
    elif config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    else:
        path = _outbox_path(to)
        path.write_bytes(bytes(message))
        log.warning("mail to %s written to %s\nSubject: %s\n%s", to, path, subject, body)
    return message


def _outbox_path(to: str) -> Path:
    outbox = Path(current_app.instance_path) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    safe_to = "".join(c if c.isalnum() or c in "@._-" else "_" for c in to)
    return outbox / f"{stamp}-{safe_to}.eml"
