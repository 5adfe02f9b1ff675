"""Evidence files: who may add them, how many a need holds, the audit entry; checking and storing is app.uploads."""
from __future__ import annotations

from pathlib import Path

from flask_babel import gettext

from app.core.audit import record
from app.permissions import Refused
from app.web import uploads
from app.web.uploads import UploadRefused
from models import NeedAttachment, RegulatoryNeed, User, db

from .permissions import can_add_attachment

FOLDER = "needs"
MAX_ATTACHMENTS_PER_NEED = 20


def stored_path(attachment: NeedAttachment) -> Path:
    return uploads.storage_dir(FOLDER) / attachment.storage_name


def add_attachment(actor: User, need: RegulatoryNeed, upload) -> NeedAttachment:
    """Store an uploaded evidence file (a werkzeug FileStorage) for the need. Raises UploadRefused; nothing is stored then."""
    if not can_add_attachment(actor, need):
        raise Refused()  # not allowed
    if len(need.attachments) >= MAX_ATTACHMENTS_PER_NEED:
        raise UploadRefused(gettext("A need can have at most %(count)s files.", count=MAX_ATTACHMENTS_PER_NEED))
    checked = uploads.read_upload(upload)
    attachment = NeedAttachment(need=need, original_name=checked.original_name,
                                storage_name=uploads.store(checked, FOLDER), content_type=checked.content_type,
                                size=checked.size, uploaded_by_id=actor.id)
    db.session.add(attachment)
    record("need.attachment_added", need, actor=actor, file=checked.original_name, size=checked.size)
    db.session.flush()
    return attachment
