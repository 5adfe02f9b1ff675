"""The mail outbox: mail exists only for committed changes and is sent after commit, with retries."""
from __future__ import annotations

import socket
import sqlite3
from datetime import timedelta

import psycopg
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

import app.needs.services as need_services
from app.core.mail import queue_mail, retry_delay, send_due_mail, sent_messages
from models import OutgoingMail, RegulatoryNeed, db, utcnow

from .needs.test_form import FULL


class Recorder:
    """An aiosmtpd handler that keeps what it received and checks no database transaction is open."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.received: list[tuple[list[str], bytes]] = []
        self.transaction_open_while_sending: list[bool] = []

    async def handle_DATA(self, server, session, envelope):
        self.transaction_open_while_sending.append(self._transaction_open())
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def _transaction_open(self) -> bool:
        if self.database_url.startswith("sqlite"):
            # A write lock held by the app would make BEGIN IMMEDIATE fail at once (timeout 0).
            connection = sqlite3.connect(self.database_url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
            try:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("ROLLBACK")
                return False
            except sqlite3.OperationalError:
                return True
            finally:
                connection.close()
        url = self.database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, autocommit=True) as connection:
            count = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()").fetchone()[0]
        return count > 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app):
    """A real SMTP server on a loopback port, with the app pointed at it. `.start()` / `.stop()`."""
    port = free_port()
    recorder = Recorder(app.config["SQLALCHEMY_DATABASE_URI"])

    class Server:
        controller: Controller | None = None
        handler = recorder

        def start(self):
            self.controller = Controller(recorder, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self):
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    server = Server()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT_SECONDS=2)
    yield server
    server.stop()
    app.config.update(MAIL_SERVER=None, MAIL_PORT=25, MAIL_TIMEOUT_SECONDS=10)


def waiting() -> list[OutgoingMail]:
    rows = list(db.session.scalars(select(OutgoingMail).where(OutgoingMail.sent_at.is_(None))))
    db.session.commit()  # end the read: senders run with no transaction open
    return rows


def test_a_service_that_fails_after_notify_sends_nothing(client, applicant, secretariat, login_as, post_form, monkeypatch):
    real_notify = need_services.notify

    def notify_then_fail(*args, **kwargs):
        real_notify(*args, **kwargs)
        raise RuntimeError("the service failed after notify()")

    monkeypatch.setattr(need_services, "notify", notify_then_fail)
    login_as(applicant)
    response = post_form("/needs/new", {**FULL, "submit": "1"})
    assert response.status_code == 500
    assert sent_messages == []
    assert db.session.scalar(select(OutgoingMail)) is None
    assert db.session.scalar(select(RegulatoryNeed)) is None
    db.session.rollback()  # send_due_mail runs with no transaction open
    assert send_due_mail() == (0, 0)


def test_queued_mail_is_not_sent_before_commit_nor_after_rollback(app):
    queue_mail("someone@example.org", "subject", "body")
    db.session.flush()
    assert sent_messages == []
    db.session.rollback()
    assert send_due_mail() == (0, 0) and sent_messages == []


def test_mail_is_sent_once_after_commit(app):
    queue_mail("someone@example.org", "subject", "body")
    db.session.commit()
    assert [m["To"] for m in sent_messages] == ["someone@example.org"]
    assert send_due_mail() == (0, 0)  # already sent: never twice
    assert db.session.scalar(select(OutgoingMail)).sent_at is not None
    db.session.rollback()


def test_smtp_runs_with_no_transaction_open(client, applicant, secretariat, login_as, post_form, smtp):
    smtp.start()
    login_as(applicant)
    assert post_form("/needs/new", {**FULL, "submit": "1"}).status_code == 302
    assert [to for to, _ in smtp.handler.received] == [[secretariat.email]]
    assert smtp.handler.transaction_open_while_sending == [False]


def test_with_the_smtp_server_down_mail_waits_and_goes_out_when_it_is_back(
        client, applicant, secretariat, login_as, post_form, smtp, runner):
    login_as(applicant)
    response = post_form("/needs/new", {**FULL, "submit": "1"})
    assert response.status_code == 302  # the need is saved although mail cannot go out
    assert db.session.scalar(select(RegulatoryNeed)) is not None
    [mail] = waiting()
    assert mail.attempts == 1 and mail.last_error and mail.to_address == secretariat.email
    assert mail.next_attempt_at > utcnow() + retry_delay(1) - timedelta(seconds=30)
    db.session.rollback()
    assert send_due_mail() == (0, 0)  # not due yet: backoff

    smtp.start()
    assert send_due_mail() == (0, 0)  # still waiting for its retry time
    db.session.execute(update(OutgoingMail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    result = runner.invoke(args=["send-mail"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0, waiting 0" in result.output
    assert [to for to, _ in smtp.handler.received] == [["secretariat@example.org"]]
    assert waiting() == []


def test_backoff_doubles_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(40) == timedelta(hours=6)


def test_a_row_claimed_by_another_sender_is_left_alone(app):
    queue_mail("someone@example.org", "subject", "body")
    app.config["MAIL_DELIVERY"] = "worker"
    try:
        db.session.commit()
    finally:
        app.config["MAIL_DELIVERY"] = "inline"
    db.session.execute(update(OutgoingMail).values(claimed_until=utcnow() + timedelta(minutes=5)))
    db.session.commit()
    assert send_due_mail() == (0, 0) and sent_messages == []
    db.session.execute(update(OutgoingMail).values(claimed_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert send_due_mail() == (1, 0)  # its claimer died: another sender takes it over
