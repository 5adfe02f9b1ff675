"""Outgoing e-mail through an outbox: queued as rows in the change's transaction, sent after commit.

`queue_mail` only adds a row to the current session, so mail exists exactly when the change it
reports was committed, and no SMTP call ever runs while a database transaction is open.
`send_due_mail` claims due rows, sends each with no transaction open, and records the result
(retrying with exponential backoff). Who calls it depends on `MAIL_DELIVERY`:

- "thread" (default, `make run`): a background thread of each app process, woken after every
  commit that queued mail and every `MAIL_POLL_SECONDS` for retries;
- "worker" (production option): nothing in the web process; `flask send-mail --loop` sends;
- "inline" (tests): right after the commit, in the committing thread.

Delivery: SMTP when MAIL_SERVER is set; otherwise, under TESTING, the in-memory `sent_messages`
list; otherwise the log and the instance outbox folder.
"""
from __future__ import annotations

import logging
import os
import smtplib
import threading
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import event, or_, select, update

from models import OutgoingMail, db, utcnow

log = logging.getLogger(__name__)

# Tests read what was sent here (TESTING without MAIL_SERVER only).
sent_messages: list[EmailMessage] = []

CLAIM_SECONDS = 300  # a claimed row is retried by another sender if its claimer died this long ago
_PENDING = "outbox_pending"


def queue_mail(to: str, subject: str, body: str) -> OutgoingMail:
    """Add an e-mail to the outbox in the current transaction; it is sent after commit."""
    mail = OutgoingMail(to_address=to, subject=subject[:300], body=body)
    db.session.add(mail)
    db.session.info[_PENDING] = True
    return mail


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="thinkdo-dohoku.example")
    message.set_content(body)
    return message


def deliver(to: str, subject: str, body: str) -> EmailMessage:
    """Send one e-mail now (SMTP, the test list, or the outbox folder). Raises on SMTP failure."""
    config = current_app.config
    message = build_message(to, subject, body)
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(message)
    elif config.get("TESTING"):
        sent_messages.append(message)
    else:
        path = _outbox_path(to)
        path.write_bytes(bytes(message))
        log.warning("mail to %s written to %s\nSubject: %s\n%s", to, path, subject, body)
    return message


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: 1, 2, 4 ... minutes, at most 6 hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def send_due_mail(limit: int = 100) -> tuple[int, int]:
    """Send the outbox rows that are due. Returns (sent, failed). Call with no transaction open.

    Every step is its own short transaction on its own connection, so this is safe to call from
    any thread, several processes at once, and right after a commit.
    """
    engine = db.engine
    table = OutgoingMail.__table__
    now = utcnow()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    due = (
        select(table.c.id)
        .where(table.c.sent_at.is_(None), table.c.next_attempt_at <= now, table.c.attempts < max_attempts,
               or_(table.c.claimed_until.is_(None), table.c.claimed_until < now))
        .order_by(table.c.id)
        .limit(limit)
    )
    with engine.connect() as connection:
        ids = list(connection.scalars(due))
    sent = failed = 0
    for mail_id in ids:
        claimed_at = utcnow()
        with engine.begin() as connection:
            claimed = connection.execute(
                update(table)
                .where(table.c.id == mail_id, table.c.sent_at.is_(None),
                       or_(table.c.claimed_until.is_(None), table.c.claimed_until < claimed_at))
                .values(claimed_until=claimed_at + timedelta(seconds=CLAIM_SECONDS))
            ).rowcount
            row = connection.execute(select(table).where(table.c.id == mail_id)).one() if claimed else None
        if row is None:
            continue  # another sender has it
        try:
            deliver(row.to_address, row.subject, row.body)
        except Exception as error:  # any SMTP or network failure: retry later
            attempts = row.attempts + 1
            with engine.begin() as connection:
                connection.execute(update(table).where(table.c.id == mail_id).values(
                    attempts=attempts, claimed_until=None, last_error=f"{type(error).__name__}: {error}"[:500],
                    next_attempt_at=utcnow() + retry_delay(attempts)))
            log.warning("mail %s to %s failed (attempt %s): %s", mail_id, row.to_address, attempts, error)
            failed += 1
            continue
        with engine.begin() as connection:
            connection.execute(update(table).where(table.c.id == mail_id).values(
                sent_at=utcnow(), attempts=row.attempts + 1, claimed_until=None, last_error=""))
        sent += 1
    return sent, failed


def waiting_mail_count() -> int:
    table = OutgoingMail.__table__
    with db.engine.connect() as connection:
        return len(list(connection.scalars(select(table.c.id).where(table.c.sent_at.is_(None)))))


class _Sender:
    """The background sender of one app process (`MAIL_DELIVERY = "thread"`)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wakeup = threading.Event()
        self.pid = 0
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def wake(self) -> None:
        with self.lock:
            # A gunicorn worker is forked from the master: start the thread in the process that sends.
            if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._run, name="mail-sender", daemon=True)
                self.thread.start()
        self.wakeup.set()

    def _run(self) -> None:
        interval = self.app.config["MAIL_POLL_SECONDS"]
        while True:
            self.wakeup.wait(interval)
            self.wakeup.clear()
            try:
                with self.app.app_context():
                    send_due_mail()
                    db.session.remove()
            except Exception:  # the database may be down: try again at the next wake-up
                log.exception("mail sender: sending the outbox failed")


def register_outbox(app: Flask) -> None:
    """Send queued mail after each commit that queued some (see the module docstring)."""
    app.extensions["mail_sender"] = _Sender(app)
    if not getattr(register_outbox, "_listening", False):
        event.listen(db.session, "after_commit", _after_commit)
        event.listen(db.session, "after_rollback", _after_rollback)
        register_outbox._listening = True


def _after_commit(session) -> None:
    if not session.info.pop(_PENDING, False):
        return
    mode = current_app.config["MAIL_DELIVERY"]
    if mode == "inline":
        try:
            send_due_mail()
        except Exception:  # never fail a committed change because mail could not be sent
            log.exception("sending mail after commit failed; it stays in the outbox")
    elif mode == "thread":
        current_app.extensions["mail_sender"].wake()


def _after_rollback(session) -> None:
    session.info.pop(_PENDING, None)


def _outbox_path(to: str) -> Path:
    outbox = Path(current_app.instance_path) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    safe_to = "".join(c if c.isalnum() or c in "@._-" else "_" for c in to)
    return outbox / f"{stamp}-{safe_to}.eml"
