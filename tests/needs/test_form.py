"""The need form: drafts, submission, errors that keep every field, the law suggestions."""
from __future__ import annotations

from sqlalchemy import select

from app.core.mail import sent_messages
from models import Law, NeedStatus, RegulatoryNeed, db

FULL = {
    "title": "ロケット燃焼試験の高圧ガス充填許可", "business": "大樹町で小型ロケットの燃焼試験を行う",
    "stage": "trial", "tags": "ロケット, 宇宙", "law_name": "高圧ガス保安法", "law_article": "第5条",
    "interpretation": "都度の許可が必要との解釈", "obstacle": "試験毎に許可申請が必要", "relief": "特例的な充填許可",
    "evidence": "年20回の試験", "urgency": "high", "confidentiality": "confidential", "public_summary": "",
}


def test_a_form_with_errors_keeps_every_field(client, applicant, login_as, post_form):
    login_as(applicant)
    data = {**FULL, "obstacle": "", "confidentiality": "public", "public_summary": "", "submit": "1"}
    page = post_form("/needs/new", data).get_data(as_text=True)
    assert "Nothing you typed has been lost" in page or "入力した内容は失われていません" in page
    for name, value in FULL.items():
        if value and name not in ("obstacle", "stage", "urgency", "confidentiality"):
            assert value in page, name
    assert 'selected value="trial"' in page and 'selected value="high"' in page and 'selected value="public"' in page
    assert db.session.scalar(select(RegulatoryNeed)) is None


def test_submitting_needs_a_law_or_not_sure(client, applicant, login_as, post_form):
    login_as(applicant)
    page = post_form("/needs/new", {**FULL, "law_name": "", "submit": "1"}).get_data(as_text=True)
    assert db.session.scalar(select(RegulatoryNeed)) is None
    assert "aria-invalid" in page
    response = post_form("/needs/new", {**FULL, "law_name": "", "law_unknown": "y", "submit": "1"})
    assert response.status_code == 302
    assert db.session.scalar(select(RegulatoryNeed)).law_unknown


def test_a_draft_is_saved_with_only_a_title_and_resumed(client, applicant, login_as, post_form):
    login_as(applicant)
    response = post_form("/needs/new", {"title": "下書きのニーズ", "business": "途中まで", "urgency": "medium",
                                        "confidentiality": "confidential", "save_draft": "1"})
    need = db.session.scalar(select(RegulatoryNeed))
    assert response.status_code == 302 and need.status == NeedStatus.DRAFT
    page = client.get(f"/needs/{need.id}/edit").get_data(as_text=True)
    assert "下書きのニーズ" in page and "途中まで" in page
    post_form(f"/needs/{need.id}/edit", {**FULL, "submit": "1"})
    db.session.refresh(need)
    assert need.status == NeedStatus.RECEIVED and need.title == FULL["title"]


def test_submission_notifies_the_secretariat(client, applicant, secretariat, login_as, post_form):
    login_as(applicant)
    post_form("/needs/new", {**FULL, "submit": "1"})
    assert any(m["To"] == secretariat.email for m in sent_messages)


def test_the_law_field_suggests_laws_on_file(client, applicant, login_as):
    db.session.add(Law(code="L999", title_ja="火薬類取締法", short_ja="火取法"))
    db.session.commit()
    login_as(applicant)
    page = client.get("/needs/new").get_data(as_text=True)
    assert 'list="laws-on-file"' in page and '<option value="火薬類取締法">' in page


def test_the_form_has_no_inline_script_and_loads_needs_js(client, applicant, login_as):
    login_as(applicant)
    page = client.get("/needs/new").get_data(as_text=True)
    assert "js/needs.js" in page and "<script>" not in page and "style=" not in page


def test_secretariat_cannot_submit_needs(client, secretariat, login_as):
    login_as(secretariat)
    assert client.get("/needs/new").status_code == 403


def test_anonymous_visitor_is_sent_to_login_and_back(client):
    response = client.get("/needs/new")
    assert response.status_code == 302 and "next=" in response.headers["Location"]
