"""Attachments: only documents of allowed types, checked by content, under the size limit; nothing stored otherwise."""
from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from models import MeetingAttachment, db


@pytest.fixture
def meeting(group, make_meeting):
    return make_meeting(group)


@pytest.fixture
def upload(client, login_as, secretariat, group, meeting):
    from tests.conftest import csrf_token

    login_as(secretariat)
    path = f"/groups/{group.id}/meetings/{meeting.id}"

    def send(name: str, data: bytes):
        token = csrf_token(client, path)
        return client.post(f"{path}/attachments", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data", follow_redirects=True)

    return send


def _stored_files(app) -> list:
    from app.groups.attachment_services import storage_dir

    with app.test_request_context():
        return sorted(p.name for p in storage_dir().iterdir())


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_pdf_is_stored_under_a_generated_name_with_its_japanese_name_kept(app, upload):
    before = _stored_files(app)
    response = upload("第2回部会資料.pdf", b"%PDF-1.7\n...")
    attachment = db.session.scalar(select(MeetingAttachment))
    assert response.status_code == 200 and "第2回部会資料.pdf" in response.get_data(as_text=True)
    assert attachment.original_name == "第2回部会資料.pdf" and attachment.stored_name.endswith(".pdf")
    assert "第2回" not in attachment.stored_name
    assert set(_stored_files(app)) - set(before) == {attachment.stored_name}


def test_docx_with_word_parts_is_accepted(upload):
    upload("議事次第.docx", _docx())
    assert db.session.scalar(select(MeetingAttachment)).content_type.startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("name,data", [
    ("malware.exe", b"MZ\x90\x00"),
    ("page.html", b"<html><script>alert(1)</script></html>"),
    ("no-extension", b"%PDF-1.4"),
])
def test_wrong_type_is_refused_with_a_clear_message(app, upload, name, data):
    before = _stored_files(app)
    page = upload(name, data).get_data(as_text=True)
    assert "この種類のファイルは受け付けていません" in page
    assert db.session.scalar(select(func.count(MeetingAttachment.id))) == 0
    assert _stored_files(app) == before


@pytest.mark.parametrize("name,data", [
    ("資料.pdf", b"MZ\x90\x00 an executable renamed"),
    ("資料.docx", b"PK\x03\x04 not really a zip"),
    ("写真.png", b"%PDF-1.4"),
    ("メモ.txt", b"\xff\xfe\x00\x00binary"),
])
def test_content_that_does_not_match_the_extension_is_refused(app, upload, name, data):
    before = _stored_files(app)
    page = upload(name, data).get_data(as_text=True)
    assert "ファイルの内容が種類" in page
    assert db.session.scalar(select(func.count(MeetingAttachment.id))) == 0
    assert _stored_files(app) == before


def test_file_over_the_limit_is_refused_and_nothing_stored(app, upload, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    before = _stored_files(app)
    page = upload("大きな資料.pdf", b"%PDF-" + b"0" * 2000).get_data(as_text=True)
    assert "上限" in page
    assert db.session.scalar(select(func.count(MeetingAttachment.id))) == 0
    assert _stored_files(app) == before


def test_member_cannot_upload(client, login_as, group, group_member, meeting):
    from tests.conftest import csrf_token

    login_as(group_member)
    path = f"/groups/{group.id}/meetings/{meeting.id}"
    token = csrf_token(client, path)
    response = client.post(f"{path}/attachments", data={"csrf_token": token, "file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(MeetingAttachment.id))) == 0
