"""Meeting attachments: type checked from the content, size limited, stored under generated names."""
from __future__ import annotations

import io
import logging
import secrets
import zipfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app import audit
from models import Meeting, MeetingAttachment, User, db

from . import permissions as perms
from .services import GroupError, check_allowed

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# extension -> (MIME type, content check)
OOXML_PARTS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ALLOWED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


def allowed_extensions() -> str:
    return ", ".join(sorted(ALLOWED))


def max_bytes() -> int:
    return int(current_app.config.get("GROUP_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def storage_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "groups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _content_matches(extension: str, data: bytes) -> bool:
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in ("jpg", "jpeg"):
        return data.startswith(b"\xff\xd8\xff")
    if extension in OOXML_PARTS:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return False
        return "[Content_Types].xml" in names and any(n.startswith(OOXML_PARTS[extension]) for n in names)
    if extension in ("txt", "csv"):
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    return False


def _original_name(upload: FileStorage) -> str:
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in name if ch.isprintable())[:200]


def add_attachment(actor: User, meeting: Meeting, upload: FileStorage) -> MeetingAttachment:
    """Check and store one file. Raises GroupError with a message for the user; nothing is stored then."""
    check_allowed(perms.can_lead_group(actor, meeting.group))
    original = _original_name(upload)
    extension = original.rsplit(".", 1)[-1].lower() if "." in original else ""
    if extension not in ALLOWED:
        raise GroupError(_("This type of file is not accepted. Allowed: %(types)s.", types=allowed_extensions()))
    limit = max_bytes()
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise GroupError(_("The file is larger than the limit of %(mb)s MB.", mb=round(limit / 1024 / 1024, 1)))
    if not data:
        raise GroupError(_("The file is empty."))
    if not _content_matches(extension, data):
        raise GroupError(_("The file's content does not match its type (.%(ext)s).", ext=extension))
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    attachment = MeetingAttachment(
        meeting=meeting, original_name=original, stored_name=stored_name, content_type=ALLOWED[extension],
        size=len(data), uploaded_by=actor,
    )
    db.session.add(attachment)
    db.session.flush()
    (storage_dir() / stored_name).write_bytes(data)
    audit.record("meeting.attachment_added", meeting, actor=actor, attachment=attachment.id, name=original)
    return attachment


def remove_attachment(actor: User, attachment: MeetingAttachment) -> str:
    """Delete the row; returns the stored name so the caller removes the file after commit."""
    check_allowed(perms.can_lead_group(actor, attachment.meeting.group))
    audit.record("meeting.attachment_removed", attachment.meeting, actor=actor, name=attachment.original_name)
    db.session.delete(attachment)
    db.session.flush()
    return attachment.stored_name


def delete_stored_file(stored_name: str) -> None:
    path = storage_dir() / stored_name
    if path.is_file():
        path.unlink()


def stored_path(attachment: MeetingAttachment) -> Path:
    return storage_dir() / attachment.stored_name
