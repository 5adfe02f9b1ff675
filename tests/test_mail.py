"""E-mail without an SMTP server goes to the instance outbox folder and the log."""
from __future__ import annotations

from email import message_from_bytes
from email.header import decode_header, make_header

from app import create_app
from app.core.config import Config
from app.core.mail import send_mail


def test_without_mail_server_mail_is_written_to_the_outbox(monkeypatch, tmp_path):
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(Config(), instance_path=str(tmp_path))
    with app.app_context():
        send_mail("someone@example.org", "パスワードの再設定", "リンク: https://platform.example.org/auth/reset/abc")
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes())
    assert str(make_header(decode_header(message["Subject"]))) == "パスワードの再設定"
    assert "https://platform.example.org/auth/reset/abc" in message.get_payload(decode=True).decode()
