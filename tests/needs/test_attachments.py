"""Evidence files: type and size limits, generated storage names, the Japanese name kept on download."""
from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from sqlalchemy import select

from app.needs import attachment_services
from app.web.uploads import UploadRefused
from models import NeedAttachment, Role, db


def _upload(post_form, need, name: str, content: bytes):
    return post_form(f"/needs/{need.id}/attachments", {"file": (io.BytesIO(content), name)},
                     form_page=f"/needs/{need.id}", content_type="multipart/form-data", follow_redirects=True)


def test_evidence_file_keeps_its_japanese_name_under_a_generated_storage_name(client, make_need, applicant, login_as, post_form):
    need = make_need(applicant)
    login_as(applicant)
    _upload(post_form, need, "事業計画書.pdf", b"%PDF-1.4 test")
    stored = db.session.scalar(select(NeedAttachment))
    assert stored.original_name == "事業計画書.pdf"
    assert stored.storage_name != "事業計画書.pdf" and stored.storage_name.endswith(".pdf")
    assert attachment_services.stored_path(stored).read_bytes() == b"%PDF-1.4 test"
    response = client.get(f"/needs/{need.id}/attachments/{stored.id}")
    body, disposition = response.data, response.headers["Content-Disposition"]
    response.close()
    assert body == b"%PDF-1.4 test"
    assert quote("事業計画書.pdf") in disposition


def test_a_file_type_outside_the_list_is_refused_with_a_message(client, make_need, applicant, login_as, post_form):
    need = make_need(applicant)
    login_as(applicant)
    page = _upload(post_form, need, "ウイルス.exe", b"MZ").get_data(as_text=True)
    assert db.session.scalar(select(NeedAttachment)) is None
    assert "flash-error" in page


def test_the_upload_form_states_the_configured_limit(app, client, make_need, applicant, login_as, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1536 * 1024)
    need = make_need(applicant)
    login_as(applicant)
    assert "1.5MBまで" in client.get(f"/needs/{need.id}").get_data(as_text=True)


def test_a_file_over_the_size_limit_is_refused(app, client, make_need, applicant, login_as, post_form, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 10)
    need = make_need(applicant)
    login_as(applicant)
    page = _upload(post_form, need, "大きい.pdf", b"x" * 11).get_data(as_text=True)
    assert db.session.scalar(select(NeedAttachment)) is None
    assert "flash-error" in page


def test_a_pdf_whose_content_is_not_a_pdf_is_refused_and_nothing_stored(app, client, make_need, applicant, login_as,
                                                                       post_form):
    need = make_need(applicant)
    login_as(applicant)
    storage = attachment_services.stored_path(NeedAttachment(storage_name="x")).parent
    before = sorted(p.name for p in storage.iterdir())
    page = _upload(post_form, need, "決算書.pdf", b"MZ\x90\x00 an executable renamed").get_data(as_text=True)
    assert db.session.scalar(select(NeedAttachment)) is None
    assert "flash-error" in page and "ファイルの内容が種類" in page
    assert sorted(p.name for p in storage.iterdir()) == before


def test_an_empty_file_is_refused(make_need, applicant):
    from werkzeug.datastructures import FileStorage

    with pytest.raises(UploadRefused):
        attachment_services.add_attachment(applicant, make_need(applicant), FileStorage(io.BytesIO(b""), "空.pdf"))


def test_a_need_holds_at_most_the_file_limit(make_need, applicant, monkeypatch):
    from werkzeug.datastructures import FileStorage

    monkeypatch.setattr(attachment_services, "MAX_ATTACHMENTS_PER_NEED", 1)
    need = make_need(applicant)
    attachment_services.add_attachment(applicant, need, FileStorage(io.BytesIO(b"1"), "一.txt"))
    with pytest.raises(UploadRefused):
        attachment_services.add_attachment(applicant, need, FileStorage(io.BytesIO(b"2"), "二.txt"))


def test_folder_parts_of_the_name_are_dropped(make_need, applicant):
    from werkzeug.datastructures import FileStorage

    stored = attachment_services.add_attachment(applicant, make_need(applicant), FileStorage(io.BytesIO(b"1"), "../../証拠.txt"))
    assert stored.original_name == "証拠.txt"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.APPLICANT])
def test_another_organisation_cannot_upload(client, make_need, applicant, login_as, role):
    from models import Confidentiality
    from tests.conftest import csrf_token

    need = make_need(applicant, confidentiality=Confidentiality.PUBLIC)
    login_as(role)
    token = csrf_token(client, "/needs/")
    response = client.post(f"/needs/{need.id}/attachments", data={"csrf_token": token, "file": (io.BytesIO(b"x"), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 403


def test_files_of_a_public_need_are_not_downloadable_by_visitors(client, make_need, applicant):
    from werkzeug.datastructures import FileStorage

    from models import Confidentiality

    need = make_need(applicant, confidentiality=Confidentiality.PUBLIC)
    stored = attachment_services.add_attachment(applicant, need, FileStorage(io.BytesIO(b"1"), "証拠.txt"))
    db.session.commit()
    assert client.get(f"/needs/{need.id}/attachments/{stored.id}").status_code == 404
