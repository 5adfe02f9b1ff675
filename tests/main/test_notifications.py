"""The notification service and pages."""
from __future__ import annotations

from app.core.mail import sent_messages
from app.notifications.services import N_, notify, unread_count
from models import Role, db

from ..conftest import csrf_token

MESSAGE = N_("Your membership was approved.")


def test_notify_stores_and_mails_in_the_recipients_language(app, make_user):
    japanese = make_user(Role.MEMBER, locale="ja")
    english = make_user(Role.MEMBER, locale="en")
    with app.test_request_context():
        notify(japanese, N_("Welcome! Your account has been created."), link="/dashboard")
        notify(english, N_("Welcome! Your account has been created."), link="/dashboard")
    db.session.commit()
    assert unread_count(japanese) == 1 and unread_count(english) == 1
    ja_mail, en_mail = sent_messages
    assert "ようこそ" in ja_mail.get_content() and "https://platform.example.org/dashboard" in ja_mail.get_content()
    assert "Welcome!" in en_mail.get_content()


def test_notification_list_shows_unread_count_and_marks_read(client, login_as, member):
    notify(member, N_("Welcome! Your account has been created."), link="/dashboard", email=False)
    db.session.commit()
    login_as(member)
    html = client.get("/notifications/").get_data(as_text=True)
    assert "ようこそ" in html and 'class="badge"' in html
    notification_id = member_notification_id(member)
    token = csrf_token(client, "/notifications/")
    response = client.post(f"/notifications/{notification_id}/read", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    assert unread_count(member) == 0


def test_cannot_mark_someone_elses_notification(client, login_as, member, make_user):
    other = make_user(Role.MEMBER)
    notify(other, N_("Welcome! Your account has been created."), email=False)
    db.session.commit()
    login_as(member)
    token = csrf_token(client, "/notifications/")
    response = client.post(f"/notifications/{member_notification_id(other)}/read", data={"csrf_token": token})
    assert response.status_code == 404
    assert unread_count(other) == 1


def test_mark_all_read(client, login_as, member):
    for _ in range(3):
        notify(member, N_("Welcome! Your account has been created."), email=False)
    db.session.commit()
    login_as(member)
    token = csrf_token(client, "/notifications/")
    client.post("/notifications/read-all", data={"csrf_token": token})
    assert unread_count(member) == 0


def test_empty_state(client, login_as, member):
    login_as(member)
    assert "お知らせはまだありません" in client.get("/notifications/").get_data(as_text=True)


def member_notification_id(user) -> int:
    from sqlalchemy import select

    from models import Notification

    return db.session.scalar(select(Notification.id).where(Notification.recipient_id == user.id))
