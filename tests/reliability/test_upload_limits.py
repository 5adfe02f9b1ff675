"""Office files are checked for their unpacked size and entry count; abandoned import previews go away."""
from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

from app.members.import_services import discard_abandoned_uploads, store_upload, upload_folder
from app.web.uploads import OOXML_MAX_ENTRIES, OOXML_MAX_UNPACKED_BYTES, UploadRefused, content_matches


def docx(entries: dict[str, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, size in entries.items():
            with archive.open(name, "w") as part:
                chunk = b"\0" * (1024 * 1024)
                for _ in range(size // len(chunk)):
                    part.write(chunk)
                part.write(b"\0" * (size % len(chunk)))
    return buffer.getvalue()


def test_a_small_real_docx_is_accepted():
    assert content_matches("docx", docx({"word/document.xml": 2000}))


def test_a_zip_bomb_is_refused_with_a_message(app):
    bomb = docx({"word/document.xml": OOXML_MAX_UNPACKED_BYTES + 1024 * 1024})
    assert len(bomb) < 1024 * 1024  # a small file on the wire
    with app.test_request_context(), pytest.raises(UploadRefused, match="zip bomb"):
        content_matches("docx", bomb)


def test_too_many_parts_are_refused(app):
    with app.test_request_context(), pytest.raises(UploadRefused):
        content_matches("xlsx", docx({f"xl/part{i}.xml": 1 for i in range(OOXML_MAX_ENTRIES + 1)}))


def test_a_zip_bomb_upload_stores_nothing(client, login_as, applicant, make_need, post_form):
    from models import NeedAttachment, db

    need = make_need(applicant)
    login_as(applicant)
    bomb = docx({"word/document.xml": OOXML_MAX_UNPACKED_BYTES + 1024 * 1024})
    response = post_form(f"/needs/{need.id}/attachments", {"file": (io.BytesIO(bomb), "計画.docx")},
                         form_page=f"/needs/{need.id}", content_type="multipart/form-data", follow_redirects=True)
    assert response.status_code == 200
    assert db.session.scalar(db.select(db.func.count(NeedAttachment.id))) == 0


def test_import_previews_older_than_a_day_are_deleted(app):
    old = upload_folder() / ("a" * 32 + ".csv")
    old.write_text("name_ja\n")
    day_and_a_bit = time.time() - 25 * 3600
    os.utime(old, (day_and_a_bit, day_and_a_bit))
    fresh = store_upload(b"name_ja\n")
    assert not old.exists()
    assert (upload_folder() / f"{fresh}.csv").exists()
    assert discard_abandoned_uploads() == 0
