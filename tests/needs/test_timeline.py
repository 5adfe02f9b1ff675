"""Timeline: internal notes stay inside the secretariat; messages reach the submitter by page and e-mail."""
from __future__ import annotations

from app.core.mail import sent_messages
from app.needs import services
from models import NeedStatus, Notification, db

INTERNAL = "社内メモ：この会社は別件で係争中"


def _mail_text() -> str:
    return "\n".join(f"{m['Subject']}\n{m.get_content()}" for m in sent_messages)


def test_internal_note_never_reaches_the_submitters_page(client, make_need, applicant, secretariat, login_as):
    need = make_need(applicant)
    services.add_internal_note(secretariat, need, INTERNAL)
    db.session.commit()
    login_as(applicant)
    assert INTERNAL not in client.get(f"/needs/{need.id}").get_data(as_text=True)


def test_internal_note_never_reaches_the_submitters_mail_or_notifications(make_need, applicant, secretariat):
    need = make_need(applicant)
    services.add_internal_note(secretariat, need, INTERNAL)
    services.advance_need(secretariat, need, NeedStatus.REGULATION_IDENTIFIED, "航空法を特定しました")
    services.send_message(secretariat, need, "追加資料をお願いします")
    db.session.commit()
    assert INTERNAL not in _mail_text()
    notices = db.session.scalars(db.select(Notification).where(Notification.recipient_id == applicant.id)).all()
    assert notices and all(INTERNAL not in str(n.params) for n in notices)


def test_internal_note_is_shown_to_the_secretariat(client, make_need, applicant, secretariat, login_as):
    need = make_need(applicant)
    services.add_internal_note(secretariat, need, INTERNAL)
    db.session.commit()
    login_as(secretariat)
    assert INTERNAL in client.get(f"/needs/manage/{need.id}").get_data(as_text=True)


def test_message_to_the_submitter_is_shown_and_emailed(client, make_need, applicant, secretariat, login_as, post_form):
    need = make_need(applicant)
    login_as(secretariat)
    post_form(f"/needs/manage/{need.id}/message", {"body": "ヒアリングの日程を調整させてください"}, form_page=f"/needs/manage/{need.id}")
    assert any(m["To"] == applicant.email and "ヒアリングの日程" in m.get_content() for m in sent_messages)
    client.get("/")  # keep the session; log in as the submitter next
    from tests.conftest import AuthActions

    AuthActions(client).logout()
    login_as(applicant)
    assert "ヒアリングの日程を調整させてください" in client.get(f"/needs/{need.id}").get_data(as_text=True)


def test_state_change_is_on_the_submitters_timeline_with_its_note(client, make_need, applicant, secretariat, login_as):
    need = make_need(applicant)
    services.advance_need(secretariat, need, NeedStatus.REGULATION_IDENTIFIED, "航空法第132条の86と特定")
    db.session.commit()
    login_as(applicant)
    page = client.get(f"/needs/{need.id}").get_data(as_text=True)
    assert "航空法第132条の86と特定" in page and "規制特定" in page


def test_submitter_can_answer_on_the_timeline(client, make_need, applicant, secretariat, login_as, post_form):
    need = make_need(applicant)
    login_as(applicant)
    post_form(f"/needs/{need.id}/messages", {"body": "資料を添付しました"}, form_page=f"/needs/{need.id}")
    db.session.refresh(need)
    assert need.events[-1].body == "資料を添付しました"
    assert any(m["To"] == secretariat.email for m in sent_messages)
