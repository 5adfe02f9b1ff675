"""Evidence files: size and type limits, generated storage names, the original name kept as data."""
from __future__ import annotations

import secrets
import unicodedata
from pathlib import Path

from flask import current_app
from flask_babel import gettext

from app.audit import record
from models import NeedAttachment, RegulatoryNeed, User, db

from .permissions import can_add_attachment

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS_PER_NEED = 20
ALLOWED_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
}


class AttachmentError(Exception):
    """The file breaks a limit; the message says which."""


def storage_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads" / "needs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stored_path(attachment: NeedAttachment) -> Path:
    return storage_dir() / attachment.storage_name


def clean_name(filename: str) -> str:
    """Keep the original (Japanese) name, minus any folder part and control characters."""
    name = unicodedata.normalize("NFC", filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:200] or "file"


def add_attachment(actor: User, need: RegulatoryNeed, upload) -> NeedAttachment:
    """Store an uploaded evidence file (a werkzeug FileStorage) for the need."""
    if not can_add_attachment(actor, need):
        raise PermissionError("not allowed")
    name = clean_name(upload.filename)
    suffix = Path(name).suffix.lower()
    if suffix not in ALLOWED_TYPES:
        raise AttachmentError(gettext("This file type is not accepted. Allowed: %(types)s",
                                      types=", ".join(sorted(ALLOWED_TYPES))))
    if len(need.attachments) >= MAX_ATTACHMENTS_PER_NEED:
        raise AttachmentError(gettext("A need can have at most %(count)s files.", count=MAX_ATTACHMENTS_PER_NEED))
    data = upload.stream.read(MAX_ATTACHMENT_BYTES + 1)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise AttachmentError(gettext("The file is larger than %(size)s MB.", size=MAX_ATTACHMENT_BYTES // (1024 * 1024)))
    if not data:
        raise AttachmentError(gettext("The file is empty."))
    storage_name = secrets.token_hex(16) + suffix
    (storage_dir() / storage_name).write_bytes(data)
    attachment = NeedAttachment(need=need, original_name=name, storage_name=storage_name,
                                content_type=ALLOWED_TYPES[suffix], size=len(data), uploaded_by_id=actor.id)
    db.session.add(attachment)
    record("need.attachment_added", need, actor=actor, file=name, size=len(data))
    db.session.flush()
    return attachment
